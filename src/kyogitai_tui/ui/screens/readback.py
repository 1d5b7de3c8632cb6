"""The readback (読み上げ確認): every decision and action item of the meeting,
one at a time, in large readable text for the projector.  Each is marked
確認 or 異議 (with a note) and the record is kept for the minutes; then the
close screen.
"""
from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from kyogitai_tui.domain.meeting import discussion_view as dv
from kyogitai_tui.domain.dates import meeting_title
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, Field, FormDialog
from kyogitai_tui.ui.widgets.plain import PlainStatic
from kyogitai_tui.ui.widgets.footer import KeyFooter


class ReadbackScreen(Screen):
    BINDINGS = [
        Binding("f2", "confirm", "確認", id="readback.confirm",
                tooltip="読み上げた内容で了承されたことを記録して次へ進みます"),
        Binding("f3", "object", "異議", id="readback.object",
                tooltip="異議があったことを、その内容とともに記録して次へ進みます"),
        Binding("f4", "prev", "前へ", id="readback.prev", show=False, tooltip="ひとつ前の項目に戻ります"),
        Binding("f5", "next", "次へ", id="readback.next", show=False, tooltip="記録せずに次の項目へ進みます"),
        Binding("f9", "to_close", "閉会へ", id="readback.close",
                tooltip="閉会の画面へ進みます（未確認の項目があれば確かめます）"),
        Binding("escape", "back", "会議に戻る", id="readback.back",
                tooltip="会議の画面に戻ります（記録した確認は残ります）"),
    ]

    DEFAULT_CSS = """
    ReadbackScreen #rb-top { height: 1; background: $primary; color: $text; padding: 0 1; }
    ReadbackScreen #rb-body { height: 1fr; padding: 1 2; }
    ReadbackScreen #rb-kind { color: $text-muted; }
    ReadbackScreen #rb-heading { text-style: bold; color: $accent; }
    ReadbackScreen #rb-text { text-style: bold; background: $boost; padding: 1 2; margin: 1 0; height: auto; }
    ReadbackScreen #rb-lines { height: auto; padding: 0 2; }
    ReadbackScreen #rb-state { height: auto; margin-top: 1; padding: 0 2; text-style: bold; }
    ReadbackScreen #rb-state.objection { background: $warning 30%; }
    ReadbackScreen #rb-state.confirmed { background: $success 25%; }
    """

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session
        self.targets = session.readback_targets()
        pending = session.readback_pending()
        self.pos = self.targets.index(pending[0]) if pending else 0

    def compose(self) -> ComposeResult:
        yield PlainStatic("", id="rb-top")
        with VerticalScroll(id="rb-body"):
            with Vertical():
                yield PlainStatic("", id="rb-kind")
                yield PlainStatic("", id="rb-heading")
                yield PlainStatic("", id="rb-text")
                yield PlainStatic("", id="rb-lines")
                yield PlainStatic("", id="rb-state")
            yield PlainStatic("", id="rb-meeting", classes="hint")
            yield PlainStatic("F2で確認、F3で異議（内容を記録）、F4／F5で前後へ、F9で閉会へ、Escで会議に戻る。",
                         classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show()

    # rendering ----------------------------------------------------------

    def current(self) -> Optional[tuple[str, str]]:
        return self.targets[self.pos] if self.targets else None

    def show(self) -> None:
        s = self.session
        m = s.meeting
        total = len(self.targets)
        counts = dv.readback_counts(s.record, self.targets)
        progress = dv.readback_progress(self.pos + 1, total) if total else "0件"
        self.query_one("#rb-top", Static).update(f"読み上げ確認  {progress}  {counts}")
        self.query_one("#rb-meeting", Static).update(f"{s.council.name}  {meeting_title(m.fiscal_year, m.seq_no)}")
        state = self.query_one("#rb-state", Static)
        cur = self.current()
        if cur is None:
            self.query_one("#rb-kind", Static).update("")
            self.query_one("#rb-heading", Static).update("この会議の決定事項・取組はありません")
            self.query_one("#rb-text", Static).update("F9で閉会の画面へ進みます。")
            self.query_one("#rb-lines", Static).update("")
            state.update("")
            return
        table, target_id = cur
        card = dv.readback_card(s.world, self.app.catalog, s.record, table, target_id)
        self.query_one("#rb-kind", Static).update(card.kind)
        self.query_one("#rb-heading", Static).update(card.heading)
        self.query_one("#rb-text", Static).update(card.body)
        self.query_one("#rb-lines", Static).update("\n".join(card.lines))
        entry = s.readback_result(target_id)
        state.update(f"結果：{dv.readback_result_text(entry)}")
        state.set_class(entry is not None and entry.result == "OBJECTION", "objection")
        state.set_class(entry is not None and entry.result == "CONFIRMED", "confirmed")

    # actions ------------------------------------------------------------

    def record(self, result: str, note: str = "") -> Optional[str]:
        cur = self.current()
        if cur is None:
            return None
        try:
            changes = self.session.set_readback(cur[0], cur[1], result, note)
        except SessionError as exc:
            return exc.message
        self.app.save(changes)
        self.advance()
        return None

    def advance(self) -> None:
        """To the next item not yet marked (or simply the next one)."""
        pending = self.session.readback_pending()
        after = [t for t in pending if self.targets.index(t) > self.pos]
        if after:
            self.pos = self.targets.index(after[0])
        elif pending:
            self.pos = self.targets.index(pending[0])
        elif self.pos < len(self.targets) - 1:
            self.pos += 1
        self.show()
        if not pending and self.targets:
            self.app.notify("すべて確認しました。F9 で閉会の画面へ進みます。")

    def action_confirm(self) -> None:
        problem = self.record("CONFIRMED")
        if problem:
            self.app.notify(problem, severity="error")

    def action_object(self) -> None:
        if self.current() is None:
            return
        fields = [Field("note", "異議の内容", required=True, placeholder="例: 期限を11月末に延ばしてほしい")]
        self.app.push_screen(FormDialog("異議を記録", fields, lambda v: self.record("OBJECTION", v["note"]),
                                        note="異議の内容は会議録に残ります。"))

    def action_prev(self) -> None:
        if self.pos > 0:
            self.pos -= 1
            self.show()

    def action_next(self) -> None:
        if self.pos < len(self.targets) - 1:
            self.pos += 1
            self.show()

    def action_to_close(self) -> None:
        pending = self.session.readback_pending()
        if not pending:
            self.open_close()
            return

        def chosen(code: Optional[str]) -> None:
            if code == "GO":
                self.open_close()

        self.app.push_screen(ChoiceDialog(
            f"未確認の項目が{len(pending)}件あります。閉会へ進みますか。",
            [("BACK", "戻って確認を続ける"), ("GO", "未確認のまま閉会の画面へ進む")]), chosen)

    def open_close(self) -> None:
        from kyogitai_tui.ui.screens.close import CloseScreen

        self.app.push_screen(CloseScreen(self.session))

    def action_back(self) -> None:
        self.app.pop_screen()
