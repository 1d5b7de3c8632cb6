"""The key footer (ui/widgets/footer.py) is rebuilt only when the keys it shows
change, and always shows the keys of what has the focus."""
from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from kyogitai_tui.ui.widgets.footer import KeyFooter
from ui_helpers import screen_text


class _Box(Input):
    BINDINGS = [Binding("f5", "noop", "済・次へ", id="t.next")]

    def action_noop(self) -> None:
        pass


class _Other(Input):
    BINDINGS = [Binding("f8", "noop", "作業欄の登録", id="t.ws")]

    def action_noop(self) -> None:
        pass


class _Meeting(App):
    BINDINGS = [Binding("f2", "save", "発言", id="t.say"), Binding("f4", "prev", "前の議題", id="t.prev")]
    at_first = False

    def compose(self) -> ComposeResult:
        yield _Box(id="a")
        yield _Box(id="b")
        yield _Other(id="c")
        yield KeyFooter()

    def action_save(self) -> None:
        pass

    def action_prev(self) -> None:
        self.at_first = True
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "prev" and self.at_first:
            return False                            # hidden from the footer
        return True


def _keys(app) -> list:
    return list(app.query("FooterKey"))


async def _focus(pilot, widget_id: str) -> None:
    pilot.app.query_one(f"#{widget_id}").focus()
    await pilot.pause()


async def test_same_keys_keep_the_footer_other_keys_redraw_it():
    app = _Meeting()
    async with app.run_test(size=(80, 8)) as pilot:
        await _focus(pilot, "a")
        before = _keys(app)
        assert "済・次へ" in screen_text(app)
        await _focus(pilot, "b")                    # the same keys: the footer stays as it is
        assert _keys(app) == before
        await _focus(pilot, "c")                    # other keys: redrawn with them
        text = screen_text(app)
        assert "作業欄の登録" in text and "済・次へ" not in text
        assert _keys(app) != before


async def test_a_key_that_becomes_unavailable_is_redrawn():
    app = _Meeting()
    async with app.run_test(size=(80, 8)) as pilot:
        await _focus(pilot, "a")
        assert "前の議題" in screen_text(app)
        await pilot.press("f4")                     # check_action hides it now
        await pilot.pause()
        assert "前の議題" not in screen_text(app)
