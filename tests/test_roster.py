"""Roster rows, agenda rows and the council's meeting list as the prepare and
council screens show them (domain/roster.py, domain/prepare_view.py)."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.meeting.prepare_view import (agenda_rows, basics_problem, council_meeting_rows,
                                              default_meeting, move_within_section)
from kyogitai_tui.domain.meeting.roster import live_choice_op, roster_rows, roster_summary, time_text
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.domain.world import World
from kyogitai_tui.domain.model import Attendance

M3 = "M-C2-03"


@pytest.fixture
def session():
    dataset = load_demo(DEMO_TODAY)
    world = World.from_dataset(dataset)
    s = MeetingSession(dataset, world, M3, now=lambda: datetime(2025, 9, 16, 14, 30),
                       today=date(2025, 9, 16))
    s.prepare()
    return s


def rows(s, at=None):
    return roster_rows(s.world, "C2", s.record.attendance, at=at)


def test_roster_order_names_and_roles(session):
    r = rows(session)
    assert len(r) == 17
    assert [x.role for x in r[:14]] == ["MEMBER"] * 14
    assert r[0].name == "試験 春男" and r[0].role_label == "構成員・会長"
    assert r[1].role_label == "構成員・副会長"
    assert [x.role_label for x in r[14:]] == ["SC", "SC", "事務局"]
    by_name = {x.name: x for x in r}
    assert by_name["例示 北子"].org == "みほん北地域包括支援センター"
    assert by_name["見本 商太"].org == "北台商店会（民間）"   # no Organization: the person's text
    assert all(x.status_label == "出席" and x.counts for x in r)


def test_statuses_proxy_times_and_guest(session):
    s = session
    members = [x for x in rows(s) if x.role == "MEMBER"]
    s.set_attendance(members[3].attendance_id, status="ABSENT")
    s.set_attendance(members[4].attendance_id, status="PROXY", proxy_name="見本 代理子")
    s.set_attendance(members[5].attendance_id, status="LATE")
    s.set_attendance(members[6].attendance_id, status="LEFT_EARLY", at=time(15, 10))
    s.add_guest("例示 県子", org_name="架空県社会福祉協議会", role="ADVISOR")
    r = {x.attendance_id: x for x in rows(s, at=time(14, 30))}
    assert r[members[3].attendance_id].status_label == "欠席"
    assert not r[members[3].attendance_id].counts
    proxy = r[members[4].attendance_id]
    assert (proxy.status_label, proxy.proxy_name, proxy.counts) == ("代理出席", "見本 代理子", True)
    late = r[members[5].attendance_id]
    assert (late.time_text, late.counts) == ("未着", False)
    early = r[members[6].attendance_id]
    assert (early.time_text, early.counts) == ("15:10退出", True)
    ordered = rows(s)
    guest = next(x for x in ordered if x.is_guest)
    assert guest.role_label == "アドバイザー" and guest.org == "架空県社会福祉協議会"
    assert ordered.index(guest) > max(ordered.index(x) for x in ordered if x.role == "SECRETARIAT")
    # the live choices: arriving now makes the late member count
    live_choice_op(s, members[5].attendance_id, "ARRIVE")
    late = {x.attendance_id: x for x in rows(s, at=time(14, 31))}[members[5].attendance_id]
    assert (late.time_text, late.counts) == ("14:30着", True)
    live_choice_op(s, members[7].attendance_id, "LEAVE")
    gone = {x.attendance_id: x for x in rows(s, at=time(14, 31))}[members[7].attendance_id]
    assert (gone.time_text, gone.counts) == ("14:30退出", False)
    with pytest.raises(SessionError):
        live_choice_op(s, members[8].attendance_id, "PROXY", "  ")


def test_time_text_and_summary():
    a = Attendance(id="x", meeting_id="m", status="LATE", arrived_at=time(14, 20))
    assert time_text(a) == "14:20着"
    assert time_text(Attendance(id="x", meeting_id="m")) == ""
    assert roster_summary("構成員14名中13名出席・成立", proxies=1, observers=2) == \
        "構成員14名中13名出席・成立（うち代理1名）  傍聴者2名"
    assert roster_summary("構成員14名中13名出席・成立") == "構成員14名中13名出席・成立  傍聴者0名"


def test_agenda_rows_group_number_and_carry_note(session):
    s = session
    r = agenda_rows(s.agenda, world=s.world, day=s.today)
    headers = [x.title for x in r if x.item_id is None]
    assert headers == ["報告事項", "協議事項", "その他"]
    a02 = next(x for x in r if x.title == "前回からの取組状況")
    assert a02.number == "(2)" and a02.mark == "[x]" and a02.minutes_text == "12分"
    assert a02.note.startswith("継続7件")
    assert "期限超過" in a02.note
    a09 = next(a for a in s.agenda if a.template == "A09")
    s.agenda_edit("enable", a09.id, enabled=False)
    r = agenda_rows(s.agenda)
    off = next(x for x in r if x.item_id == a09.id)
    assert (off.mark, off.number) == ("[ ]", "-")
    after = next(x for x in r if x.title.endswith("（認知症地域支援推進員）"))
    assert after.number == "(9)"
    s.agenda_edit("add", title="北台の買い物支援の試行", section="DISCUSSION", minutes=10)
    custom = next(x for x in agenda_rows(s.agenda) if x.title == "北台の買い物支援の試行")
    assert custom.note == "追加" and custom.number == "(6)"   # after the 3 proposed topics of 第2回


def test_moves_stay_inside_the_section(session):
    items = session.agenda
    first_report, last_report = items[0], [a for a in items if a.section == "REPORT"][-1]
    first_disc = next(a for a in items if a.section == "DISCUSSION")
    assert move_within_section(items, first_report.id, -1) is None
    assert move_within_section(items, last_report.id, 1) is None
    assert move_within_section(items, first_disc.id, -1) is None
    assert move_within_section(items, first_disc.id, 1) == 1
    assert move_within_section(items, items[1].id, -1) == -1


def test_council_meeting_rows_and_default(session):
    world = session.world
    r = council_meeting_rows(world, "C2")
    assert [x.title for x in r] == ["令和7年度 第1回", "令和7年度 第2回", "令和7年度 第3回"]
    assert r[2].status_label == "予定" and r[2].minutes_label == ""
    assert r[0].minutes_label.startswith("確定") and r[0].status_label == "開催済"
    assert r[1].minutes_label == "案"
    assert r[2].date_text == "9/16（火）"
    assert default_meeting(world, "C2", date(2025, 9, 9)) == M3


def test_basics_problem_and_edit_material(session):
    assert basics_problem({"seq_no": 0}) == "第n回 の回数は1以上で入力してください。"
    assert basics_problem({"seq_no": 3, "planned_minutes": 120}) is None
    s = session
    s.add_material("次第")
    mid = s.record.materials[0].id
    changes = s.edit_material(mid, title="会議次第", internal_only=True)
    assert changes[0].doc["title"] == "会議次第" and changes[0].doc["label"] == "資料1"
    assert s.record.materials[0].internal_only
    with pytest.raises(SessionError):
        s.edit_material(mid, title=" ")
