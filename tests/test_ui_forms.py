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


async def test_text_typed_as_a_form_opens_lands_in_its_first_field(demo_root):
    """A key opens a form and the typist goes on at once: the characters the
    terminal hands over before the form has put the focus in its first field
    must land there, in order, not be dropped (the app passes them on)."""
    from datetime import date

    from textual import events
    from textual.widgets import Input

    from kyogitai_tui.commands._common import load_world
    from kyogitai_tui.domain.catalog import default_catalog
    from kyogitai_tui.store import DataStore
    from kyogitai_tui.ui.app import KyogitaiApp
    from kyogitai_tui.ui.widgets.forms import Field, FormDialog

    got: list[dict] = []
    with DataStore.open(demo_root) as store:
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=load_world(store), today=date(2025, 9, 9))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            form = FormDialog("取組を追加", [Field("title", "取組の内容", required=True),
                                            Field("owner", "担当")], lambda values: got.append(values))
            app.push_screen(form)                          # in the same turn as the keys behind it
            for ch in "回覧用の概要":
                app.post_message(events.Key(ch, ch))
            await pilot.pause()
            first = form.query_one("#field-title", Input)
            assert app.focused is first and first.value == "回覧用の概要"
            await pilot.press("tab", *"事務局")
            assert form.query_one("#field-owner", Input).value == "事務局"
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("ctrl+q")
    assert got and got[0]["title"] == "回覧用の概要" and got[0]["owner"] == "事務局"
