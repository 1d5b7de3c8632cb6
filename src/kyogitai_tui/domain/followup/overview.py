"""What the home screen shows per council: last and next meeting, open and
overdue action items.  Pure: computed from a World and a reference date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kyogitai_tui.domain.dates import meeting_title, wareki_with_weekday


@dataclass(frozen=True)
class CouncilOverview:
    """One council's row of the home screen."""
    council_id: str
    name: str
    tier: int
    area_name: str
    last_meeting_id: str | None
    last_text: str
    last_long: str
    next_meeting_id: str | None
    next_text: str
    next_long: str
    open_actions: int
    overdue_actions: int


@dataclass(frozen=True)
class MeetingLine:
    """What the overview needs of one meeting (kept in the summary file)."""
    id: str
    status: str
    held: bool              # HELD or later (``MeetingRecord.is_held``)
    held_on: date
    fiscal_year: int
    seq_no: int
    next_plan_date: date | None

    @classmethod
    def of(cls, rec) -> "MeetingLine":
        m = rec.meeting
        return cls(m.id, m.status, rec.is_held, m.held_on, m.fiscal_year, m.seq_no, m.next_plan_date)

    def to_json(self) -> list:
        return [self.id, self.status, self.held, self.held_on.isoformat(), self.fiscal_year, self.seq_no,
                self.next_plan_date.isoformat() if self.next_plan_date else None]

    @classmethod
    def from_json(cls, v: list) -> "MeetingLine":
        return cls(v[0], v[1], v[2], date.fromisoformat(v[3]), v[4], v[5],
                   date.fromisoformat(v[6]) if v[6] else None)


def _last(lines: list[MeetingLine], today: date) -> MeetingLine | None:
    """As ``World.last_meeting``: the latest held meeting on or before ``today``."""
    last = None
    for m in lines:
        if m.held and m.held_on <= today:
            last = m
    return last


def _next(lines: list[MeetingLine], today: date) -> MeetingLine | None:
    """As ``World.next_meeting``: the meeting in progress, else the earliest planned one from today."""
    for m in lines:
        if m.status == "IN_PROGRESS":
            return m
    for m in lines:
        if m.status == "PLANNED" and m.held_on >= today:
            return m
    return None


def _meeting_text(m: MeetingLine, long: bool) -> str:
    if long:
        return f"{meeting_title(m.fiscal_year, m.seq_no)}  {wareki_with_weekday(m.held_on)}"
    return f"第{m.seq_no}回 {m.held_on.month}/{m.held_on.day}"


def _planned_text(last: MeetingLine | None, today: date, long: bool) -> str:
    """No meeting is registered yet: the date the last meeting set, if any."""
    if last is None or last.next_plan_date is None or last.next_plan_date < today:
        return "未定"
    d = last.next_plan_date
    if long:
        return f"{wareki_with_weekday(d)}（前回の会議で予定、未登録）"
    return f"予定 {d.month}/{d.day}"


def overview_row(council_id: str, name: str, tier: int, area_name: str, lines: list[MeetingLine],
                 open_dues: list[date | None], today: date) -> CouncilOverview:
    """One council's row from its meetings (meeting order) and the due dates
    of its open action items: the one rule for the World and the summary."""
    last, nxt = _last(lines, today), _next(lines, today)
    return CouncilOverview(
        council_id=council_id, name=name, tier=tier, area_name=area_name,
        last_meeting_id=last.id if last else None,
        last_text=_meeting_text(last, long=False) if last else "なし",
        last_long=_meeting_text(last, long=True) if last else "なし",
        next_meeting_id=nxt.id if nxt else None,
        next_text=_meeting_text(nxt, long=False) if nxt else _planned_text(last, today, long=False),
        next_long=_meeting_text(nxt, long=True) if nxt else _planned_text(last, today, long=True),
        open_actions=len(open_dues),
        overdue_actions=sum(1 for d in open_dues if d is not None and d < today),
    )


def area_name(world, council) -> str:
    area = world.areas.get(council.area_id) if council.area_id else None
    return area.name if area else "市町村全域"


def council_overviews(world, today: date) -> list[CouncilOverview]:
    """One row per council, ordered by tier then id."""
    dues: dict[str, list] = {}
    for state in world.action_states():
        if state.is_open:
            dues.setdefault(state.council_id, []).append(state.due_date)
    return [overview_row(c.id, c.name, c.tier, area_name(world, c),
                         [MeetingLine.of(r) for r in world.meetings_of(c.id)], dues.get(c.id, []), today)
            for c in sorted(world.councils.values(), key=lambda c: (c.tier, c.id))]


def short_council_name(name: str) -> str:
    """「北みほん」 for 北みほん支え合い会議: for narrow columns."""
    for suffix in ("支え合い会議", "協議体", "会議"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
