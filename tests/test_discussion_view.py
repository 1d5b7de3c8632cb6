"""The texts and defaults of A11/A12, the readback, the close and a past
meeting, on the demo's 第3回 of 北みほん支え合い会議."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from pathlib import Path

import pytest

from kyogitai_tui.domain.meeting import discussion_view as dv
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World

M3 = "M-C2-03"
CATALOG = default_catalog()


def _no_ambiguous(text: str) -> None:
    bad = sorted({ch for ch in text if unicodedata.east_asian_width(ch) == "A"})
    assert not bad, f"East Asian Ambiguous characters: {bad!r} in {text!r}"


@pytest.fixture
def session():
    dataset = load_demo(DEMO_TODAY)
    world = World.from_dataset(dataset)
    s = MeetingSession(dataset, world, M3, now=lambda: datetime(2025, 9, 16, 15, 0), today=date(2025, 9, 16))
    s.prepare()
    s.start()
    return s


def test_review_date_is_six_months_later_clamped_to_month_end():
    assert dv.default_review_date(date(2025, 9, 16)) == date(2026, 3, 16)
    assert dv.default_review_date(date(2025, 8, 31)) == date(2026, 2, 28)
    assert dv.add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)
    assert dv.add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_decision_row_carries_the_quorum_stamp(session):
    s = session
    absent = next(a for a in s.record.attendance if a.person_id == "P16")
    s.set_attendance(absent.id, status="ABSENT")
    s.add_decision("EXPAND_EXISTING", "連絡会の紹介機能を広げる", target_network_id="PN06",
                   persuade_leader_id="P05", review_on=date(2026, 3, 16))
    d = s.record.decisions[-1]
    assert dv.quorum_stamp(d) == "決定時 構成員14名中13名出席・成立"
    row = dv.decision_row_text(s.world, CATALOG, d)
    lines = row.split("\n")
    assert lines[0] == f"{d.id} [既存ネットワークの機能拡大] 連絡会の紹介機能を広げる"
    assert "対象：みほん市生活支援NPO連絡会" in lines[1]
    assert "働きかける相手：例示 北子" in lines[1]
    assert "担当：第1層" in lines[1]          # municipal network -> tier 1
    assert "見直し：3/16（月）" in lines[1]
    assert lines[2] == "   決定時 構成員14名中13名出席・成立"
    _no_ambiguous(row)


def test_unstamped_decision_has_no_stamp(session):
    d = session.world.meetings["M-C2-01"].decisions[0]
    d2 = type(d).from_doc({**d.to_doc(), "quorum_members": None, "quorum_present": None})
    assert dv.quorum_stamp(d2) == ""


def test_readback_cards_read_the_decision_and_the_action(session):
    s = session
    s.add_decision("FORM_NEW", "北台の見守りネットワークをつくる", target_text="北台団地",
                   persuade_leader_id="P08", review_on=date(2026, 3, 16))
    d = s.record.decisions[-1]
    s.add_action("自治会長と打合せ", decision_id=d.id, owner_person_ids=["P02"], owner_org_ids=["O01"],
                 due_date=date(2025, 10, 31))
    a = s.record.action_items[-1]
    card = dv.readback_card(s.world, CATALOG, s.record, "decisions", d.id)
    assert card.kind == "決定事項"
    assert card.heading == f"{d.id} 新しいネットワークの形成"
    assert card.body == "北台の見守りネットワークをつくる"
    assert "対象: 北台団地" in card.lines
    assert "行政との協力: あり" in card.lines
    assert "担当: 第2層コーディネーター" in card.lines
    assert "見直し（形骸化チェック）: 令和8年3月16日（月）" in card.lines
    acard = dv.readback_card(s.world, CATALOG, s.record, "action_items", a.id)
    assert acard.kind == "取組" and acard.body == "自治会長と打合せ"
    assert "期限: 令和7年10月31日（金）" in acard.lines
    assert acard.lines[0].startswith("担当: ") and "・" in acard.lines[0]
    assert f"決定事項: {d.id} 北台の見守りネットワークをつくる" in acard.lines
    for c in (card, acard):
        _no_ambiguous(c.heading + c.body + "".join(c.lines))
    assert dv.readback_progress(3, 7) == "3件目／7件"
    assert dv.readback_result_text(None) == "未確認"
    s.set_readback("decisions", d.id, "OBJECTION", "期限が短い")
    s.set_readback("action_items", a.id, "CONFIRMED")
    assert dv.readback_result_text(s.readback_result(d.id)) == "異議あり：期限が短い"
    assert dv.readback_result_text(s.readback_result(a.id)) == "確認済み"
    assert dv.readback_counts(s.record, s.readback_targets()) == "確認 1件・異議 1件・未確認 0件"


def test_action_row_without_owner_or_due(session):
    s = session
    s.add_action("チラシを配る", owner_text="民生委員の皆さん")
    a = s.record.action_items[-1]
    assert dv.action_row_text(s.world, a) == f"   - {a.id} チラシを配る（担当：民生委員の皆さん・期限：期限なし）"


def test_check_rows_and_marks(session):
    s = session
    results = s.run_checks()
    c2 = next(r for r in results if r.check_code == "C2_SAME_NONMEMBERS" and r.target == "PN06")
    text = dv.check_row_text(CATALOG, c2, dv.check_mark(c2, s.record, s._check_id(c2)))
    assert text.startswith("[問題あり] C2 ネットワークに入っていない同種事業者 ー みほん市生活支援NPO連絡会")
    assert "架空おでかけ支援ネット" in text
    assert "登録済みの課題 GF-02 あり" in text
    s.accept_check(c2, evidence_sources=["PROVIDERS"])
    mark = dv.check_mark(c2, s.record, s._check_id(c2))
    assert mark == f"今回課題に登録（{s.record.gap_findings[-1].id}）"
    c3 = next(r for r in results if r.check_code == "C3_DIFF_MISSING_GROUPS" and r.problem)
    s.dismiss_check(c3, "薬局には別途声をかけている")
    assert dv.check_mark(c3, s.record, s._check_id(c3)) == "今回見送り: 薬局には別途声をかけている"
    ok = next(r for r in results if r.result == "OK")
    assert dv.check_row_text(CATALOG, ok).startswith("[問題なし] ")
    _no_ambiguous(text)


def test_finding_row_shows_policy_and_g5_when_undecided(session):
    s = session
    f = next(f for f in s.findings_now() if f.id == "GF-09")
    row = dv.finding_row_text(CATALOG, f, "方針を話し合いましょう。")
    assert row.split("\n")[1] == "   対応方針：未判断・状態：未対応"
    assert row.endswith("留意G5：方針を話し合いましょう。")
    f5 = next(f for f in s.findings_now() if f.id == "GF-05")
    assert "G5" not in dv.finding_row_text(CATALOG, f5, "x")
    assert "サービス創出" in dv.finding_row_text(CATALOG, f5)


def test_choices_for_the_decision_form(session):
    s = session
    nets = dict(dv.network_choices(s.world, s.council))
    assert dv.NONE_CODE in nets
    assert "PN04" in nets and "PN06" in nets          # AR1 area network, municipal network
    assert "PN05" not in nets and "PN10" not in nets  # other areas' networks
    expand = dv.leader_choices(s.world, CATALOG, "C2", "EXPAND_EXISTING", date(2025, 9, 16))
    assert expand[0][0] == dv.NONE_CODE
    assert expand[1][0] == "P05" and "指導力" in expand[1][1]
    form_new = dv.leader_choices(s.world, CATALOG, "C2", "FORM_NEW", date(2025, 9, 16))
    assert [c for c, _ in form_new[1:3]] == ["P06", "P08"]
    assert "信頼" in form_new[1][1]
    assert len(form_new) > 4                           # members follow the leaders
    types = [c for c, _ in dv.decision_type_choices(CATALOG)]
    assert types[:3] == ["EXPAND_EXISTING", "FORM_NEW", "CREATE_SERVICE"]
    assert set(types) == {"EXPAND_EXISTING", "FORM_NEW", "CREATE_SERVICE", "PROMOTE_INDIVIDUAL", "LINKAGE", "OTHER"}
    persons = dict(dv.person_choices(s.world, "C2", date(2025, 9, 16)))
    assert "P02" in persons
    orgs = dict(dv.org_choices(s.world, s.council, date(2025, 9, 16)))
    assert "O01" in orgs


def test_a12_prompts_keep_g4_of_this_meeting_only():
    class P:
        def __init__(self, rule, eid):
            self.rule, self.entity_id = rule, eid
    ps = [P("G4", "D-02"), P("G4", "D-10"), P("G6", "D-01")]
    kept = dv.a12_prompts(ps, ["D-10"])
    assert [(p.rule, p.entity_id) for p in kept] == [("G4", "D-10"), ("G6", "D-01")]


def test_next_plan_text(session):
    s = session
    assert dv.next_plan_text(s.meeting).startswith("未定")
    s.close(next_date=date(2025, 11, 18), next_time=time(14, 0), next_venue="北みほん地区会館")
    assert dv.next_plan_text(s.meeting) == "令和7年11月18日（火） 14:00 北みほん地区会館"


def test_export_folder_and_message(tmp_path):
    assert dv.export_folder(tmp_path / "out") == tmp_path / "out"
    assert dv.export_folder(None, tmp_path) == tmp_path / "kyogitai"
    assert dv.export_folder("", tmp_path / "docs") == tmp_path / "docs" / "kyogitai"
    msg = dv.export_done_message([Path("/x/a.docx"), Path("/x/b.docx")])
    assert msg == "/x/a.docx に書き出しました\n/x/b.docx に書き出しました"


def test_past_meeting_summary(session):
    world = session.world
    lines = dv.past_meeting_lines(world, CATALOG, "M-C2-02", date(2025, 9, 16))
    text = "\n".join(lines)
    assert lines[0] == "北みほん支え合い会議  令和7年度 第2回（議事録案）"
    assert "日時 令和7年7月15日（火） 14:00～16:00" in text
    assert "出席 構成員14名中13名出席・成立" in text
    assert "決定事項 3件" in text and "D-05 [サービス・助け合いの創出]" in text
    assert "AI-07" in text and "期限超過" in text
    assert "次回 令和7年9月16日（火）" in text
    _no_ambiguous(text)


def test_problem_checks_come_first(session):
    ordered = dv.checks_in_order(session.run_checks())
    results = [r.result for r in ordered]
    assert results[:3] == ["PROBLEM"] * 3
    assert results == sorted(results, key=["PROBLEM", "UNKNOWN", "OK"].index)
