"""A whole 第3回 of 北みほん支え合い会議 run through the session, saved through
the store, then read back from disk as a coordinator would expect it."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore

M3 = "M-C2-03"


class Clock:
    def __init__(self, start: datetime) -> None:
        self.t = start

    def __call__(self) -> datetime:
        return self.t

    def advance(self, minutes: float) -> None:
        self.t += timedelta(minutes=minutes)


def save(store: DataStore, changes) -> None:
    for ch in changes:
        if ch.create is not None:
            store.create_meeting(ch.meeting_id, ch.create)
        elif ch.doc is None:
            store.meeting_delete(ch.meeting_id, ch.table, ch.doc_id)
        else:
            store.meeting_upsert(ch.meeting_id, ch.table, ch.doc)


@pytest.fixture
def env(tmp_path):
    dataset = load_demo(DEMO_TODAY)
    root = tmp_path / "data"
    store = DataStore.open(root, create=True)
    store.write_dataset(dataset)
    dataset = store.load_dataset()
    world = World.from_dataset(dataset)
    clock = Clock(datetime(2025, 9, 16, 14, 0))
    session = MeetingSession(dataset, world, M3, now=clock, today=date(2025, 9, 16))
    yield store, session, clock, root
    store.close()


def _item(session, template):
    return next(a for a in session.agenda if a.template == template)


def test_prepare_builds_roll_and_agenda_with_carry_over(env):
    store, s, clock, _ = env
    save(store, s.prepare())
    members = [a for a in s.record.attendance if a.role_in_meeting == "MEMBER"]
    assert len(members) == 14
    assert s.quorum().text == "構成員14名中14名出席・成立"
    a02 = _item(s, "A02")
    assert set(a02.carried_action_ids) == {"AI-01", "AI-04", "AI-05", "AI-06", "AI-07", "AI-08", "AI-09"}
    assert "予定" in s.time_summary()


def test_late_arrival_and_early_leave_change_the_quorum(env):
    store, s, clock, _ = env
    save(store, s.prepare())
    save(store, s.start())
    rows = [a for a in s.record.attendance if a.role_in_meeting == "MEMBER"]
    for row in rows[:5]:
        save(store, s.set_attendance(row.id, status="ABSENT"))
    save(store, s.set_attendance(rows[5].id, status="LATE"))
    assert s.quorum().text == "構成員14名中8名出席・成立"
    save(store, s.set_attendance(rows[6].id, status="LEFT_EARLY", at=time(14, 5)))
    clock.advance(10)
    assert s.quorum().text == "構成員14名中7名出席・不成立"
    save(store, s.arrive(rows[5].id))
    assert s.quorum().text == "構成員14名中8名出席・成立"


def test_proxy_needs_a_name(env):
    _, s, _, _ = env
    s.prepare()
    row = s.record.attendance[0]
    with pytest.raises(SessionError, match="代理出席"):
        s.set_attendance(row.id, status="PROXY", proxy_name="  ")


def test_timers_pause_and_continue(env):
    store, s, clock, _ = env
    save(store, s.start())
    first = s.current_item()
    assert first.template == "A01"
    clock.advance(4)
    save(store, s.finish_current())
    assert s.item(first.id).state == "DONE"
    assert s.elapsed(s.item(first.id)) == 240
    second = s.current_item()
    assert second.template == "A02"
    clock.advance(2)
    save(store, s.step(-1))
    clock.advance(1)
    assert s.elapsed(s.item(second.id)) == 120
    assert s.elapsed(s.item(first.id)) == 300


def test_whole_meeting_is_on_disk_after_reopen(env):
    store, s, clock, root = env
    save(store, s.start())
    late = next(a for a in s.record.attendance if a.person_id == "P16")
    save(store, s.set_attendance(late.id, status="LATE"))
    a01 = _item(s, "A01")
    save(store, s.confirm_previous_minutes(a01.id, "CONFIRMED"))
    save(store, s.add_statement(a01.id, "SECRETARIAT", "資料1に基づき前回の会議録案を説明しました。"))
    clock.advance(3)
    save(store, s.finish_current())
    a02 = _item(s, "A02")
    save(store, s.update_action("AI-01", status="DONE", note="多職種連携会議で個別支援の枠が了承された"))
    save(store, s.add_statement(a02.id, "MEMBER", "移動支援の団体にはまだ声をかけていません。"))
    save(store, s.arrive(late.id))
    a11 = _item(s, "A11")
    save(store, s.goto(a11.id))
    results = s.run_checks()
    c2 = next(r for r in results if r.check_code == "C2_SAME_NONMEMBERS" and r.problem)
    save(store, s.accept_check(c2, item_id=a11.id))
    finding = s.record.gap_findings[-1]
    save(store, s.update_finding(finding.id, network_or_service="NETWORK"))
    a12 = _item(s, "A12")
    save(store, s.goto(a12.id))
    for dtype, text in (("EXPAND_EXISTING", "連絡会の紹介機能を広げる"),
                        ("FORM_NEW", "北台の見守りネットワークをつくる"),
                        ("CREATE_SERVICE", "買い物同行の助け合いを始める")):
        save(store, s.add_decision(dtype, text, finding_ids=[finding.id] if dtype == "EXPAND_EXISTING" else [],
                                   review_on=date(2026, 3, 31), item_id=a12.id))
        did = s.record.decisions[-1].id
        save(store, s.add_action(f"{text}ための打合せ", decision_id=did, owner_person_ids=["P02"],
                                 due_date=date(2025, 10, 31)))
    for table, tid in s.readback_targets():
        save(store, s.set_readback(table, tid, "CONFIRMED"))
    save(store, s.close(next_date=date(2025, 11, 18), next_time=time(14, 0), next_venue="北みほん地区会館"))
    store.close()

    with DataStore.open(root) as again:
        world = World.from_dataset(again.load_dataset())
    rec = world.meetings[M3]
    assert rec.meeting.status == "HELD"
    assert rec.meeting.next_plan_date == date(2025, 11, 18)
    assert [d.type for d in rec.decisions] == ["EXPAND_EXISTING", "FORM_NEW", "CREATE_SERVICE"]
    assert all(d.quorum_members == 14 for d in rec.decisions)
    assert len(rec.action_items) == 3
    assert {r.target_id for r in rec.readback} == {d.id for d in rec.decisions} | {a.id for a in rec.action_items}
    assert world.action_state("AI-01").status == "DONE"
    assert any("声をかけていません" in st.text for st in rec.statements)
    late_row = next(a for a in rec.attendance if a.person_id == "P16")
    assert late_row.status == "LATE" and late_row.arrived_at is not None
    assert any(f.check_code == "C2_SAME_NONMEMBERS" for f in rec.gap_findings)
    assert next(a for a in rec.agenda_items if a.template == "A01").result == "CONFIRMED"


def test_bad_input_is_refused_in_japanese(env):
    _, s, _, _ = env
    s.start()
    item = s.current_item()
    with pytest.raises(SessionError, match="発言の内容"):
        s.add_statement(item.id, "MEMBER", "   ")
    with pytest.raises(SessionError, match="部署名"):
        s.add_statement(item.id, "DEPARTMENT", "報告します")
    with pytest.raises(SessionError, match="見直し"):
        s.add_decision("FORM_NEW", "x", review_on=date(2025, 9, 1))
    with pytest.raises(SessionError, match="担当"):
        s.add_action("打合せ")
    with pytest.raises(SessionError, match="原因"):
        s.rate_function("PN04", "DIFF_MONITOR", "NOT_FULFILLED")
    with pytest.raises(SessionError, match="異議の内容"):
        s.set_readback("decisions", "D-01", "OBJECTION")


def test_new_meeting_suggests_year_and_number(env):
    store, s, clock, _ = env
    session, changes = MeetingSession.create_meeting(
        s.dataset, s.world, "C2", held_on=date(2025, 11, 18), start_time=time(14, 0),
        venue="北みほん地区会館", now=clock, today=date(2025, 9, 16))
    save(store, changes)
    m = session.meeting
    assert (m.fiscal_year, m.seq_no) == (2025, 4)   # after the planned 第3回 of 9/16
    assert session.record.agenda_items and session.record.attendance
    assert store.has_meeting(m.id)


def test_a_guest_name_can_be_corrected_but_not_a_member_name(env):
    store, s, _, _ = env
    s.prepare()
    save(store, s.add_guest("例示 県子", org_name="架空県社協"))
    guest = s.record.attendance[-1]
    save(store, s.edit_guest(guest.id, name="例示 県子", org_name="架空県社会福祉協議会"))
    assert s.attendance_row(guest.id).org_name == "架空県社会福祉協議会"
    member = next(a for a in s.record.attendance if a.person_id)
    with pytest.raises(SessionError, match="名簿"):
        s.edit_guest(member.id, name="別の名前")


def test_home_shows_the_next_date_set_at_the_close_until_the_meeting_is_registered(env):
    from kyogitai_tui.domain.followup.overview import council_overviews

    store, s, clock, _ = env
    save(store, s.start())
    save(store, s.close(next_date=date(2025, 11, 18), next_time=time(14, 0)))
    world = World.from_dataset(s.snapshot())
    row = next(r for r in council_overviews(world, date(2025, 9, 17)) if r.council_id == "C2")
    assert row.next_text == "予定 11/18"
    assert "令和7年11月18日（火）" in row.next_long


def test_item_summary_lines_are_kept_for_the_minutes(env):
    store, s, _, root = env
    save(store, s.start())
    item = s.current_item()
    save(store, s.append_summary(item.id, "事務局より資料1に基づき説明した。"))
    save(store, s.append_summary(item.id, "訂正なく確定した。"))
    assert s.item(item.id).summary == "事務局より資料1に基づき説明した。\n訂正なく確定した。"
    with pytest.raises(SessionError, match="要旨"):
        s.append_summary(item.id, "  ")
    save(store, s.set_summary(item.id, "訂正なく確定した。"))
    store.close()
    with DataStore.open(root) as again:
        world = World.from_dataset(again.load_dataset())
    assert next(a for a in world.meetings[M3].agenda_items if a.id == item.id).summary == "訂正なく確定した。"


def test_a_new_network_decision_sets_the_findings_policy_and_records_the_g4_answer(env):
    """G5: a decision to form a network IS the finding's 対応方針; G4: the
    council is asked about the individual-network mechanism, and its answer
    is what the decision carries (never assumed)."""
    store, s, _, root = env
    save(store, s.prepare())
    a12 = _item(s, "A12")
    gf09 = next(f for f in s.findings_now() if f.id == "GF-09")
    assert gf09.network_or_service == "UNDECIDED"
    save(store, s.add_decision("FORM_NEW", "北台の見守りネットワークをつくる", finding_ids=["GF-09"],
                               review_on=date(2026, 3, 31), item_id=a12.id))
    d = s.record.decisions[-1]
    assert d.parallel_individual_mechanism is False
    assert [p.rule for p in s.prompts("A12") if p.entity_id == d.id] == ["G4"]
    assert next(f for f in s.findings_now() if f.id == "GF-09").network_or_service == "NETWORK"
    save(store, s.answer_parallel_mechanism(d.id, True))
    assert not [p for p in s.prompts("A12") if p.entity_id == d.id]
    store.close()
    with DataStore.open(root) as again:
        world = World.from_dataset(again.load_dataset())
    assert world.meetings[M3].decisions[-1].parallel_individual_mechanism is True
    st = next(f for f in world.finding_states() if f.id == "GF-09")
    assert (st.status, st.network_or_service) == ("DECIDED", "NETWORK")
    from kyogitai_tui.domain.guidebook.guidance import prompts_for
    assert not [p for p in prompts_for(world, today=date(2025, 9, 16)) if p.entity_id == "GF-09"]   # G5 settled
