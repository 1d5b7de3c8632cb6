"""The records World hands out about meetings, and the folding across meetings.

``MeetingRecord`` is one meeting file, typed.  ``ActionState`` and
``FindingState`` are an action item / gap finding with what later meetings
recorded about it (``ActionProgress``, ``FindingUpdate``) folded in meeting
order; ``fold_action_states`` and ``fold_finding_states`` compute them
(``World.action_states`` / ``World.finding_states`` call these and cache the
result).  Meeting order, "held" and carry-over are defined in the docstring
of domain/world.py; import these names from there.  Pure; no I/O, no Textual.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Optional

from .model import (
    ActionItem, ActionProgress, AgendaItem, Attendance, Decision, FindingUpdate,
    FunctionAssessment, GapCheck, GapFinding, LinkageStatus, Material, Meeting, MinutesRecord,
    NetworkUpdate, ReadbackEntry, Statement,
)

OPEN_ACTION_STATUSES = frozenset({"NOT_STARTED", "IN_PROGRESS", "ON_HOLD"})
HELD_STATUSES = frozenset({"HELD", "MINUTES_DRAFT", "MINUTES_CONFIRMED", "PUBLISHED"})
UPCOMING_STATUSES = frozenset({"PLANNED", "IN_PROGRESS"})

# Meeting-table name -> MeetingRecord attribute.
_RECORD_ATTR = {
    "attendance": "attendance", "materials": "materials", "agenda_items": "agenda_items",
    "statements": "statements", "function_assessments": "function_assessments",
    "gap_checks": "gap_checks", "gap_findings": "gap_findings",
    "finding_updates": "finding_updates", "decisions": "decisions",
    "action_items": "action_items", "action_progress": "action_progress",
    "linkage_statuses": "linkage_statuses", "network_updates": "network_updates",
    "readback": "readback", "minutes": "minutes",
}


def meeting_sort_key(m: Meeting) -> tuple:
    return (m.held_on or date.min, m.start_time or time.min, m.seq_no or 0, m.id)


@dataclass
class MeetingRecord:
    """One meeting file, typed.  ``agenda_items`` are sorted by ``order``,
    ``statements`` by (agenda order, order)."""
    meeting: Meeting
    attendance: list[Attendance] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    agenda_items: list[AgendaItem] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    function_assessments: list[FunctionAssessment] = field(default_factory=list)
    gap_checks: list[GapCheck] = field(default_factory=list)
    gap_findings: list[GapFinding] = field(default_factory=list)
    finding_updates: list[FindingUpdate] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    action_progress: list[ActionProgress] = field(default_factory=list)
    linkage_statuses: list[LinkageStatus] = field(default_factory=list)
    network_updates: list[NetworkUpdate] = field(default_factory=list)
    readback: list[ReadbackEntry] = field(default_factory=list)
    minutes: list[MinutesRecord] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meeting.id

    @property
    def council_id(self) -> str:
        return self.meeting.council_id

    @property
    def held_on(self) -> date:
        return self.meeting.held_on

    @property
    def is_held(self) -> bool:
        return self.meeting.status in HELD_STATUSES

    def statements_of(self, agenda_item_id: str) -> list[Statement]:
        return [s for s in self.statements if s.agenda_item_id == agenda_item_id]

    def members_present(self) -> int:
        return sum(1 for a in self.attendance
                   if a.role_in_meeting == "MEMBER" and a.status != "ABSENT")

    def members_listed(self) -> int:
        return sum(1 for a in self.attendance if a.role_in_meeting == "MEMBER")


@dataclass
class ActionState:
    """An action item with its progress folded in meeting order."""
    item: ActionItem
    status: str
    progress: list[ActionProgress]
    origin: MeetingRecord
    council_id: str
    carry_over_count: int
    superseded_by: Optional[str] = None

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def due_date(self) -> Optional[date]:
        return self.item.due_date

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.item.due_date is not None and self.item.due_date < today

    def days_until_due(self, today: date) -> Optional[int]:
        return None if self.item.due_date is None else (self.item.due_date - today).days


@dataclass
class FindingState:
    """A gap finding with its FindingUpdates folded (``finding`` is a folded copy)."""
    finding: GapFinding
    updates: list[FindingUpdate]
    origin: MeetingRecord
    council_id: str

    @property
    def id(self) -> str:
        return self.finding.id

    @property
    def status(self) -> str:
        return self.finding.status

    @property
    def network_or_service(self) -> str:
        return self.finding.network_or_service

    @property
    def is_open(self) -> bool:
        return self.finding.status not in ("RESOLVED",)


def _before(order: dict[str, int], meeting_id: str, before_meeting_id: Optional[str]) -> bool:
    if before_meeting_id is None:
        return True
    return order.get(meeting_id, -1) < order.get(before_meeting_id, 1 << 60)


def fold_action_states(meetings: dict[str, MeetingRecord], order: dict[str, int],
                       by_council: dict[str, list[MeetingRecord]],
                       before_meeting_id: Optional[str] = None) -> list[ActionState]:
    """Every action item with its folded status, in meeting order then id.

    ``meetings`` in meeting order, ``order`` their positions, ``by_council``
    each council's meetings in order; ``before_meeting_id``: the state as it
    stood at the start of that meeting (items and progress of earlier
    meetings only)."""
    items: list[tuple[ActionItem, MeetingRecord]] = []
    progress: dict[str, list[tuple[int, ActionProgress]]] = {}
    for r in meetings.values():
        if not _before(order, r.id, before_meeting_id):
            continue
        pos = order[r.id]
        for ai in sorted(r.action_items, key=lambda a: a.id):
            items.append((ai, r))
        for p in r.action_progress:
            progress.setdefault(p.action_item_id, []).append((pos, p))
    limit = order.get(before_meeting_id, 1 << 60) if before_meeting_id else 1 << 60
    out = []
    for ai, origin in items:
        rows = sorted(progress.get(ai.id, []), key=lambda t: (t[0], t[1].date or date.min, t[1].id))
        origin_rec = meetings.get(ai.origin_meeting_id, origin)
        council_id = origin_rec.council_id
        origin_pos = order.get(origin_rec.id, order[origin.id])
        # carry-over: held meetings of the council after the origin where the item was open
        carry = 0
        for r in by_council.get(council_id, []):
            rpos = order[r.id]
            if rpos <= origin_pos or rpos >= limit or not r.is_held:
                continue
            st = ai.status
            for ppos, p in rows:
                if ppos < rpos and p.status_after:
                    st = p.status_after
            if st in OPEN_ACTION_STATUSES:
                carry += 1
        status = ai.status
        superseded = ai.superseded_by
        for _, p in rows:
            if p.status_after:
                status = p.status_after
            sb = (p.extra or {}).get("superseded_by")
            if sb:
                superseded = sb
        out.append(ActionState(item=ai, status=status, progress=[p for _, p in rows],
                               origin=origin_rec, council_id=council_id,
                               carry_over_count=carry, superseded_by=superseded))
    return out


def fold_finding_states(meetings: dict[str, MeetingRecord], order: dict[str, int],
                        before_meeting_id: Optional[str] = None) -> list[FindingState]:
    """Every gap finding with its FindingUpdates folded, in meeting order."""
    findings: list[tuple[GapFinding, MeetingRecord]] = []
    ups: dict[str, list[FindingUpdate]] = {}
    for r in meetings.values():
        if not _before(order, r.id, before_meeting_id):
            continue
        for f in r.gap_findings:
            findings.append((f, r))
        for u in r.finding_updates:
            ups.setdefault(u.finding_id, []).append(u)
    out = []
    for f, r in findings:
        us = ups.get(f.id, [])
        folded = GapFinding.from_doc(f.to_doc())
        for u in us:
            if u.status:
                folded.status = u.status
            if u.network_or_service:
                folded.network_or_service = u.network_or_service
        origin = meetings.get(f.meeting_id, r)
        out.append(FindingState(finding=folded, updates=us, origin=origin,
                                council_id=origin.council_id))
    return out
