"""Changes to action items made between meetings (the follow-up screen).

Each operation checks its input against the World and returns the
``Change``s to save: one new ``ActionFollowup`` row in registry.json
(``registry_change``), never a rewrite of an earlier row, so every change
stays in the item's history.  Bad input raises ``SessionError`` whose
``message`` is Japanese and says what to do.

* ``change_status``: a new status with a note.  A closed item (完了・中止・
  引継ぎ済) can only be reopened (to 未着手・対応中・保留).
* ``change_owner``: persons (ids of the registry) and/or a free text.
* ``change_due``: a date (``date`` or text: 2025-10-31, 令和7年10月31日).
* ``supersede``: another open item of the same council takes over; the item
  is closed (status 完了) with a pointer (``superseded_by``).
* ``skip_next``: the item stays off the A02 of the council's next meeting
  once (it comes back the time after).
* ``add_note``: a progress note without a change.

Every operation except a reopening refuses a closed item.  Pure; no I/O.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Optional, Sequence, Union

from kyogitai_tui.domain.dates import DateError, parse_date
from kyogitai_tui.domain.followup.rows import status_label
from kyogitai_tui.domain.model import ActionFollowup
from kyogitai_tui.domain.changes import Change, SessionError, registry_change
from kyogitai_tui.domain.world.state import OPEN_ACTION_STATUSES

__all__ = ["change_status", "change_owner", "change_due", "supersede", "skip_next",
           "add_note", "next_followup_id", "TABLE"]

TABLE = ActionFollowup.table
_STATUSES = ("NOT_STARTED", "IN_PROGRESS", "DONE", "ON_HOLD", "CANCELLED")


def _err(message: str) -> SessionError:
    return SessionError(message)


def _state(world: Any, action_id: str) -> Any:
    s = world.action_state(action_id)
    if s is None:
        raise _err(f"取組「{action_id}」が見つかりません。一覧から選び直してください。")
    return s


def _open_state(world: Any, action_id: str) -> Any:
    s = _state(world, action_id)
    if not s.is_open:
        what = "引継ぎ済" if s.is_superseded else status_label(s.status)
        raise _err(f"取組「{action_id}」は{what}のため変更できません。"
                   "再開するときは、先に状態を未着手・対応中・保留に変えてください。")
    return s


def next_followup_id(world: Any, action_id: str) -> str:
    taken = {f.id for f in world.action_followups}
    n = 1 + sum(1 for f in world.action_followups if f.action_item_id == action_id)
    while f"AF-{action_id}-{n:03d}" in taken:
        n += 1
    return f"AF-{action_id}-{n:03d}"


def _row(world: Any, action_id: str, today: date, note: str, **fields: Any) -> list[Change]:
    row = ActionFollowup(id=next_followup_id(world, action_id), action_item_id=action_id,
                         date=today, note=(note or "").strip(), **fields)
    return [registry_change(TABLE, row.id, row.to_doc())]


def change_status(world: Any, action_id: str, status: str, note: str, today: date) -> list[Change]:
    if status not in _STATUSES:
        raise _err(f"状態「{status}」は使えません。未着手・対応中・完了・保留・中止から選んでください。")
    s = _state(world, action_id)
    if not s.is_open:
        if s.is_superseded:
            raise _err(f"取組「{action_id}」は{s.superseded_by}に引き継いだため変更できません。"
                       f"{s.superseded_by}の状態を変えてください。")
        if status not in OPEN_ACTION_STATUSES:
            raise _err(f"取組「{action_id}」はすでに{status_label(s.status)}です。"
                       "再開するときは未着手・対応中・保留を選んでください。")
    if status == s.status:
        raise _err(f"状態はすでに「{status_label(status)}」です。別の状態を選ぶか、やめてください。")
    if not (note or "").strip():
        raise _err("状態を変える理由や経過をメモに入力してください。")
    return _row(world, action_id, today, note, status_after=status)


def add_note(world: Any, action_id: str, note: str, today: date) -> list[Change]:
    _open_state(world, action_id)
    if not (note or "").strip():
        raise _err("経過のメモを入力してください。")
    return _row(world, action_id, today, note)


def change_owner(world: Any, action_id: str, person_ids: Sequence[str], owner_text: str,
                 note: str, today: date) -> list[Change]:
    s = _open_state(world, action_id)
    ids = [p for p in dict.fromkeys(person_ids) if p]
    unknown = [p for p in ids if p not in world.persons]
    if unknown:
        raise _err(f"担当者「{'、'.join(unknown)}」は登録されていません。"
                   "登録データで人を追加するか、担当（自由記入）に書いてください。")
    text = (owner_text or "").strip()
    if not ids and not text:
        raise _err("担当者を選ぶか、担当（自由記入）を入力してください。")
    if ids == list(s.owner_person_ids or []) and text == (s.owner_text or ""):
        raise _err("担当は変わっていません。")
    return _row(world, action_id, today, note, owner_person_ids=ids, owner_text=text)


def change_due(world: Any, action_id: str, due: Union[date, str], note: str,
               today: date) -> list[Change]:
    s = _open_state(world, action_id)
    if isinstance(due, str):
        try:
            due = parse_date(due)
        except DateError as exc:
            raise _err(str(exc)) from None
    if due is None:
        raise _err("新しい期限を入力してください。")
    if due == s.due_date:
        raise _err("期限は変わっていません。")
    return _row(world, action_id, today, note, due_date=due)


def supersede(world: Any, action_id: str, new_id: str, note: str, today: date) -> list[Change]:
    s = _open_state(world, action_id)
    new_id = (new_id or "").strip()
    if not new_id:
        raise _err("引き継ぐ先の取組を選んでください。")
    if new_id == action_id:
        raise _err("取組を自分自身に引き継ぐことはできません。別の取組を選んでください。")
    new = world.action_state(new_id)
    if new is None:
        raise _err(f"引継ぎ先の取組「{new_id}」が見つかりません。")
    if not new.is_open:
        raise _err(f"引継ぎ先の取組「{new_id}」は終わっています。未完了の取組を選んでください。")
    if new.council_id != s.council_id:
        raise _err(f"引継ぎ先は同じ協議体の取組から選んでください（「{new_id}」は別の協議体です）。")
    seen, cur = {action_id}, new
    while cur is not None and cur.superseded_by and cur.superseded_by not in seen:
        seen.add(cur.id)
        cur = world.action_state(cur.superseded_by)
    if cur is not None and cur.superseded_by == action_id:
        raise _err(f"「{new_id}」はこの取組に引き継ぐ予定のため、引継ぎが循環します。")
    return _row(world, action_id, today, note or f"{new_id}に引き継ぎ",
                kind="SUPERSEDE", status_after="DONE", superseded_by=new_id)


def skip_next(world: Any, action_id: str, note: str, today: date,
              meeting_id: Optional[str] = None) -> list[Change]:
    """Leave the item off the next meeting's 取組状況 once."""
    s = _open_state(world, action_id)
    target = meeting_id
    if target is None:
        nxt = world.next_meeting(s.council_id, today)
        target = nxt.id if nxt is not None else None
    if target is not None:
        rec = world.meetings.get(target)
        if rec is None:
            raise _err(f"会議「{target}」が見つかりません。")
        if rec.held_on < today or (rec.is_held and rec.held_on <= today):
            raise _err("開催済みの会議は見送りにできません。これから開く会議を選んでください。")
        if target in s.skip_meeting_ids:
            raise _err(f"この取組は第{rec.meeting.seq_no}回の見送りがすでに決まっています。")
    if not (note or "").strip():
        raise _err("見送る理由をメモに入力してください。")
    return _row(world, action_id, today, note, kind="SKIP", skip_meeting_id=target)
