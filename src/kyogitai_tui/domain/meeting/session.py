"""A meeting being prepared or run: every operation of the live meeting.

``MeetingSession`` holds the meeting's typed record and the raw dataset it
came from.  Each operation changes both and returns the list of ``Change``s
that must reach the disk (the UI hands them to a saver that runs off the UI
thread).  Nothing here does I/O and nothing imports Textual.

Rules the session keeps:

* a document is never mutated in place: an update builds a new dict and
  replaces the old one in the dataset list, so a shallow snapshot of the
  dataset taken for a background World rebuild stays consistent;
* every change of the current meeting is a row of the current meeting file
  (``meetings/<id>.json``) - action progress, network updates, ratings and
  finding updates included - so one save costs the same in year five as in
  week one;
* the timer of an agenda item is ``elapsed_seconds`` plus, while it runs, the
  time since ``started_at``: a crash or ctrl+q loses no time, and reopening
  continues where the meeting is.

The other operations are mixed in from their own modules: ``statements``
(発言 and 要旨, and their corrections), ``roll`` (attendance and
materials), ``items`` (the workspaces A01-A10) and ``outcome`` (A11 gaps,
A12 decisions and actions, readback, close).
"""
from __future__ import annotations

import dataclasses
import itertools
import re
from datetime import date, datetime, time
from typing import Any, Callable, Iterable, Optional

from kyogitai_tui.domain.meeting import agenda as agenda_ops
from kyogitai_tui.domain.dates import fiscal_year
from kyogitai_tui.domain.model import AgendaItem, Attendance, Doc, Meeting
from kyogitai_tui.domain.meeting.items import SessionItemsMixin
from kyogitai_tui.domain.meeting.outcome import SessionOutcomeMixin
from kyogitai_tui.domain.meeting.roll import SessionRollMixin
from kyogitai_tui.domain.meeting.statements import SessionStatementsMixin
from kyogitai_tui.domain.world import MeetingRecord, World
from kyogitai_tui.domain.changes import Change, SessionError, dataset_snapshot, require_text

__all__ = ["MeetingSession", "new_meeting_id"]

_ROLE_FROM_COUNCIL = {"CHAIR": "MEMBER", "VICE_CHAIR": "MEMBER", "MEMBER": "MEMBER",
                      "SC": "SC", "SECRETARIAT": "SECRETARIAT", "OBSERVER": "OBSERVER"}


def new_meeting_id(council_id: str, held_on: date, existing: Iterable[str]) -> str:
    base = f"M-{council_id}-{held_on:%Y%m%d}"
    taken = set(existing)
    if base not in taken:
        return base
    for n in itertools.count(2):
        if f"{base}-{n}" not in taken:
            return f"{base}-{n}"
    raise AssertionError  # pragma: no cover


class MeetingSession(SessionStatementsMixin, SessionRollMixin, SessionItemsMixin, SessionOutcomeMixin):
    def __init__(self, dataset: dict, world: World, meeting_id: str, *,
                 now: Callable[[], datetime] = datetime.now, today: Optional[date] = None) -> None:
        if meeting_id not in world.meetings:
            raise SessionError(f"会議「{meeting_id}」が見つかりません。")
        self.dataset = dataset
        self.world = world
        self.meeting_id = meeting_id
        self.now = now
        self.today = today or now().date()
        self.record: MeetingRecord = world.meetings[meeting_id]

    # ------------------------------------------------------------------
    # plumbing
    # ------------------------------------------------------------------

    @property
    def meeting(self) -> Meeting:
        return self.record.meeting

    @property
    def council(self):
        return self.world.councils[self.meeting.council_id]

    def _tables(self) -> dict[str, list[dict]]:
        return self.dataset.setdefault("meetings", {}).setdefault(self.meeting_id, {})

    def _put(self, obj: Doc, attr: Optional[str] = None) -> Change:
        """Replace-or-append ``obj`` in the dataset and the typed record."""
        table = type(obj).table
        doc = obj.to_doc()
        rows = self._tables().setdefault(table, [])
        for i, d in enumerate(rows):
            if d.get("id") == doc["id"]:
                rows[i] = doc
                break
        else:
            rows.append(doc)
        if table == "meeting":
            self.record.meeting = obj  # type: ignore[assignment]
        else:
            lst = getattr(self.record, attr or table)
            for i, o in enumerate(lst):
                if o.id == obj.id:
                    lst[i] = obj
                    break
            else:
                lst.append(obj)
            if table == "agenda_items":
                lst.sort(key=lambda a: (a.order, a.id))
        return Change(self.meeting_id, table, doc["id"], doc)

    def _drop(self, table: str, doc_id: str) -> Change:
        rows = self._tables().get(table, [])
        self._tables()[table] = [d for d in rows if d.get("id") != doc_id]
        lst = getattr(self.record, table)
        lst[:] = [o for o in lst if o.id != doc_id]
        return Change(self.meeting_id, table, doc_id, None)

    def _next_id(self, prefix: str, table: str) -> str:
        pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
        highest = 0
        for d in self._tables().get(table, []):
            m = pattern.match(str(d.get("id", "")))
            if m:
                highest = max(highest, int(m.group(1)))
        return f"{prefix}{highest + 1:03d}"

    def _global_next_id(self, prefix: str, table: str) -> str:
        """AI-10, D-07, GF-12: numbered across all meetings (as the minutes show them)."""
        pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
        highest = 0
        for tables in self.dataset.get("meetings", {}).values():
            for d in tables.get(table, []):
                m = pattern.match(str(d.get("id", "")))
                if m:
                    highest = max(highest, int(m.group(1)))
        return f"{prefix}{highest + 1:02d}"

    def _replace_meeting(self, **changes: Any) -> list[Change]:
        doc = {**self.meeting.to_doc(), **{k: _json(v) for k, v in changes.items()}}
        return [self._put(Meeting.from_doc(doc))]

    def snapshot(self) -> dict:
        """A shallow copy of the dataset, safe to read from another thread."""
        return dataset_snapshot(self.dataset)

    def adopt_world(self, world: World) -> None:
        """Take a World rebuilt from a snapshot; the record stays the session's."""
        world.meetings[self.meeting_id] = self.record
        self.world = world

    # ------------------------------------------------------------------
    # creating and preparing
    # ------------------------------------------------------------------

    @classmethod
    def create_meeting(cls, dataset: dict, world: World, council_id: str, *, held_on: date,
                       start_time: Optional[time] = None, venue: str = "", mode: str = "IN_PERSON",
                       planned_minutes: Optional[int] = None,
                       now: Callable[[], datetime] = datetime.now,
                       today: Optional[date] = None) -> tuple["MeetingSession", list[Change]]:
        """A new meeting (PLANNED) with 年度・第n回 suggested, the roster and the agenda."""
        if council_id not in world.councils:
            raise SessionError(f"協議体「{council_id}」が見つかりません。")
        council = world.councils[council_id]
        # also the ids of meeting files the World could not read: never reuse (overwrite) one
        mid = new_meeting_id(council_id, held_on, [*world.meetings, *dataset.get("meetings", {})])
        fy, seq = agenda_ops.next_meeting_numbers(world, council_id, held_on)
        meeting = Meeting(
            id=mid, council_id=council_id, fiscal_year=fy, seq_no=seq, held_on=held_on,
            start_time=start_time, venue=venue, mode=mode,
            planned_minutes=planned_minutes or council.planned_minutes,
            chair_person_id=council.chair_person_id,
            recorder_person_id=council.facilitator_person_id, status="PLANNED")
        dataset.setdefault("meetings", {})[mid] = {"meeting": [meeting.to_doc()]}
        # A new meeting changes the meeting order: rebuild once (callers take session.world).
        world = World.from_dataset(dataset)
        session = cls(dataset, world, mid, now=now, today=today)
        session.prepare()
        tables = dataset["meetings"][mid]
        create = {t: list(rows) for t, rows in tables.items()}
        return session, [Change(mid, "meeting", mid, meeting.to_doc(), create=create)]

    def prepare(self) -> list[Change]:
        """Fill what a planned meeting lacks: the roll call from the roster and
        the agenda from the templates (with open action items carried to A02)."""
        changes: list[Change] = []
        if not self.record.attendance:
            changes += self._roll_from_roster()
        if not self.record.agenda_items:
            for item in agenda_ops.build_agenda(self.world, self.meeting, today=self.today):
                changes.append(self._put(item))
        elif self.meeting.status == "PLANNED":
            changes += self._refresh_carried()
        return changes

    def _refresh_carried(self) -> list[Change]:
        """A02 of a prepared, not yet started meeting follows what changed
        since (follow-up between meetings: closed, superseded, skipped)."""
        a02 = next((a for a in self.record.agenda_items
                    if a.template == agenda_ops.CARRY_TEMPLATE), None)
        if a02 is None:
            return []
        ids = [s.item.id for s in agenda_ops.carried_actions(
            self.world, self.meeting.council_id, self.meeting, self.today)]
        if ids == a02.carried_action_ids:
            return []
        return [self._put(dataclasses.replace(a02, carried_action_ids=ids))]

    def _roll_from_roster(self) -> list[Change]:
        changes = []
        members = self.world.members_of_council(self.meeting.council_id, self.meeting.held_on,
                                                include_staff=True)
        for n, m in enumerate(members, start=1):
            changes.append(self._put(Attendance(
                id=f"{self.meeting_id}-AT{n:03d}", meeting_id=self.meeting_id,
                person_id=m.person_id, role_in_meeting=_ROLE_FROM_COUNCIL.get(m.role, "MEMBER"),
                status="PRESENT")))
        # no person as 事務局 on the roster: the 事務局 department(s) attend by name (障害福祉課)
        staffed = any(m.role == "SECRETARIAT" for m in members)
        n = len(changes)
        for oid in ([] if staffed else self.council.secretariat_org_ids):
            org = self.world.organizations.get(oid)
            if org is None or org.retired_on is not None:
                continue
            n += 1
            changes.append(self._put(Attendance(
                id=f"{self.meeting_id}-AT{n:03d}", meeting_id=self.meeting_id, name="",
                org_name=org.name, role_in_meeting="SECRETARIAT", status="PRESENT",
                extra={"org_id": oid})))
        return changes

    def set_basics(self, **fields: Any) -> list[Change]:
        allowed = {"held_on", "start_time", "end_time", "venue", "mode", "planned_minutes",
                   "fiscal_year", "seq_no", "observers_count", "recorder_person_id",
                   "confirmer_person_id", "chair_person_id", "public"}
        unknown = set(fields) - allowed
        if unknown:
            raise SessionError(f"変更できない項目です: {', '.join(sorted(unknown))}")
        if "planned_minutes" in fields and (fields["planned_minutes"] or 0) <= 0:
            raise SessionError("会議の予定時間は1分以上で入力してください。")
        if "observers_count" in fields and (fields["observers_count"] or 0) < 0:
            raise SessionError("傍聴者の人数は0以上で入力してください。")
        if "held_on" in fields and "fiscal_year" not in fields:
            fields["fiscal_year"] = fiscal_year(fields["held_on"])
        return self._replace_meeting(**fields)

    # ------------------------------------------------------------------
    # agenda editing (before or during the meeting)
    # ------------------------------------------------------------------

    @property
    def agenda(self) -> list[AgendaItem]:
        return list(self.record.agenda_items)

    def enabled_agenda(self) -> list[AgendaItem]:
        return [a for a in self.record.agenda_items if a.enabled]

    def item(self, item_id: str) -> AgendaItem:
        for a in self.record.agenda_items:
            if a.id == item_id:
                return a
        raise SessionError(f"議題「{item_id}」が見つかりません。")

    def _apply_agenda(self, new_items: list[AgendaItem]) -> list[Change]:
        old = {a.id: a.to_doc() for a in self.record.agenda_items}
        changes = []
        for it in new_items:
            if old.get(it.id) != it.to_doc():
                changes.append(self._put(it))
        for gone in set(old) - {it.id for it in new_items}:
            changes.append(self._drop("agenda_items", gone))
        return changes

    def agenda_edit(self, op: str, item_id: Optional[str] = None, **kw: Any) -> list[Change]:
        """op: move(delta) | rename(title) | enable(enabled) | minutes(minutes) | add(title, section, minutes) | remove."""
        items = self.agenda
        try:
            if op == "move":
                new = agenda_ops.move(items, item_id, kw["delta"])
            elif op == "rename":
                new = agenda_ops.rename(items, item_id, require_text(kw["title"], "議題名"))
            elif op == "enable":
                new = agenda_ops.set_enabled(items, item_id, kw["enabled"])
            elif op == "minutes":
                if kw["minutes"] < 0:
                    raise SessionError("予定時間は0分以上で入力してください。")
                new = agenda_ops.set_minutes(items, item_id, kw["minutes"])
            elif op == "add":
                new = agenda_ops.add_custom(items, require_text(kw["title"], "議題名"),
                                            kw.get("section", "OTHER"), kw.get("minutes", 5))
            elif op == "remove":
                new = agenda_ops.remove(items, item_id)
            else:
                raise SessionError(f"議題の操作「{op}」はありません。")
        except (KeyError, ValueError) as exc:
            if isinstance(exc, SessionError):
                raise
            raise SessionError(str(exc)) from None
        return self._apply_agenda(new)

    def time_summary(self) -> str:
        return agenda_ops.time_summary(self.record.agenda_items, self.meeting.planned_minutes)

    # ------------------------------------------------------------------
    # running: start, move between items, timers
    # ------------------------------------------------------------------

    def elapsed(self, item: AgendaItem, now: Optional[datetime] = None) -> int:
        """Seconds spent on an item, including the running stretch."""
        extra = 0
        if item.started_at is not None:
            extra = max(0, int(((now or self.now()) - item.started_at).total_seconds()))
        return item.elapsed_seconds + extra

    def current_item(self) -> Optional[AgendaItem]:
        cid = self.meeting.current_agenda_item_id
        return next((a for a in self.record.agenda_items if a.id == cid), None)

    def start(self) -> list[Change]:
        """Open the meeting (開催中) at its first enabled item, or where it was."""
        if self.meeting.status not in ("PLANNED", "IN_PROGRESS"):
            raise SessionError("この会議はすでに閉会しています。")
        changes = self.prepare()
        now = self.now()
        if self.meeting.status == "PLANNED":
            changes += self._replace_meeting(status="IN_PROGRESS",
                                             start_time=self.meeting.start_time or now.time().replace(second=0, microsecond=0))
        current = self.current_item()
        if current is None:
            first = next(iter(self.enabled_agenda()), None)
            if first is not None:
                changes += self.goto(first.id)
        return changes

    def goto(self, item_id: str) -> list[Change]:
        """Make ``item_id`` the item under discussion: the one running pauses
        (its time kept), the new one runs and is 進行中."""
        target = self.item(item_id)
        now = self.now()
        changes: list[Change] = []
        current = self.current_item()
        if current is not None and current.id != target.id and current.started_at is not None:
            doc = current.to_doc()
            doc["elapsed_seconds"] = self.elapsed(current, now)
            doc["started_at"] = None
            if current.state == "ACTIVE":
                doc["state"] = "PENDING"
            changes.append(self._put(AgendaItem.from_doc(doc)))
        target = self.item(item_id)
        if target.started_at is None:
            doc = {**target.to_doc(), "started_at": now.replace(microsecond=0).isoformat(), "state": "ACTIVE"}
            changes.append(self._put(AgendaItem.from_doc(doc)))
        if self.meeting.current_agenda_item_id != item_id:
            changes += self._replace_meeting(current_agenda_item_id=item_id)
        return changes

    def finish_current(self) -> list[Change]:
        """Mark the current item 済 and move to the next enabled item not yet done."""
        current = self.current_item()
        if current is None:
            return []
        now = self.now()
        doc = {**current.to_doc(), "elapsed_seconds": self.elapsed(current, now),
               "started_at": None, "state": "DONE"}
        changes = [self._put(AgendaItem.from_doc(doc))]
        items = self.enabled_agenda()
        ids = [a.id for a in items]
        pos = ids.index(current.id) if current.id in ids else -1
        nxt = next((a for a in items[pos + 1:] if a.state != "DONE"), None)
        if nxt is None:
            nxt = next((a for a in items if a.state != "DONE"), None)
        if nxt is not None:
            changes += self.goto(nxt.id)
        else:
            changes += self._replace_meeting(current_agenda_item_id=None)
        return changes

    def step(self, delta: int) -> list[Change]:
        """Go to the previous/next enabled item without marking anything done."""
        items = self.enabled_agenda()
        if not items:
            return []
        ids = [a.id for a in items]
        cur = self.meeting.current_agenda_item_id
        pos = ids.index(cur) if cur in ids else -1
        new = max(0, min(len(ids) - 1, pos + delta))
        return self.goto(ids[new])



def _json(value: Any) -> Any:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return value
