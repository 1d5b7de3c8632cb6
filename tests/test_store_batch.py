"""A save writes each changed file's new state once, not one rewrite per change.

What a coordinator would notice: preparing and starting a meeting (33
documents) does not make the disk work 33 times, the file it writes is the
same as before (TinyDB's layout, readable by TinyDB itself), and a batch
that cannot be written leaves the file as it was and keeps every change for
the retry.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from tinydb import TinyDB

import kyogitai_tui.store.storage as storage
from kyogitai_tui.domain.changes import Change, registry_change
from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore, DiskFullError
from kyogitai_tui.ui.saver import Saver, apply_change

M3 = "M-C2-03"


def _open_demo(root: Path) -> DataStore:
    store = DataStore.open(root, create=True)
    store.write_dataset(load_demo(DEMO_TODAY))
    return store


def _prepare_and_start(store: DataStore) -> list[Change]:
    dataset = store.load_dataset()
    session = MeetingSession(dataset, World.from_dataset(dataset), M3,
                             now=lambda: datetime(2025, 9, 16, 14, 0), today=date(2025, 9, 16))
    return session.prepare() + session.start()


@pytest.fixture
def writes(monkeypatch):
    """Every durable write, by file name."""
    seen: list[str] = []
    real = storage.atomic_write_bytes

    def counting(target, payload):
        seen.append(Path(target).name)
        return real(target, payload)

    monkeypatch.setattr(storage, "atomic_write_bytes", counting)
    return seen


def _tables(path: Path) -> dict:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {t: sorted((json.dumps(d, sort_keys=True, ensure_ascii=False) for d in docs.values()))
            for t, docs in raw.items() if t != "_meta"}


def test_prepare_and_start_of_a_demo_meeting_is_one_write_of_its_file(tmp_path, writes):
    with _open_demo(tmp_path / "data") as store:
        changes = _prepare_and_start(store)
        assert len(changes) > 20 and {c.meeting_id for c in changes} == {M3}
        writes.clear()
        saver = Saver(store, lambda error, pending: None)
        saver.save(changes)
        assert saver.close()
    assert writes.count(f"{M3}.json") == 1, writes
    # the first write of a session backs the file up first (a copy, not a durable write of ours)
    assert [w for w in writes if w != f"{M3}.json"] == []


def test_a_batch_writes_what_a_replay_would_have_written(tmp_path, writes):
    """Same content and layout as writing the changes one at a time (the old
    way): existing data folders and TinyDB itself read the file the same."""
    with _open_demo(tmp_path / "batch") as store:
        changes = _prepare_and_start(store)
        saver = Saver(store, lambda e, p: None)
        saver.save(changes)
        assert saver.close()
    with _open_demo(tmp_path / "replay") as store:
        for ch in changes:
            apply_change(store, ch)
    batch = tmp_path / "batch" / "meetings" / f"{M3}.json"
    replay = tmp_path / "replay" / "meetings" / f"{M3}.json"
    assert _tables(batch) == _tables(replay)
    assert json.loads(batch.read_text(encoding="utf-8")) == json.loads(replay.read_text(encoding="utf-8"))
    db = TinyDB(batch, access_mode="r")
    try:
        statements = db.table("attendance").all()
        assert len(statements) == len(_tables(batch)["attendance"])
        assert sorted(d.doc_id for d in statements) == list(range(1, len(statements) + 1))
    finally:
        db.close()


def test_a_batch_that_cannot_be_written_changes_nothing_and_keeps_every_change(tmp_path, monkeypatch):
    with _open_demo(tmp_path / "data") as store:
        path = store.root / "meetings" / f"{M3}.json"
        before = path.read_bytes()
        changes = _prepare_and_start(store)
        results: list = []
        saver = Saver(store, lambda error, pending: results.append((error, pending)))
        real = storage.atomic_write_bytes

        def full(target, payload):
            raise DiskFullError(Path(target))

        monkeypatch.setattr(storage, "atomic_write_bytes", full)
        saver.save(changes)
        assert not saver.flush()
        assert path.read_bytes() == before
        assert saver.unsaved == changes          # all kept, in order, for the retry
        assert store.meeting_get(M3, "meeting", M3)["status"] == "PLANNED"   # memory matches disk
        monkeypatch.setattr(storage, "atomic_write_bytes", real)
        assert saver.close()
        assert store.meeting_get(M3, "meeting", M3)["status"] == "IN_PROGRESS"
        assert results[0][0] and "空き" in results[0][0] and saver.unsaved == []


def test_one_bad_document_refuses_its_whole_file_and_the_other_files_are_written(tmp_path):
    with _open_demo(tmp_path / "data") as store:
        path = store.root / "meetings" / f"{M3}.json"
        before = path.read_bytes()
        org = store.all("organizations")[0]
        good = Change(M3, "statements", "S-OK", {"id": "S-OK", "text": "書ける発言"})
        bad = Change(M3, "statements", "S-BAD", {"id": "S-BAD", "text": float("nan")})
        renamed = registry_change("organizations", org["id"], dict(org, name="改名後"))
        saver = Saver(store, lambda e, p: None)
        saver.save([renamed, good, bad])
        assert not saver.flush()
        assert path.read_bytes() == before                       # not half of the meeting's batch
        assert store.get("organizations", org["id"])["name"] == "改名後"   # the registry's own write
        assert saver.unsaved == [good, bad]
        saver.close()


def test_a_new_document_takes_the_next_number_and_a_deleted_one_frees_nothing_else(tmp_path):
    with DataStore.open(tmp_path / "d", create=True) as store:
        store.create_meeting("M-1", {"statements": [{"id": "S1"}, {"id": "S2"}, {"id": "S3"}]})
        store.write_file("meeting", "M-1", [("statements", "S2", None),
                                            ("statements", None, {"id": "S4", "text": "新"}),
                                            ("statements", None, {"id": "S1", "text": "直した"})])
        raw = json.loads((store.root / "meetings" / "M-1.json").read_text(encoding="utf-8"))
    assert raw["statements"] == {"1": {"id": "S1", "text": "直した"}, "3": {"id": "S3"},
                                 "4": {"id": "S4", "text": "新"}}
