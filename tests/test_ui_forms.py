"""The shared choice dialog as a user sees it: a chosen entry is marked
「[x]」 on screen, and names typed with brackets show as typed."""
from __future__ import annotations

from textual.app import App

from kyogitai_tui.ui.widgets.forms import ChoiceDialog
from ui_helpers import screen_text


async def test_multiple_choice_marks_what_is_chosen_and_shows_brackets_as_typed():
    choices = [("A", "北みほん圏域"), ("B", "[b]太字の会"), ("C", "[仮]みほん会")]
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ChoiceDialog("圏域", choices, selected=["A"], multiple=True))
        await pilot.pause()
        text = screen_text(app)
        assert "[x] 北みほん圏域" in text
        assert "[ ] [b]太字の会" in text and "[ ] [仮]みほん会" in text
        await pilot.press("down", "enter")       # choose the second one too
        await pilot.pause()
        assert "[x] [b]太字の会" in screen_text(app)
