"""A01 前回議事録の確認 and A02 前回からの取組状況.

A01: the previous meeting and the state of its minutes; F8 確定, F12 訂正あり
(the correction is typed in a form).  A02: every carried action item with
owner, due date (「期限超過」), status, 「継続n回目」 and the last note; Enter
on a row records the status and a progress note, and the row changes in place.
"""
from __future__ import annotations

from textual.binding import Binding

from kyogitai_tui.domain.meeting.report_view import Line, Row, action_rows, previous_minutes_lines
from kyogitai_tui.ui.widgets.forms import Field, FormDialog
from kyogitai_tui.ui.workspaces.rows import RowsWorkspace


class MinutesReviewWorkspace(RowsWorkspace):
    BINDINGS = [
        Binding("f8", "primary", "確定", id="report.a01.confirm",
                tooltip="前回の議事録を、修正なしで確定として記録します"),
        Binding("f12", "secondary", "訂正あり", id="report.a01.correct",
                tooltip="前回の議事録に訂正があったことと、その内容を記録します"),
    ]
    HINT = "F8 確定 / F12 訂正あり"

    def rows(self) -> list[Row]:
        info = tuple(previous_minutes_lines(self.session, self.item.id, self.catalog))
        if self.session.previous_meeting() is None:
            return [Row("info", info)]
        return [Row("info", info),
                Row("confirm", (Line("> 確定する（F8）"),)),
                Row("correct", (Line("> 訂正ありで記録する（F12）"),))]

    def open_row(self, key: str) -> None:
        if key == "confirm":
            self.action_primary()
        elif key == "correct":
            self.action_secondary()

    def action_primary(self) -> None:
        if self.session.previous_meeting() is None:
            self.app.notify("確認する前回の議事録はありません。", severity="warning")
            return
        if self.run(lambda: self.session.confirm_previous_minutes(self.item.id, "CONFIRMED")) is None:
            self.app.notify("前回の議事録を確定として記録しました。")

    def action_secondary(self) -> None:
        if self.session.previous_meeting() is None:
            self.app.notify("確認する前回の議事録はありません。", severity="warning")
            return
        current = self.session.item(self.item.id)
        pairs = list((current.extra or {}).get("corrections") or [])
        first = pairs[0] if pairs else {}
        second = pairs[1] if len(pairs) > 1 else {}

        def op(v: dict) -> list:
            return self.session.confirm_previous_minutes(
                self.item.id, "CORRECTED", v["correction"] or "",
                corrections=[(v["wrong1"] or "", v["right1"] or ""), (v["wrong2"] or "", v["right2"] or "")])

        self.app.push_screen(FormDialog(
            "前回議事録の訂正",
            [Field("wrong1", "誤（議事録の語句）", value=first.get("wrong") or None,
                   placeholder="例: 参加者12名"),
             Field("right1", "正（訂正後）", value=first.get("right") or None, placeholder="例: 参加者21名"),
             Field("wrong2", "誤（2つ目）", value=second.get("wrong") or None),
             Field("right2", "正（2つ目）", value=second.get("right") or None),
             Field("correction", "訂正の説明（任意）", value=current.correction or None,
                   placeholder="例: 3ページの出席者に〇〇委員を追加")],
            self.submitter(op),
            note="誤・正を入れると、前回の議事録の本文が正の語句で出力され、訂正として記されます。"
                 "語句で書けない訂正は説明だけ入力します。ctrl+s で記録します。"))


class ActionReviewWorkspace(RowsWorkspace):
    BINDINGS = [
        Binding("f8", "primary", "状況を記録", id="report.a02.update",
                tooltip="選んでいる取組の状況と進み具合のメモを記録します（Enter と同じ）"),
    ]
    HINT = "Enter 状況を記録"

    def rows(self) -> list[Row]:
        rows = action_rows(self.session, self.catalog)
        if not rows:
            return [Row("none", (Line("前回から持ち越した取組はありません。", "dim"),))]
        return rows

    def open_row(self, key: str) -> None:
        if key.startswith("action:"):
            self.edit_action(key.split(":", 1)[1])

    def action_primary(self) -> None:
        key = self.current_key()
        if key and key.startswith("action:"):
            self.edit_action(key.split(":", 1)[1])

    def edit_action(self, action_id: str) -> None:
        item = self.session.action_item(action_id)
        status, _ = self.session.action_status_now(action_id)
        here = next((p for p in self.session.record.action_progress if p.action_item_id == action_id), None)
        self.app.push_screen(FormDialog(
            f"{item.id} {item.title}",
            [Field("status", "状況", kind="choice", choices=self.choices("action_item_statuses"),
                   value=status, required=True),
             Field("note", "進み具合のメモ", value=here.note if here else None,
                   placeholder="例: 幹事会で了承された")],
            self.submitter(lambda v: self.session.update_action(
                action_id, status=v["status"], note=v["note"] or "")),
            note="状況を選び、進み具合を一言入力して ctrl+s で記録します。"))
