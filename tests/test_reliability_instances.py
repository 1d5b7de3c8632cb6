"""Two real `kyogitai` apps on one folder (tmux): the second opens read-only
and names the first; once the first is killed with SIGKILL the next start
takes the stale lock over and can save. Store-level real-process tests:
tests/test_store_lock.py::test_real_second_process_opens_read_only and
::test_lock_of_killed_real_process_is_taken_over."""
from __future__ import annotations

import os
import signal


from kyogitai_tui.store import DataStore
from kyogitai_tui.store.lock import read_lock_holder
from tmux_helpers import needs_tmux, pane_pid, start, tmux, wait_closed, wait_dead, wait_until

pytestmark = needs_tmux


def flat(screen: str) -> str:
    return "".join(screen.split())


def wait_flat(session: str, text: str, timeout: float = 20.0) -> str:
    """The screen without spaces and line breaks once it shows ``text`` (which
    may wrap); a frame caught half-drawn is simply read again."""
    screen = ""

    def shown():
        nonlocal screen
        screen = flat(tmux("capture-pane", "-pt", session))
        return screen if text in screen else None

    try:
        return wait_until(shown, timeout, f"「{text}」が画面に出ませんでした")
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {screen}") from None


def test_second_real_app_is_read_only_and_a_killed_first_one_is_taken_over(demo_root):
    root = demo_root
    first, second = f"kyogitai-first-{os.getpid()}", f"kyogitai-second-{os.getpid()}"
    try:
        start(first, root)
        wait_flat(first, "北みほん支え合い会議")
        holder = pane_pid(first)
        assert read_lock_holder(root).pid == holder

        start(second, root)
        screen = wait_flat(second, "読み取り専用で開きました")
        assert f"このデータは別のkyogitai（pid{holder}、ホスト" in screen
        tmux("send-keys", "-t", second, "C-q")
        wait_closed(second)

        os.kill(holder, signal.SIGKILL)  # the first app dies without releasing anything
        wait_dead(holder)
        tmux("kill-session", "-t", first)
        assert read_lock_holder(root).pid == holder  # the stale lock is still on disk

        start(second, root)
        screen = wait_flat(second, "未完了の取組1件（うち期限超過")  # fully drawn, detail included
        assert "読み取り専用" not in screen
        assert read_lock_holder(root).pid == pane_pid(second)  # taken over
        tmux("send-keys", "-t", second, "C-q")
        wait_closed(second)
    finally:
        tmux("kill-session", "-t", first)
        tmux("kill-session", "-t", second)
    with DataStore.open(root) as store:
        assert not store.read_only
