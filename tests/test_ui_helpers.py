"""``ui_helpers.screen_text`` / ``screen_cells`` read the screen the way a
person sees it: from the public SVG screenshot, Japanese two cells wide, a
dialog drawn over the screen below it."""
from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ui_helpers import screen_cells, screen_text


class _Dialog(ModalScreen):
    DEFAULT_CSS = "_Dialog { align: center middle; } _Dialog > Vertical { width: 20; height: 3; }"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("確認ダイアログ")


class _Counter(App):
    BINDINGS = [("f2", "bump", "増やす"), ("f3", "ask", "確認")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Label("回数 0", id="count")
        yield Input(id="line")

    def action_bump(self) -> None:
        self.count += 1
        self.query_one("#count", Label).update(f"回数 {self.count}")

    def action_ask(self) -> None:
        self.push_screen(_Dialog())


async def test_what_changed_is_on_the_screen_and_japanese_takes_two_cells():
    app = _Counter()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.press("f2", "f2")
        app.query_one("#line", Input).focus()
        await pilot.press(*"abc")
        await pilot.pause()
        text = screen_text(app)
        assert "回数 2" in text and "abc" in text
        first = screen_cells(app)[0]
        assert first[:5] == ["回", "", "数", "", " "]     # each wide character fills two cells
        assert all(len(row) == 40 for row in screen_cells(app))
        await pilot.press("f3")
        await pilot.pause()
        text = screen_text(app)
        assert "確認ダイアログ" in text and "回数 2" in text   # the dialog over the screen below
