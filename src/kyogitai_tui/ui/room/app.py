"""``kyogitai view``: the room's screen, read-only.

Few elements, high contrast, readable from the back of a room, nothing that
needs a key: the council and 第n回, the current item in large letters with its
time against the plan (an overrun said in words), what has been recorded under
it, this meeting's decisions and new action items, and the next item.  Every
string comes from ``minutes.room.RoomView`` (cut from the 公開用 minutes).

Every half second a thread worker looks at the data files' stamps
(``source.RoomSource``) and, only when one changed, reads the folder again and
posts the new view; the clock of the current item is counted here every
second.  The view never takes the lock and never writes.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message


from kyogitai_tui.minutes.room import RoomView, timer_text, waiting_view
from kyogitai_tui.ui.room.source import RoomSource
from kyogitai_tui.ui.widgets.plain import PlainStatic
from kyogitai_tui.ui.widgets.footer import KeyFooter

POLL_SECONDS = 0.25


class RoomChanged(Message):
    """A new view was read from the data folder (posted by the poll worker)."""

    def __init__(self, view: RoomView) -> None:
        super().__init__()
        self.view = view


class RoomApp(App):
    TITLE = "協議体 会議の表示（投影用・読み取り専用）"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "表示を終了", id="room.quit", priority=True,
                tooltip="この表示を閉じます（会議の記録には影響しません）"),
    ]
    CSS = """
    Screen { background: black; color: white; }
    #head { height: 1; background: white; color: black; text-style: bold; padding: 0 1; }
    #item { height: auto; border: heavy yellow; padding: 0 1; }
    #item-title { text-style: bold; color: yellow; }
    #timer { color: white; }
    #timer.over { background: red; color: white; text-style: bold; }
    #body { height: 1fr; }
    #record { width: 3fr; padding: 0 1; }
    #side { width: 2fr; padding: 0 1; border-left: solid white; }
    .label { color: black; background: cyan; text-style: bold; width: auto; }
    #lines, #decisions, #actions { height: auto; }
    .line { height: auto; }
    .spaced { margin-bottom: 1; }
    #next { height: 1; background: #303030; color: white; text-style: bold; padding: 0 1; }
    #message { padding: 1 2; color: yellow; text-style: bold; }
    """

    def __init__(self, source: Any, *, now: Callable[[], datetime] = datetime.now,
                 first: Optional[RoomView] = None) -> None:
        super().__init__()
        self.source = source
        self.now = now
        self.view = first or waiting_view("読み込んでいます…")
        self._polling = False

    def compose(self) -> ComposeResult:
        yield PlainStatic("", id="head")
        yield PlainStatic("", id="message")
        with Vertical(id="item"):
            yield PlainStatic("", id="position")
            yield PlainStatic("", id="item-title")
            yield PlainStatic("", id="timer")
        with Horizontal(id="body"):
            with VerticalScroll(id="record"):
                yield PlainStatic("記録（公開用の会議録のとおり）", classes="label")
                yield Vertical(id="lines")
            with VerticalScroll(id="side"):
                yield PlainStatic("決定事項", classes="label")
                yield Vertical(id="decisions")
                yield PlainStatic("今後の取組（この会議で決めたもの）", classes="label")
                yield Vertical(id="actions")
        yield PlainStatic("", id="next")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show(self.view)
        self.set_interval(POLL_SECONDS, self.poll)
        self.set_interval(1.0, self.tick)
        self.poll()

    # ---- following the data folder ---------------------------------------
    def poll(self) -> None:
        if not self._polling:
            self._polling = True
            self.read_folder()

    @work(thread=True, group="room-poll")
    def read_folder(self) -> None:
        try:
            view = self.source.poll()
        finally:
            self._polling = False
        if view is not None:
            self.post_message(RoomChanged(view))

    @on(RoomChanged)
    def _changed(self, event: RoomChanged) -> None:
        if event.view != self.view:         # a save of something the room does not see: no repaint
            self.show(event.view)

    # ---- drawing ------------------------------------------------------------
    def show(self, view: RoomView) -> None:
        self.view = view
        waiting = view.meeting_id is None
        self.query_one("#message", PlainStatic).update(view.message)
        self.query_one("#message").display = bool(view.message)
        for wid in ("#item", "#body", "#next"):
            self.query_one(wid).display = not waiting
        head = f"{view.heading}　［{view.status}］" if not waiting else "協議体 会議の表示"
        self.query_one("#head", PlainStatic).update(head)
        if waiting:
            return
        self.query_one("#position", PlainStatic).update(view.item_position)
        self.query_one("#item-title", PlainStatic).update(view.item_title)
        self._fill("#lines", view.lines or ("（まだ記録はありません）",))
        self._fill("#decisions", view.decisions or ("なし",))
        self._fill("#actions", view.actions or ("なし",))
        self.query_one("#next", PlainStatic).update(f"次の議題：{view.next_title}" if view.next_title
                                                     else "次の議題：なし")
        self.tick()
        record = self.query_one("#record", VerticalScroll)
        self.call_after_refresh(record.scroll_end, animate=False)

    def _fill(self, selector: str, lines: tuple[str, ...]) -> None:
        """The lines of one column, changing only what changed: a new
        statement mounts one widget, an edited one updates its text."""
        box = self.query_one(selector, Vertical)
        old = [w for w in box.children if isinstance(w, PlainStatic)]
        for widget, line in zip(old, lines):
            if str(widget.content) != line:
                widget.update(line)
        if len(old) > len(lines):
            for widget in old[len(lines):]:
                widget.remove()
        elif len(lines) > len(old):
            box.mount_all([PlainStatic(line, classes=self.line_classes(selector, line)) for line in lines[len(old):]])

    @staticmethod
    def line_classes(selector: str, line: str) -> str:
        """A blank line after each statement, decision and action; none inside an item's report."""
        return "line spaced" if selector != "#lines" or line.startswith("○") else "line"

    def tick(self) -> None:
        text, over = timer_text(self.view, self.now())
        found = self.query("#timer")
        if not found:           # the screen is closing
            return
        timer = found.first(PlainStatic)
        timer.update(f"経過／予定　{text}" if text else "")
        timer.set_class(over, "over")

    def screen_text(self) -> str:
        """Every string on the screen now, in order (tests read this)."""
        return "\n".join(str(w.content) for w in self.query(PlainStatic))


def run_view(root: Optional[Path], meeting_id: Optional[str], catalog, shared: Optional[Path] = None) -> int:
    """Run the room's screen until it is closed (ctrl+q, or the browser leaves);
    ``shared``: the view file of ``kyogitai serve`` instead of the data folder."""
    from kyogitai_tui.ui.room.source import SharedRoomSource

    source = SharedRoomSource(shared) if shared is not None else RoomSource(root, meeting_id, catalog=catalog)
    app = RoomApp(source)
    app.run()
    return app.return_code or 0
