"""Corrections of confirmed minutes (訂正), made at the next meeting's
「前回議事録の確認」.

The confirming A01 item keeps the corrections as (wrong, right) pairs in
``AgendaItem.extra["corrections"]``; the corrected meeting's minutes print
the right wording in place of the wrong one and list each pair as 訂正
(minutes/content.py).  The record of the corrected meeting is never
rewritten: what the meeting recorded stays as it was, the minutes show the
corrected text.  Pure; no I/O, no Textual.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional

from kyogitai_tui.domain.meeting.minutes_state import minutes_state

__all__ = ["corrections_for", "missing_wrongs", "correction_note"]


def _confirming_item(world: Any, meeting_id: str) -> Optional[Any]:
    state = minutes_state(world, meeting_id)
    if state.status != "CORRECTED" or not state.confirmed_at_meeting_id:
        return None
    rec = world.meetings.get(state.confirmed_at_meeting_id)
    if rec is None:
        return None
    return next((a for a in rec.agenda_items if a.template == "A01" and a.enabled
                 and a.result == "CORRECTED"), None)


def corrections_for(world: Any, meeting_id: str) -> list[tuple[str, str]]:
    """The (wrong, right) pairs the next meeting recorded for these minutes."""
    item = _confirming_item(world, meeting_id)
    if item is None:
        return []
    out = []
    for c in (item.extra or {}).get("corrections") or []:
        if isinstance(c, dict) and str(c.get("wrong") or "").strip():
            out.append((str(c["wrong"]).strip(), str(c.get("right") or "").strip()))
    return out


def correction_note(world: Any, meeting_id: str) -> str:
    """「令和…の第n回会議で訂正」 — where the correction was made ("" if none)."""
    from kyogitai_tui.domain.dates import wareki
    state = minutes_state(world, meeting_id)
    rec = world.meetings.get(state.confirmed_at_meeting_id or "")
    if rec is None:
        return ""
    return f"{wareki(rec.meeting.held_on)}の第{rec.meeting.seq_no}回会議で訂正"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def missing_wrongs(world: Any, meeting_id: str, pairs: Iterable[tuple[str, str]]) -> list[str]:
    """The wrong wordings that appear nowhere in what the meeting recorded
    (a typo in the correction would otherwise change nothing)."""
    rec = world.meetings.get(meeting_id)
    if rec is None:
        return []
    texts: list[str] = []
    for name in ("meeting",):
        texts.extend(_strings(rec.meeting.to_doc()))
    for table in ("agenda_items", "statements", "decisions", "action_items", "gap_findings",
                  "attendance", "materials", "action_progress", "network_updates",
                  "function_assessments", "linkage_statuses", "finding_updates"):
        for row in getattr(rec, table, []) or []:
            texts.extend(_strings(row.to_doc()))
    texts.extend(st.item.title for st in world.action_states() if st.council_id == rec.council_id)
    for a in rec.attendance:
        texts.extend((world.person_name(a.person_id), a.org_name))
    council = world.councils.get(rec.meeting.council_id)
    if council is not None:
        texts.extend(_strings(council.to_doc()))
    blob = "\n".join(texts)
    return [w for w, _ in pairs if w not in blob]
