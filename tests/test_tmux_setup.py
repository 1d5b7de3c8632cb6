"""The real `kyogitai` in an 80x24 terminal on an EMPTY data folder: はじめの設定
of a village whose one council is both tiers, a department as 事務局, then the
home screen and a meeting being prepared with a 関係機関 attendee - typed
keys only, no file touched by hand; `kyogitai check` passes afterwards."""
from __future__ import annotations

import os
import subprocess
import sys

from tmux_helpers import needs_tmux, start, tmux, wait_closed, wait_for, wait_form, wait_until

pytestmark = needs_tmux


def keys(name: str, *k: str) -> None:
    tmux("send-keys", "-t", name, *k)


def text(name: str, s: str) -> None:
    tmux("send-keys", "-t", name, "-l", s)


def test_village_set_up_in_a_terminal_from_an_empty_folder(tmp_path):
    root = tmp_path / "village"
    root.mkdir()
    name = f"kyogitai-setup-{os.getpid()}"
    try:
        start(name, root, size=(80, 24), today="2026-05-11")
        wait_for(name, "はじめの設定")
        keys(name, "Enter")                                  # 1. 市町村
        wait_form(name, "市町村の追加")
        text(name, "みほん村")
        keys(name, "Tab")
        text(name, "佐賀県")
        keys(name, "Tab", "Right")                           # 第1層と第2層が同じ: はい
        wait_for(name, "はい")
        keys(name, "C-s")
        wait_for(name, "みほん村（佐賀県・第1層と第2層が同じ）")
        keys(name, "Enter")                                  # 2. 圏域: 「みほん村全域」 proposed
        wait_form(name, "日常生活圏域の追加")
        keys(name, "C-s")
        wait_for(name, "日常生活圏域: みほん村全域")
        keys(name, "Enter")                                  # 3. 協議体: both tiers proposed
        wait_form(name, "協議体の追加")
        keys(name, "C-s")
        wait_for(name, "（第1層・第2層）")
        keys(name, "Enter")                                  # 4. 事務局: a department
        wait_form(name, "事務局の部署名（必須）")
        keys(name, "Tab")
        text(name, "障害福祉課")
        keys(name, "C-s")
        wait_for(name, "協議体: 障害福祉課")
        keys(name, "Enter")                                  # 5. 構成員
        wait_form(name, "氏名（必須）")
        keys(name, "Tab")
        text(name, "山田 花子")
        keys(name, "Tab")
        text(name, "みほん村社会福祉協議会")
        keys(name, "C-s")
        wait_for(name, "1名")
        keys(name, "F9")                                     # done: home
        screen = wait_for(name, "協議体の一覧")
        assert "みほん村生活支援体制整備協議体" in screen and "^q 終了" in screen
        keys(name, "Enter")
        wait_for(name, "新しい会議")
        keys(name, "F2")
        wait_form(name, "開催日（必須）")
        text(name, "2026-05-20")
        keys(name, "C-s")
        wait_for(name, "会議の準備")
        keys(name, "F3")
        wait_for(name, "障害福祉課")
        keys(name, "F8")                                     # a 関係機関 without a person
        wait_form(name, "名簿にない出席者を追加")
        keys(name, "Tab")
        text(name, "相談支援事業所みほん")
        keys(name, "Tab", "Left")                            # アドバイザー -> 関係機関
        wait_for(name, "関係機関")
        keys(name, "C-s")

        def roll_line():
            lines = tmux("capture-pane", "-pt", name).splitlines()
            return next((ln for ln in lines if "相談支援事業所みほん" in ln and "関係機関" in ln
                         and "出席" in ln), None)
        try:
            wait_until(roll_line, 20, "関係機関の行が出欠に出ませんでした")
        except AssertionError:
            raise AssertionError(tmux("capture-pane", "-pt", name)) from None
        screen = tmux("capture-pane", "-pt", name)
        assert any("障害福祉課" in line and "事務局" in line for line in screen.splitlines()), screen
        assert "[reverse]" not in screen
        keys(name, "C-q")
        wait_closed(name, 20)
    finally:
        tmux("kill-session", "-t", name)
    done = subprocess.run([sys.executable, "-m", "kyogitai_tui", "check", "--data-dir", str(root)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
