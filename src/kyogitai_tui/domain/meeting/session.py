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

The operations on report and discussion items (A01-A12) live in
``session_items.SessionItemsMixin``.
"""
from __future__ import annotations

import dataclasses
import itertools
import re
from datetime import date, datetime, time
from typing import Any, Callable, Iterable, Optional

from kyogitai_tui.domain.meeting import agenda as agenda_ops
from kyogitai_tui.domain.dates import fiscal_year
from kyogitai_tui.domain.model import AgendaItem, Attendance, Doc, Meeting, Statement
from kyogitai_tui.domain.meeting.items import SessionItemsMixin
from kyogitai_tui.domain.meeting.roll import SessionRollMixin
from kyogitai_tui.domain.world import MeetingRecord, World
from kyogitai_tui.domain.changes import Change, SessionError, dataset_snapshot

__all__ = ["MeetingSession", "new_meeting_id", "SPEAKER_ORDER", "NAMED_SPEAKERS"]

SPEAKER_ORDER = ("CHAIR", "VICE_CHAIR", "MEMBER", "SC", "SECRETARIAT", "DEPARTMENT", "ADVISOR", "PARTNER")
# speakers named by a body's name typed in ``department`` (関係部署: 高齢福祉課, 関係機関: 相談支援事業所)
NAMED_SPEAKERS = ("DEPARTMENT", "PARTNER")
# what a speaker said under a body's name must name it (add and edit say the same)
_NAME_NEEDED = {"DEPARTMENT": "部署名を入力してください（例: 高齢福祉課）。",
                "PARTNER": "機関名を入力してください（例: 相談支援事業所）。"}
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


def _require_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise SessionError(f"{what}を入力してください。")
    return text


class MeetingSession(SessionRollMixin, SessionItemsMixin):
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
                new = agenda_ops.rename(items, item_id, _require_text(kw["title"], "議題名"))
            elif op == "enable":
                new = agenda_ops.set_enabled(items, item_id, kw["enabled"])
            elif op == "minutes":
                if kw["minutes"] < 0:
                    raise SessionError("予定時間は0分以上で入力してください。")
                new = agenda_ops.set_minutes(items, item_id, kw["minutes"])
            elif op == "add":
                new = agenda_ops.add_custom(items, _require_text(kw["title"], "議題名"),
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

    # ------------------------------------------------------------------
    # statements
    # ------------------------------------------------------------------

    def add_statement(self, item_id: str, speaker_label: str, text: str, *,
                      department: str = "", person_id: Optional[str] = None,
                      subject_ids: Iterable[str] = ()) -> list[Change]:
        if speaker_label not in SPEAKER_ORDER:
            raise SessionError(f"発言者の区分「{speaker_label}」は使えません。")
        text = _require_text(text, "発言の内容")
        if speaker_label in NAMED_SPEAKERS and not department.strip():
            raise SessionError(_NAME_NEEDED[speaker_label])
        self.item(item_id)
        order = 1 + max((s.order for s in self.record.statements if s.agenda_item_id == item_id), default=0)
        sid = self._next_id(f"{self.meeting_id}-ST", "statements")
        return [self._put(Statement(id=sid, meeting_id=self.meeting_id, agenda_item_id=item_id,
                                    speaker_label=speaker_label, text=text,
                                    department=department.strip(), speaker_person_id=person_id,
                                    order=order, subject_ids=list(subject_ids)))]

    # Corrections (issue: nothing typed could be corrected).  A statement or a
    # 要旨 line can be edited or deleted while the meeting runs and until its
    # minutes are 確定; the earlier wording is never overwritten silently: an
    # edit keeps the old text/speaker in ``extra["history"]`` of the row, a
    # deletion moves the whole row into ``Meeting.extra["removed_statements"]``
    # (and a 要旨 line's earlier wording goes to ``AgendaItem.extra
    # ["summary_history"]``).  Each is one saved change like any other save.

    def _check_correctable(self) -> None:
        from kyogitai_tui.domain.meeting.minutes_state import minutes_state
        state = minutes_state(self.world, self.meeting_id)
        if not state.is_draft:
            raise SessionError(f"この会議の議事録は{state.label}しているため、発言や要旨は直せません。"
                               "訂正は次の会議の「前回議事録の確認」で記録してください。")

    def _stamp(self) -> str:
        return self.now().replace(microsecond=0).isoformat()

    def statement(self, statement_id: str) -> Statement:
        for s in self.record.statements:
            if s.id == statement_id:
                return s
        raise SessionError(f"発言「{statement_id}」が見つかりません。")

    def edit_statement(self, statement_id: str, text: str, *, speaker_label: Optional[str] = None,
                       department: Optional[str] = None) -> list[Change]:
        """Correct a statement's text and/or speaker; the old version is kept in its history."""
        self._check_correctable()
        text = _require_text(text, "発言の内容")
        s = self.statement(statement_id)
        label = speaker_label or s.speaker_label
        if label not in SPEAKER_ORDER:
            raise SessionError(f"発言者の区分「{label}」は使えません。")
        dept = (department if department is not None else s.department).strip()
        if label not in NAMED_SPEAKERS:
            dept = ""
        elif not dept:
            raise SessionError(_NAME_NEEDED[label])
        if (text, label, dept) == (s.text, s.speaker_label, s.department):
            return []
        history = list((s.extra or {}).get("history") or [])
        history.append({"text": s.text, "speaker_label": s.speaker_label, "department": s.department,
                        "replaced_at": self._stamp()})
        return [self._put(dataclasses.replace(s, text=text, speaker_label=label, department=dept,
                                              extra={**(s.extra or {}), "history": history}))]

    def delete_statement(self, statement_id: str) -> list[Change]:
        """Take a statement out of the log and the minutes; the row is kept in
        the meeting's ``removed_statements`` (the meeting document is saved first)."""
        self._check_correctable()
        s = self.statement(statement_id)
        removed = list((self.meeting.extra or {}).get("removed_statements") or [])
        removed.append({**s.to_doc(), "removed_at": self._stamp()})
        changes = [self._put(dataclasses.replace(
            self.meeting, extra={**(self.meeting.extra or {}), "removed_statements": removed}))]
        return changes + [self._drop("statements", statement_id)]

    def removed_statements(self) -> list[dict]:
        return list((self.meeting.extra or {}).get("removed_statements") or [])

    def append_summary(self, item_id: str, text: str) -> list[Change]:
        """Add a line to the item's 要旨 (what was reported or concluded, with no
        speaker), which the minutes print before the statements."""
        text = _require_text(text, "要旨")
        item = self.item(item_id)
        summary = f"{item.summary}\n{text}" if item.summary.strip() else text
        return [self._put(AgendaItem.from_doc({**item.to_doc(), "summary": summary}))]

    def summary_lines(self, item_id: str) -> list[str]:
        """The item's 要旨 one entry a line, as the live log shows them."""
        return [ln for ln in self.item(item_id).summary.split("\n") if ln.strip()]

    def _set_summary_kept(self, item: AgendaItem, summary: str) -> list[Change]:
        if summary == item.summary:
            return []
        history = list((item.extra or {}).get("summary_history") or [])
        history.append({"summary": item.summary, "replaced_at": self._stamp()})
        return [self._put(dataclasses.replace(item, summary=summary,
                                              extra={**(item.extra or {}), "summary_history": history}))]

    def set_summary(self, item_id: str, text: str) -> list[Change]:
        """Replace the item's 要旨 (empty clears it); the old wording is kept in its history."""
        self._check_correctable()
        item = self.item(item_id)
        return self._set_summary_kept(item, (text or "").strip())

    def edit_summary_line(self, item_id: str, index: int, text: str) -> list[Change]:
        """Correct one 要旨 entry (the ``index``-th line); empty text deletes it."""
        self._check_correctable()
        item = self.item(item_id)
        lines = self.summary_lines(item_id)
        if not 0 <= index < len(lines):
            raise SessionError("直す要旨が見つかりません。一覧を開き直してください。")
        text = (text or "").strip()
        if text:
            lines[index] = text
        else:
            del lines[index]
        return self._set_summary_kept(item, "\n".join(lines))

    def delete_summary_line(self, item_id: str, index: int) -> list[Change]:
        return self.edit_summary_line(item_id, index, "")

    def statements(self, item_id: str) -> list[Statement]:
        return sorted((s for s in self.record.statements if s.agenda_item_id == item_id),
                      key=lambda s: (s.order, s.id))


def _json(value: Any) -> Any:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return value
