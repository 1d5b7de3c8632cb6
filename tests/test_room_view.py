"""The room's screen (``kyogitai view``): a meeting run in the facilitator's app
reaches the read-only view, which never takes the lock and never shows a
resident; F10 on the live screen says how to open it and how many browsers
are connected; bad input on the shell ends in a Japanese message and exit 2."""
from __future__ import annotations

import asyncio
import json
import os
import socket
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyogitai_tui.cli import main
from kyogitai_tui.commands._common import load_data
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes.room import INDIVIDUAL_LINE, room_view, view_from_doc, view_to_doc
from kyogitai_tui.store import DataStore
from kyogitai_tui.store.lock import DataLock
from kyogitai_tui.store.room_status import write_room_status
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.room.app import RoomApp
from kyogitai_tui.ui.room.source import RoomSource
from kyogitai_tui.ui.screens.room_info import RoomInfoScreen

from test_minutes_demo import find_hits
from test_minutes_property import meeting_dataset
from ui_helpers import type_statement

M3 = "M-C2-03"
CLOCK = lambda: datetime(2025, 9, 16, 14, 5)  # noqa: E731


async def _run_meeting(app, pilot):
    app.session = MeetingSession(app.dataset, app.world, M3, now=app.clock, today=app.today)
    app.start_live()
    await pilot.pause()
    return app.screen


async def _saved(app, pilot):
    await asyncio.to_thread(app.saver.flush)
    await pilot.pause()


class _Fixed:
    """A source that hands the view one RoomView (no folder)."""

    def __init__(self, view):
        self.view = view

    def poll(self):
        view, self.view = self.view, None
        return view


async def test_a_meeting_run_in_the_app_reaches_the_view_without_its_lock(demo_root, tmp_path, monkeypatch):
    monkeypatch.setenv("KYOGITAI_RUNTIME_DIR", str(tmp_path / "run"))
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        resident = next(iter(world.subjects.values()))
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=date(2025, 9, 16), clock=CLOCK)
        async with app.run_test(size=(120, 40)) as pilot:
            await _run_meeting(app, pilot)
            await _saved(app, pilot)
            source = RoomSource(demo_root, catalog=default_catalog(), now=CLOCK)
            view = source.poll()
            assert view.meeting_id == M3 and view.status == "進行中"
            assert view.item_title == "前回議事録の確認"
            assert view.item_position.startswith("議題 1／")
            assert source.poll() is None            # nothing changed: nothing read again

            # a statement typed in the app reaches the view; one naming a resident does not
            await type_statement(pilot, app, "買い物の足が足りないという声が多い。")
            await type_statement(pilot, app, f"{resident.label}は一人で通院している。")
            await _saved(app, pilot)
            view = source.poll()
            assert any("買い物の足が足りない" in line for line in view.lines)
            assert find_hits(list(view.texts()), {resident.label, resident.code}) == []

            # the view reads while the app holds the folder's lock, and leaves it held
            assert DataLock(demo_root).acquire() is not None

            # F10: how to open the room view; serve's status file gives the URL and the count
            await pilot.press("f10")
            await pilot.pause()
            info = app.screen
            assert isinstance(info, RoomInfoScreen)
            text = str(info.query_one("#room-info-text").content)
            assert f"kyogitai view --data-dir {demo_root}" in text
            assert "接続しているブラウザ：0 台" in text
            write_room_status(demo_root, {"pid": os.getpid(), "url": "http://192.0.2.9:8400/?token=abc",
                                          "clients": 2})
            await pilot.pause(1.3)
            text = str(info.query_one("#room-info-text").content)
            assert "http://192.0.2.9:8400/?token=abc" in text and "接続しているブラウザ：2 台" in text
            await pilot.press("escape")

            # the room's screen itself shows the item and the statement
            room = RoomApp(RoomSource(demo_root, catalog=default_catalog(), now=CLOCK), now=CLOCK)
            async with room.run_test(size=(100, 30)) as rp:
                for _ in range(40):
                    await rp.pause(0.05)
                    if "前回議事録の確認" in room.screen_text():
                        break
                shown = room.screen_text()
                assert "前回議事録の確認" in shown and "買い物の足が足りない" in shown
                assert "経過／予定　00:00／3分" in shown
                assert resident.label not in shown


async def test_an_individual_case_item_shows_only_that_a_case_is_discussed(demo_world):
    world = demo_world
    rec = world.meetings["M-C2-02"]
    a03 = next(a for a in rec.agenda_items if a.template == "A03")
    rec.meeting.status = "IN_PROGRESS"
    rec.meeting.current_agenda_item_id = a03.id
    view = room_view(world, "M-C2-02", datetime(2025, 9, 16, 14, 30))
    assert view.lines == (INDIVIDUAL_LINE,)
    # serve hands this view to its browsers as JSON: it reads back the same
    assert view_from_doc(json.loads(json.dumps(view_to_doc(view)))) == view
    tokens = {t for s in world.subjects.values() for t in (s.code, s.label)}
    assert find_hits(list(view.texts()), tokens) == []


def test_view_and_serve_refuse_bad_input_in_japanese(tmp_path, demo_root, capsys):
    assert main(["view", "--data-dir", str(tmp_path / "none")]) == 2
    assert "見つかりません" in capsys.readouterr().err
    assert main(["view", "--data-dir", str(demo_root), "--meeting", "M-X"]) == 2
    assert "会議「M-X」が見つかりません" in capsys.readouterr().err
    with socket.socket() as s:
        s.bind(("127.0.0.1", 18150))
        s.listen()
        assert main(["serve", "--data-dir", str(demo_root), "--port", "18150"]) == 2
        assert "ポート 18150 はほかのプログラムが使っています" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--data-dir", str(demo_root), "--port", "99999"])
    assert exc.value.code == 2


# ---------------------------------------------------------------------------
# property: no resident label or code reaches the view's screen
# ---------------------------------------------------------------------------

async def _screen_of(view) -> str:
    room = RoomApp(_Fixed(view), now=lambda: datetime(2025, 7, 15, 14, 30))
    async with room.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        return room.screen_text()


@settings(deadline=None, max_examples=8,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(meeting_dataset(), st.data())
def test_no_resident_reaches_the_room_screen(dataset, data):
    m2 = dataset["meetings"]["M2"]
    items = m2["agenda_items"]
    current = data.draw(st.sampled_from(items))
    m2["meeting"][0]["status"] = "IN_PROGRESS"
    m2["meeting"][0]["current_agenda_item_id"] = current["id"]
    current["state"] = "ACTIVE"
    current["started_at"] = "2025-07-15T14:10:00"
    world = World.from_dataset(dataset)
    tokens = {t for s in world.subjects.values() for t in (s.code, s.label)}
    view = room_view(world, "M2", datetime(2025, 7, 15, 14, 30))
    assert view.item_title
    shown = asyncio.run(_screen_of(view))
    assert find_hits(shown.splitlines(), tokens) == []


async def test_an_empty_folder_waits_for_a_meeting_and_a_damaged_one_says_so(tmp_path):
    root = tmp_path / "data"
    DataStore.open(root, create=True).close()          # what `kyogitai --data-dir` makes on first start
    source = RoomSource(root, catalog=default_catalog(), now=CLOCK)
    room = RoomApp(source, now=CLOCK)
    async with room.run_test(size=(80, 24)) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            if "進行中の会議はありません" in room.screen_text():
                break
        assert "進行中の会議はありません" in room.screen_text()
        (root / "registry.json").write_text("{ not json", encoding="utf-8")
        for _ in range(40):
            await pilot.pause(0.05)
            if "データを読めませんでした" in room.screen_text():
                break
        assert "データを読めませんでした" in room.screen_text()
        assert room.is_running                      # a damaged folder is said, never a crash
