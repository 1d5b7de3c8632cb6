"""Issue 15 part B at the domain level: what a real meeting needs to record
and correct — decisions on any item, a decision changing an earlier one with
its action taken over in the meeting, statements and 要旨 corrected with the
earlier wording kept (and locked once the minutes are 確定), a correction of
the previous minutes applied to their text, the end time, meeting notes and
the next meeting's topics."""
from __future__ import annotations

import re

from datetime import date, datetime, time

import pytest

from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.meeting.agenda import split_topics
from kyogitai_tui.domain.meeting.corrections import corrections_for
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes.content import build_minutes
from kyogitai_tui.store import DataStore

M1, M2, M3 = "M-C2-01", "M-C2-02", "M-C2-03"


class Clock:
    def __init__(self, t: datetime) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t


def save(store, changes) -> None:
    for ch in changes:
        if ch.create is not None:
            store.create_meeting(ch.meeting_id, ch.create)
        elif ch.doc is None:
            store.meeting_delete(ch.meeting_id, ch.table, ch.doc_id)
        else:
            store.meeting_upsert(ch.meeting_id, ch.table, ch.doc)


@pytest.fixture
def env(tmp_path):
    root = tmp_path / "data"
    store = DataStore.open(root, create=True)
    store.write_dataset(load_demo(DEMO_TODAY))
    dataset = store.load_dataset()
    clock = Clock(datetime(2025, 9, 16, 14, 30))
    s = MeetingSession(dataset, World.from_dataset(dataset), M3, now=clock, today=date(2025, 9, 16))
    save(store, s.start())
    yield store, s, clock
    store.close()


def reread(store) -> World:
    return World.from_dataset(store.load_dataset())


def text_of(world, mid, variant="INTERNAL") -> str:
    return "\n".join(build_minutes(world, mid, variant, today=date(2025, 9, 16)).texts())


def test_statement_edit_and_delete_keep_the_earlier_wording_on_disk(env):
    store, s, clock = env
    item = s.current_item().id
    save(store, s.add_statement(item, "MEMBER", "参加者は12名でした"))
    sid = s.record.statements[-1].id
    clock.t = datetime(2025, 9, 16, 14, 35)
    save(store, s.edit_statement(sid, "参加者は21名でした", speaker_label="SECRETARIAT"))
    save(store, s.add_statement(item, "MEMBER", "間違えて入れた発言"))
    gone = s.record.statements[-1].id
    save(store, s.delete_statement(gone))
    save(store, s.append_summary(item, "事務局から説明した。"))
    save(store, s.edit_summary_line(item, 0, "事務局から資料1で説明した。"))

    rec = reread(store).meetings[M3]
    st = next(x for x in rec.statements if x.id == sid)
    assert (st.text, st.speaker_label) == ("参加者は21名でした", "SECRETARIAT")
    assert st.extra["history"] == [{"text": "参加者は12名でした", "speaker_label": "MEMBER",
                                    "department": "", "replaced_at": "2025-09-16T14:35:00"}]
    assert gone not in {x.id for x in rec.statements}
    assert [r["text"] for r in rec.meeting.extra["removed_statements"]] == ["間違えて入れた発言"]
    a = next(x for x in rec.agenda_items if x.id == item)
    assert a.summary == "事務局から資料1で説明した。"
    assert a.extra["summary_history"][0]["summary"] == "事務局から説明した。"
    minutes = text_of(reread(store), M3)
    assert "○事務局　参加者は21名でした" in minutes
    assert "12名" not in minutes and "間違えて入れた発言" not in minutes


def test_confirmed_minutes_cannot_be_edited(env):
    store, s, clock = env
    dataset = store.load_dataset()
    world = World.from_dataset(dataset)
    first = MeetingSession(dataset, world, M1, now=clock)      # 第1回: 確定 at 第2回
    sid = first.record.statements[0].id
    with pytest.raises(SessionError, match="確定"):
        first.edit_statement(sid, "書き換え")
    with pytest.raises(SessionError, match="確定"):
        first.delete_statement(sid)
    item = first.record.agenda_items[0].id
    with pytest.raises(SessionError, match="確定"):
        first.set_summary(item, "書き換え")


def test_decision_on_a_custom_item_changes_an_earlier_one_and_takes_over_in_the_meeting(env):
    store, s, clock = env
    save(store, s.agenda_edit("add", title="ニーズ調査について", section="DISCUSSION", minutes=10))
    custom = next(a for a in s.agenda if a.title == "ニーズ調査について")
    save(store, s.goto(custom.id))
    save(store, s.add_decision("CREATE_SERVICE", "4月から有償運送として実施する", item_id=custom.id,
                               supersedes_decision_id="D-05"))
    d = s.record.decisions[-1]
    assert "AI-07" in s.open_actions_of_decision("D-05")
    save(store, s.add_action("運送の登録手続き", decision_id=d.id, owner_org_ids=["O20"],
                             owner_text="民生委員の皆さん"))
    new = s.record.action_items[-1].id
    save(store, s.supersede_action("AI-07", new))
    assert "AI-07" not in s.open_actions_of_decision("D-05")
    with pytest.raises(SessionError, match="変更する決定"):
        s.add_decision("CREATE_SERVICE", "x", supersedes_decision_id="D-99")

    world = reread(store)
    p = next(x for x in world.meetings[M3].action_progress if x.action_item_id == "AI-07")
    assert p.meeting_id == M3 and p.extra["superseded_by"] == new       # not 会議外
    assert world.action_state("AI-07").superseded_by == new
    minutes = text_of(world, M3)
    assert "第2回（令和7年7月15日）の決定『北台地区で、NPOとサロンの会による買い物同行・代行の助け合いを試行する』" \
           "を変更し、4月から有償運送として実施する" in minutes
    # the old action reads as handed over to the new one, by the number the minutes give it
    # (the 取組 table gives the new one its number in a cell of its own: 「⑩」 then 「運送の登録手続き」)
    new_no = re.search(r"^([①-㊿])\n運送の登録手続き$", minutes, re.M)
    assert new_no, minutes
    assert f"買い物同行 試行案・担い手募集チラシ作成：引継ぎ（取組{new_no.group(1)}へ）" in minutes
    assert "NPO法人 架空たすけあいの会（民生委員の皆さん）" in minutes
    assert "協議の結果、決定事項No.1のとおり決定した" in minutes


def test_correction_of_the_previous_minutes_is_applied_to_their_text(env):
    store, s, clock = env
    a01 = next(a for a in s.agenda if a.template == "A01")
    with pytest.raises(SessionError, match="見当たりません"):
        s.confirm_previous_minutes(a01.id, "CORRECTED", corrections=[("存在しない語句", "x")])
    save(store, s.confirm_previous_minutes(a01.id, "CORRECTED",
                                           corrections=[("前回の取組5件", "前回の取組6件")]))
    world = reread(store)
    assert corrections_for(world, M2) == [("前回の取組5件", "前回の取組6件")]
    for variant in ("INTERNAL", "PUBLIC"):
        m2 = text_of(world, M2, variant)
        assert "前回の取組6件の進み具合を報告した。" in m2
        assert "前回の取組5件の進み具合" not in m2
        assert "訂正（令和7年9月16日の第3回会議で訂正）：『前回の取組5件』を『前回の取組6件』に訂正" in m2
        assert "「前回の取組6件」を「前回の取組6件」" not in m2      # the listing itself is not rewritten
    assert "「前回の取組5件」を「前回の取組6件」に訂正" in text_of(world, M3)   # listed at 第3回 too


def test_end_time_before_the_start_is_refused(env):
    store, s, clock = env
    clock.t = datetime(2025, 9, 16, 6, 46)                       # 「午後2時00分～午前6時46分」
    with pytest.raises(SessionError, match="開始時刻"):
        s.close()
    with pytest.raises(SessionError, match="開始時刻"):
        s.close(end_time=time(9, 31))
    save(store, s.close(end_time=time(15, 45)))
    assert reread(store).meetings[M3].meeting.end_time == time(15, 45)


def test_notes_and_next_topics_reach_the_minutes_and_the_next_agenda(env):
    store, s, clock = env
    save(store, s.set_notes(notes="台風のため1週間延期して開催した", minutes_sent_with_notice=True))
    save(store, s.close(end_time=time(15, 45), next_date=date(2025, 11, 18),
                        next_topics="(1) ニーズ調査について、移動支援について"))
    world = reread(store)
    minutes = text_of(world, M3, "PUBLIC")
    assert "※台風のため1週間延期して開催した" in minutes
    assert "前回会議録（案）は、開催通知とあわせて事前に送付した。" in minutes
    assert "開催頻度：2か月に1回" in minutes
    dataset = store.load_dataset()
    nxt, _ = MeetingSession.create_meeting(dataset, World.from_dataset(dataset), "C2",
                                           held_on=date(2025, 11, 18), today=date(2025, 11, 1))
    titles = [a.title for a in nxt.agenda if a.section == "DISCUSSION" and a.template is None]
    assert titles == ["ニーズ調査について", "移動支援について"]
    assert split_topics("1. 買い物\n・見守り、買い物") == ["買い物", "見守り"]
