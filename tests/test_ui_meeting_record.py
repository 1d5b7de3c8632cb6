"""Issue 15 part B, walked with the keys a user presses (tests/meeting_walk.py)
on the demo's 第3回: a correction of the previous minutes, a decision and an
action on a custom item, the decision changing one of 第2回 and its action
taken over in this meeting, a corrected statement, the close with notes; then
the exported minutes of both meetings say all of it."""
from __future__ import annotations

from datetime import date, datetime

from kyogitai_tui.commands._common import load_data
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes.export import export_minutes
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from meeting_walk import MeetingPlan, record_meeting

M2, M3 = "M-C2-02", "M-C2-03"

PLAN = MeetingPlan(
    custom_title="買い物同行の試行案",           # 次回の議題 set when 第2回 closed
    wrong="前回の取組5件", right="前回の取組6件",
    decision_type="CREATE_SERVICE",
    decision_text="買い物同行は4月から有償運送として実施する",
    supersedes="D-05", takes_over=["AI-07"],
    action_title="有償運送の登録手続きを進める",
    action_org="O20", action_owner_text="民生委員の皆さん",
)


async def test_custom_item_decision_supersede_correction_to_minutes(demo_root, tmp_path):
    out = tmp_path / "minutes"
    clock = lambda: datetime(2025, 9, 16, 14, 30)  # noqa: E731
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=date(2025, 9, 16), clock=clock, export_dir=out)
        async with app.run_test(size=(120, 40)) as pilot:
            app.session = MeetingSession(app.dataset, app.world, M3, now=app.clock, today=app.today)
            app.start_live()
            await pilot.pause()
            await record_meeting(pilot, app, PLAN, out)

    with DataStore.open(demo_root) as store:
        world = World.from_dataset(store.load_dataset())
    rec = world.meetings[M3]
    decision = next(d for d in rec.decisions if d.text == PLAN.decision_text)
    action = next(a for a in rec.action_items if a.title == PLAN.action_title)
    assert decision.supersedes_decision_id == "D-05"
    # AI-07 was taken over in THIS meeting (a row of 第3回, not 会議外)
    taken = next(p for p in rec.action_progress if p.action_item_id == "AI-07")
    assert taken.extra["superseded_by"] == action.id and taken.meeting_id == M3
    st = world.action_state("AI-07")
    assert st.superseded_by == action.id and not st.is_open
    said = next(s for s in rec.statements if s.text == PLAN.said_right)
    assert said.speaker_label == "SECRETARIAT"
    assert said.extra["history"][0]["text"] == PLAN.said_wrong          # kept, not overwritten
    assert rec.meeting.extra["notes"] == PLAN.notes

    # the exported minutes of 第3回 (internal, Markdown from the close screen)
    md = {p.name: p.read_text(encoding="utf-8") for p in out.rglob("*.md")}
    internal = next(t for n, t in md.items() if "内部" in n)
    public = next(t for n, t in md.items() if "公開" in n)
    for text in (internal, public):
        assert "買い物同行の試行案" in text
        assert "第2回（令和7年7月15日）の決定『北台地区で、NPOとサロンの会による買い物同行・代行の助け合いを試行する』を変更し、" \
               f"{PLAN.decision_text}" in text
        assert f"（{PLAN.action_owner_text}）" in text
        assert f"{action.id}に引継ぎ" in text
        assert f"○事務局　{PLAN.said_right}" in text
        assert PLAN.said_wrong not in text
        assert PLAN.summary in text
        assert f"※{PLAN.notes}" in text
        assert "前回会議録（案）は、開催通知とあわせて事前に送付した。" in text
        assert "開催頻度：2か月に1回" in text
    org = world.org_name(PLAN.action_org)
    action_line = next(line for line in internal.splitlines() if PLAN.action_title in line and "|" in line)
    assert org in action_line and PLAN.action_owner_text in action_line     # both owners kept
    taken_line = next(line for line in internal.splitlines() if "AI-07　" in line)
    assert f"完了（{action.id}に引継ぎ）" in taken_line and "対応中" not in taken_line

    # the previous minutes (第2回) print the corrected wording and list the 訂正
    path = tmp_path / "m2.md"
    export_minutes(world, M2, "INTERNAL", "md", path)
    m2 = path.read_text(encoding="utf-8")
    assert "前回の取組6件の進み具合を報告した。" in m2
    assert "前回の取組5件の進み具合" not in m2
    assert "訂正（令和7年9月16日の第3回会議で訂正）：『前回の取組5件』を『前回の取組6件』に訂正" in m2
