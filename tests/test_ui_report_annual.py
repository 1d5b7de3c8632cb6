"""年度報告 as a coordinator uses it: F6 from home, the current 年度 of all
councils, F2 council and F3 年度, F4 writes Word and CSV to the export folder
(worker thread), an existing file is replaced only when asked; no resident on
screen or in the files."""
from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import OptionList, Static

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from tests.test_annual_report import _docx_text, assert_no_resident
from tests.ui_helpers import assert_unambiguous, screen_text

TODAY = date(2025, 9, 16)
pytestmark = pytest.mark.demo_today(TODAY)  # demo_root: the demo written for that day


def _app(store, export_dir):
    dataset = store.load_dataset()
    return KyogitaiApp(store=store, catalog=default_catalog(), world=World.from_dataset(dataset),
                       dataset=dataset, today=TODAY, export_dir=export_dir)


def _sections_text(app) -> str:
    """Everything the report screen holds, also what is scrolled away."""
    screen = app.screen
    return "\n".join(str(s) for s in screen.report.texts())


async def _pick(pilot, app, label: str) -> None:
    ol = app.screen.query_one(OptionList)
    labels = [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]
    ol.highlighted = labels.index(label)
    await pilot.press("enter")
    await pilot.pause()


async def _wait_export(pilot, app) -> None:
    for _ in range(100):
        await pilot.pause(0.05)
        if not [w for w in app.screen.workers if w.group == "annual-export" and w.is_running]:
            break
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_f6_shows_this_years_report_without_residents(demo_root, tmp_path, size):
    with DataStore.open(demo_root) as store:
        app = _app(store, tmp_path / "exports")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("f6")
            await pilot.pause()
            text = assert_unambiguous(app, "annual report")
            assert "令和7年度 全協議体（みほん市） 活動報告" in text
            assert "1　会議の開催と出席" in text
            assert "開催 5回（ほかに予定 4回）" in text
            world = app.world
            assert_no_resident(text, world)
            assert_no_resident(_sections_text(app), world)
            for _ in range(12):                      # read down to the end
                await pilot.press("pagedown")
                await pilot.pause()
                assert_no_resident(assert_unambiguous(app, "annual report scrolled"), world)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.query("#councils")


async def test_council_and_year_are_chosen_and_f4_writes_word_and_csv(demo_root, tmp_path):
    export_dir = tmp_path / "exports"
    with DataStore.open(demo_root) as store:
        app = _app(store, export_dir)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("f6")
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            await _pick(pilot, app, "北みほん支え合い会議")
            text = screen_text(app)
            assert "令和7年度 北みほん支え合い会議 活動報告" in text
            assert "開催 2回（ほかに予定 1回）" in text
            await pilot.press("f3")
            await pilot.pause()
            years = [str(o.prompt) for o in app.screen.query_one(OptionList)._options]
            assert years[0] == "令和7年度（2025年4月～2026年3月）"
            await pilot.press("escape")
            await pilot.pause()

            await pilot.press("f4")
            await _wait_export(pilot, app)
            docx = export_dir / "令和7年度_北みほん支え合い会議_年度報告.docx"
            csv = export_dir / "令和7年度_北みほん支え合い会議_年度報告.csv"
            assert docx.exists() and csv.exists()
            shown = str(app.screen.query_one("#annual-export", Static).render())
            assert f"{docx} に書き出しました" in shown and f"{csv} に書き出しました" in shown
            assert_no_resident(_docx_text(docx), app.world)
            assert_no_resident(csv.read_text(encoding="utf-8-sig"), app.world)
            assert ",第2回,2025-07-22,令和7年7月22日,13,14,3,0," in csv.read_text(encoding="utf-8-sig")

            # again: the files exist -> asked; 「やめる」 keeps them
            before = docx.read_bytes()
            await pilot.press("f4")
            await _wait_export(pilot, app)
            assert "上書きしますか" in screen_text(app)
            await _pick(pilot, app, "やめる")
            assert "書き出しをやめました" in str(app.screen.query_one("#annual-export", Static).render())
            assert docx.read_bytes() == before



async def test_an_export_folder_that_cannot_be_made_is_reported_in_japanese(demo_root, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    with DataStore.open(demo_root) as store:
        app = _app(store, blocked / "kyogitai")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("f6")
            await pilot.pause()
            await pilot.press("f4")
            await _wait_export(pilot, app)
            box = app.screen.query_one("#annual-export", Static)
            assert "に書き出せませんでした" in str(box.render())
            assert box.has_class("failed")
            assert_unambiguous(app, "export failed")
    assert blocked.read_text() == "x"
