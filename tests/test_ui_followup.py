"""取組の追跡 as a coordinator uses it on the demo (today fixed at
2025-09-09): F2 from home, overdue only, search, open an item, change its
status with a note, see the history, supersede one, and find it all on the
disk after reopening."""
from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Input, Static

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from ui_helpers import assert_unambiguous, screen_text

TODAY = date(2025, 9, 9)
# AI-05 was handed over to AI-07: not 超過 (its work goes on there)
OVERDUE = ["AI-01", "AI-08", "AI-12", "AI-04", "AI-06"]


def _app(store, dataset=None, world=None):
    if dataset is None:
        dataset, world = load_data(store)
    return KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset, today=TODAY)


def _ids(app) -> list[str]:
    table = app.screen.query_one("#fu-table", DataTable)
    return [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]


async def _until(pilot, cond, tries: int = 60) -> None:
    for _ in range(tries):
        await pilot.pause(0.05)
        if cond():
            return
    raise AssertionError("画面が期待どおりになりませんでした:\n" + screen_text(pilot.app))


async def _open_list(pilot):
    await pilot.pause()
    await pilot.press("f2")
    await _until(pilot, lambda: pilot.app.screen.query("#fu-table"))


async def _open_detail(pilot, action_id: str):
    app = pilot.app
    table = app.screen.query_one("#fu-table", DataTable)
    table.focus()
    table.move_cursor(row=_ids(app).index(action_id))
    await pilot.press("enter")
    await _until(pilot, lambda: app.screen.query("#fd-history"))


def _reopen(root):
    with DataStore.open(root) as store:
        return World.from_dataset(store.load_dataset())


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_overdue_filter_shows_exactly_the_planted_items(demo_root, size):
    with DataStore.open(demo_root) as store:
        app = _app(store)
        async with app.run_test(size=size) as pilot:
            await _open_list(pilot)
            assert len(_ids(app)) == 12 and _ids(app)[:5] == OVERDUE
            await pilot.press("f5")
            await pilot.pause()
            assert _ids(app) == OVERDUE
            text = assert_unambiguous(app, "取組の追跡（超過のみ）")
            assert "超過のみ" in text and "全 12 件中 5 件が該当" in text
            assert text.count("超過") >= 7          # the mark is text, not only colour
            await pilot.press("f5")
            await pilot.pause()
            assert "間近" in screen_text(app)      # AI-07 is due tomorrow
            # the free-text search (IME on: typed into the Input), full-width too
            app.screen.query_one("#fu-search", Input).value = "ＡＩ-０８"
            await pilot.pause()
            assert _ids(app) == ["AI-08"]
            await pilot.press("f8")
            await pilot.pause()
            assert len(_ids(app)) == 12
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.query("#councils")


async def test_change_status_with_a_note_is_kept_in_the_history_and_on_disk(demo_root):
    with DataStore.open(demo_root) as store:
        app = _app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_list(pilot)
            await pilot.press("f5")
            await _open_detail(pilot, "AI-04")
            text = assert_unambiguous(app, "取組の詳細")
            assert "NPO連絡会への移動支援NPO加入勧誘" in text and "超過" in text
            assert "課題 GF-02" in text and "令和7年度 第1回（令和7年5月20日）" in text
            await pilot.press("f2")
            await pilot.pause()
            await pilot.press("right")                       # 未着手 -> 対応中
            app.screen.query_one("#field-note", Input).value = "NPOの代表に電話で打診した"
            await pilot.press("ctrl+s")
            history = lambda: app.screen.query_one("#fd-history", DataTable)  # noqa: E731
            await _until(pilot, lambda: history().row_count == 3)
            text = assert_unambiguous(app, "状態を変えた後の詳細")
            assert "会議外" in text and "NPOの代表に電話で打診した" in text, text
            assert "状態: 対応中" in text
            last = [str(c) for c in history().get_row_at(2)]
            assert last[:4] == ["令和7年9月9日", "会議外", "状態変更", "対応中"]
            # a second change is a new row; the first one stays
            await pilot.press("f4")
            await pilot.pause()
            app.screen.query_one("#field-due", Input).value = "2025-10-31"
            await pilot.press("ctrl+s")
            await _until(pilot, lambda: history().row_count == 4)
            assert "期限: 令和7年10月31日" in screen_text(app)
            await pilot.press("escape")
            await _until(pilot, lambda: "AI-04" not in _ids(app))   # no longer overdue
            app.saver.flush()
    from kyogitai_tui.cli import main
    assert main(["check", "--data-dir", str(demo_root)]) == 0     # the new table passes the check
    w = _reopen(demo_root)
    s = w.action_state("AI-04")
    assert s.status == "IN_PROGRESS" and s.due_date == date(2025, 10, 31)
    assert s.item.due_date == date(2025, 8, 31)
    assert [(f.status_after, f.note) for f in s.followups] == [
        ("IN_PROGRESS", "NPOの代表に電話で打診した"), (None, "")]


async def test_supersede_closes_the_item_with_a_pointer(demo_root):
    with DataStore.open(demo_root) as store:
        app = _app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_list(pilot)
            await _open_detail(pilot, "AI-05")
            await pilot.press("f5")
            await pilot.pause()
            text = screen_text(app)
            assert "AI-07 買い物同行" in text                 # the planted successor, preselected
            await pilot.press("ctrl+s")
            await _until(pilot, lambda: "引継ぎ済" in screen_text(app))
            text = assert_unambiguous(app, "引継ぎ後の詳細")
            assert "引継ぎ先: AI-07" in text and "AI-07に引継ぎ" in text
            # a closed item refuses further changes, in Japanese
            await pilot.press("f4")
            await pilot.pause()
            app.screen.query_one("#field-due", Input).value = "2025-12-01"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "変更できません" in str(app.screen.query_one("#form-error", Static).render())
            await pilot.press("escape")              # a filled form asks first (issue 15)
            await pilot.pause()
            await pilot.press("down", "enter")       # 破棄して閉じる
            await pilot.pause()
            await pilot.press("escape")
            await pilot.press("f5")
            await _until(pilot, lambda: _ids(app) == ["AI-01", "AI-08", "AI-12", "AI-04", "AI-06"])
            await pilot.press("f7")
            await pilot.pause()
            assert "前回以降に終わった取組: AI-05" in screen_text(app)
            app.saver.flush()
    w = _reopen(demo_root)
    s = w.action_state("AI-05")
    assert not s.is_open and s.is_superseded and s.superseded_by == "AI-07"
    from kyogitai_tui.domain.meeting.agenda import build_agenda
    a02 = next(a for a in build_agenda(w, w.meetings["M-C2-03"].meeting) if a.template == "A02")
    assert "AI-05" not in a02.carried_action_ids and "AI-07" in a02.carried_action_ids


def _with_many_items(dataset: dict, n: int) -> dict:
    items = dataset["meetings"]["M-C2-01"].setdefault("action_items", [])
    for i in range(n):
        items.append({"id": f"AI-X{i:04d}", "origin_meeting_id": "M-C2-01", "title": f"追加の取組{i}",
                      "owner_person_ids": ["P02"], "due_date": "2025-12-01", "status": "NOT_STARTED"})
    return dataset


async def test_pages_of_200_rows(demo_root):
    with DataStore.open(demo_root) as store:
        dataset = _with_many_items(store.load_dataset(), 450)
        app = _app(store, dataset, World.from_dataset(dataset))
        async with app.run_test(size=(80, 24)) as pilot:
            await _open_list(pilot)
            assert len(_ids(app)) == 200
            assert "全 462 件中 462 件が該当  1-200 件を表示" in screen_text(app)
            await pilot.press("pagedown")
            await pilot.press("pagedown")
            await pilot.pause()
            assert len(_ids(app)) == 62 and "401-462 件" in screen_text(app)
            await pilot.press("pageup")
            await pilot.pause()
            assert "201-400 件" in screen_text(app)
            assert_unambiguous(app, "2ページ目")


async def test_help_lists_the_keys_in_japanese(demo_root):
    from kyogitai_tui.ui.screens.followup import FollowupScreen
    from kyogitai_tui.ui.screens.followup_detail import FollowupDetailScreen

    for owner in (FollowupScreen, FollowupDetailScreen):
        for b in owner.BINDINGS:
            assert b.id and any("\u3040" <= ch <= "\u9fff" for ch in b.description), b
    with DataStore.open(demo_root) as store:
        app = _app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_list(pilot)
            await pilot.press("f1")
            await pilot.pause()
            text = str(app.screen.query_one("#help-text", Static).render())
            for desc in ("超過のみ", "集計", "解除", "次の200件"):
                assert desc in text


async def test_every_column_shows_at_120_and_the_highlighted_item_in_full(demo_root):
    with DataStore.open(demo_root) as store:
        app = _app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_list(pilot)
            table = app.screen.query_one("#fu-table", DataTable)
            table.focus()
            table.move_cursor(row=_ids(app).index("AI-01"))
            await pilot.pause()
            text = assert_unambiguous(app, "followup list")
            header = next(line for line in text.splitlines() if "番号" in line)
            for column in ("期限", "状態", "取組", "担当", "継続", "協議体", "出どころ"):
                assert column in header
            # the long title is cut in its cell but whole in the detail under the table
            assert "多職種連携会議への個別NW支援枠の提案" in text
            assert "出どころ 北みほん支え合い会議 第1回" in text


async def test_typing_on_the_list_goes_to_the_word_filter(demo_root):
    with DataStore.open(demo_root) as store:
        app = _app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_list(pilot)
            assert app.focused is app.screen.query_one("#fu-table", DataTable)
            await pilot.press(*list("AI-0"))
            await pilot.press("8")
            await pilot.pause()
            assert app.screen.query_one("#fu-search", Input).value == "AI-08"
            assert _ids(app) == ["AI-08"]


async def test_thousands_of_items_build_off_the_ui_thread_and_then_page(demo_root):
    with DataStore.open(demo_root) as store:
        dataset = _with_many_items(store.load_dataset(), 2500)
        app = _app(store, dataset, World.from_dataset(dataset))
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_list(pilot)
            await _until(pilot, lambda: len(_ids(app)) == 200, tries=200)
            assert "全 2,512 件中 2,512 件が該当  1-200 件を表示" in screen_text(app)
            await pilot.press("f5")                      # overdue only: filters what was built
            await _until(pilot, lambda: "超過のみ" in screen_text(app))
            assert all(r.overdue for r in app.screen.rows)


async def test_a_second_change_waits_until_the_first_is_in_the_world(demo_root, monkeypatch):
    """Two notes saved in quick succession both stay in the history: the
    second is refused with a message until the World holds the first (else
    both rows could get the same id and the second replace the first)."""
    import threading

    from kyogitai_tui.ui.host import WORLD_CATCHING_UP

    real = World.from_dataset.__func__
    rebuilt = threading.Event()

    def slow(cls, dataset):      # a large municipality: the rebuild lasts until the test lets it end
        if threading.current_thread() is not threading.main_thread():
            assert rebuilt.wait(60), "the test never let the World rebuild end"
        return real(cls, dataset)

    with DataStore.open(demo_root) as store:
        app = _app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_list(pilot)
            await _open_detail(pilot, "AI-07")
            monkeypatch.setattr(World, "from_dataset", classmethod(slow))

            async def note(text: str) -> str:
                await pilot.press("f7")
                await pilot.pause()
                app.screen.query_one("#field-note", Input).value = text
                await pilot.press("ctrl+s")
                await pilot.pause()
                return screen_text(app)

            try:
                await note("チラシの原稿ができた")
                assert WORLD_CATCHING_UP in await note("印刷所に渡した")
            finally:
                rebuilt.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("ctrl+s")                  # the same form, saved again
            await app.workers.wait_for_complete()
            await pilot.pause()
            history = screen_text(app)
            assert "チラシの原稿ができた" in history and "印刷所に渡した" in history
            app.saver.flush()
    notes = [p.note for p in _reopen(demo_root).action_state("AI-07").history]
    assert "チラシの原稿ができた" in notes and "印刷所に渡した" in notes


async def test_public_view_shows_no_resident_anywhere_on_the_list(demo_root):
    """F9 公開用表示: the list as it may be projected or shown outside the
    council. No resident label or code on screen (rows, the highlighted row's
    detail, the summary), no item dropped, typed words cannot find a hidden
    name, and Enter does not open the internal detail; F9 again restores it."""
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        marks = [m for s in world.subjects.values() for m in (s.label, s.code) if m]
        app = _app(store, dataset, world)
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_list(pilot)
            before = _ids(app)
            assert any(m in screen_text(app) for m in marks)          # the coordinator's own view names them
            await pilot.press("f9")
            await pilot.press("f7")                                   # the summary too
            await pilot.pause()
            shown = screen_text(app)
            assert "公開用表示" in shown
            assert not [m for m in marks if m in shown], shown
            assert _ids(app) == before                                # every item still listed
            table = app.screen.query_one("#fu-table", DataTable)
            for row in range(table.row_count):                        # each row's detail line
                table.move_cursor(row=row)
                await pilot.pause()
                assert not [m for m in marks if m in str(app.screen.query_one("#fu-detail", Static).render())]
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.query("#fu-table")                      # the detail screen did not open
            app.screen.query_one("#fu-search", Input).value = "Eさん"
            await pilot.pause()
            assert _ids(app) == []                                    # a hidden name is not searchable
            app.screen.query_one("#fu-search", Input).value = ""
            await pilot.press("f9")
            await pilot.pause()
            assert any(m in screen_text(app) for m in marks)
