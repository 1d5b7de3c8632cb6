"""The app itself on a shared PostgreSQL database: a meeting another
coordinator runs opens read-only with who runs it; the server stopped in
the middle of a meeting loses nothing (the edits wait in memory, a clear
Japanese message, saved when the server is back)."""
from __future__ import annotations

import time
from datetime import date

import pytest

from kyogitai_tui.commands._common import load_data
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.changes import registry_change
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.store.pg import PgStore
from kyogitai_tui.ui.app import KyogitaiApp

from pg_cluster import pg_cluster, pg_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.xdist_group("postgres")
TODAY = date(2025, 9, 9)


def listen(app) -> list[str]:
    """What the app tells the user (every notification)."""
    told: list[str] = []
    real = app.notify
    app.notify = lambda message, **kw: (told.append(str(message)), real(message, **kw))[1]
    return told


def planned_meeting(world) -> str:
    return next(mid for mid, r in sorted(world.meetings.items()) if r.meeting.status == "PLANNED")


async def test_a_meeting_run_elsewhere_opens_read_only_and_says_who(pg_url):
    from kyogitai_tui.ui.screens.past import PastMeetingScreen
    from kyogitai_tui.ui.screens.prepare import PrepareScreen

    with PgStore.open(pg_url) as setup:
        setup.write_dataset(load_demo(TODAY))
    other = PgStore.open(pg_url)           # another coordinator's app
    try:
        with PgStore.open(pg_url) as store:
            dataset, world = load_data(store)
            planned = [mid for mid, r in sorted(world.meetings.items()) if r.meeting.status == "PLANNED"]
            assert len(planned) >= 2
            assert other.lock_meeting(planned[0]) is None
            app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset, today=TODAY)
            told = listen(app)
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                app.open_meeting(planned[0])
                await pilot.pause()
                assert isinstance(app.screen, PastMeetingScreen)
                said = " ".join(told)
                assert "進行中" in said and "読み取り専用" in said and other.lock_meeting(planned[0]) is None
                council = world.councils[world.meetings[planned[0]].meeting.council_id].name
                assert council in said                       # which meeting, in the coordinator's words
                app.go_home()
                app.open_meeting(planned[1])      # nobody runs this one: prepared here, and now locked here
                await pilot.pause()
                assert isinstance(app.screen, PrepareScreen)
                assert other.lock_meeting(planned[1]) is not None
                await pilot.press("ctrl+q")
    finally:
        other.close()


async def test_server_stopped_mid_meeting_loses_nothing(pg_cluster):
    # the session's cluster is stopped and started again: the PostgreSQL
    # tests share one worker (xdist group), so nothing else uses it meanwhile
    own_cluster = pg_cluster
    url = own_cluster.url(own_cluster.new_database())
    with PgStore.open(url) as setup:
        setup.write_dataset(load_demo(TODAY))
    store = PgStore.open(url)
    try:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset, today=TODAY)
        app.SAVE_RETRY_SECONDS = 0.3
        told = listen(app)
        meeting_id = planned_meeting(world)
        org = dataset["registry"]["organizations"][0]
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.open_meeting(meeting_id)        # prepared: written, and the meeting's lock taken
            await pilot.pause()
            assert app.saver.flush()
            own_cluster.stop("immediate")       # the server goes away
            app.apply_changes([registry_change("organizations", org["id"], dict(org, name="停止中の改名"))])
            for _ in range(40):
                await pilot.pause(0.05)
                if app.last_save_error:
                    break
            assert app.last_save_error and "サーバーにつながりません" in app.last_save_error
            assert app.saver.pending >= 1
            said = " ".join(told)
            assert "自動で保存します" in said
            own_cluster.start()
            own_cluster.wait_ready()
            deadline = time.monotonic() + 15
            # the writer empties its queue first; the UI hears of it a moment
            # later (SaveResult) and only then clears the error the user sees
            while (app.saver.pending or app.last_save_error) and time.monotonic() < deadline:
                await pilot.pause(0.2)
            assert app.saver.pending == 0 and app.last_save_error is None
            await pilot.press("ctrl+q")
        assert app.saver.unsaved == []
    finally:
        store.close()
    with PgStore.open(url, read_only=True) as check:
        assert check.get("organizations", org["id"])["name"] == "停止中の改名"
        # the meeting lock came back with the reconnection, and went with the app
        assert check.has_meeting(meeting_id)
