"""Readable numbers of a meeting's records, the same on every page the app
writes: a meeting's decisions are 決定事項No.1, No.2 … in the order the
minutes' table lists them (decided time, then agenda order, then id).  The
follow-up list and its CSV name a 取組's origin with these numbers
(「第1回 決定事項No.2」) instead of the stored ids.  No Textual here."""
from __future__ import annotations

import weakref
from datetime import datetime
from typing import Any, Optional

__all__ = ["decision_order", "decision_number"]


def decision_order(rec: Any) -> list:
    """The decisions of one MeetingRecord in the minutes' order."""
    order = {a.id: a.order for a in rec.agenda_items if a.enabled}
    return sorted(rec.decisions, key=lambda d: (d.decided_at or datetime.max,
                                                order.get(d.agenda_item_id or "", 1 << 30), d.id))


_INDEX: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def decision_number(world: Any, decision_id: str) -> Optional[tuple[Any, int]]:
    """(MeetingRecord, n) of a decision, or None when it is not recorded.
    The index is built once per World (a World is rebuilt after a change)."""
    try:
        index = _INDEX.get(world)
    except TypeError:
        index = None
    if index is None:
        index = {d.id: (rec, n) for rec in world.meetings.values()
                 for n, d in enumerate(decision_order(rec), start=1)}
        try:
            _INDEX[world] = index
        except TypeError:
            pass
    return index.get(decision_id)
