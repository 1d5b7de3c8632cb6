"""The real `kyogitai` command in a terminal (tmux): a meeting in progress is
reopened at its item after the process is killed, with what was typed."""
from __future__ import annotations

import os
import shutil
import signal
import sys
import unicodedata
from datetime import date, datetime

import pytest

from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.saver import apply_change
from tmux_helpers import needs_tmux, pane_pid, start, tmux, wait_closed, wait_dead, wait_for, wait_until

pytestmark = needs_tmux


@pytest.fixture
def running_meeting(demo_root):
    """A data dir whose 第3回 is in progress at A05, started 10 minutes ago."""
    root = demo_root
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


def on_disk(root, text: str) -> bool:
    """``text`` is in the saved file of 第3回 (replaced whole by each save)."""
    return text in (root / "meetings" / "M-C2-03.json").read_text(encoding="utf-8")


def test_killed_mid_meeting_reopens_at_the_item_with_nothing_lost(running_meeting):
    name = f"kyogitai-test-{os.getpid()}"
    try:
        start(name, running_meeting)
        wait_for(name, "異種事業者間ネットワーク")
        screen = wait_for(name, "構成員14名中")
        tmux("send-keys", "-t", name, "F2")
        tmux("send-keys", "-t", name, "-l", "薬局にも声をかけてはどうか")
        tmux("send-keys", "-t", name, "Enter")
        wait_for(name, "薬局にも声をかけてはどうか")
        wait_until(lambda: on_disk(running_meeting, "薬局にも声をかけてはどうか"), 20,
                   "発言がファイルに保存されませんでした")  # the writer thread has had its moment
        pid = pane_pid(name)
        os.kill(pid, signal.SIGKILL)
        wait_dead(pid)
        tmux("kill-session", "-t", name)

        start(name, running_meeting)
        screen = wait_for(name, "薬局にも声をかけてはどうか")
        assert "進行中" in screen and "異種事業者間ネットワーク" in screen
        ambiguous = sorted({ch for ch in screen if unicodedata.east_asian_width(ch) == "A"})
        assert ambiguous == [], ambiguous
        tmux("send-keys", "-t", name, "C-q")
        wait_closed(name)
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
        start(name, running_meeting, size=(80, 24))
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
