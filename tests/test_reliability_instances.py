"""Two real `kyogitai` apps on one folder (tmux): the second opens read-only
and names the first; once the first is killed with SIGKILL the next start
takes the stale lock over and can save. Store-level real-process tests:
tests/test_store_lock.py::test_real_second_process_opens_read_only and
::test_lock_of_killed_real_process_is_taken_over."""
from __future__ import annotations

import os
import shutil
import signal
import time
from datetime import date

import pytest

from kyogitai_tui.commands.demo_data import write_demo
from kyogitai_tui.store import DataStore
from kyogitai_tui.store.lock import pid_alive, read_lock_holder

from test_tmux_live import _pid, _start, tmux, wait_for

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux がないため端末テストを省略します")


def flat(screen: str) -> str:
    return "".join(screen.split())


def wait_flat(session: str, text: str, timeout: float = 20.0) -> str:
    """The screen without spaces and line breaks once it shows ``text`` (which
    may wrap); a frame caught half-drawn is simply read again."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = flat(tmux("capture-pane", "-pt", session))
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"「{text}」が画面に出ませんでした: {screen}")


def test_second_real_app_is_read_only_and_a_killed_first_one_is_taken_over(tmp_path):
    root = tmp_path / "data"
    write_demo(root, date(2025, 9, 9), None, force=False)
    first, second = f"kyogitai-first-{os.getpid()}", f"kyogitai-second-{os.getpid()}"
    try:
        _start(first, root)
        wait_for(first, "北みほん支え合い会議")
        holder = _pid(first)
        assert read_lock_holder(root).pid == holder

        _start(second, root)
        screen = wait_flat(second, "読み取り専用で開きました")
        assert f"このデータは別のkyogitai（pid{holder}、ホスト" in screen
        tmux("send-keys", "-t", second, "C-q")
        time.sleep(0.5)
        tmux("kill-session", "-t", second)

        os.kill(holder, signal.SIGKILL)  # the first app dies without releasing anything
        deadline = time.monotonic() + 10
        while pid_alive(holder) and time.monotonic() < deadline:  # gone (or a zombie) under any load
            time.sleep(0.05)
        tmux("kill-session", "-t", first)
        assert read_lock_holder(root).pid == holder  # the stale lock is still on disk

        _start(second, root)
        screen = wait_flat(second, "未完了の取組1件（うち期限超過")  # fully drawn, detail included
        assert "読み取り専用" not in screen
        assert read_lock_holder(root).pid == _pid(second)  # taken over
        tmux("send-keys", "-t", second, "C-q")
        time.sleep(0.5)
    finally:
        tmux("kill-session", "-t", first)
        tmux("kill-session", "-t", second)
    with DataStore.open(root) as store:
        assert not store.read_only
