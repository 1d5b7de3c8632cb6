"""A save that fails (disk full, quota, permission, read-only disk, I/O error)
leaves the previous data intact, says so in Japanese, keeps the edit in
memory and tries again until it is on disk; nothing is dropped silently.

The failures are injected where the operating system would report them: the
``open`` of the temp file (or of the backup), through the real store. Tests
run as root here, and root ignores ``chmod``, so a real read-only directory
is only tested when not root (tests/test_store_datastore.py::test_unwritable_root
covers the opening check either way).
"""
from __future__ import annotations

import errno
import os
import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from kyogitai_tui.commands._app import report_unsaved as _report_unsaved

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.changes import Change
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore, StoreError
from kyogitai_tui.store import storage as storage_mod
from kyogitai_tui.store.storage import is_temp_file
from kyogitai_tui.ui.app import KyogitaiApp

FAILURES = {
    "ENOSPC": (errno.ENOSPC, "ディスクの空き容量が足りないため保存できませんでした。"),
    "EDQUOT": (errno.EDQUOT, "ディスクの空き容量が足りないため保存できませんでした。"),
    "EACCES": (errno.EACCES, "書き込みの権限がありません。フォルダの権限を確認してください"),
    "EROFS": (errno.EROFS, "ディスクが読み取り専用になっています"),
    "EIO": (errno.EIO, "ディスクの読み書きに失敗しました。"),
}


class Disk:
    """Makes every file creation of the store fail with ``errno`` while ``broken``."""

    def __init__(self, monkeypatch, code: int, where=is_temp_file) -> None:
        self.code, self.where, self.broken = code, where, True
        real_open = os.open

        def fake_open(path, flags, *args, **kw):
            if self.broken and flags & os.O_CREAT and self.where(Path(path).name):
                raise OSError(self.code, os.strerror(self.code), str(path))
            return real_open(path, flags, *args, **kw)

        monkeypatch.setattr(storage_mod.os, "open", fake_open)


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != ".lock"}


@pytest.fixture
def root(tmp_path):
    r = tmp_path / "data"
    with DataStore.open(r, create=True) as s:
        s.create_meeting("M-1", {"statements": [{"id": "S1", "text": "最初の発言"}]})
        s.upsert("organizations", {"id": "O1", "name": "社協"})
    return r


OPERATIONS = {
    "meeting_upsert": lambda s: s.meeting_upsert("M-1", "statements", {"id": "S2", "text": "二つ目"}),
    "apply_batch": lambda s: s.apply_batch([("organizations", {"id": "O2", "name": "NPO"}),
                                            ("organizations", {"id": "O1", "name": "社協（改）"})]),
    "create_meeting": lambda s: s.create_meeting("M-2", {"statements": [{"id": "S1"}]}),
}


def visible(s: DataStore) -> tuple:
    return ([d["id"] for d in s.meeting_all("M-1", "statements")],
            sorted((d["id"], d["name"]) for d in s.all("organizations")), s.meeting_ids())


@pytest.mark.parametrize("op", list(OPERATIONS))
@pytest.mark.parametrize("failure", list(FAILURES))
def test_failed_save_keeps_previous_data_and_says_why(root, monkeypatch, failure, op):
    code, said = FAILURES[failure]
    with DataStore.open(root) as s:
        s.meeting_upsert("M-1", "statements", {"id": "S0", "text": "バックアップ済みの版"})  # backups done
        before, shown = snapshot(root), visible(s)
        disk = Disk(monkeypatch, code)
        with pytest.raises(StoreError) as info:
            OPERATIONS[op](s)
        assert said in info.value.message and "保存" in info.value.message
        assert snapshot(root) == before  # byte-identical, no temp file left
        assert visible(s) == shown  # memory matches disk
        disk.broken = False
        OPERATIONS[op](s)  # once the cause is gone the same save works
        assert visible(s) != shown
    with DataStore.open(root) as s:
        assert visible(s) != shown


def test_backup_that_cannot_be_written_refuses_the_save(root, monkeypatch):
    """The first save of a session backs the file up; if the backup cannot be
    written the save is refused rather than made without a backup."""
    before = snapshot(root)
    with DataStore.open(root) as s:
        disk = Disk(monkeypatch, errno.ENOSPC, where=lambda name: name.startswith(".M-1.json.1"))
        with pytest.raises(StoreError) as info:
            s.meeting_upsert("M-1", "statements", {"id": "S2"})
        assert "空き容量" in info.value.message
        assert snapshot(root) == before
        disk.broken = False
        s.meeting_upsert("M-1", "statements", {"id": "S2"})
    assert (root / "backups" / "meetings" / "M-1.json.1").read_bytes() == before[root / "meetings" / "M-1.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root は chmod を無視するため、実際の読み取り専用フォルダは root 以外でのみ試せます")
def test_real_read_only_meetings_folder(root):
    before = snapshot(root)
    os.chmod(root / "meetings", 0o500)
    try:
        with DataStore.open(root) as s:
            with pytest.raises(StoreError) as info:
                s.meeting_upsert("M-1", "statements", {"id": "S2"})
            assert "権限" in info.value.message
    finally:
        os.chmod(root / "meetings", 0o700)
    assert snapshot(root) == before


# -- in the app ----------------------------------------------------------------

async def _live_app(store, monkeypatch):
    monkeypatch.setattr(KyogitaiApp, "SAVE_RETRY_SECONDS", 0.2)
    dataset, world = load_data(store)
    app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                      today=date(2025, 9, 16), clock=lambda: datetime(2025, 9, 16, 14, 5))
    told: list[str] = []
    real_notify = app.notify
    app.notify = lambda message, **kw: (told.append(str(message)), real_notify(message, **kw))[1]
    return app, told


async def _say(pilot, app, text):
    box = app.screen.query_one("#statement-input", Input)
    box.focus()
    box.value = text
    await pilot.press("enter")
    await pilot.pause()


async def _wait(pilot, condition, seconds=10.0):
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


@pytest.mark.parametrize("failure", ["EACCES", "EROFS"])
async def test_live_statement_waits_in_memory_and_is_saved_by_the_retry(demo_root, monkeypatch, failure):
    """Nothing more is typed after the failure: the app's own retry saves it."""
    with DataStore.open(demo_root) as store:
        app, told = await _live_app(store, monkeypatch)
        async with app.run_test(size=(120, 40)) as pilot:
            app.session = MeetingSession(app.dataset, app.world, "M-C2-03", now=app.clock, today=app.today)
            app.start_live()
            await pilot.pause()
            app.saver.flush()
            disk = Disk(monkeypatch, FAILURES[failure][0])
            await _say(pilot, app, "保存に失敗する間の発言")
            assert await _wait(pilot, lambda: "保存できていません" in str(app.screen.query_one("#savebar", Static).render()))
            bar = str(app.screen.query_one("#savebar", Static).render())
            assert FAILURES[failure][1] in bar
            assert any(FAILURES[failure][1] in t for t in told)
            assert app.saver.pending > 0
            disk.broken = False  # the user fixed the folder; no key pressed
            assert await _wait(pilot, lambda: app.saver.pending == 0)
            assert await _wait(pilot, lambda: str(app.screen.query_one("#savebar", Static).render()) == "保存済み")
    with DataStore.open(demo_root) as store:
        texts = [s.text for s in World.from_dataset(store.load_dataset()).meetings["M-C2-03"].statements]
    assert "保存に失敗する間の発言" in texts


async def test_quit_while_saves_fail_warns_first_and_saves_when_it_can(demo_root, monkeypatch):
    with DataStore.open(demo_root) as store:
        app, told = await _live_app(store, monkeypatch)
        monkeypatch.setattr(KyogitaiApp, "SAVE_RETRY_SECONDS", 60)  # only ctrl+q retries here
        async with app.run_test(size=(120, 40)) as pilot:
            app.session = MeetingSession(app.dataset, app.world, "M-C2-03", now=app.clock, today=app.today)
            app.start_live()
            await pilot.pause()
            app.saver.flush()
            disk = Disk(monkeypatch, errno.ENOSPC)
            await _say(pilot, app, "終了直前の発言")
            app.saver.flush()
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert app.return_code is None  # still running
            assert any(t.startswith("保存できていない入力が 1 件あります") for t in told)
            disk.broken = False
            await pilot.press("ctrl+q")  # saved, then quits
            await pilot.pause()
        assert app.return_code == 0
    with DataStore.open(demo_root) as store:
        texts = [s.text for s in World.from_dataset(store.load_dataset()).meetings["M-C2-03"].statements]
    assert "終了直前の発言" in texts


def test_what_could_not_be_saved_is_printed_when_the_app_ends(capsys):
    _report_unsaved([Change("M-C2-03", "statements", "M-C2-03-ST1",
                            {"id": "M-C2-03-ST1", "text": "ディスクがいっぱいで残った発言"})])
    err = capsys.readouterr().err
    assert "保存できなかった入力が 1 件あります" in err
    assert "statements M-C2-03-ST1: ディスクがいっぱいで残った発言" in err


def test_an_unexpected_error_in_the_writer_keeps_the_change_and_the_thread(tmp_path):
    """A bug raising something other than StoreError/OSError must not kill the
    writer thread (every later save would vanish and quit would hang)."""
    from kyogitai_tui.ui.saver import Saver

    root = tmp_path / "data"
    results: list = []
    with DataStore.open(root, create=True) as store:
        store.create_meeting("M-1", {})
        real = store.write_file
        store.write_file = lambda *a, **kw: (_ for _ in ()).throw(RuntimeError("バグ"))
        saver = Saver(store, lambda error, pending: results.append((error, pending)))
        saver.save([Change("M-1", "statements", "S1", {"id": "S1", "text": "残すべき発言"})])
        flushed: list[bool] = []
        waiter = threading.Thread(target=lambda: flushed.append(saver.flush()), daemon=True)
        waiter.start()
        waiter.join(10)
        assert flushed == [False], "the writer thread died: flush never returns"
        assert results[-1][0].startswith("保存中に予期しないエラーが起きました（RuntimeError: バグ）")
        store.write_file = real
        saver.save([Change("M-1", "statements", "S2", {"id": "S2", "text": "次の発言"})])
        assert saver.close(timeout=5)
        assert [d["text"] for d in store.meeting_all("M-1", "statements")] == ["残すべき発言", "次の発言"]
