"""AtomicJSONStorage: atomic durable writes under injected failures at each step."""
from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from kyogitai_tui.store import storage as storage_mod
from kyogitai_tui.store.errors import DiskFullError, ReadOnlyError, StoreError, WriteFailedError
from kyogitai_tui.store.storage import AtomicJSONStorage, dumps_tinydb, is_temp_file

SRC = str(Path(__file__).resolve().parents[1] / "src")


def temp_files(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if is_temp_file(p.name)]


@pytest.fixture
def db(tmp_path: Path):
    path = tmp_path / "db.json"
    database = TinyDB(path, storage=AtomicJSONStorage)
    database.table("statements").insert({"id": "S1", "text": "移動支援の団体はまだ入っていない"})
    yield database
    database.close()


def disk(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_write_is_readable_japanese_and_owner_only(db, tmp_path):
    path = tmp_path / "db.json"
    text = path.read_text(encoding="utf-8")
    assert "移動支援" in text  # ensure_ascii=False
    assert "\\u" not in text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert disk(path) == {"statements": {"1": {"id": "S1", "text": "移動支援の団体はまだ入っていない"}}}


def test_reads_come_from_cache_not_disk(db, tmp_path, monkeypatch):
    db.table("statements").all()
    calls = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: calls.append(self) or real(self))
    for _ in range(5):
        db.table("statements").all()
    db.table("statements").insert({"id": "S2"})
    assert calls == []


def _boom(*_a, **_k):
    raise OSError(errno.EIO, "injected I/O error")


STEPS = ["serialise", "create_temp", "write_temp", "fsync_temp", "replace"]


def inject(step: str, monkeypatch, tmp_path: Path) -> None:
    if step == "serialise":
        monkeypatch.setattr(storage_mod, "dumps_tinydb", lambda data: (_ for _ in ()).throw(TypeError("injected")))
    elif step == "create_temp":
        real_open = os.open

        def fake_open(path, flags, mode=0o777, **kw):
            if is_temp_file(Path(path).name):
                raise OSError(errno.EIO, "injected")
            return real_open(path, flags, mode, **kw)

        monkeypatch.setattr(storage_mod.os, "open", fake_open)
    elif step == "write_temp":
        real_write = storage_mod.write_all

        def half_then_fail(fd, payload):  # a partial write, then the error
            real_write(fd, payload[: len(payload) // 2])
            raise OSError(errno.EIO, "injected")

        monkeypatch.setattr(storage_mod, "write_all", half_then_fail)
    elif step == "fsync_temp":
        monkeypatch.setattr(storage_mod.os, "fsync", _boom)
    elif step == "replace":
        monkeypatch.setattr(storage_mod.os, "replace", _boom)


@pytest.mark.parametrize("step", STEPS)
def test_failure_at_each_step_keeps_previous_version(db, tmp_path, monkeypatch, step):
    path = tmp_path / "db.json"
    before = path.read_bytes()
    inject(step, monkeypatch, tmp_path)
    expected = TypeError if step == "serialise" else WriteFailedError
    with pytest.raises(expected):
        db.table("statements").insert({"id": "S2", "text": "次回までに声をかけます"})
    monkeypatch.undo()
    assert path.read_bytes() == before  # byte-identical previous version
    assert temp_files(tmp_path) == []
    # memory matches disk: the failed insert is not visible
    assert [d["id"] for d in db.table("statements").all()] == ["S1"]
    # and the store still works afterwards
    db.table("statements").insert({"id": "S3"})
    assert [d["id"] for d in disk(path)["statements"].values()] == ["S1", "S3"]


def test_failure_after_replace_leaves_a_readable_file(db, tmp_path, monkeypatch):
    path = tmp_path / "db.json"
    monkeypatch.setattr(storage_mod, "fsync_dir", _boom)
    with pytest.raises(StoreError):
        db.table("statements").insert({"id": "S2"})
    monkeypatch.undo()
    ids = [d["id"] for d in disk(path)["statements"].values()]
    assert ids in (["S1"], ["S1", "S2"])
    assert [d["id"] for d in db.table("statements").all()] == ids  # cache dropped, re-read
    assert temp_files(tmp_path) == []


def test_update_failure_does_not_leak_mutation_into_memory(db, tmp_path, monkeypatch):
    monkeypatch.setattr(storage_mod.os, "replace", _boom)
    with pytest.raises(StoreError):
        db.table("statements").update({"text": "書き換え"})
    monkeypatch.undo()
    assert db.table("statements").all()[0]["text"] == "移動支援の団体はまだ入っていない"


@pytest.mark.parametrize("where", ["write_temp", "fsync_temp"])
def test_disk_full_raises_japanese_store_error(db, tmp_path, monkeypatch, where):
    path = tmp_path / "db.json"
    before = path.read_bytes()

    def enospc(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "write_temp":
        monkeypatch.setattr(storage_mod, "write_all", enospc)
    else:  # delayed allocation: ext4 may report ENOSPC only at fsync
        monkeypatch.setattr(storage_mod.os, "fsync", enospc)
    with pytest.raises(DiskFullError) as info:
        db.table("statements").insert({"id": "S2"})
    monkeypatch.undo()
    assert "ディスクの空き容量が足りないため保存できませんでした" in info.value.message
    assert "保存済みの内容は失われていません" in info.value.message
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []


def test_temp_file_is_created_owner_only(db, tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(stat.S_IMODE(os.stat(src).st_mode))
        return real_replace(src, dst)

    old = os.umask(0)
    try:
        monkeypatch.setattr(storage_mod.os, "replace", spy)
        db.table("statements").insert({"id": "S2"})
    finally:
        os.umask(old)
    assert seen == [0o600]


def test_read_only_storage_refuses_writes(tmp_path):
    path = tmp_path / "db.json"
    path.write_text('{"t": {"1": {"id": "a"}}}', encoding="utf-8")
    database = TinyDB(path, storage=AtomicJSONStorage, read_only=True)
    with pytest.raises(ReadOnlyError) as info:
        database.table("t").insert({"id": "b"})
    assert "読み取り専用" in info.value.message
    assert [d["id"] for d in database.table("t").all()] == ["a"]


def test_watch_sees_replacement_by_another_writer(tmp_path):
    path = tmp_path / "db.json"
    writer = TinyDB(path, storage=AtomicJSONStorage)
    writer.table("t").insert({"id": "a"})
    viewer = TinyDB(path, storage=AtomicJSONStorage, read_only=True, watch=True)
    assert len(viewer.table("t")) == 1
    writer.table("t").insert({"id": "b"})
    assert len(viewer.table("t")) == 2


def test_killed_writer_leaves_previous_version_and_a_temp_file_that_is_ignored(tmp_path):
    """A real process killed (SIGKILL) right before the rename."""
    path = tmp_path / "db.json"
    database = TinyDB(path, storage=AtomicJSONStorage)
    database.table("t").insert({"id": "a", "text": "前の版"})
    before = path.read_bytes()
    code = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {SRC!r})
        from tinydb import TinyDB
        from kyogitai_tui.store import storage
        storage.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
        db = TinyDB({str(path)!r}, storage=storage.AtomicJSONStorage)
        db.table("t").insert({{"id": "b", "text": "新しい版"}})
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert proc.returncode == -9, proc.stderr
    assert path.read_bytes() == before
    leftovers = temp_files(tmp_path)
    assert len(leftovers) == 1  # the killed process could not clean up
    assert "新しい版" in (tmp_path / leftovers[0]).read_text(encoding="utf-8")
    fresh = TinyDB(path, storage=AtomicJSONStorage)
    assert [d["id"] for d in fresh.table("t").all()] == ["a"]
    assert storage_mod.remove_stale_temp_files(tmp_path) == [tmp_path / leftovers[0]]
    assert temp_files(tmp_path) == []


json_scalars = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(json_scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(), c, max_size=4),
                           max_leaves=12)


@settings(deadline=None)  # examples: the profile's (generating the nested documents is what takes the time)
@given(st.dictionaries(st.text(min_size=1), st.dictionaries(st.integers(1, 10**6).map(str),
                                                           st.dictionaries(st.text(), json_values, max_size=4),
                                                           max_size=4), max_size=4))
def test_dumps_tinydb_round_trips(data):
    assert json.loads(dumps_tinydb(data)) == data
