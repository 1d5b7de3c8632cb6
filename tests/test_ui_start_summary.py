"""Start-up from the summary file: the home screen shows the councils at once,
the World loads in the background, ctrl+q during that load quits at once,
and the app leaves a current summary behind after a session that saved."""
from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from textual.widgets import DataTable

from kyogitai_tui.commands._app import refresh_summary
from kyogitai_tui.commands._common import load_data, load_world
from kyogitai_tui.commands.demo_data import write_demo
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.reports.summary import SUMMARY_VERSION, Summary
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.store.summary import read_summary
from kyogitai_tui.ui.app import KyogitaiApp

TODAY = date(2025, 9, 9)
loaders: list[threading.Thread] = []     # the threads the held World loads run in


@pytest.fixture
def demo_root(tmp_path):
    root = tmp_path / "data"
    write_demo(root, TODAY, None, force=False)
    return root


@pytest.fixture
def hold_load(monkeypatch):
    """hold_load(): from now on the World load waits until the event returned
    is set (a large municipality)."""
    release = threading.Event()
    real = World.from_dataset.__func__
    loaders.clear()

    def slow(cls, dataset):
        loaders.append(threading.current_thread())
        release.wait(30)
        return real(cls, dataset)

    def hold() -> threading.Event:
        monkeypatch.setattr(World, "from_dataset", classmethod(slow))
        return release

    yield hold
    release.set()


def _cells(app) -> list[list[str]]:
    table = app.screen.query_one("#councils", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _home_from_world(root) -> list[list[str]]:
    with DataStore.open(root, read_only=True) as store:
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=load_world(store), today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return _cells(app)


async def test_home_shows_the_summary_rows_before_the_world_and_the_same_after(demo_root, hold_load):
    expected = await _home_from_world(demo_root)
    assert len(expected) == 4
    held_load = hold_load()
    with DataStore.open(demo_root, load=False) as store:
        home = store.read_summary("home", SUMMARY_VERSION)
        assert home is not None
        app = KyogitaiApp(store=store, catalog=default_catalog(), summary=Summary(home=home), today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.world is None                       # still loading...
            assert _cells(app) == expected                 # ...and the councils are there
            held_load.set()
            for _ in range(200):
                await pilot.pause(0.02)
                if app.world is not None:
                    break
            assert app.world is not None and app.dataset is not None
            assert _cells(app) == expected


async def test_ctrl_q_while_the_world_loads_quits_at_once(demo_root, hold_load):
    hold_load()
    with DataStore.open(demo_root, load=False) as store:
        home = store.read_summary("home", SUMMARY_VERSION)
        app = KyogitaiApp(store=store, catalog=default_catalog(), summary=Summary(home=home), today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(200):                  # the load starts shortly after the first screen
                await pilot.pause(0.02)
                if loaders:
                    break
            assert app.world is None
            started = time.monotonic()
            await pilot.press("ctrl+q")
            await pilot.pause()
        elapsed = time.monotonic() - started
        t0 = time.monotonic()
    assert elapsed < 2, f"ctrl+q took {elapsed:.1f} s while the World was loading"
    # the process can end now: the load still running is in a daemon thread
    # (in the event loop's executor, asyncio.run would join it: 30 s here)
    assert loaders and all(t.daemon and t.is_alive() for t in loaders), loaders
    assert time.monotonic() - t0 < 2, "closing the store waited for the background load"


def test_after_a_session_that_saved_the_summary_is_current_and_holds_the_new_text(demo_root):
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        doc = dict(dataset["meetings"]["M-C2-02"]["statements"][0], text="会期中に直した発言ぬばたま")
        dataset["meetings"]["M-C2-02"]["statements"][0] = doc       # as a session does
        store.write_file("meeting", "M-C2-02", [("statements", None, doc)])
        assert read_summary(demo_root, "search", SUMMARY_VERSION) is None    # stale now
        refresh_summary(store, dataset)
    search = read_summary(demo_root, "search", SUMMARY_VERSION)
    assert search is not None
    hits = Summary(search=search).search_index().search("ぬばたま")
    assert [h.entry.entity_id for h in hits] == [doc["id"]]


async def test_start_reads_no_history_and_leaving_home_starts_the_load(demo_root, monkeypatch):
    """With a current summary nothing but the home rows is read at start; the
    World is read when the app has been idle a moment, or at once when the
    coordinator opens a council before that."""
    monkeypatch.setattr(KyogitaiApp, "WORLD_LOAD_DELAY", 60.0)   # a coordinator quicker than the timer
    with DataStore.open(demo_root, load=False) as store:
        home = store.read_summary("home", SUMMARY_VERSION)
        app = KyogitaiApp(store=store, catalog=default_catalog(), summary=Summary(home=home), today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.3)
            assert app.world is None and app.dataset is None     # no meeting read for the home screen
            await pilot.press("enter")                            # open the first council
            for _ in range(250):
                await pilot.pause(0.02)
                if app.world is not None:
                    break
            assert app.world is not None, "opening a council did not start reading the meetings"
            assert type(app.screen).__name__ == "CouncilScreen"
