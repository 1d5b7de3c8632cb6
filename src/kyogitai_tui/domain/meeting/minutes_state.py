"""The lifecycle of a meeting's minutes: 案 → 確定 (or 確定・訂正あり).

A meeting's minutes are a draft (案) until they are confirmed:

1. by the *next* meeting of the same council, in its A01 item
   (「前回議事録の確認」): ``AgendaItem.result`` CONFIRMED (確定) or
   CORRECTED (訂正あり, with ``AgendaItem.correction``).  The confirmation
   date is that meeting's date;
2. otherwise by a written confirmation recorded on the meeting itself
   (``Meeting.minutes_confirmed_on``, correction in
   ``Meeting.minutes_correction``), e.g. 書面・メールで確認.

Only the immediately following meeting confirms: an A01 two meetings later
is about its own previous meeting.  Pure; no I/O, no Textual.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

__all__ = ["MinutesState", "minutes_state", "DRAFT", "CONFIRMED", "CORRECTED"]

DRAFT = "DRAFT"
CONFIRMED = "CONFIRMED"
CORRECTED = "CORRECTED"

_LABELS = {DRAFT: "案", CONFIRMED: "確定", CORRECTED: "確定（訂正あり）"}


@dataclass(frozen=True)
class MinutesState:
    meeting_id: str
    status: str                              # DRAFT | CONFIRMED | CORRECTED
    confirmed_on: Optional[date] = None
    confirmed_at_meeting_id: Optional[str] = None   # None for a written confirmation
    correction: str = ""

    @property
    def label(self) -> str:
        """「案」「確定」「確定（訂正あり）」"""
        return _LABELS[self.status]

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT


def _confirming_item(record: Any) -> Optional[Any]:
    for item in record.agenda_items:
        if item.template == "A01" and item.enabled and item.result in (CONFIRMED, CORRECTED):
            return item
    return None


def minutes_state(world: Any, meeting_id: str) -> MinutesState:
    """The state of ``meeting_id``'s minutes in ``world`` (a domain.world.World)."""
    record = world.meetings[meeting_id]
    meeting = record.meeting
    following = None
    seen = False
    for r in world.meetings_of(meeting.council_id):
        if seen:
            following = r
            break
        if r.id == meeting_id:
            seen = True
    if following is not None:
        item = _confirming_item(following)
        if item is not None:
            correction = (item.correction or "").strip()
            if item.result == CORRECTED and not correction:
                correction = (meeting.minutes_correction or "").strip()
            return MinutesState(meeting_id, item.result, following.meeting.held_on,
                                following.id, correction if item.result == CORRECTED else "")
    if meeting.minutes_confirmed_on is not None:
        correction = (meeting.minutes_correction or "").strip()
        return MinutesState(meeting_id, CORRECTED if correction else CONFIRMED,
                            meeting.minutes_confirmed_on, None, correction)
    return MinutesState(meeting_id, DRAFT)
