"""地域課題台帳 as a coordinator uses it: F4 from home, the findings with their
state, the filters (F2-F5, F6), Enter for the life of a finding, Esc back."""
from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, OptionList, Static

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from tests.ui_helpers import assert_unambiguous, screen_text

TODAY = date(2025, 9, 16)
pytestmark = pytest.mark.demo_today(TODAY)  # demo_root: the demo written for that day


def _app(store, tmp_path):
    dataset = store.load_dataset()
    return KyogitaiApp(store=store, catalog=default_catalog(), world=World.from_dataset(dataset),
                       dataset=dataset, today=TODAY, export_dir=tmp_path / "exports")


def _first_cells(app) -> list[str]:
    table = app.screen.query_one("#ledger", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def _pick(pilot, app, label: str) -> None:
    ol = app.screen.query_one(OptionList)
    labels = [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]
    ol.highlighted = labels.index(label)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_f4_opens_the_ledger_and_enter_shows_the_shopping_finding(demo_root, tmp_path, size):
    with DataStore.open(demo_root) as store:
        app = _app(store, tmp_path)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("f4")
            await pilot.pause()
            assert app.screen.query("#ledger")
            table = app.screen.query_one("#ledger", DataTable)
            assert table.row_count == 11
            text = assert_unambiguous(app, "ledger")
            assert "地域課題台帳" in text and "11件（全11件、要検討0件）" in text
            cells = _first_cells(app)
            i = cells.index("北台地区の買い物困難（...")
            row = [str(c) for c in table.get_row_at(i)]
            assert [row[1], row[5], row[6]] == ["方針決定", "D-05", "2件・完了0"]
            table.move_cursor(row=i)
            await pilot.pause()
            detail = str(app.screen.query_one("#ledger-detail", Static).render())
            assert "北台地区の買い物困難（坂道）" in detail and "決定 D-05" in detail
            await pilot.press("enter")
            await pilot.pause()
            life = assert_unambiguous(app, "finding life")
            for part in ("課題の経過", "北台地区の買い物困難（坂道）", "D-05 サービス・助け合いの創出",
                         "AI-07 [対応中]", "AI-05 [対応中]"):
                assert part in life, part
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.query("#ledger")
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.query("#councils")


async def test_filters_narrow_the_list_and_f6_clears_them(demo_root, tmp_path):
    with DataStore.open(demo_root) as store:
        app = _app(store, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("f4")
            await pilot.pause()
            await pilot.press("f2")                       # 協議体
            await pilot.pause()
            await _pick(pilot, app, "南みほん里山支え合い会議")
            assert _first_cells(app) == ["南みほん圏域には、個別..."]
            assert "絞り込み: 南みほん里山支え合い会議　1件" in screen_text(app)
            await pilot.press("f6")
            await pilot.pause()
            await pilot.press("f4")                       # 種類
            await pilot.pause()
            await _pick(pilot, app, "サービス不足")
            assert len(_first_cells(app)) == 2
            await pilot.press("f5")                       # 状態
            await pilot.pause()
            await _pick(pilot, app, "未対応")
            assert _first_cells(app) == ["北台団地の独居高齢者の..."]
            await pilot.press("f3")                       # 圏域
            await pilot.pause()
            await _pick(pilot, app, "南みほん圏域")
            assert _first_cells(app) == []
            assert "該当する課題はありません。F6 で絞り込みを外せます。" in screen_text(app)
            await pilot.press("f6")
            await pilot.pause()
            assert len(_first_cells(app)) == 11
            await pilot.press("f1")
            await pilot.pause()
            help_text = screen_text(app)
            for desc in ("協議体", "圏域", "種類", "状態", "絞り込み解除", "戻る"):
                assert desc in help_text


async def test_a_stale_finding_is_marked_on_screen(tmp_path):
    """Two held meetings of 北みほん after 第2回 without a decision on GF-09."""
    from kyogitai_tui.domain.demo import load_demo

    dataset = copy.deepcopy(load_demo(TODAY))
    m3 = dataset["meetings"]["M-C2-03"]["meeting"][0]
    m3["status"] = "HELD"
    m4 = dict(m3, id="M-C2-04", seq_no=4,
              held_on=(date.fromisoformat(m3["held_on"]) + timedelta(days=60)).isoformat())
    dataset["meetings"]["M-C2-04"] = {"meeting": [m4]}
    root = tmp_path / "data"
    with DataStore.open(root, create=True) as store:
        store.write_dataset(dataset)
    with DataStore.open(root) as store:
        app = _app(store, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("f4")
            await pilot.pause()
            text = assert_unambiguous(app, "stale ledger")
            assert "要検討1件" in text
            table = app.screen.query_one("#ledger", DataTable)
            states = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1]) for i in range(table.row_count)}
            assert states["北台団地の独居高齢者の..."] == "未対応・要検討"
            await pilot.press("f5")
            await pilot.pause()
            await _pick(pilot, app, "要検討（決定のないまま2回以上）")
            assert _first_cells(app) == ["北台団地の独居高齢者の..."]
