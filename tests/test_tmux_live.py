"""The real `kyogitai` command in a terminal (tmux): a meeting in progress is
reopened at its item after the process is killed, with what was typed."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from datetime import date, datetime

import pytest

from kyogitai_tui.commands.demo_data import write_demo
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.saver import apply_change

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux がないため端末テストを省略します")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.time() + timeout
    screen = ""
    while time.time() < deadline:
        screen = tmux("capture-pane", "-pt", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"「{text}」が画面に出ませんでした:\n{screen}")


@pytest.fixture
def running_meeting(tmp_path):
    """A data dir whose 第3回 is in progress at A05, started 10 minutes ago."""
    root = tmp_path / "data"
    write_demo(root, date(2025, 9, 9), None, force=False)
    now = datetime.now().replace(microsecond=0)
    with DataStore.open(root) as store:
        dataset = store.load_dataset()
        world = World.from_dataset(dataset)
        s = MeetingSession(dataset, world, "M-C2-03", now=lambda: now, today=date(2025, 9, 16))
        changes = s.start()
        a05 = next(a for a in s.agenda if a.template == "A05")
        changes += s.goto(a05.id)
        for ch in changes:
            apply_change(store, ch)
    return root


def _start(name: str, root, size=(120, 40)) -> None:
    cmd = f"{sys.executable} -m kyogitai_tui --data-dir {root} --today 2025-09-16"
    tmux("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), cmd)


def _pid(name: str) -> int:
    return int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())


def test_killed_mid_meeting_reopens_at_the_item_with_nothing_lost(running_meeting):
    name = f"kyogitai-test-{os.getpid()}"
    try:
        _start(name, running_meeting)
        wait_for(name, "異種事業者間ネットワーク")
        screen = wait_for(name, "構成員14名中")
        tmux("send-keys", "-t", name, "F2")
        tmux("send-keys", "-t", name, "-l", "薬局にも声をかけてはどうか")
        tmux("send-keys", "-t", name, "Enter")
        wait_for(name, "薬局にも声をかけてはどうか")
        time.sleep(0.5)          # the writer thread has had its moment
        os.kill(_pid(name), signal.SIGKILL)
        time.sleep(0.3)
        tmux("kill-session", "-t", name)

        _start(name, running_meeting)
        screen = wait_for(name, "薬局にも声をかけてはどうか")
        assert "進行中" in screen and "異種事業者間ネットワーク" in screen
        ambiguous = sorted({ch for ch in screen if unicodedata.east_asian_width(ch) == "A"})
        assert ambiguous == [], ambiguous
        tmux("send-keys", "-t", name, "C-q")
        time.sleep(0.5)
    finally:
        tmux("kill-session", "-t", name)

    with DataStore.open(running_meeting) as store:
        world = World.from_dataset(store.load_dataset())
    rec = world.meetings["M-C2-03"]
    assert rec.meeting.status == "IN_PROGRESS"
    assert any(st.text == "薬局にも声をかけてはどうか" for st in rec.statements)
    current = next(a for a in rec.agenda_items if a.id == rec.meeting.current_agenda_item_id)
    assert current.template == "A05" and current.started_at is not None


def test_live_screen_fits_80x24_without_ambiguous_characters(running_meeting):
    name = f"kyogitai-small-{os.getpid()}"
    try:
        _start(name, running_meeting, size=(80, 24))
        screen = wait_for(name, "構成員14名中")
        ambiguous = sorted({ch for ch in screen if unicodedata.east_asian_width(ch) == "A"})
        assert ambiguous == [], ambiguous
        assert "発言" in screen          # the footer's keys are visible
        tmux("send-keys", "-t", name, "F1")
        screen = wait_for(name, "キー操作の一覧")
        assert "済・次へ" in screen
    finally:
        tmux("kill-session", "-t", name)


def _console_script() -> str | None:
    here = os.path.join(os.path.dirname(sys.executable), "kyogitai")
    return here if os.path.exists(here) else shutil.which("kyogitai")


@pytest.mark.skipif(_console_script() is None, reason="kyogitai コマンドが入っていません（pip install . が必要）")
def test_the_real_kyogitai_demo_command_walks_to_the_meeting():
    """`kyogitai --demo` as a user types it: home, the council, the meeting's
    preparation, then ctrl+q ends the process at once."""
    name = f"kyogitai-demo-{os.getpid()}"
    cmd = f"{_console_script()} --demo --today 2025-09-09; echo EXITED-$?; sleep 30"
    try:
        tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", cmd)
        wait_for(name, "北みほん支え合い会議")
        tmux("send-keys", "-t", name, "Down", "Enter")
        screen = wait_for(name, "会議の一覧")
        assert "第3回" in screen and "予定" in screen
        tmux("send-keys", "-t", name, "Enter")
        screen = wait_for(name, "会議の準備")
        assert "構成員14名中14名出席・成立" in screen
        tmux("send-keys", "-t", name, "F3")
        wait_for(name, "仮名 五月")
        tmux("send-keys", "-t", name, "C-q")
        wait_for(name, "EXITED-0", timeout=10)
    finally:
        tmux("kill-session", "-t", name)
