"""What the linkage workspaces A07-A10 (他制度との連携) show, as rows of text.

Per linked system: its key functions from the catalog (with the ratings a
linked network records for them, e.g. the 5 functions of the 地域生活支援拠点
on PN09), the SC's and the partner's role, the partner organisations, the
council's linkage status and notes, and - where a resident's information
would be shared with a partner - the consent gate (``session.check_sharing``)
with the resident by pseudonymous label only.

Residents involved in a linked system: the subjects of this council's
decisions about that system (``linked_system`` or ``extra["linked_systems"]``,
e.g. D-06 for Eさん with O27/O28) and of the individual networks the council
sees whose ``linked_systems`` name it.  The partner asked about is each of
the decision's ``extra["partner_org_ids"]`` that belongs to the system, else
each organisation of the system (``organization.linked_system``).

Pure: no Textual, no I/O.
"""
from __future__ import annotations

from typing import Any, Optional

from kyogitai_tui.domain.meeting.report_view import Line, Row, individual_networks_for, label

__all__ = ["system_for_template", "system_orgs", "partner_choices",
           "consent_gates", "linkage_rows", "RATED_SYSTEMS", "key_function_trend", "reference_lines"]

# linked systems whose key functions the council rates at its item: the five
# functions of the 地域生活支援拠点 (相談, 体験の機会・場, 緊急時の受け入れ・対応,
# 専門性, 地域の体制づくり) at the disability item (A07)
RATED_SYSTEMS = ("DISABILITY_CLS",)


def key_function_trend(world: Any, council_id: str, code: str,
                       upto_meeting_id: Optional[str] = None,
                       current: Any = None) -> list[tuple[Any, dict]]:
    """[(held_on, {function: rating code})] of the council's ratings of a
    system's key functions, oldest first: every meeting before
    ``upto_meeting_id`` that rated them, then ``current`` (this meeting's
    LinkageStatus, when it rates them)."""
    out = []
    for rec in world.meetings_of(council_id):
        if rec.id == upto_meeting_id:
            break
        for ls in rec.linkage_statuses:
            if ls.linked_system_code == code and ls.function_ratings:
                out.append((rec.held_on, dict(ls.function_ratings)))
    if current is not None and current.function_ratings:
        held = world.meetings[current.meeting_id].held_on if current.meeting_id in world.meetings else None
        out.append((held, dict(current.function_ratings)))
    return out


def reference_lines(catalog: Any, code: str) -> list[str]:
    """The guidebook's reference content for a linked system, in the
    catalog's words: who it serves, its legal basis, its history and notes
    (help panel of A07-A10)."""
    system = _system(catalog, code)
    if system is None:
        return []
    lines = [f"{label(catalog, 'linked_systems', code)}（ガイドブック {getattr(system, 'seed_ref', '')}）"]
    desc = getattr(system, "description", "")
    if desc:
        lines.append(desc)
    users = list(getattr(system, "target_users", ()) or ())
    if users:
        lines.append("対象となる人：" + "、".join(users))
    basis = getattr(system, "legal_basis", "")
    if basis:
        lines.append("根拠：" + basis)
    funcs = list(getattr(system, "key_functions", ()) or ())
    if funcs:
        lines.append(f"{getattr(system, 'key_functions_label', '') or '主な機能'}：" + "／".join(funcs))
    for h in getattr(system, "history", ()) or ():
        period, text = h.get("period", ""), h.get("text", "")
        lines.append(f"経緯（{period}）：{text}")
    for note in getattr(system, "notes", ()) or ():
        lines.append(f"・{note}")
    for k, title in (("sc_role", "SCの役割"), ("partner_role", "連携先の役割")):
        v = getattr(system, k, "")
        if v:
            lines.append(f"{title}：{v}")
    return lines

def system_for_template(catalog: Any, template: Optional[str]) -> str:
    """The catalog's ``linked_system`` of an agenda template (A07-A10)."""
    try:
        code = catalog.entry("agenda_templates", template).linked_system
    except Exception:
        code = None
    return code or "DISABILITY_CLS"


def _system(catalog: Any, code: str) -> Any:
    try:
        return catalog.entry("linked_systems", code)
    except Exception:
        return None


def system_orgs(world: Any, code: str) -> list[str]:
    """Organisations that belong to the linked system (``linked_system``)."""
    return sorted(o.id for o in world.organizations.values() if o.linked_system == code)


def partner_choices(world: Any, catalog: Any, code: str, current: list[str]) -> list[tuple[str, str]]:
    """(org id, name) a partner can be chosen from: the system's own
    organisations, those of the partner org types, and the current partners."""
    system = _system(catalog, code)
    types = set(getattr(system, "partner_org_types", ()) or ())
    ids = [o.id for o in world.organizations.values()
           if o.linked_system == code or o.org_type in types or o.id in current]
    ids.sort(key=lambda i: (i not in current, i))
    return [(i, world.org_name(i)) for i in ids]


def _decision_systems(decision: Any) -> set[str]:
    codes = set((decision.extra or {}).get("linked_systems") or [])
    if decision.linked_system:
        codes.add(decision.linked_system)
    return codes


def consent_gates(session: Any, code: str) -> list[tuple[str, str, str, bool]]:
    """(resident label, partner name, reason, allowed) for every resident
    whose information sharing with this system's partners is involved."""
    world = session.world
    own = set(system_orgs(world, code))
    pairs: list[tuple[str, Optional[str]]] = []

    def add(subject_id: str, partners: list[str]) -> None:
        for p in partners or [None]:
            if (subject_id, p) not in pairs:
                pairs.append((subject_id, p))

    decisions = [d for rec in world.meetings_of(session.meeting.council_id) if rec.id != session.meeting_id
                 for d in rec.decisions] + list(session.record.decisions)
    for d in decisions:
        if code not in _decision_systems(d) or not d.subject_ids:
            continue
        named = [o for o in (d.extra or {}).get("partner_org_ids") or [] if o in own]
        for sid in d.subject_ids:
            add(sid, named or sorted(own))
    for net in individual_networks_for(world, session.council, session.meeting.held_on):
        if code in (net.linked_systems or []):
            add(net.subject_id, sorted(own))
    out = []
    for sid, partner in pairs:
        allowed, reason = session.check_sharing(sid, partner)
        name = world.org_name(partner) if partner else ""
        out.append((world.subject_label(sid), name or "連携先", reason, allowed))
    return out


def linkage_rows(session: Any, catalog: Any, code: str) -> list[Row]:
    world = session.world
    system = _system(catalog, code)
    status = session.linkage_now().get(code)
    name = label(catalog, "linked_systems", code)
    state = label(catalog, "linkage_statuses", status.status if status else "NO_CONTACT")
    head = [Line(f"{name}  連携の状況：{state}", "title")]
    partners = [world.org_name(o) for o in (status.partner_org_ids if status else [])]
    people = [world.person_name(p) for p in (status.partner_person_ids if status else [])]
    text = "、".join(n for n in partners if n) or "まだ決まっていません"
    if any(people):
        text += f"（{'・'.join(p for p in people if p)}）"
    head.append(Line(f"連携先：{text}"))
    own = [world.org_name(o) for o in system_orgs(world, code)
           if o not in (status.partner_org_ids if status else [])]
    if own:
        head.append(Line(f"この制度の窓口：{'、'.join(own)}"))
    if status and status.notes:
        head.append(Line(f"メモ：{status.notes}"))
    rows = [Row(f"link:{code}", tuple(head))]

    if system is not None:
        title = getattr(system, "key_functions_label", "") or "主な機能"
        flines = [Line(title, "title")]
        if code in RATED_SYSTEMS:
            # the council's own ratings, per meeting: this one, and the trend
            # of the earlier ones (F12 rates them here)
            here = status if status is not None and status.meeting_id == session.meeting_id else None
            trend = key_function_trend(world, session.meeting.council_id, code,
                                       upto_meeting_id=session.meeting_id, current=here)
            for f in system.key_functions:
                marks = [label(catalog, "function_ratings", r[f]) for _, r in trend if f in r]
                shown = "→".join(marks) if marks else "未評価"
                flines.append(Line(f"・{f}：{shown}"))
            when = "・".join(f"{d.month}/{d.day}" for d, _ in trend if d is not None)
            flines.append(Line(f"（評価した会議：{when}）" if when else "（F12 でこの会議の評価を記録します）"))
        else:
            for f in system.key_functions:
                flines.append(Line(f"・{f}"))
        rows.append(Row(f"link:{code}:functions", tuple(flines)))
        rows.append(Row(f"link:{code}:roles", (
            Line(f"SCの役割：{system.sc_role}"),
            Line(f"連携先の役割：{system.partner_role}"))))

    for who, partner, reason, allowed in consent_gates(session, code):
        rows.append(Row(f"link:{code}:consent", (
            Line(f"情報共有の同意：{who} > {partner}", "title"),
            Line(f"  {reason}", "good" if allowed else "bad"))))
    ref = reference_lines(catalog, code)
    if ref:   # the guidebook's reference content, readable at the item (a help panel)
        rows.append(Row(f"link:{code}:reference", tuple(
            [Line(f"制度の説明：{ref[0]}", "title")] + [Line(t, "dim") for t in ref[1:]])))
    return rows
