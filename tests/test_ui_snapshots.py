"""SVG snapshots of the main screens at 80x24 and 120x40, on the demo
municipality with a fixed today and clock, so a change to what a person sees
(a label cut, a column gone, a colour) shows up as a failing test with the
screens as text side by side.  The stored pictures are in tests/snapshots/;
tests/snapshot_compare.py says how to accept a change on purpose."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from kyogitai_tui.commands._common import load_data
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.screens.close import CloseScreen
from kyogitai_tui.ui.screens.search import SearchScreen
from kyogitai_tui.ui.tools import open_tool
from snapshot_compare import assert_snapshot
from ui_helpers import type_statement

TODAY = date(2025, 9, 16)                      # the day of 第3回 of the demo's C2
NOW = datetime(2025, 9, 16, 14, 5)
MEETING = "M-C2-03"
COUNCIL = "C2"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def data_root(demo_root):
    """The demo for 2025-09-09 (conftest's copy, not written again per test)."""
    return demo_root


def _app(store) -> KyogitaiApp:
    dataset, world = load_data(store)
    return KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                       today=TODAY, clock=lambda: NOW, export_dir=Path("/snapshot-exports"))


async def _snap(data_root, size, name, steps) -> str:
    with DataStore.open(data_root) as store:
        app = _app(store)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(app, pilot)
            return await assert_snapshot(app, pilot, name, never=(str(data_root.parent),))


async def _live(app, pilot) -> None:
    app.open_meeting(MEETING)          # planned: its preparation
    await pilot.pause()
    app.start_live()
    await pilot.pause()
    await type_statement(pilot, app, "前回の会議録のとおりで異議ありません。")
    await type_statement(pilot, app, "買い物支援の試行について、商店会とも話してみます。")


@pytest.mark.parametrize("size", SIZES)
async def test_home(data_root, size):
    async def steps(app, pilot):
        pass

    text = await _snap(data_root, size, "home", steps)
    assert "協議体の一覧" in text


@pytest.mark.parametrize("size", SIZES)
async def test_council_meetings(data_root, size):
    async def steps(app, pilot):
        app.screen.open_council(COUNCIL)
        await pilot.pause()

    await _snap(data_root, size, "council", steps)


@pytest.mark.parametrize("size", SIZES)
async def test_prepare(data_root, size):
    async def steps(app, pilot):
        app.open_meeting(MEETING)
        await pilot.pause()

    await _snap(data_root, size, "prepare", steps)


@pytest.mark.parametrize("size", SIZES)
async def test_live_meeting_with_statements(data_root, size):
    text = await _snap(data_root, size, "live", _live)
    assert "異議ありません" in text
    # no label cut: every agenda title whole (wrapped in the column), 協議事項 in view
    assert ".." not in text and "[協議事項]" in text
    import re
    column = "".join(re.split(r"\s{3,}", line.strip())[0].replace(" ", "") for line in text.splitlines())
    for title in ("前回からの取組状況", "地縁組織とNPOのネットワーク", "連携（認知症地域支援推進員）"):
        assert title in column, (title, text)


@pytest.mark.parametrize("size", SIZES)
async def test_close(data_root, size):
    async def steps(app, pilot):
        await _live(app, pilot)
        app.push_screen(CloseScreen(app.session))
        await pilot.pause()

    await _snap(data_root, size, "close", steps)


@pytest.mark.parametrize("size", SIZES)
async def test_followup_list(data_root, size):
    async def steps(app, pilot):
        open_tool(app, "followup")
        await pilot.pause()

    await _snap(data_root, size, "followup", steps)


@pytest.mark.parametrize("size", SIZES)
async def test_search(data_root, size):
    async def steps(app, pilot):
        app.push_screen(SearchScreen("買い物"))
        await pilot.pause()

    text = await _snap(data_root, size, "search", steps)
    assert "買い物" in text
