"""What the home screen shows per council: last and next meeting, open and
overdue action items.  Pure: computed from a World and a reference date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kyogitai_tui.domain.dates import meeting_title, wareki_with_weekday


@dataclass(frozen=True)
class CouncilOverview:
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


def _meeting_text(rec, long: bool) -> str:
    m = rec.meeting
    if long:
        return f"{meeting_title(m.fiscal_year, m.seq_no)}  {wareki_with_weekday(m.held_on)}"
    return f"第{m.seq_no}回 {m.held_on.month}/{m.held_on.day}"


def _planned_text(last, today: date, long: bool) -> str:
    """No meeting is registered yet: the date the last meeting set, if any."""
    if last is None or last.meeting.next_plan_date is None or last.meeting.next_plan_date < today:
        return "未定"
    d = last.meeting.next_plan_date
    if long:
        return f"{wareki_with_weekday(d)}（前回の会議で予定、未登録）"
    return f"予定 {d.month}/{d.day}"


def council_overviews(world, today: date) -> list[CouncilOverview]:
    """One row per council, ordered by tier then id."""
    by_council: dict[str, list] = {}
    for state in world.action_states():
        if state.is_open:
            by_council.setdefault(state.council_id, []).append(state)
    rows = []
    for council in sorted(world.councils.values(), key=lambda c: (c.tier, c.id)):
        last = world.last_meeting(council.id, today)
        nxt = world.next_meeting(council.id, today)
        open_states = by_council.get(council.id, [])
        area = world.areas.get(council.area_id) if council.area_id else None
        rows.append(
            CouncilOverview(
                council_id=council.id,
                name=council.name,
                tier=council.tier,
                area_name=area.name if area else "市町村全域",
                last_meeting_id=last.meeting.id if last else None,
                last_text=_meeting_text(last, long=False) if last else "なし",
                last_long=_meeting_text(last, long=True) if last else "なし",
                next_meeting_id=nxt.meeting.id if nxt else None,
                next_text=_meeting_text(nxt, long=False) if nxt else _planned_text(last, today, long=False),
                next_long=_meeting_text(nxt, long=True) if nxt else _planned_text(last, today, long=True),
                open_actions=len(open_states),
                overdue_actions=sum(1 for s in open_states if s.is_overdue(today)),
            )
        )
    return rows


def short_council_name(name: str) -> str:
    """「北みほん」 for 北みほん支え合い会議: for narrow columns."""
    for suffix in ("支え合い会議", "協議体", "会議"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
