"""地域課題台帳: every gap finding with its life across meetings (pure; no Textual).

One ``LedgerRow`` per finding of ``World.finding_states()`` (meeting order):

* raised at: the meeting that recorded the finding (和暦 date, 第n回);
* decisions: every ``Decision`` whose ``gap_finding_ids`` names the finding;
* actions: action items created for the finding (``ActionItem.gap_finding_id``)
  or for one of those decisions, with their folded state (``ActionState``);
* updates: the ``FindingUpdate`` rows of later meetings, in meeting order;
* last reviewed: the last meeting with a FindingUpdate or a decision on the
  finding (the raising meeting when there is none);
* resolved: the folded status is RESOLVED.

Stale (「要検討」)
    An unresolved finding on which nothing was decided -- no Decision names
    it and no action item was created for it -- although two or more *held*
    meetings of its council took place after the meeting that raised it.
    Planned meetings do not count.  Once something is decided the finding is
    no longer stale (its actions then carry the follow-up).

Filters (``LedgerFilter``): council, area, kind (the catalog's
``gap_finding_kinds`` code) and state: a status code of
``gap_finding_statuses``, ``UNRESOLVED`` (every status but RESOLVED) or
``STALE``.  ``None`` means any.

The ledger is the coordinator's own (internal) view: finding texts are shown
as recorded, in which residents appear only by their pseudonymous label.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.dates import meeting_title, short_date, wareki
from kyogitai_tui.domain.world.state import ActionState, FindingState, MeetingRecord

__all__ = [
    "LedgerRow", "LedgerFilter", "STATE_UNRESOLVED", "STATE_STALE", "STALE_AFTER_MEETINGS",
    "STALE_LABEL", "ledger_rows", "filter_rows", "filter_choices", "finding_life",
]

STATE_UNRESOLVED = "UNRESOLVED"
STATE_STALE = "STALE"
STALE_AFTER_MEETINGS = 2
STALE_LABEL = "要検討"


def _label(catalog: Any, name: str, code: Optional[str]) -> str:
    if catalog is None:
        return code or ""
    return catalog.label_or_code(name, code)


@dataclass
class LedgerRow:
    state: FindingState
    council_id: str
    council_name: str
    area_id: Optional[str]
    area_name: str
    kind: str
    kind_label: str
    status_label: str
    approach_label: str                    # network_or_service
    check_code: Optional[str]
    raised: MeetingRecord
    decisions: list[tuple[Any, MeetingRecord]] = field(default_factory=list)
    actions: list[ActionState] = field(default_factory=list)
    updates: list[tuple[Any, MeetingRecord]] = field(default_factory=list)
    last_reviewed: Optional[MeetingRecord] = None
    meetings_since: int = 0                # held meetings of the council after the raising one
    stale: bool = False

    @property
    def id(self) -> str:
        return self.state.id

    @property
    def description(self) -> str:
        return self.state.finding.description

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def resolved(self) -> bool:
        return self.state.status == "RESOLVED"

    @property
    def raised_text(self) -> str:
        """「第1回 5/20（火）」"""
        return f"第{self.raised.meeting.seq_no}回 {short_date(self.raised.held_on)}"

    @property
    def reviewed_text(self) -> str:
        r = self.last_reviewed or self.raised
        return f"第{r.meeting.seq_no}回 {short_date(r.held_on)}"

    @property
    def reviewed_short(self) -> str:
        """「第2回 7/15」 for a narrow column."""
        r = self.last_reviewed or self.raised
        return f"第{r.meeting.seq_no}回 {r.held_on.month}/{r.held_on.day}"

    @property
    def state_text(self) -> str:
        """The 状態 column: the status label, 「要検討」 appended when stale."""
        return f"{self.status_label}・{STALE_LABEL}" if self.stale else self.status_label

    @property
    def decisions_text(self) -> str:
        return "、".join(d.id for d, _ in self.decisions) or "なし"

    @property
    def actions_text(self) -> str:
        if not self.actions:
            return "なし"
        done = sum(1 for a in self.actions if a.status == "DONE")
        return f"{len(self.actions)}件・完了{done}"


def ledger_rows(world: Any, catalog: Any = None) -> list[LedgerRow]:
    """Every finding of the World as a ledger row, in meeting order."""
    decisions_by_finding: dict[str, list[tuple[Any, MeetingRecord]]] = {}
    for rec in world.meetings.values():
        for d in sorted(rec.decisions, key=lambda d: d.id):
            for fid in d.gap_finding_ids:
                decisions_by_finding.setdefault(fid, []).append((d, rec))
    states_by_decision: dict[str, list[ActionState]] = {}
    states_by_finding: dict[str, list[ActionState]] = {}
    for s in world.action_states():
        if s.item.decision_id:
            states_by_decision.setdefault(s.item.decision_id, []).append(s)
        if s.item.gap_finding_id:
            states_by_finding.setdefault(s.item.gap_finding_id, []).append(s)
    update_meeting: dict[str, MeetingRecord] = {}
    for rec in world.meetings.values():
        for u in rec.finding_updates:
            update_meeting[u.id] = rec

    rows = []
    for fs in world.finding_states():
        f = fs.finding
        council = world.councils.get(fs.council_id)
        area = world.areas.get(f.area_id or "")
        decisions = decisions_by_finding.get(f.id, [])
        actions: list[ActionState] = []
        seen: set[str] = set()
        for d, _ in decisions:
            for s in states_by_decision.get(d.id, []):
                if s.id not in seen:
                    seen.add(s.id)
                    actions.append(s)
        for s in states_by_finding.get(f.id, []):
            if s.id not in seen:
                seen.add(s.id)
                actions.append(s)
        actions.sort(key=lambda s: (world.meeting_position(s.origin.id), s.id))
        updates = [(u, update_meeting[u.id]) for u in fs.updates if u.id in update_meeting]
        updates.sort(key=lambda t: (world.meeting_position(t[1].id), t[0].id))
        reviewed = [fs.origin] + [r for _, r in updates] + [r for _, r in decisions]
        last = max(reviewed, key=lambda r: world.meeting_position(r.id))
        origin_pos = world.meeting_position(fs.origin.id)
        since = sum(1 for r in world.meetings_of(fs.council_id)
                    if r.is_held and world.meeting_position(r.id) > origin_pos)
        stale = (fs.status != "RESOLVED" and not decisions and not actions
                 and since >= STALE_AFTER_MEETINGS)
        rows.append(LedgerRow(
            state=fs, council_id=fs.council_id,
            council_name=council.name if council else fs.council_id,
            area_id=f.area_id, area_name=area.name if area else "",
            kind=f.kind, kind_label=_label(catalog, "gap_finding_kinds", f.kind),
            status_label=_label(catalog, "gap_finding_statuses", f.status),
            approach_label=_label(catalog, "network_or_service", f.network_or_service),
            check_code=f.check_code, raised=fs.origin, decisions=list(decisions),
            actions=actions, updates=updates, last_reviewed=last, meetings_since=since,
            stale=stale))
    return rows


@dataclass(frozen=True)
class LedgerFilter:
    council_id: Optional[str] = None
    area_id: Optional[str] = None
    kind: Optional[str] = None
    state: Optional[str] = None            # status code | UNRESOLVED | STALE

    def matches(self, row: LedgerRow) -> bool:
        if self.council_id and row.council_id != self.council_id:
            return False
        if self.area_id and row.area_id != self.area_id:
            return False
        if self.kind and row.kind != self.kind:
            return False
        if self.state == STATE_UNRESOLVED:
            return not row.resolved
        if self.state == STATE_STALE:
            return row.stale
        if self.state and row.status != self.state:
            return False
        return True

    def describe(self, world: Any, catalog: Any = None) -> str:
        """「絞り込み: 北みほん支え合い会議・未解決」 or 「絞り込みなし」."""
        parts = []
        if self.council_id:
            c = world.councils.get(self.council_id)
            parts.append(c.name if c else self.council_id)
        if self.area_id:
            a = world.areas.get(self.area_id)
            parts.append(a.name if a else self.area_id)
        if self.kind:
            parts.append(_label(catalog, "gap_finding_kinds", self.kind))
        if self.state:
            parts.append(dict(_state_choices(catalog)).get(self.state, self.state))
        return "絞り込み: " + "・".join(parts) if parts else "絞り込みなし（すべての課題）"


def filter_rows(rows: Iterable[LedgerRow], flt: LedgerFilter) -> list[LedgerRow]:
    return [r for r in rows if flt.matches(r)]


def _state_choices(catalog: Any) -> list[tuple[str, str]]:
    out = [(STATE_UNRESOLVED, "未解決（解消以外すべて）"), (STATE_STALE, f"{STALE_LABEL}（決定のないまま2回以上）")]
    if catalog is not None:
        out += list(catalog.labels("gap_finding_statuses").items())
    return out


ANY = ""   # the choice code meaning "no filter"


def filter_choices(world: Any, catalog: Any, which: str) -> list[tuple[str, str]]:
    """Choices for one filter (``council`` | ``area`` | ``kind`` | ``state``);
    the first is (ANY, 「すべて」)."""
    out = [(ANY, "すべて")]
    if which == "council":
        out += [(c.id, c.name) for c in world.councils.values()]
    elif which == "area":
        out += [(a.id, a.name) for a in world.areas.values()]
    elif which == "kind":
        if catalog is not None:
            out += list(catalog.labels("gap_finding_kinds").items())
    elif which == "state":
        out += _state_choices(catalog)
    else:
        raise ValueError(which)
    return out


def finding_life(row: LedgerRow, world: Any, catalog: Any = None) -> list[str]:
    """The life of one finding as lines for a detail panel (internal view)."""
    f = row.state.finding

    def when(r: MeetingRecord) -> str:
        return f"{wareki(r.held_on)}（{meeting_title(r.meeting.fiscal_year, r.meeting.seq_no)}）"

    lines = [f"{row.id}  {row.description}",
             f"協議体: {row.council_name}　圏域: {row.area_name or 'なし'}",
             f"種類: {row.kind_label}" + (f"（点検 {f.check_code[:2]}）" if f.check_code else "")
             + f"　対応方針: {row.approach_label}",
             f"状態: {row.state_text}", "",
             f"提起: {when(row.raised)}"]
    if f.network_id:
        net = world.provider_networks.get(f.network_id)
        if net is not None:
            lines.append(f"  対象ネットワーク: {net.name}")
    lines.append("決定:")
    if row.decisions:
        for d, r in row.decisions:
            lines.append(f"  {d.id} {_label(catalog, 'decision_types', d.type)}（{when(r)}）")
            lines.append(f"    {d.text}")
    else:
        lines.append("  まだありません")
    lines.append("取組:")
    if row.actions:
        for s in row.actions:
            due = f" 期限 {short_date(s.item.due_date)}" if s.item.due_date else ""
            lines.append(f"  {s.id} [{_label(catalog, 'action_item_statuses', s.status)}] {s.item.title}{due}")
            for p in s.progress:
                if p.note:
                    lines.append(f"    {short_date(p.date) if p.date else ''} {p.note}".rstrip())
    else:
        lines.append("  まだありません")
    lines.append("経過:")
    if row.updates:
        for u, r in row.updates:
            st = f"［{_label(catalog, 'gap_finding_statuses', u.status)}］" if u.status else ""
            lines.append(f"  {when(r)} {st}{u.note}")
    else:
        lines.append("  記録なし")
    lines.append(f"最終確認: {when(row.last_reviewed or row.raised)}")
    if row.stale:
        lines.append(f"{STALE_LABEL}: 提起から{row.meetings_since}回の会議で決定がありません。")
    return lines
