"""The home screen as a coordinator sees it: councils with last/next meeting
and open / overdue action items; ctrl+q quits at once."""
from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from kyogitai_tui.commands._common import load_world

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp

TODAY = date(2025, 9, 9)


def _cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_home_lists_councils_with_meetings_and_actions(demo_root):
    with DataStore.open(demo_root) as store:
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=load_world(store), today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#councils", DataTable)
            rows = _cells(table)
            names = [r[0] for r in rows]
            assert names == ["みほん市支え合い推進会議", "北みほん支え合い会議",
                             "中央まちなか支え合い会議", "南みほん里山支え合い会議"]
            kita = rows[1]
            assert kita[1] == "第2層"
            assert kita[2] == "第2回 7/15"
            assert kita[3] == "第3回 9/16"
            assert kita[4] == "7件（超過5）"
            await pilot.press("down")
            detail = str(app.screen.query_one("#detail", Static).render())
            assert "令和7年9月16日（火）" in detail
            assert "北みほん圏域" in detail
            await pilot.press("ctrl+q")
        assert app.return_code in (0, None)


async def test_help_lists_bindings_in_japanese(demo_root):
    with DataStore.open(demo_root) as store:
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=load_world(store), today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f1")
            await pilot.pause()
            text = str(app.screen.query_one("#help-text", Static).render())
            for desc in ("終了", "ヘルプ", "再読込"):
                assert desc in text
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.query("#councils")


async def test_second_instance_opens_read_only_and_says_who_holds_it(demo_root):
    with DataStore.open(demo_root) as first:
        assert not first.read_only
        with DataStore.open(demo_root) as second:
            assert second.read_only
            app = KyogitaiApp(store=second, catalog=default_catalog(), world=load_world(second), today=TODAY)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                notice = str(app.screen.query_one("#notice", Static).render())
                assert "読み取り専用" in notice
                assert "pid" in notice


def test_every_binding_has_an_id_and_japanese_description():
    from kyogitai_tui.ui.screens.help import HelpScreen
    from kyogitai_tui.ui.home import HomeScreen

    for owner in (KyogitaiApp, HomeScreen, HelpScreen):
        for binding in owner.BINDINGS:
            assert binding.id, (owner.__name__, binding.key)
            assert any("\u3040" <= ch <= "\u9fff" for ch in binding.description), binding


async def test_read_only_instance_cannot_prepare_or_run_a_meeting(demo_root):
    with DataStore.open(demo_root) as first:
        before = (demo_root / "meetings" / "M-C2-03.json").read_bytes()
        with DataStore.open(demo_root) as second:
            app = KyogitaiApp(store=second, catalog=default_catalog(), world=load_world(second), today=TODAY)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                app.open_meeting("M-C2-03")
                await pilot.pause()
                assert app.screen.query("#councils")          # still on the home screen
                assert getattr(app, "session", None) is None
        assert (demo_root / "meetings" / "M-C2-03.json").read_bytes() == before
        assert not first.read_only


async def test_ctrl_p_menu_finds_tools_and_councils_by_typing(demo_root):
    from textual.widgets import Input, OptionList

    from ui_helpers import assert_unambiguous, option_texts

    with DataStore.open(demo_root) as store:
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=load_world(store), today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            footer = assert_unambiguous(app, "home")
            for label in ("取組", "検索", "台帳", "年度報告", "登録", "^q 終了", "f1 ヘルプ"):
                assert label in footer          # nothing cut at 80 columns (^p メニュー: in F1 help)
            await pilot.press("f1")
            await pilot.pause()
            assert "メニュー" in str(app.screen.query_one("#help-text").render())
            await pilot.press("f1")
            await pilot.pause()
            await pilot.press("ctrl+p")
            await pilot.pause()
            texts = option_texts(app.screen.query_one(OptionList))
            assert "取組の追跡（全協議体の宿題）" in texts and "協議体 北みほん支え合い会議" in texts
            app.screen.query_one(Input).value = "北みほん"
            await pilot.pause()
            assert option_texts(app.screen.query_one(OptionList)) == ["協議体 北みほん支え合い会議"]
            await pilot.press("enter")
            await pilot.pause()
            assert type(app.screen).__name__ == "CouncilScreen"
            assert "北みほん支え合い会議" in assert_unambiguous(app, "council")
