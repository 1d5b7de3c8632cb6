"""形骸化 watch: what to look at between meetings (seed 4-4(5)-3).

The guidebook warns that provider networks are voluntary, slow to form and
easily become hollow, so a council must keep asking whether a network still
answers the field's problems.  Between meetings nothing prompted that; this
module lists, for one council or all:

* ``SILENT``  -- provider networks (not PLANNED, not retired) that have not
  met for ``months`` months or more (``last_met_on``).  A network with no
  meeting date recorded is not guessed at; G6 and the register show it.
* ``REVIEW``  -- decisions whose review date (``review_on``, 形骸化チェック
  予定日) has come while their target network has not been assessed since
  (the same rule as G6 on a decision).
* ``UNDECIDED`` -- findings still 未対応 (status OPEN: not decided, in
  progress, on hold or resolved) that no decision has answered although the
  council has held :data:`FINDING_MEETINGS` meetings or more since the one
  that raised them.

Each row says where to act: the council that owns the matter (the area's
2nd-tier council for an AREA network, the 1st-tier council otherwise), its
next planned meeting and the agenda item that shows the matter there, or
the register (F7) for a network no council is found for.

Scope: ``council_id`` of a tier-2 council keeps the AREA networks of its
area and the decisions and findings of its own meetings; a tier-1 council
keeps every network and its own decisions and findings.  No Textual, no
disk: ``kyogitai watch`` (commands/watch.py) and the home screen's watch
screen both call :func:`watch`.  No resident is named in a row: findings
and decisions are shown through the privacy Redactor by the callers that
print them: ``public_rows`` (the privacy Redactor, as the public minutes
judge a resident's label or code) replaces a title or detail that names a
resident, so the list can be handed round between meetings.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Optional

from kyogitai_tui.domain.dates import months_between

__all__ = ["WatchRow", "watch", "DEFAULT_MONTHS", "FINDING_MEETINGS", "KIND_LABELS", "as_dicts",
           "public_rows", "CSV_HEADER", "csv_rows"]

CSV_HEADER = ("区分", "番号", "対象", "状況", "日付", "協議体", "次の会議", "議題", "どこで対応するか")

DEFAULT_MONTHS = 6
FINDING_MEETINGS = 2
KIND_LABELS = {"SILENT": "会合が開かれていないネットワーク",
               "REVIEW": "見直しの日が過ぎた決定事項",
               "UNDECIDED": "決定のない課題"}


@dataclass
class WatchRow:
    kind: str                      # SILENT | REVIEW | UNDECIDED
    target_id: str                 # network, decision or finding id
    title: str                     # what it is (Japanese)
    detail: str                    # why it is listed (Japanese)
    since: Optional[date]          # last met / review date / raised on
    council_id: Optional[str]      # where to act
    council: str
    next_meeting_id: Optional[str]
    next_meeting_on: Optional[date]
    agenda: str                    # agenda template code (A05 ...) or ""
    where: str                     # where to act (Japanese)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def as_dicts(rows: list[WatchRow]) -> list[dict]:
    out = []
    for r in rows:
        d = asdict(r)
        d["kind_label"] = r.kind_label
        for k in ("since", "next_meeting_on"):
            d[k] = d[k].isoformat() if d[k] else None
        out.append(d)
    return out


def _owner_council(world: Any, net: Any) -> Optional[Any]:
    """The council that owns a network: the area's tier-2 council for an
    AREA network, else the tier-1 council (seed 4-4(2))."""
    live = [c for c in world.councils.values() if c.retired_on is None]
    if net.coverage_level == "AREA" and net.area_id:
        for c in live:
            if c.tier == 2 and c.area_id == net.area_id:
                return c
    tier1 = [c for c in live if c.tier == 1]
    return tier1[0] if tier1 else None


def _template(kind: Optional[str] = None, workspace: Optional[str] = None) -> str:
    from kyogitai_tui.domain.catalog import catalog_or_none

    cat = catalog_or_none()
    if cat is None:
        return ""
    for t in cat.agenda_templates:
        if kind is not None and getattr(t, "network_kind", None) == kind:
            return t.code
        if workspace is not None and t.workspace == workspace:
            return t.code
    return ""


def _template_title(code: str) -> str:
    from kyogitai_tui.domain.catalog import catalog_or_none

    cat = catalog_or_none()
    if cat is None or not code:
        return code
    for t in cat.agenda_templates:
        if t.code == code:
            return t.title
    return code


def _where(world: Any, council: Optional[Any], today: date, agenda: str,
           fallback: str) -> tuple[Optional[str], Optional[date], str]:
    if council is None:
        return None, None, fallback
    nxt = world.next_meeting(council.id, today)
    item = f"「{_template_title(agenda)}」" if agenda else ""
    if nxt is None:
        return None, None, f"{council.name}：次の会議を予定して{item}で取り上げる"
    on = nxt.held_on
    return nxt.id, on, f"{council.name} {on.month}月{on.day}日の会議{item}で取り上げる"


def _in_scope_network(world: Any, net: Any, council: Optional[Any]) -> bool:
    if council is None or council.tier == 1:
        return True
    return net.coverage_level == "AREA" and net.area_id == council.area_id


def watch(world: Any, *, today: date, council_id: Optional[str] = None,
          months: int = DEFAULT_MONTHS) -> list[WatchRow]:
    """Every row, silent networks first, then past-review decisions, then
    findings without a decision; within a kind by date (oldest first)."""
    if months < 1:
        raise ValueError("months must be 1 or more")
    scope = world.councils[council_id] if council_id else None
    rows: list[WatchRow] = []
    rows += _silent(world, today, scope, months)
    rows += _review(world, today, scope)
    rows += _undecided(world, today, scope)
    order = {"SILENT": 0, "REVIEW": 1, "UNDECIDED": 2}
    rows.sort(key=lambda r: (order[r.kind], r.since or date.min, r.target_id))
    return rows


def _silent(world: Any, today: date, scope: Optional[Any], months: int) -> list[WatchRow]:
    out = []
    for net in world.provider_networks.values():
        if net.retired_on is not None or net.status == "PLANNED" or net.last_met_on is None:
            continue
        if not _in_scope_network(world, net, scope):
            continue
        gap = months_between(net.last_met_on, today)
        if gap < months:
            continue
        owner = _owner_council(world, net)
        agenda = _template(kind=net.kind)
        nid, non, where = _where(world, owner, today, agenda,
                                 f"登録データ（F7）の事業者間ネットワーク {net.id}")
        status = ""
        if (net.status or "ACTIVE") != "ACTIVE":
            from kyogitai_tui.domain.guidebook.gaps import label
            status = f"・{label('provider_network_statuses', net.status)}"
        out.append(WatchRow(
            "SILENT", net.id, net.name, f"最後の会合から{gap}か月{status}", net.last_met_on,
            owner.id if owner else None, owner.name if owner else "", nid, non, agenda,
            where + "（会合が開かれたら F7 で「最後の会合」を更新）"))
    return out


def _review(world: Any, today: date, scope: Optional[Any]) -> list[WatchRow]:
    out = []
    for rec in world.meetings.values():
        if scope is not None and rec.council_id != scope.id:
            continue
        for d in rec.decisions:
            if d.review_on is None or d.review_on > today:
                continue
            if getattr(d, "superseded_by", None):
                continue
            last = world.last_assessed_on(d.target_network_id) if d.target_network_id else None
            if last is not None and last >= d.review_on:
                continue
            council = world.councils.get(rec.council_id)
            net = world.provider_networks.get(d.target_network_id or "")
            agenda = _template(kind=net.kind) if net is not None else _template(workspace="DECISIONS")
            nid, non, where = _where(world, council, today, agenda, "")
            target = f"（{net.name}）" if net is not None else ""
            out.append(WatchRow(
                "REVIEW", d.id, d.text + target,
                f"見直し予定日 {d.review_on.isoformat()} を過ぎ、その後ネットワークの機能の評価がありません",
                d.review_on, rec.council_id, council.name if council else "", nid, non, agenda,
                where + "（機能を評価して形骸化していないか確かめる）"))
    return out


def _undecided(world: Any, today: date, scope: Optional[Any]) -> list[WatchRow]:
    answered = {fid for rec in world.meetings.values() for d in rec.decisions for fid in d.gap_finding_ids}
    out = []
    for st in world.finding_states():
        f = st.finding
        if st.status != "OPEN" or f.id in answered:     # DECIDED / IN_PROGRESS: a decision was taken
            continue
        if scope is not None and st.council_id != scope.id:
            continue
        since = [r for r in world.meetings_of(st.council_id)
                 if r.is_held and r.held_on > st.origin.held_on and r.held_on <= today]
        if len(since) < FINDING_MEETINGS:
            continue
        council = world.councils.get(st.council_id)
        agenda = _template(workspace="DECISIONS")
        nid, non, where = _where(world, council, today, agenda, "")
        out.append(WatchRow(
            "UNDECIDED", f.id, f.description,
            f"{st.origin.held_on.isoformat()}の会議で挙がってから{len(since)}回の会議で決定がありません",
            st.origin.held_on, st.council_id, council.name if council else "", nid, non, agenda,
            where + "（対応方針を決めるか、保留の理由を記録する）"))
    return out


def public_rows(world: Any, rows: list[WatchRow]) -> list[WatchRow]:
    """The rows with every title or detail that names a resident replaced by
    the public minutes' neutral wording (``privacy.redaction.Redactor``)."""
    from dataclasses import replace

    from kyogitai_tui.domain.privacy.redaction import NEUTRAL_DECISION, OMITTED, Redactor

    r = Redactor(world.subjects.values(), public=True)
    return [replace(row, title=r.field(row.title, NEUTRAL_DECISION), detail=r.field(row.detail, OMITTED))
            for row in rows]


def csv_rows(rows: list[WatchRow]) -> list[list[str]]:
    return [[r.kind_label, r.target_id, r.title, r.detail, r.since.isoformat() if r.since else "",
             r.council, r.next_meeting_on.isoformat() if r.next_meeting_on else "",
             _template_title(r.agenda) if r.agenda else "", r.where] for r in rows]
