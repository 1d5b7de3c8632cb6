"""Issue 15 end to end in the real `kyogitai` at 80x24 (tmux), keys only: an
EMPTY data folder, はじめの設定 of a village whose one council is 第1層・第2層
with a department as 事務局, a first meeting held and closed with the next
meeting's date and topic, then the second meeting: 前回議事録の確認 with a
correction, the carried topic (a custom item) holding a statement corrected
through its row, a decision and an action; closed. Then the minutes of both
meetings from `kyogitai export-minutes`, and `kyogitai check` passes."""
from __future__ import annotations

import os
import subprocess
import sys

from test_tmux_setup import keys, text
from tmux_helpers import needs_tmux, send, start, tmux, type_ja, wait_closed, wait_for, wait_form

pytestmark = needs_tmux

TOPIC = "ニーズ調査について"


def set_up(name: str) -> None:
    wait_for(name, "はじめの設定")
    keys(name, "Enter")                                  # 市町村
    wait_form(name, "市町村の追加")
    text(name, "みほん村")
    keys(name, "Tab")
    text(name, "佐賀県")
    keys(name, "Tab", "Right")                           # 第1層と第2層が同じ: はい
    wait_for(name, "はい")
    keys(name, "C-s")
    wait_for(name, "みほん村（佐賀県・第1層と第2層が同じ）")
    keys(name, "Enter")                                  # 圏域: みほん村全域
    wait_form(name, "日常生活圏域の追加")
    keys(name, "C-s")
    wait_for(name, "日常生活圏域: みほん村全域")
    keys(name, "Enter")                                  # 協議体: both tiers
    wait_form(name, "協議体の追加")
    keys(name, "C-s")
    wait_for(name, "（第1層・第2層）")
    keys(name, "Enter")                                  # 事務局: a department
    wait_form(name, "事務局の部署名（必須）")
    keys(name, "Tab")
    text(name, "保健福祉課")
    keys(name, "C-s")
    wait_for(name, "協議体: 保健福祉課")
    keys(name, "Enter")                                  # 構成員
    wait_form(name, "氏名（必須）")
    keys(name, "Tab")
    text(name, "山田 花子")
    keys(name, "Tab")
    text(name, "みほん村社会福祉協議会")
    keys(name, "C-s")
    wait_for(name, "1名")
    keys(name, "F9")
    wait_for(name, "協議体の一覧")


def new_meeting(name: str, held_on: str | None) -> None:
    """Home: Enter on the council, F2, the date (or the one proposed), ctrl+s;
    F9 on the prepare screen and Enter on 「開始する」."""
    keys(name, "Enter")
    wait_for(name, "新しい会議")
    keys(name, "F2")
    wait_form(name, "開催日（必須）")
    if held_on:
        text(name, held_on)
    keys(name, "C-s")
    wait_for(name, "会議の準備")
    keys(name, "F9")
    wait_form(name, "開始する")
    keys(name, "Enter")
    wait_for(name, "済・次へ")


def test_village_two_meetings_to_minutes_in_a_terminal(tmp_path):
    root = tmp_path / "village"
    root.mkdir()
    name = f"kyogitai-walk-{os.getpid()}"
    try:
        start(name, root, size=(80, 24), today="2026-05-11")
        set_up(name)

        # ---- the first meeting: one statement, closed with the next date and topic
        new_meeting(name, "2026-05-11")
        keys(name, "F2")
        type_ja(name, "移動支援の利用者は５人です")
        keys(name, "Enter")
        wait_for(name, "] 移動支援の利用者は５人です")
        keys(name, "F9")
        wait_for(name, "閉会へ")
        keys(name, "F9")
        wait_form(name, "経緯・特記事項")
        keys(name, "C-u")
        text(name, "23:58")                               # 終了時刻
        send(name, "Tab")
        text(name, "2026-07-13")                          # 次回の開催日
        for _ in range(3):
            send(name, "Tab")
        type_ja(name, TOPIC)                              # 次回の議題
        keys(name, "F9")
        wait_for(name, "閉会しました")
        keys(name, "F5")
        wait_for(name, "協議体の一覧")

        # ---- the second meeting, dated as set at the close
        new_meeting(name, None)
        keys(name, "F6", "F12")                            # 前回議事録の確認: 訂正あり
        wait_form(name, "誤（議事録の語句）")
        type_ja(name, "利用者は５人")
        send(name, "Tab")
        type_ja(name, "利用者は７人")
        keys(name, "C-s")
        wait_for(name, "訂正の内容")
        keys(name, "C-p")                                  # to the carried topic
        wait_for(name, "移動")
        type_ja(name, "ニーズ調査")
        keys(name, "Enter")
        wait_for(name, "この議題の決定事項")
        keys(name, "F2")
        type_ja(name, "ニーズ調査は１００件回収しました")
        keys(name, "Enter")
        wait_for(name, "] ニーズ調査は１００件回収しました")
        keys(name, "BTab", "Enter")                        # the statement's row: 発言を直す
        wait_form(name, "発言を直す")
        keys(name, "C-u")
        type_ja(name, "ニーズ調査は１２０件回収しました")
        keys(name, "C-s")
        wait_for(name, "] ニーズ調査は１２０件回収しました")
        keys(name, "F6", "F8")                             # a decision on this item
        wait_for(name, "決定の種類")
        keys(name, "Enter")
        wait_form(name, "決定の内容")
        type_ja(name, "ニーズ調査の結果を全戸に回覧する")
        keys(name, "C-s")
        wait_for(name, "この議題の決定事項 1件")
        keys(name, "F12")                                  # and its action
        wait_form(name, "取組を追加")
        type_ja(name, "回覧用の結果概要を作る")
        for _ in range(3):
            send(name, "Tab")
        type_ja(name, "事務局の担当者")                    # 担当（自由記入）
        keys(name, "C-s")
        wait_for(name, "この議題の決定事項 1件・取組 1件")
        keys(name, "F9")
        wait_for(name, "1件目／2件")
        keys(name, "F2")
        wait_for(name, "2件目／2件")
        keys(name, "F2")
        wait_for(name, "確認 2件")
        keys(name, "F9")
        wait_form(name, "経緯・特記事項")
        keys(name, "C-u")
        text(name, "23:59")
        keys(name, "F9")
        wait_for(name, "閉会しました")
        keys(name, "C-q")
        wait_closed(name)
    finally:
        tmux("kill-session", "-t", name)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "kyogitai_tui", *args, "--data-dir", str(root)],
                              capture_output=True, text=True)

    def minutes(seq: str) -> str:
        out = tmp_path / f"{seq}.md"
        meetings = sorted(p.stem for p in (root / "meetings").glob("*.json"))
        done = run("export-minutes", "--meeting", meetings[int(seq) - 1], "--variant", "public",
                   "--format", "md", "--out", str(out))
        assert done.returncode == 0, done.stderr
        return out.read_text(encoding="utf-8")

    m1, m2 = minutes("1"), minutes("2")
    for md in (m1, m2):
        assert "みほん村生活支援体制整備協議体（第1層・第2層協議体） 会議録" in md
        assert "事務局　保健福祉課" in [line.lstrip("　 ") for line in md.splitlines()]
        assert "AI-" not in md
    assert "移動支援の利用者は７人です" in m1 and "利用者は５人です" not in m1
    assert "『利用者は５人』を『利用者は７人』に訂正" in m1
    custom = m2.split(f"### (3) {TOPIC}")[1].split("###")[0]
    assert "ニーズ調査は１２０件回収しました" in custom and "１００件" not in m2
    assert "決定事項No.1のとおり決定した" in custom and "取組①を今後の取組とした" in custom
    assert "| 1 | ニーズ調査の結果を全戸に回覧する |" in m2
    assert "| ① | 回覧用の結果概要を作る | 事務局の担当者 |" in m2
    assert "訂正：「利用者は５人」を「利用者は７人」に訂正" in m2
    done = run("check")
    assert done.returncode == 0, done.stdout + done.stderr
