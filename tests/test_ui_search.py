"""The search screen as a coordinator uses it: F3 (or the ctrl+p menu) from
home, type, see each hit with where it comes from, Enter opens the meeting;
nothing is written to the data."""
from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Input, Static

from kyogitai_tui.commands._common import load_world
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.screens.past import PastMeetingScreen
from kyogitai_tui.ui.screens.search import SearchScreen
from ui_helpers import assert_unambiguous, screen_text

TODAY = date(2025, 9, 9)


@pytest.fixture
def half_width_root(tmp_path):
    """The demo plus a note typed in half-width katakana (北みほん 第2回)."""
    ds = load_demo(TODAY)
    ds["meetings"]["M-C2-02"]["statements"].append({
        "id": "ST-X-HALF", "meeting_id": "M-C2-02", "agenda_item_id": "AG-C2-02-03",
        "speaker_label": "MEMBER", "order": 99, "text": "ﾃﾞｲｻｰﾋﾞｽの送迎車が足りないと聞きました…"})
    root = tmp_path / "data"
    root.mkdir()
    with DataStore.open(root) as store:
        store.write_dataset(ds)
    return root


def _snapshot(root):
    return {p: p.read_bytes() for p in root.rglob("*.json")}


def _rows(app) -> list[list[str]]:
    table = app.screen.query_one("#search-results", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _settle(app, pilot) -> None:
    await pilot.pause(0.3)                 # the debounce
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_f3_type_see_origin_and_open_the_meeting(half_width_root):
    before = _snapshot(half_width_root)
    with DataStore.open(half_width_root) as store:
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=load_world(store), today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f3")
            await pilot.pause()
            assert isinstance(app.screen, SearchScreen)
            assert app.screen.query_one("#search-query", Input).has_focus
            await _type(pilot, "ＮＰＯ 買い物")
            await _settle(app, pilot)
            rows = _rows(app)
            assert [r[:5] for r in rows] == [
                ["決定", "北みほん", "令和7年7月15日", "第2回", "不足しているネ.."],
                ["発言", "北みほん", "令和7年7月15日", "第2回", "不足しているネ.."],
            ]
            assert rows[0][5].startswith("北台地区で、NPOとサロンの会による買い物同行")
            count = str(app.screen.query_one("#search-count", Static).render())
            assert "2 件" in count
            detail = str(app.screen.query_one("#search-detail", Static).render())
            assert "北みほん支え合い会議  令和7年度 第2回（令和7年7月15日）" in detail
            assert "議題: 不足しているネットワーク機能・サービス  [D-05]" in detail
            text = assert_unambiguous(app, "search results")
            assert "会議を開く" in text                      # the footer names F2

            await pilot.press("down")                        # from the input to the results
            await pilot.press("down")
            detail = str(app.screen.query_one("#search-detail", Static).render())
            assert "NPOとサロンの会で、買い物同行と代行を試してみましょう。" in detail
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PastMeetingScreen)
            assert app.screen.meeting_id == "M-C2-02"
            assert "北みほん支え合い会議  令和7年度 第2回" in screen_text(app)

            await pilot.press("escape")                      # back to the same results
            await pilot.pause()
            assert isinstance(app.screen, SearchScreen)
            assert len(_rows(app)) == 2
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.query("#councils")
    assert _snapshot(half_width_root) == before                   # searching wrote nothing


async def test_half_width_note_found_with_full_width_query_at_80_columns(half_width_root):
    with DataStore.open(half_width_root) as store:
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=load_world(store), today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f3")
            await pilot.pause()
            await _type(pilot, "デイサービス")
            await _settle(app, pilot)
            rows = _rows(app)
            assert len(rows) == 1
            assert rows[0][:4] == ["発言", "北みほん", "令和7年7月15日", "第2回"]
            assert rows[0][5].startswith("ﾃﾞｲｻｰﾋﾞｽ")         # shown as it was typed
            text = assert_unambiguous(app, "80x24")           # the stored … is drawn as ...
            assert "送迎車が足りないと聞きました..." in text
            table = app.screen.query_one("#search-results", DataTable)
            assert table.virtual_size.width <= 80             # no sideways scrolling

            await pilot.press("ctrl+u")                        # a word nobody said
            await _type(pilot, "火星")
            await _settle(app, pilot)
            assert _rows(app) == []
            count = str(app.screen.query_one("#search-count", Static).render())
            assert "「火星」を含む記録は見つかりません" in count
            await pilot.press("f2")                            # nothing to open: a message, no crash
            await pilot.pause()
            assert isinstance(app.screen, SearchScreen)


async def test_menu_opens_search_and_enter_in_the_input_goes_to_results(half_width_root):
    with DataStore.open(half_width_root) as store:
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=load_world(store), today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await _type(pilot, "検索")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, SearchScreen)
            await _type(pilot, "ﾂﾅｷﾞの会")
            await pilot.press("enter")                         # at once, without waiting
            await app.workers.wait_for_complete()
            await pilot.pause()
            rows = _rows(app)
            assert rows and all(r[1] in ("北みほん", "みほん市支え..") for r in rows)
            table = app.screen.query_one("#search-results", DataTable)
            assert table.has_focus
            await pilot.press("f3")
            assert app.screen.query_one("#search-query", Input).has_focus
            await pilot.press("f1")
            await pilot.pause()
            help_text = str(app.screen.query_one("#help-text", Static).render())
            for desc in ("会議を開く", "入力へ", "戻る"):
                assert desc in help_text


async def test_results_follow_a_rebuilt_world(half_width_root):
    """A change saved elsewhere in the app (a council renamed in the registers)
    rebuilds the World: the open search runs again over the new data."""
    from kyogitai_tui.domain.changes import registry_change
    from kyogitai_tui.domain.world import World

    with DataStore.open(half_width_root) as store:
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=load_world(store), today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f3")
            await pilot.pause()
            await _type(pilot, "ﾃﾞｲｻｰﾋﾞｽ")
            await _settle(app, pilot)
            assert [r[1] for r in _rows(app)] == ["北みほん"]
            doc = next(d for d in app.ensure_dataset()["registry"]["councils"] if d["id"] == "C2")
            app.apply_changes([registry_change("councils", "C2", {**doc, "name": "きたみほん支え合い会議"})])
            await pilot.pause(0.2)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert [r[1] for r in _rows(app)] == ["きたみほん"]
            assert "きたみほん支え合い会議" in str(app.screen.query_one("#search-detail", Static).render())
            app.saver.flush()
    with DataStore.open(half_width_root) as store:
        world = World.from_dataset(store.load_dataset())
    assert world.councils["C2"].name == "きたみほん支え合い会議"


async def test_a_note_made_between_meetings_is_found_and_opens_its_action_item(demo_root):
    """A note typed on the follow-up screen (会議外) is searchable; Enter on it
    opens that 取組's detail, not a meeting."""
    from kyogitai_tui.commands._common import load_data
    from kyogitai_tui.domain.followup import ops as ops
    from kyogitai_tui.ui.screens.followup_detail import FollowupDetailScreen

    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset, today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.apply_changes(ops.add_note(world, "AI-07", "ﾁﾗｼの原稿を印刷所に渡した", TODAY))
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("f3")
            await pilot.pause()
            await _type(pilot, "チラシの原稿")
            await _settle(app, pilot)
            rows = _rows(app)
            assert rows and rows[0][:4] == ["取組", "北みほん", "令和7年9月9日", "会議外"]
            table = app.screen.query_one("#search-results", DataTable)
            table.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, FollowupDetailScreen)
            assert "AI-07" in assert_unambiguous(app, "followup detail from search")
