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

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, Optional, Sequence

from kyogitai_tui.domain.model import (
    ActionFollowup, ActionItem, ActionProgress, AgendaItem, Attendance, Decision, FindingUpdate,
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
    """An action item with its progress folded in meeting order.

    ``progress`` are the rows recorded in meetings; ``followups`` the rows
    made between meetings (registry ``action_followups``); ``history`` both,
    in fold order.  ``owner_*`` and ``due_date`` are the current values (a
    follow-up may change them; ``item`` keeps the original).
    ``skip_meeting_ids``: meetings whose A02 leaves the item off (skipped once)."""
    item: ActionItem
    status: str
    progress: list[ActionProgress]
    origin: MeetingRecord
    council_id: str
    carry_over_count: int
    superseded_by: Optional[str] = None
    followups: list[ActionFollowup] = field(default_factory=list)
    history: list = field(default_factory=list)
    owner_person_ids: Optional[list[str]] = None
    owner_text: Optional[str] = None
    current_due: Optional[date] = None
    skip_meeting_ids: frozenset = frozenset()

    def __post_init__(self) -> None:
        if self.owner_person_ids is None:
            self.owner_person_ids = list(self.item.owner_person_ids)
        if self.owner_text is None:
            self.owner_text = self.item.owner_text

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def due_date(self) -> Optional[date]:
        return self.current_due

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    @property
    def is_superseded(self) -> bool:
        """Closed and taken over by ``superseded_by``."""
        return bool(self.superseded_by) and not self.is_open

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.current_due is not None and self.current_due < today

    def days_until_due(self, today: date) -> Optional[int]:
        return None if self.current_due is None else (self.current_due - today).days


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


def followup_position(held_on_by_pos: list[date], d: Optional[date]) -> int:
    """A between-meeting row dated ``d`` comes after every meeting held on or
    before ``d`` and before the meeting at the returned position."""
    return bisect_right(held_on_by_pos, d or date.min)


def fold_action_states(meetings: dict[str, MeetingRecord], order: dict[str, int],
                       by_council: dict[str, list[MeetingRecord]],
                       before_meeting_id: Optional[str] = None,
                       followups: Sequence[ActionFollowup] = ()) -> list[ActionState]:
    """Every action item with its folded status, in meeting order then id.

    ``meetings`` in meeting order, ``order`` their positions, ``by_council``
    each council's meetings in order; ``before_meeting_id``: the state as it
    stood at the start of that meeting (items and progress of earlier
    meetings only).  ``followups`` (rows made between meetings) are folded
    after the meetings held on or before their date: a status / owner / due
    change, a supersede (closes the item, pointer in ``superseded_by``), a
    skip (``skip_meeting_ids``: off that meeting's A02, not counted as a
    carry-over).  Carry-over: held meetings of the council after the origin,
    at whose start the item was open and not skipped."""
    limit = order.get(before_meeting_id, 1 << 60) if before_meeting_id else 1 << 60
    items: list[tuple[ActionItem, MeetingRecord]] = []
    # action id -> [(sort key, row)]
    events: dict[str, list[tuple[tuple, Any]]] = {}
    for r in meetings.values():
        if not _before(order, r.id, before_meeting_id):
            continue
        pos = order[r.id]
        for ai in sorted(r.action_items, key=lambda a: a.id):
            items.append((ai, r))
        for p in r.action_progress:
            events.setdefault(p.action_item_id, []).append(
                ((pos, 1, p.date or date.min, p.id), p))
    if followups:
        held = [r.held_on for r in meetings.values()]
        for f in followups:
            k = followup_position(held, f.date)
            if k <= limit:   # before meeting k, so before the limit when k <= limit
                events.setdefault(f.action_item_id, []).append(((k, 0, f.date, f.id), f))
    out = []
    for ai, origin in items:
        rows = sorted(events.get(ai.id, []), key=lambda t: t[0])
        origin_rec = meetings.get(ai.origin_meeting_id, origin)
        council_id = origin_rec.council_id
        council_meetings = by_council.get(council_id, [])
        origin_pos = order.get(origin_rec.id, order[origin.id])
        skips: set[str] = set()
        for key, row in rows:
            if isinstance(row, ActionFollowup) and row.kind == "SKIP":
                target = row.skip_meeting_id or next(
                    (r.id for r in council_meetings if order[r.id] >= key[0]), None)
                if target:
                    skips.add(target)
        carry = 0
        for r in council_meetings:
            rpos = order[r.id]
            if rpos <= origin_pos or rpos >= limit or not r.is_held or r.id in skips:
                continue
            st = ai.status
            for key, p in rows:
                if key[0] < rpos or (key[0] == rpos and key[1] == 0):
                    if p.status_after:
                        st = p.status_after
            if st in OPEN_ACTION_STATUSES:
                carry += 1
        status = ai.status
        superseded = ai.superseded_by
        owners, owner_text, due = list(ai.owner_person_ids), ai.owner_text, ai.due_date
        for _, p in rows:
            if p.status_after:
                status = p.status_after
            if isinstance(p, ActionFollowup):
                sb = p.superseded_by
                if p.owner_person_ids is not None:
                    owners = list(p.owner_person_ids)
                if p.owner_text is not None:
                    owner_text = p.owner_text
                if p.due_date is not None:
                    due = p.due_date
            else:
                sb = (p.extra or {}).get("superseded_by")
            if sb:
                superseded = sb
        out.append(ActionState(
            item=ai, status=status, progress=[p for _, p in rows if isinstance(p, ActionProgress)],
            origin=origin_rec, council_id=council_id, carry_over_count=carry,
            superseded_by=superseded,
            followups=[p for _, p in rows if isinstance(p, ActionFollowup)],
            history=[p for _, p in rows], owner_person_ids=owners, owner_text=owner_text,
            current_due=due, skip_meeting_ids=frozenset(skips)))
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
