"""Issue 15 from end to end in ONE app run: an EMPTY data folder, はじめの設定
of a village whose one council is 第1層・第2層 with a department as 事務局
(tests/village.py), a first meeting held and closed with the least a
coordinator types (its 次回の議題 set at close), then a second meeting
(tests/meeting_walk.py): the carried topic as a custom item holding a
decision and an action, an edited statement, a correction of the first
meeting's minutes at 前回議事録の確認 - to the minutes of both meetings and
`kyogitai check` passing. No file is touched by hand."""
from __future__ import annotations

from kyogitai_tui.cli import main
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from meeting_walk import MeetingPlan, hold_first_meeting, open_new_meeting, record_meeting
from village import COUNCIL, DEPARTMENT, MEMBERS, set_up_village, village_app

TOPIC = "ニーズ調査について"            # 次回の議題 of the first meeting -> custom item of the second
SAID_FIRST = "移動支援の利用者は５人です"
PLAN_DECISION = "ニーズ調査の結果を全戸に回覧する"
PLAN_ACTION = "回覧用の結果概要を作る"


async def test_empty_folder_to_the_minutes_of_two_meetings(tmp_path, capsys):
    out = tmp_path / "minutes"
    async with village_app(tmp_path, export_dir=out) as (app, pilot, root):
        await set_up_village(app, pilot)
        first = await open_new_meeting(app, pilot, held_on="2026-05-11", start_time="13:30",
                                       venue="みほん村公民館")
        await hold_first_meeting(pilot, app, said=SAID_FIRST, next_date="2026-07-13",
                                 next_topics=TOPIC, end_time="15:00")
        second = await open_new_meeting(app, pilot)          # 開催日 from the 次回 set at close
        org = next(o.id for o in app.world.organizations.values() if o.name == MEMBERS[0][1])
        plan = MeetingPlan(custom_title=TOPIC, wrong="利用者は５人", right="利用者は７人",
                           decision_text=PLAN_DECISION, action_title=PLAN_ACTION,
                           action_org=org, action_owner_text="事務局の担当者")
        await record_meeting(pilot, app, plan, out)
        assert app.session.meeting_id == second and second != first

    with DataStore.open(root, read_only=True) as store:
        world = World.from_dataset(store.load_dataset())
    assert world.problems == []
    md = {p.name: p.read_text(encoding="utf-8") for p in out.rglob("*.md")}
    assert len(md) == 2, sorted(md)                          # 第2回: 内部記録 and 公開用, from F4
    for text in md.values():
        assert f"{COUNCIL}（第1層・第2層協議体） 会議録" in text
        lines = [line.lstrip("　 ") for line in text.splitlines()]
        assert f"事務局　{DEPARTMENT}" in lines
        # the custom item holds its statements, decision and action
        body = text.split(f"### (3) {TOPIC}")[1].split("###")[0]
        assert "○事務局　ニーズ調査は１２０件回収しました" in body and "１００件" not in text
        assert "決定事項No.1のとおり決定した" in body and "取組①を今後の取組とした" in body
        decisions = text.split("## 9")[1].split("## 10")[0]
        assert f"| 1 | {PLAN_DECISION} |" in decisions
        assert "| SC・行政 |" in decisions and "層SC" not in text     # one SC for both tiers
        actions = text.split("## 10")[1].split("## 11")[0]
        assert f"| ① | {PLAN_ACTION} | {MEMBERS[0][1]}（事務局の担当者） |" in actions
        assert "訂正：「利用者は５人」を「利用者は７人」に訂正" in text
        assert "AI-" not in text and "D-" not in text

    # the first meeting's minutes, written later by the shell command: corrected, with its 訂正 line
    capsys.readouterr()
    first_md = tmp_path / "first.md"
    assert main(["export-minutes", "--data-dir", str(root), "--meeting", first, "--variant", "public",
                 "--format", "md", "--out", str(first_md)]) == 0, capsys.readouterr().err
    m1 = first_md.read_text(encoding="utf-8")
    assert f"{COUNCIL}（第1層・第2層協議体） 会議録" in m1
    assert "前回議事録の確認" not in m1                        # a first meeting has none to confirm
    assert "移動支援の利用者は７人です" in m1 and "利用者は５人です" not in m1
    assert "訂正（令和8年7月13日の第2回会議で訂正）：『利用者は５人』を『利用者は７人』に訂正" in m1
    assert f"事務局　{DEPARTMENT}" in [line.lstrip("　 ") for line in m1.splitlines()]
    assert "AI-" not in m1
    capsys.readouterr()
    assert main(["check", "--data-dir", str(root)]) == 0, capsys.readouterr().err
