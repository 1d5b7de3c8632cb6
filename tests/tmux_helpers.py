"""The real `kyogitai` in a terminal (tmux), for tests/test_tmux_live.py and
tests/test_reliability_instances.py.

Every test process talks to a tmux server of its own (a socket named after its
pid, removed when the process ends), so parallel pytest workers, and a user's
own tmux, never see each other's sessions. Waits poll for what they wait for, with a deadline, never a fixed sleep.
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from kyogitai_tui.store.lock import pid_alive

SOCKET = Path(tempfile.gettempdir()) / f"kyogitai-tests-tmux-{os.getpid()}"

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux がないため端末テストを省略します")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-S", str(SOCKET), *args], capture_output=True, text=True, check=False).stdout


@atexit.register
def _end_server() -> None:
    if SOCKET.exists():
        tmux("kill-server")
        SOCKET.unlink(missing_ok=True)


def wait_until(condition, timeout: float, what: str):
    """Poll ``condition`` until it returns something true (returned), or fail
    naming ``what`` once ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{timeout:.0f} 秒待っても{what}")
        # each look at the screen is a tmux client process: 0.15 s keeps a
        # walk prompt without spending a core on polling under a loaded suite
        time.sleep(0.15)


def wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    """The screen once it shows ``text``."""
    screen = ""

    def shown():
        nonlocal screen
        screen = tmux("capture-pane", "-pt", session)
        return screen if text in screen else None

    try:
        return wait_until(shown, timeout, f"「{text}」が画面に出ませんでした")
    except AssertionError as exc:
        raise AssertionError(f"{exc}:\n{screen}") from None


def start(name: str, root, size=(120, 40), today: str = "2025-09-16") -> None:
    """`python -m kyogitai_tui --data-dir ROOT` in a new detached session."""
    cmd = f"{sys.executable} -m kyogitai_tui --data-dir {root} --today {today}"
    tmux("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), cmd)


def pane_pid(name: str) -> int:
    return int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())


def wait_dead(pid: int, timeout: float = 10.0) -> None:
    """Until ``pid`` is gone (or a zombie), under any load."""
    wait_until(lambda: not pid_alive(pid), timeout, f"pid {pid} が終わりませんでした")


def session_open(name: str) -> bool:
    return subprocess.run(["tmux", "-S", str(SOCKET), "has-session", "-t", f"={name}"],
                          capture_output=True, check=False).returncode == 0


def wait_closed(name: str, timeout: float = 10.0) -> None:
    """Until the session has ended (its program quit)."""
    wait_until(lambda: not session_open(name), timeout, f"端末 {name} が閉じませんでした")


def settled(name: str, what: str = "画面", still_for: float = 0.3, timeout: float = 20.0) -> None:
    """Until the styled screen has stayed the same for ``still_for`` seconds
    (a dialog's focus set, a focus moved by Tab), so the next keys reach the
    widget a person would see focused."""
    last, since = None, time.monotonic()

    def still():
        nonlocal last, since
        now = tmux("capture-pane", "-ept", name)
        if now != last:
            last, since = now, time.monotonic()
        return time.monotonic() - since >= still_for

    wait_until(still, timeout, f"{what}が落ち着きませんでした")


def send(name: str, *keys: str) -> None:
    tmux("send-keys", "-t", name, *keys)
    if "Tab" in keys:
        # text sent right after Tab may land in the previous field while the
        # app is still moving the focus: let it move, and the screen settle
        time.sleep(0.4)
        settled(name, "Tab のあとの画面")


def type_ja(name: str, text: str) -> None:
    """Type as an IME commits, then wait until the screen shows it.  Typed
    again only if the screen has not changed at all after 5 s (the keys went
    nowhere, e.g. no field had the focus yet); a slow app that got the keys
    is waited for, never given them twice."""
    before = tmux("capture-pane", "-pt", name)
    tmux("send-keys", "-t", name, "-l", text)
    try:
        wait_for(name, text, timeout=5)
        return
    except AssertionError:
        if tmux("capture-pane", "-pt", name) == before:
            tmux("send-keys", "-t", name, "-l", text)
    wait_for(name, text, timeout=20)


def wait_form(name: str, title: str) -> None:
    """A dialog is drawn and has settled: its first field has the focus
    (it takes it right after mounting; under load that can lag the first paint)."""
    wait_for(name, title)
    settled(name, f"「{title}」の画面")
