"""Single-writer lock: live holders make later opens read-only; stale locks are taken over."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kyogitai_tui.store import DataStore, LockHeldError, ReadOnlyError
from kyogitai_tui.store.lock import LockHolder, pid_alive, read_lock_holder

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "data"
    DataStore.open(r, create=True).close()
    return r


def write_lock(root: Path, **fields) -> None:
    content = {"pid": None, "host": socket.gethostname(), "since": "2026-11-27T09:00:00+09:00", "app": "kyogitai-tui"}
    content.update(fields)
    (root / ".lock").write_text(json.dumps(content), encoding="utf-8")


@pytest.fixture
def sleeper():
    proc = subprocess.Popen(["sleep", "30"])
    yield proc
    proc.kill()
    proc.wait()


def test_second_open_in_same_process_is_read_only(root):
    with DataStore.open(root) as first:
        assert not first.read_only
        with DataStore.open(root) as second:
            assert second.read_only
            assert second.lock_holder.pid == os.getpid()
            assert second.lock_holder.host == socket.gethostname()
            assert second.notice.startswith(f"このデータは別の kyogitai（pid {os.getpid()}、ホスト ")
            assert "読み取り専用で開きました" in second.notice
            with pytest.raises(ReadOnlyError) as info:
                second.upsert("t", {"id": "x"})
            assert "ほかの kyogitai を終了してから" in info.value.message
        first.upsert("t", {"id": "x"})  # the writer is unaffected
    with DataStore.open(root) as again:  # released on close
        assert not again.read_only


def test_lock_file_naming_another_live_pid_is_respected(root, sleeper):
    write_lock(root, pid=sleeper.pid)
    with DataStore.open(root) as s:
        assert s.read_only
        assert s.lock_holder.pid == sleeper.pid
        assert s.lock_holder.since == "2026-11-27T09:00:00+09:00"
        assert f"pid {sleeper.pid}、ホスト {socket.gethostname()}、2026-11-27 09:00 から" in s.notice
    assert read_lock_holder(root).pid == sleeper.pid  # a reader never rewrites the lock
    sleeper.kill()
    sleeper.wait()
    with DataStore.open(root) as s:  # its process is gone: taken over
        assert not s.read_only and s.lock_holder is None
        assert read_lock_holder(root).pid == os.getpid()


def test_lock_of_exited_process_is_taken_over(root):
    proc = subprocess.Popen(["true"])
    proc.wait()
    assert not pid_alive(proc.pid)
    write_lock(root, pid=proc.pid)
    with DataStore.open(root) as s:
        assert not s.read_only
        s.upsert("t", {"id": "x"})


def test_zombie_holder_counts_as_dead(root):
    proc = subprocess.Popen(["sleep", "30"])
    proc.kill()
    try:
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)  # dead but not reaped: a zombie
        write_lock(root, pid=proc.pid)
        with DataStore.open(root) as s:
            assert not s.read_only
    finally:
        proc.wait()


def test_reused_pid_with_other_start_time_is_stale(root, sleeper):
    write_lock(root, pid=sleeper.pid, start_ticks=1)  # same pid, different process start
    with DataStore.open(root) as s:
        assert not s.read_only


def test_garbage_lock_file_is_taken_over(root):
    (root / ".lock").write_text("{half", encoding="utf-8")
    with DataStore.open(root) as s:
        assert not s.read_only


def test_holder_on_another_host_is_respected(root):
    write_lock(root, pid=1, host="other-pc.example")
    with DataStore.open(root) as s:
        assert s.read_only
        assert "ホスト other-pc.example" in s.notice


def test_no_fallback_raises_lock_held(root, sleeper):
    write_lock(root, pid=sleeper.pid)
    with pytest.raises(LockHeldError) as info:
        DataStore.open(root, fallback_read_only=False)
    assert info.value.holder.pid == sleeper.pid
    assert f"pid {sleeper.pid}" in info.value.message and "開けませんでした" in info.value.message


def _child(root: Path, body: str) -> str:
    return textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {SRC!r})
        from kyogitai_tui.store import DataStore
        root = {str(root)!r}
        """
    ) + textwrap.dedent(body)


def test_real_second_process_opens_read_only(root):
    with DataStore.open(root) as s:
        s.upsert("organizations", {"id": "O1", "name": "社協"})
        code = _child(root, """
            s = DataStore.open(root)
            print(s.read_only, s.lock_holder.pid, s.get("organizations", "O1")["name"])
            s.close()
        """)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == ["True", str(os.getpid()), "社協"]


def test_lock_of_killed_real_process_is_taken_over(root):
    code = _child(root, """
        import time
        s = DataStore.open(root)
        print("ready", s.read_only, flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().split() == ["ready", "False"]
        with DataStore.open(root) as s:
            assert s.read_only and s.lock_holder.pid == proc.pid
    finally:
        proc.kill()  # SIGKILL: no chance to release anything
        proc.wait()
        proc.stdout.close()
    assert read_lock_holder(root).pid == proc.pid  # the stale file is still there
    with DataStore.open(root) as s:
        assert not s.read_only


def test_lock_file_is_owner_only(root):
    with DataStore.open(root):
        assert (os.stat(root / ".lock").st_mode & 0o777) == 0o600


def test_holder_describe_handles_unknowns():
    assert LockHolder(None, None, None).describe() == ""
    assert LockHolder(12, "h", "2026-11-27T09:05:00+09:00").describe() == "pid 12、ホスト h、2026-11-27 09:05 から"
