"""What the council screen and the prepare screen show, and the few rules
they need.  Pure: no I/O, no Textual.

* ``council_meeting_rows``: a council's meetings (oldest first) with
  「令和7年度 第3回」, 「9/16（火）」, the status (予定・開催中・開催済・公開済:
  the minutes' stages are their own column) and, once held, the minutes'
  state (案・確定・確定（訂正あり）).
  ``default_meeting`` is the row to put the cursor on (the meeting in
  progress or the next planned one, else the latest).
* ``agenda_rows``: the agenda grouped 報告事項 / 協議事項 / その他 with a
  header row per section, (1), (2) ... numbering of the items in use (an
  item switched off shows 「-」 and 「[ ]」), planned minutes, and a note:
  A02 says how many open action items it carries (「継続7件・期限超過5件」),
  a custom item says 「追加」.
* ``move_within_section``: an item moves only inside its own section (the
  live agenda is grouped by section); returns None at the section's edge.
* ``basics_problem``: what is wrong with the 基本 form's values, in Japanese.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Optional, Sequence

from kyogitai_tui.domain.dates import meeting_title, short_date, hhmm
from kyogitai_tui.domain.meeting.minutes_state import minutes_state
from kyogitai_tui.domain.model import AgendaItem

__all__ = ["MeetingRow", "council_meeting_rows", "default_meeting", "AgendaRow", "agenda_rows",
           "SECTION_LABELS", "move_within_section", "carried_note", "basics_problem",
           "meeting_numbers_text", "new_meeting_defaults"]

SECTION_LABELS = {"REPORT": "報告事項", "DISCUSSION": "協議事項", "OTHER": "その他"}
_STATUS_FALLBACK = {"PLANNED": "予定", "IN_PROGRESS": "開催中", "HELD": "開催済",
                    "MINUTES_DRAFT": "議事録案", "MINUTES_CONFIRMED": "議事録確定", "PUBLISHED": "公開済"}


def _fallback_label(list_name: str, code: str) -> str:
    return _STATUS_FALLBACK.get(code, code) if list_name == "meeting_statuses" else code


# --------------------------------------------------------------------------
# The council's meetings
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingRow:
    meeting_id: str
    title: str            # 令和7年度 第3回
    date_text: str        # 9/16（火）
    time_text: str        # 14:00
    status: str
    status_label: str
    minutes_label: str    # 案 / 確定 / 確定（訂正あり） / "" before it is held
    venue: str


def council_meeting_rows(world: Any, council_id: str, *,
                         label: Callable[[str, str], str] = _fallback_label) -> list[MeetingRow]:
    rows = []
    for rec in world.meetings_of(council_id):
        m = rec.meeting
        held = m.status not in ("PLANNED", "IN_PROGRESS")
        rows.append(MeetingRow(
            meeting_id=m.id, title=meeting_title(m.fiscal_year, m.seq_no),
            date_text=short_date(m.held_on), time_text=hhmm(m.start_time),
            status=m.status,
            # held: 「開催済」 (the minutes' own column says 案・確定); else 予定・開催中・公開済
            status_label=label("meeting_statuses", "HELD" if held and m.status != "PUBLISHED"
                               else m.status),
            minutes_label=minutes_state(world, m.id).label if held else "",
            venue=m.venue))
    return rows


def default_meeting(world: Any, council_id: str, today: date) -> Optional[str]:
    """The meeting in progress or the next planned one; else the latest."""
    nxt = world.next_meeting(council_id, today)
    if nxt is not None:
        return nxt.id
    recs = world.meetings_of(council_id)
    return recs[-1].id if recs else None


def meeting_numbers_text(fy: int, seq: int) -> str:
    """「令和7年度 第4回」 (as suggested for a new meeting)."""
    return meeting_title(fy, seq)


# --------------------------------------------------------------------------
# The agenda
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class AgendaRow:
    item_id: Optional[str]    # None for a section header
    section: str
    mark: str                 # [x] / [ ] ("" for a header)
    number: str               # (1) / - ("" for a header)
    title: str
    minutes_text: str         # 12分
    note: str
    enabled: bool


def carried_note(item: AgendaItem, world: Any = None, day: Optional[date] = None) -> str:
    """「継続7件・期限超過5件」 for the item carrying open action items."""
    n = len(item.carried_action_ids)
    if not n:
        return ""
    text = f"継続{n}件"
    if world is not None and day is not None:
        overdue = 0
        for aid in item.carried_action_ids:
            state = world.action_state(aid)
            if state is not None and state.is_overdue(day):
                overdue += 1
        if overdue:
            text += f"・期限超過{overdue}件"
    return text


def agenda_rows(items: Iterable[AgendaItem], *, world: Any = None,
                day: Optional[date] = None) -> list[AgendaRow]:
    """Header row per section, then its items; numbering counts items in use."""
    rows: list[AgendaRow] = []
    section = None
    counter = 0
    for it in items:
        if it.section != section:
            section = it.section
            counter = 0
            rows.append(AgendaRow(None, section, "", "", SECTION_LABELS.get(section, section),
                                  "", "", True))
        if it.enabled:
            counter += 1
        note = carried_note(it, world, day)
        if not note and it.template is None and not (it.extra or {}).get("builtin"):
            note = "追加"
        rows.append(AgendaRow(
            item_id=it.id, section=it.section, mark="[x]" if it.enabled else "[ ]",
            number=f"({counter})" if it.enabled else "-", title=it.title,
            minutes_text=f"{it.planned_minutes}分", note=note, enabled=it.enabled))
    return rows


def move_within_section(items: Sequence[AgendaItem], item_id: str, delta: int) -> Optional[int]:
    """The delta to hand to agenda_edit("move") so the item stays in its
    section, or None when it is already first/last there."""
    ids = [it.id for it in items]
    if item_id not in ids or not delta:
        return None
    i = ids.index(item_id)
    j = i + delta
    if j < 0 or j >= len(items) or items[j].section != items[i].section:
        return None
    return delta


# --------------------------------------------------------------------------
# The 基本 form
# --------------------------------------------------------------------------

def basics_problem(values: dict) -> Optional[str]:
    """A Japanese message for values the meeting cannot take, else None."""
    seq = values.get("seq_no")
    if seq is not None and seq < 1:
        return "第n回 の回数は1以上で入力してください。"
    minutes = values.get("planned_minutes")
    if minutes is not None and minutes > 600:
        return "会議の予定時間は600分以内で入力してください。"
    return None


# --------------------------------------------------------------------------
# An operation the session lacks (candidate for MeetingSession)
# --------------------------------------------------------------------------



# --------------------------------------------------------------------------
# A new meeting's form
# --------------------------------------------------------------------------

def new_meeting_defaults(world: Any, council_id: str, today: date) -> dict:
    """What the new-meeting form starts with: the 次回 date, time and venue
    set when the last meeting closed (when that date has not passed), else
    the last meeting's time, venue and mode (councils meet in one place).
    ``held_on`` None = no date was set; ``start_time`` None = 未定."""
    recs = world.meetings_of(council_id)
    held = [r for r in recs if r.is_held]
    last = (held or recs)[-1].meeting if (held or recs) else None
    out = {"held_on": None, "start_time": last.start_time if last else None,
           "venue": last.venue if last else "", "mode": last.mode if last else "IN_PERSON"}
    if last is not None and last.next_plan_date is not None and last.next_plan_date >= today:
        taken = {r.held_on for r in recs if r.meeting.status == "PLANNED"}
        if last.next_plan_date not in taken:     # not planned already
            out["held_on"] = last.next_plan_date
        if last.next_plan_time is not None:
            out["start_time"] = last.next_plan_time
        if last.next_plan_venue:
            out["venue"] = last.next_plan_venue
    return out
