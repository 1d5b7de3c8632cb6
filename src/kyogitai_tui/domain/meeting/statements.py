"""What is said in a meeting: statements (発言) and each item's 要旨, and
their corrections while the minutes are still a draft (案).

Mixed into ``session.MeetingSession``; every method returns the ``Change``s
to save.  ``SPEAKER_ORDER`` is the one list of speaker kinds (the live
screen's speaker keys and the roster read it).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.changes import Change, SessionError, require_text
from kyogitai_tui.domain.model import AgendaItem, Statement

__all__ = ["SessionStatementsMixin", "SPEAKER_ORDER", "NAMED_SPEAKERS"]

SPEAKER_ORDER = ("CHAIR", "VICE_CHAIR", "MEMBER", "SC", "SECRETARIAT", "DEPARTMENT", "ADVISOR", "PARTNER")
# speakers named by a body's name typed in ``department`` (関係部署: 高齢福祉課, 関係機関: 相談支援事業所)
NAMED_SPEAKERS = ("DEPARTMENT", "PARTNER")
# what a speaker said under a body's name must name it (add and edit say the same)
_NAME_NEEDED = {"DEPARTMENT": "部署名を入力してください（例: 高齢福祉課）。",
                "PARTNER": "機関名を入力してください（例: 相談支援事業所）。"}


class SessionStatementsMixin:
    # (attributes and helpers provided by MeetingSession)
    meeting_id: str
    world: Any
    record: Any

    def add_statement(self, item_id: str, speaker_label: str, text: str, *,
                      department: str = "", person_id: Optional[str] = None,
                      subject_ids: Iterable[str] = ()) -> list[Change]:
        if speaker_label not in SPEAKER_ORDER:
            raise SessionError(f"発言者の区分「{speaker_label}」は使えません。")
        text = require_text(text, "発言の内容")
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
        text = require_text(text, "発言の内容")
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
        text = require_text(text, "要旨")
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
