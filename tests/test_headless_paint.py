"""The suite's headless apps skip painting frames (tests/headless_paint.py):
what a test looks at must still be what a person would see."""
from __future__ import annotations

import os

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Label, Static

import headless_paint
from ui_helpers import screen_text


class _Counter(App):
    BINDINGS = [("f2", "bump", "増やす"), ("f3", "break_it", "壊す")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Label("回数 0", id="count")
        yield Input(id="line")
        yield _Fragile(id="fragile")

    def action_bump(self) -> None:
        self.count += 1
        self.query_one("#count", Label).update(f"回数 {self.count}")

    def action_break_it(self) -> None:
        fragile = self.query_one(_Fragile)
        fragile.broken = True
        fragile.refresh()


class _Fragile(Static):
    broken = False

    def render(self):
        if self.broken:
            raise ValueError("描けない")
        return "ふつう"


def test_the_suite_runs_with_frames_unpainted():
    if os.environ.get("KYOGITAI_TEST_PAINT") == "1":
        pytest.skip("KYOGITAI_TEST_PAINT=1: every frame is painted")
    assert headless_paint.INSTALLED


async def test_what_changed_between_looks_is_on_the_screen():
    app = _Counter()
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.press("f2", "f2")
        await pilot.pause()
        assert "回数 2" in screen_text(app)
        app.query_one("#line", Input).focus()
        await pilot.press(*"abc")
        await pilot.pause()
        text = screen_text(app)
        assert "回数 2" in text and "abc" in text and "ふつう" in text


async def test_a_widget_that_cannot_be_drawn_still_fails_the_look():
    app = _Counter()
    with pytest.raises(Exception):
        async with app.run_test(size=(40, 6)) as pilot:
            await pilot.press("f3")
            await pilot.pause()
            screen_text(app)


async def test_a_look_is_the_screenshot_cell_for_cell(demo_root):
    """``screen_text`` reads the paint directly; it must be exactly what the
    SVG screenshot shows: Japanese two cells wide, a dialog over its screen."""
    from datetime import date

    from kyogitai_tui.commands._common import load_world
    from kyogitai_tui.domain.catalog import default_catalog
    from kyogitai_tui.store import DataStore
    from kyogitai_tui.ui.app import KyogitaiApp
    from ui_helpers import svg_cells

    with DataStore.open(demo_root) as store:
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=load_world(store), today=date(2025, 9, 9))
        async with app.run_test(size=(80, 24)) as pilot:
            looks = 0
            for keys in ((), ("f1",), ("escape", "f7", "enter"), ("f2",)):
                await pilot.press(*keys)
                await pilot.pause()
                width, height = app.size
                painted = headless_paint.paint_cells(app)
                assert painted == svg_cells(app.export_screenshot(), width, height), keys
                looks += 1
            text = "\n".join("".join(row) for row in painted)
            assert any("" in row for row in painted)   # wide characters took two cells
            assert "市町村の追加" in text   # the form, over the register list
            await pilot.press("ctrl+q")
    assert looks == 4
