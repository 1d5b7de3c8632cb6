"""The real `kyogitai` in a terminal (tmux), keys as a user sends them: on a
custom agenda item a statement is typed, corrected through its row, a
decision and an action are registered with F6/F8/F12; at 前回議事録の確認 a
correction is recorded as 誤/正; the meeting is closed; then
`kyogitai export-minutes` writes minutes that show all of it (and the previous
meeting's minutes the corrected wording)."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest

from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.saver import apply_change
from tmux_helpers import needs_tmux, start, tmux, wait_closed, wait_for, wait_until

pytestmark = needs_tmux

CUSTOM = "買い物同行の試行案"      # a 次回の議題 of 第2回, proposed on 第3回's agenda


def prepared_meeting(root, meeting_id: str = "M-C2-03") -> None:
    """Any prepared data folder: the meeting started 10 minutes ago, at A01."""
    now = datetime.now().replace(second=0, microsecond=0)
    with DataStore.open(root) as store:
        dataset = store.load_dataset()
        s = MeetingSession(dataset, World.from_dataset(dataset), meeting_id, now=lambda: now,
                           today=date(2025, 9, 16))
        changes = s.set_basics(start_time=(now - timedelta(minutes=10)).time())
        changes += s.start()
        for ch in changes:
            apply_change(store, ch)


def send(name: str, *keys: str) -> None:
    tmux("send-keys", "-t", name, *keys)
    if "Tab" in keys:
        # text sent right after Tab may still land in the previous field (a form
        # fault of issue 15 fixed in the set-up part): let the focus move first
        import time
        time.sleep(0.4)


def type_ja(name: str, text: str) -> None:
    """Type as an IME commits, then wait until the screen shows it (a form
    that has just opened focuses its first field a moment later: retry once)."""
    import time
    for attempt in range(2):
        tmux("send-keys", "-t", name, "-l", text)
        try:
            wait_for(name, text, timeout=5)
            return
        except AssertionError:
            if attempt:
                raise
            time.sleep(0.5)


def wait_form(name: str, title: str) -> None:
    """A dialog is drawn: wait for it, then for its first field to take the focus
    (it does so right after mounting; under load that can lag the first paint)."""
    import time
    wait_for(name, title)
    time.sleep(0.6)


def on_disk(root, text: str) -> bool:
    return text in (root / "meetings" / "M-C2-03.json").read_text(encoding="utf-8")


def test_a_meeting_recorded_and_corrected_in_the_terminal(demo_root, tmp_path):
    root = demo_root
    if (datetime.now() + timedelta(minutes=5)).date() != datetime.now().date():
        pytest.skip("日付が変わる直前は終了時刻が開始より前になるため省略します")
    prepared_meeting(root)
    name = f"kyogitai-record-{os.getpid()}"
    try:
        start(name, root)
        wait_for(name, "前回議事録の確認")
        wait_for(name, "構成員14名中")
        # 前回議事録の確認: F6, F12 訂正あり, 誤 Tab 正, ctrl+s
        send(name, "F6")
        send(name, "F12")
        wait_form(name, "誤（議事録の語句）")
        type_ja(name, "前回の取組5件")
        send(name, "Tab")
        type_ja(name, "前回の取組6件")
        send(name, "C-s")
        wait_for(name, "訂正の内容：「前回の取組5件」")
        wait_until(lambda: on_disk(root, "前回の取組6件"), 20, "訂正が保存されませんでした")

        # ctrl+p to the custom item
        send(name, "C-p")
        wait_for(name, "移動")
        type_ja(name, "買い物同行の試行")
        send(name, "Enter")
        wait_for(name, "この議題の決定事項")

        # a statement, then corrected through its row (shift+tab to the log, Enter)
        send(name, "F2")
        type_ja(name, "ニーズ調査は１００件回収しました")
        send(name, "Enter")
        wait_for(name, "ニーズ調査は１００件回収しました")
        send(name, "BTab")
        send(name, "Enter")
        wait_form(name, "発言を直す")
        send(name, "C-u")
        type_ja(name, "ニーズ調査は１２０件回収しました")
        send(name, "C-s")
        screen = wait_for(name, "ニーズ調査は１２０件回収しました")
        assert "１００件" not in screen

        # F6 the item's work area: F8 a decision, F12 an action
        send(name, "F6")
        send(name, "F8")
        wait_for(name, "決定の種類")
        send(name, "Enter")
        wait_form(name, "決定の内容")
        type_ja(name, "買い物同行は4月から有償運送として実施する")
        send(name, "C-s")
        wait_for(name, "この議題の決定事項 1件")
        send(name, "F12")
        wait_form(name, "取組を追加")
        type_ja(name, "有償運送の登録手続きを進める")
        send(name, "Tab", "Tab", "Tab")
        type_ja(name, "民生委員の皆さん")
        send(name, "C-s")
        wait_for(name, "この議題の決定事項 1件・取組 1件")

        # readback (2 items) and close
        send(name, "F9")
        wait_for(name, "1件目／2件")
        send(name, "F2")
        wait_for(name, "2件目／2件")
        send(name, "F2")
        wait_for(name, "確認 2件")
        send(name, "F9")
        wait_for(name, "経緯・特記事項")
        send(name, "F9")
        wait_for(name, "閉会しました")
        send(name, "C-q")
        wait_closed(name)
    finally:
        tmux("kill-session", "-t", name)

    def export(meeting: str) -> str:
        out = tmp_path / f"{meeting}.md"
        done = subprocess.run([sys.executable, "-m", "kyogitai_tui", "export-minutes", "--data-dir", str(root),
                               "--meeting", meeting, "--variant", "internal", "--format", "md",
                               "--out", str(out)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return out.read_text(encoding="utf-8")

    m3 = export("M-C2-03")
    assert f"(3) {CUSTOM}" in m3 or CUSTOM in m3
    assert "○委員　ニーズ調査は１２０件回収しました" in m3 and "１００件" not in m3
    assert "買い物同行は4月から有償運送として実施する" in m3
    assert "有償運送の登録手続きを進める" in m3 and "民生委員の皆さん" in m3
    assert "「前回の取組5件」を「前回の取組6件」に訂正" in m3
    m2 = export("M-C2-02")
    assert "前回の取組6件の進み具合を報告した。" in m2
    assert "『前回の取組5件』を『前回の取組6件』に訂正" in m2
