"""What the report-item workspaces A01-A06 show, as plain rows of text.

The workspaces of the live meeting only display these rows (an OptionList
option per ``Row``); everything a test must check lives here:

* which networks a council sees (:func:`individual_networks_for`,
  :func:`provider_networks_for`): a 第2層 council sees the individual
  networks of residents of its area and the provider networks of its area
  plus the 市町村域 / 広域 ones; a 第1層 council sees all of them;
* the row of a carried action item (A02): owners, due date in short form,
  「期限超過」 while it is open and past due (today = ``session.today``), its
  status now (this meeting's progress included), 「継続n回目」 where n is the
  World's ``carry_over_count`` + 1 (the meeting being run is one more);
* the rows of an individual network (A03): the resident by pseudonymous
  label only (never ``world.sensitive``, never a free-text purpose), the
  prompts G1-G3 / H1 computed on the state *as the room sees it now*
  (``session.network_now``), and the small-number warning when it applies;
* the rows of a provider network (A04-A06): members, form, coverage and
  responsible tier, last meeting, the support unit, the 地縁-NPO stage, the
  prompts G6 / G7 and the function ratings with their cause.

Linkage (A07-A10) is in ``linkage_view``.  Pure: no Textual, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Optional

from kyogitai_tui.domain.guidebook.rules import reaches_support_center
from kyogitai_tui.domain.dates import meeting_title, months_between, short_date, wareki_with_weekday
from kyogitai_tui.domain.guidebook.guidance import Prompt, prompts_for_individual_network, prompts_for_provider_network
from kyogitai_tui.domain.model import IndividualNetwork, NeedItem, ProviderNetwork
from kyogitai_tui.domain.privacy.reidentification import reidentification_warning
from kyogitai_tui.domain.guidebook.rules import responsible_tier
from kyogitai_tui.domain.world.state import OPEN_ACTION_STATUSES

__all__ = [
    "Line", "Row", "label", "prompt_line", "kind_for_template",
    "previous_minutes_lines", "owners_text", "due_text", "is_overdue", "carry_text",
    "action_row", "action_rows", "individual_networks_for", "provider_networks_for",
    "needs_now", "individual_network_rows", "network_functions", "provider_network_rows",
    "ago_text", "changed_fields", "capped", "MAX_NETWORKS",
]

MAX_NETWORKS = 50      # networks shown in one workspace (see ``capped``)


@dataclass(frozen=True)
class Line:
    text: str
    style: str = ""      # "" | title | prompt | hint | warning | bad | good | dim


@dataclass(frozen=True)
class Row:
    """One selectable row: ``key`` says what Enter acts on
    (``action:AI-01``, ``inet:IN-001``, ``need:IN-001:NI-001-3``,
    ``pnet:PN04``, ``fn:PN04:DIFF_MONITOR``)."""
    key: str
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def label(catalog: Any, list_name: str, code: Optional[str], default: str = "") -> str:
    return catalog.label_or_code(list_name, code, default)


def prompt_line(p: Prompt) -> Line:
    if p.kind == "hint":
        return Line(f"ヒント{p.rule}：{p.text}", "hint")
    return Line(f"留意{p.rule}：{p.text}", "prompt")


def kind_for_template(catalog: Any, template: Optional[str]) -> str:
    """SAME | DIFF | CHIEN_NPO for A04-A06 (the catalog's ``network_kind``)."""
    try:
        kind = catalog.entry("agenda_templates", template).network_kind
    except Exception:
        kind = None
    return kind or "SAME"


def changed_fields(current: Any, values: dict) -> dict:
    """The entries of ``values`` that differ from ``current``'s attributes
    (a form's result, so that an update records only what was changed)."""
    out = {}
    for name, value in values.items():
        if getattr(current, name, object()) != value:
            out[name] = value
    return out


# --------------------------------------------------------------------------
# A01 前回議事録の確認
# --------------------------------------------------------------------------

def previous_minutes_lines(session: Any, item_id: str, catalog: Any) -> list[Line]:
    prev = session.previous_meeting()
    if prev is None:
        return [Line("この協議体では初めての会議です。確認する前回の議事録はありません。")]
    m = prev.meeting
    out = [Line(f"前回の会議：{meeting_title(m.fiscal_year, m.seq_no)} {wareki_with_weekday(m.held_on)}", "title")]
    state = label(catalog, "meeting_statuses", m.status)
    if m.minutes_drafted_on:
        state += f"（{short_date(m.minutes_drafted_on)}作成）"
    out.append(Line(f"議事録の状態：{state}"))
    item = session.item(item_id)
    if item.result == "CONFIRMED":
        out.append(Line("この会議での確認：確定", "good"))
    elif item.result == "CORRECTED":
        out.append(Line("この会議での確認：訂正あり", "warning"))
        out.append(Line(f"訂正の内容：{item.correction}"))
    else:
        out.append(Line("この会議での確認：まだ記録していません", "dim"))
    return out


# --------------------------------------------------------------------------
# A02 前回からの取組状況
# --------------------------------------------------------------------------

def owners_text(world: Any, item: Any) -> str:
    """Person names (else organisation names), with ``owner_text`` beside them."""
    names = [world.person_name(p) for p in item.owner_person_ids]
    names = [n for n in names if n]
    if not names:
        names = [n for n in (world.org_name(o) for o in item.owner_org_ids) if n]
    text = "・".join(names)
    extra = (item.owner_text or "").strip()
    if extra and text:
        return f"{text}（{extra}）"
    return text or extra or "未定"


def is_overdue(due: Optional[date], status: str, today: date) -> bool:
    return status in OPEN_ACTION_STATUSES and due is not None and due < today


def due_text(due: Optional[date], status: str, today: date) -> str:
    if due is None:
        return "期限なし"
    text = short_date(due)
    if is_overdue(due, status, today):
        text += "期限超過"
    return text


def carry_text(carry_over_count: Optional[int]) -> str:
    """「継続n回目」 for an item carried into the meeting being run."""
    if carry_over_count is None:
        return ""
    return f"継続{carry_over_count + 1}回目"


def carried_so_far_text(carry_over_count: int) -> str:
    """Between meetings (取組の追跡): 「新規」 or 「継続n回目」 — the same words as
    the minutes' 継続 column and A02 (not 「持越 0回」)."""
    return "新規" if not carry_over_count else f"継続{carry_over_count}回目"


def action_row(session: Any, action_id: str, catalog: Any) -> Row:
    world = session.world
    item = session.action_item(action_id)
    status, note = session.action_status_now(action_id)
    state = world.action_state(action_id)
    if not note and state is not None:      # a status without a note keeps the last note in view
        note = next((p.note for p in reversed(state.progress) if p.note), "")
    carry = carry_text(state.carry_over_count if state is not None else None)
    due = due_text(item.due_date, status, session.today)
    parts = [f"担当：{owners_text(world, item)}", f"期限：{due}",
             label(catalog, "action_item_statuses", status)]
    if carry:
        parts.append(carry)
    if item.superseded_by:
        parts.append(f"{item.superseded_by}に引き継ぎ")
    lines = [Line(f"{item.id} {item.title}", "title"),
             Line(" / ".join(parts), "bad" if is_overdue(item.due_date, status, session.today) else "")]
    if note:
        lines.append(Line(f"メモ：{note}", "dim"))
    return Row(f"action:{item.id}", tuple(lines))


def action_rows(session: Any, catalog: Any) -> list[Row]:
    return [action_row(session, aid, catalog) for aid in session.carried_action_ids()]


# --------------------------------------------------------------------------
# which networks a council sees
# --------------------------------------------------------------------------

def in_use(record: Any, on: Optional[date] = None) -> bool:
    """Not retired (休止) as of ``on`` (as of now when None): a network retired
    after a meeting was held still belongs to that meeting's picture."""
    retired = getattr(record, "retired_on", None)
    return retired is None or (on is not None and on < retired)


def individual_networks_for(world: Any, council: Any, on: Optional[date] = None) -> list[IndividualNetwork]:
    """Networks of the residents of a 第2層 council's area (all, for 第1層),
    in use on ``on``, ordered by the resident's code."""
    out = []
    for net in world.individual_networks.values():
        if not in_use(net, on):
            continue
        subject = world.subjects.get(net.subject_id)
        if council.tier != 1 and (subject is None or subject.area_id != council.area_id):
            continue
        out.append(net)
    return sorted(out, key=lambda n: (getattr(world.subjects.get(n.subject_id), "code", ""), n.id))


def provider_networks_for(world: Any, council: Any, kind: Optional[str] = None,
                          on: Optional[date] = None) -> list[ProviderNetwork]:
    """Provider networks of ``kind`` in use on ``on``: the council's area ones
    plus the 市町村域 / 広域 ones (all, for 第1層), ordered by id."""
    out = []
    for net in world.provider_networks.values():
        if not in_use(net, on):
            continue
        if kind is not None and net.kind != kind:
            continue
        if council.tier != 1 and net.coverage_level == "AREA" and net.area_id != council.area_id:
            continue
        out.append(net)
    return sorted(out, key=lambda n: n.id)


# --------------------------------------------------------------------------
# A03 個別ネットワーク
# --------------------------------------------------------------------------

def _needs_by_network(world: Any) -> dict[str, list[NeedItem]]:
    out: dict[str, list[NeedItem]] = {}
    for n in world.need_items.values():
        out.setdefault(n.network_id, []).append(n)
    return out


def needs_now(session: Any, network_id: str,
              index: Optional[dict[str, list[NeedItem]]] = None) -> list[NeedItem]:
    """The network's needs as the room sees them: the World's plus the ones
    this meeting added or changed (before the World is rebuilt).  ``index``:
    the World's needs by network, when many networks are asked about."""
    base = index.get(network_id, []) if index is not None else session.world.needs_of(network_id)
    ids = [n.id for n in base]
    for u in session.record.network_updates:
        if u.entity == "need_items" and u.entity_id not in ids:
            if (u.changes or {}).get("network_id") == network_id:
                ids.append(u.entity_id)
    out = [session.network_now("need_items", nid) for nid in ids]
    return [n for n in out if n.network_id == network_id]


def capped(networks: list, attention: Callable[[Any], bool], touched: set[str],
           limit: int = MAX_NETWORKS) -> tuple[list, int]:
    """At most ``limit`` networks, in their order: when there are more (a
    第1層 council of a large city), the ones changed in this meeting and the
    ones with a prompt come first.  Returns (shown, how many are left out)."""
    if len(networks) <= limit:
        return list(networks), 0
    order = {n.id: i for i, n in enumerate(networks)}
    ranked = sorted(networks, key=lambda n: (n.id not in touched, not attention(n), order[n.id]))
    shown = sorted(ranked[:limit], key=lambda n: order[n.id])
    return shown, len(networks) - limit


def _more_row(hidden: int) -> Row:
    return Row("more", (Line(f"ほかに{hidden}件あります（この会議で変えたものと留意事項のあるものを先に表示しています）",
                             "dim"),))


def _touched(session: Any, entity: str) -> set[str]:
    return {u.entity_id for u in session.record.network_updates if u.entity == entity}


def _yes_no(flag: bool) -> str:
    return "あり" if flag else "なし"


def individual_network_rows(session: Any, catalog: Any) -> list[Row]:
    world = session.world
    rows: list[Row] = []
    index = _needs_by_network(world)
    nets, hidden = capped(individual_networks_for(world, session.council, session.meeting.held_on),
                          lambda n: bool(prompts_for_individual_network(n, index.get(n.id, []))),
                          _touched(session, "individual_networks"))
    for base in nets:
        net = session.network_now("individual_networks", base.id)
        about = world.subject_label(net.subject_id)
        needs = needs_now(session, net.id, index)
        lines = [Line(f"{about}  {label(catalog, 'individual_statuses', net.status)}", "title")]
        gathered = _yes_no(net.gathered_once)
        if net.gathered_once and net.gathered_on:
            gathered += f"（{net.gathered_on.month}/{net.gathered_on.day}）"
        lines.append(Line(
            f"形成者：{label(catalog, 'initiator_types', net.initiator_type)} / "
            f"形成：{label(catalog, 'formation_modes', net.formation_mode, '未定')} / "
            f"一堂に会した：{gathered}"))
        sharing = "、".join(label(catalog, "sharing_methods", c) for c in net.sharing_methods) or "未定"
        route = _yes_no(net.route_to_tier3)
        if net.route_to_tier3 and net.route_contact:
            route += f"（{net.route_contact}）"
        if net.route_to_tier3 and not reaches_support_center(net):
            route += "・地域包括支援センターまで届いていません"
        lines.append(Line(f"情報共有：{sharing} / 3層への連絡ルート：{route}"))
        subject = world.subjects.get(net.subject_id)
        if subject is not None:
            area = world.areas.get(subject.area_id) if subject.area_id else None
            warning = reidentification_warning(subject, area)
            if warning:
                lines.append(Line(f"注意：{warning}", "warning"))
        for p in prompts_for_individual_network(net, needs, about):
            lines.append(prompt_line(p))
        rows.append(Row(f"inet:{net.id}", tuple(lines)))
        for need in needs:
            status = label(catalog, "need_statuses", need.status)
            style = "bad" if need.status in ("NEW", "UNMET") else ""
            rows.append(Row(f"need:{net.id}:{need.id}", (
                Line(f"  必要な支援：{label(catalog, 'service_categories', need.service_category)}／{status}", style),)))
        if not needs:
            rows.append(Row(f"inet:{net.id}", (Line("  必要な支援はまだ登録されていません（F8で追加）", "dim"),)))
    if hidden:
        rows.append(_more_row(hidden))
    return rows


# --------------------------------------------------------------------------
# A04-A06 事業者間ネットワーク
# --------------------------------------------------------------------------

def network_functions(catalog: Any, net: ProviderNetwork, rated: Iterable[str] = ()) -> list[str]:
    """Function codes to rate: the catalog's functions of the network's kind;
    for a kind without any (地縁組織とNPO), its general purposes and whatever
    has been rated."""
    codes = [f.code for f in catalog.functions_for(net.kind)]
    if codes:
        return codes
    out: list[str] = []
    for code in list(net.general_purposes) + list(rated):
        if code not in out:
            out.append(code)
    return out


def _form_text(catalog: Any, net: ProviderNetwork) -> str:
    text = label(catalog, "network_forms", net.form)
    detail = []
    if net.standing_subform:
        detail.append(label(catalog, "standing_subforms", net.standing_subform))
    if net.meeting_cadence:
        detail.append(label(catalog, "meeting_cadences", net.meeting_cadence))
    note = (net.extra or {}).get("cadence_note")
    if isinstance(note, str) and note:
        detail.append(note)
    return text + (f"（{'・'.join(detail)}）" if detail else "")


def ago_text(when: date, today: date) -> str:
    """「12日前」 under a month, else 「2か月前」 (whole months)."""
    months = months_between(when, today)
    if months >= 1:
        return f"{months}か月前"
    days = (today - when).days
    return "今日" if days == 0 else (f"{days}日前" if days > 0 else f"{-days}日後")


def _last_met_text(net: ProviderNetwork, today: date) -> str:
    if net.last_met_on is None:
        return "記録なし"
    return f"{short_date(net.last_met_on)}・{ago_text(net.last_met_on, today)}"


def _members_by_network(world: Any, ids: set[str]) -> dict[str, list[str]]:
    """Current member organisation names of the given networks (one pass)."""
    out: dict[str, list[str]] = {}
    for m in world.provider_network_members:
        if m.network_id in ids and m.left_on is None:
            name = world.org_name(m.org_id)
            if name:
                out.setdefault(m.network_id, []).append(name)
    return out


def provider_network_rows(session: Any, catalog: Any, kind: str) -> list[Row]:
    world = session.world
    rows: list[Row] = []
    nets, hidden = capped(provider_networks_for(world, session.council, kind, session.meeting.held_on),
                          lambda n: bool(prompts_for_provider_network(n, session.today)),
                          _touched(session, "provider_networks"))
    members_of = _members_by_network(world, {n.id for n in nets})
    for base in nets:
        net = session.network_now("provider_networks", base.id)
        status = label(catalog, "provider_network_statuses", net.status)
        lines = [Line(f"{net.name}  {status}", "title")]
        coverage = label(catalog, "coverage_levels", net.coverage_level)
        if net.coverage_level == "AREA" and net.area_id in world.areas:
            coverage += f"（{world.areas[net.area_id].name}）"
        lines.append(Line(f"かたち：{_form_text(catalog, net)} / 範囲：{coverage}・第{responsible_tier(net)}層担当"))
        members = "、".join(members_of.get(net.id, [])) or "登録なし"
        lines.append(Line(f"構成：{members}"))
        lines.append(Line(f"最後の会合：{_last_met_text(net, session.today)} / "
                          f"個別ネットワーク支援の枠：{_yes_no(net.has_individual_support_unit)}",
                          "" if net.has_individual_support_unit else "bad"))
        if net.kind == "CHIEN_NPO":
            lines.append(Line(f"段階：{label(catalog, 'chien_npo_stages', net.chien_npo_stage, '未設定')}"))
        for p in prompts_for_provider_network(net, session.today):
            lines.append(prompt_line(p))
        rows.append(Row(f"pnet:{net.id}", tuple(lines)))
        ratings = session.ratings_now(net.id)
        for code in network_functions(catalog, net, ratings):
            fa = ratings.get(code)
            name = label(catalog, "network_functions", code)
            if fa is None:
                flines = [Line(f"  機能：{name}／未評価", "dim")]
            else:
                rating = label(catalog, "function_ratings", fa.rating)
                if fa.rating != "FULFILLED" and fa.cause:
                    rating += f"（原因：{label(catalog, 'failure_causes', fa.cause)}）"
                style = "bad" if fa.rating in ("PARTIAL", "NOT_FULFILLED") else ""
                flines = [Line(f"  機能：{name}／{rating}", style)]
                if fa.evidence:
                    flines.append(Line(f"    根拠：{fa.evidence}", "dim"))
            rows.append(Row(f"fn:{net.id}:{code}", tuple(flines)))
    if hidden:
        rows.append(_more_row(hidden))
    return rows
