"""World: folding of meeting rows into the current state, and the queries the
home screen, the agenda builder and `kyogitai check` rely on."""
from __future__ import annotations

import copy
from datetime import date

import pytest

from kyogitai_tui.domain.world import World, count_docs


def _tiny() -> dict:
    """A council with two held meetings and a planned one."""
    reg = {
        "municipality": [{"id": "MU", "name": "テスト市"}],
        "areas": [{"id": "A1", "municipality_id": "MU", "name": "北圏域"}],
        "organizations": [{"id": "O1", "name": "架空団体", "org_type": "NPO", "area_ids": ["A1"]},
                          {"id": "O2", "name": "架空包括", "org_type": "SUPPORT_CENTER"}],
        "persons": [{"id": "P1", "display_name": "見本 一", "org_id": "O1"},
                    {"id": "P2", "display_name": "見本 二", "org_id": "O2"}],
        "councils": [{"id": "C", "name": "北会議", "tier": 2, "area_id": "A1"}],
        "council_members": [
            {"id": "CM1", "council_id": "C", "person_id": "P1", "role": "CHAIR", "term_from": "2025-04-01"},
            {"id": "CM2", "council_id": "C", "person_id": "P2", "term_from": "2025-07-01"},
            {"id": "CM3", "council_id": "C", "person_id": "P2", "role": "SC"},
        ],
        "subjects": [{"id": "S1", "code": "R-001", "label": "Aさん", "age_band": "80s", "sex": "F",
                      "household": "ALONE", "area_id": "A1"}],
        "individual_networks": [{"id": "IN1", "subject_id": "S1", "status": "NEEDED_NOT_FORMED"}],
        "provider_networks": [{"id": "PN", "name": "連絡会", "kind": "SAME", "coverage_level": "AREA",
                               "form": "MEETING", "area_id": "A1", "status": "ACTIVE"}],
        "provider_network_members": [
            {"id": "PM1", "network_id": "PN", "org_id": "O1"},
            {"id": "PM2", "network_id": "PN", "org_id": "O2", "left_on": "2025-06-01"},
        ],
    }

    def meeting(mid, seq, held_on, status, **tables):
        m = {"meeting": [{"id": mid, "council_id": "C", "fiscal_year": 2025, "seq_no": seq,
                          "held_on": held_on, "start_time": "14:00", "status": status}]}
        m.update(tables)
        return m

    meetings = {
        # listed out of order on purpose
        "M2": meeting("M2", 2, "2025-07-15", "MINUTES_DRAFT",
                      action_progress=[
                          {"id": "AP1", "action_item_id": "AI1", "meeting_id": "M2", "status_after": "IN_PROGRESS"},
                          {"id": "AP2", "action_item_id": "AI2", "meeting_id": "M2", "status_after": "DONE"},
                      ],
                      action_items=[{"id": "AI3", "origin_meeting_id": "M2", "title": "新しい取組",
                                     "due_date": "2025-09-30"}],
                      network_updates=[{"id": "NU1", "meeting_id": "M2", "entity": "individual_networks",
                                        "entity_id": "IN1", "changes": {"status": "FORMING"}},
                                       {"id": "NU2", "meeting_id": "M2", "entity": "need_items",
                                        "entity_id": "N9", "changes": {"network_id": "IN1",
                                                                       "service_category": "SHOPPING",
                                                                       "status": "NEW"}}],
                      finding_updates=[{"id": "FU1", "meeting_id": "M2", "finding_id": "F1",
                                        "network_or_service": "SERVICE", "status": "DECIDED"}],
                      function_assessments=[{"id": "FA2", "meeting_id": "M2", "network_id": "PN",
                                             "function_code": "SAME_REFERRAL", "rating": "FULFILLED"}],
                      linkage_statuses=[{"id": "L2", "meeting_id": "M2", "council_id": "C",
                                         "linked_system_code": "DEMENTIA_PROMOTER", "status": "REGULAR_MEMBER"}]),
        "M1": meeting("M1", 1, "2025-05-20", "MINUTES_CONFIRMED",
                      agenda_items=[{"id": "AG2", "meeting_id": "M1", "order": 2, "section": "REPORT", "title": "二"},
                                    {"id": "AG1", "meeting_id": "M1", "order": 1, "section": "REPORT", "title": "一"}],
                      action_items=[
                          {"id": "AI1", "origin_meeting_id": "M1", "title": "提案", "due_date": "2025-07-10",
                           "owner_person_ids": ["P1"]},
                          {"id": "AI2", "origin_meeting_id": "M1", "title": "調整", "due_date": "2025-06-30"},
                      ],
                      gap_findings=[{"id": "F1", "meeting_id": "M1", "kind": "SERVICE_GAP",
                                     "description": "買い物が困難", "area_id": "A1"}],
                      function_assessments=[
                          {"id": "FA1", "meeting_id": "M1", "network_id": "PN",
                           "function_code": "SAME_REFERRAL", "rating": "PARTIAL"},
                          {"id": "FA0", "meeting_id": "M1", "network_id": "PN",
                           "function_code": "SAME_ADJUST", "rating": "PARTIAL"}],
                      linkage_statuses=[{"id": "L1", "meeting_id": "M1", "council_id": "C",
                                         "linked_system_code": "DEMENTIA_PROMOTER", "status": "INFO_EXCHANGE"}]),
        "M3": meeting("M3", 3, "2025-09-16", "PLANNED"),
    }
    return {"registry": reg, "sensitive": {"subject_sensitive": [
        {"id": "SS1", "subject_id": "S1", "dementia": True}]}, "meetings": meetings}


@pytest.fixture
def world() -> World:
    return World.from_dataset(_tiny())


def test_meetings_are_ordered_and_last_next(world):
    assert [r.id for r in world.meetings_of("C")] == ["M1", "M2", "M3"]
    today = date(2025, 9, 9)
    assert world.last_meeting("C", today).id == "M2"
    assert world.next_meeting("C", today).id == "M3"
    assert world.next_meeting("C", date(2025, 9, 17)) is None
    assert world.last_meeting("C", date(2025, 6, 1)).id == "M1"
    assert [a.id for a in world.meetings["M1"].agenda_items] == ["AG1", "AG2"]


def test_network_updates_fold_and_create(world):
    assert world.individual_networks["IN1"].status == "FORMING"
    assert world.need_items["N9"].status == "NEW"
    assert world.sensitive["S1"].dementia is True


def test_action_states_carry_over_and_overdue(world):
    states = {s.id: s for s in world.action_states()}
    assert states["AI1"].status == "IN_PROGRESS" and states["AI1"].carry_over_count == 1
    assert states["AI2"].status == "DONE" and not states["AI2"].is_open
    assert states["AI2"].carry_over_count == 1          # carried into M2, closed there
    assert states["AI3"].carry_over_count == 0
    assert states["AI1"].council_id == "C" and states["AI1"].origin.id == "M1"
    today = date(2025, 9, 9)
    assert states["AI1"].is_overdue(today) and not states["AI3"].is_overdue(today)
    assert [s.id for s in world.open_actions("C")] == ["AI1", "AI3"]
    # as it stood at the start of M2: AI1, AI2 open, AI3 not yet created
    before = world.open_actions("C", before_meeting_id="M2")
    assert [(s.id, s.status, s.carry_over_count) for s in before] == [
        ("AI2", "NOT_STARTED", 0), ("AI1", "NOT_STARTED", 0)]


def test_carry_over_grows_once_the_next_meeting_is_held():
    ds = _tiny()
    ds["meetings"]["M3"]["meeting"][0]["status"] = "HELD"
    w = World.from_dataset(ds)
    assert {s.id: s.carry_over_count for s in w.action_states()}["AI1"] == 2


def test_ratings_findings_linkage(world):
    r = world.current_ratings("PN")
    assert r["SAME_REFERRAL"].rating == "FULFILLED" and r["SAME_ADJUST"].rating == "PARTIAL"
    assert world.current_ratings("PN", before_meeting_id="M2")["SAME_REFERRAL"].rating == "PARTIAL"
    (f,) = world.finding_states()
    assert f.network_or_service == "SERVICE" and f.status == "DECIDED" and f.council_id == "C"
    assert world.finding_states(before_meeting_id="M2")[0].network_or_service == "UNDECIDED"
    assert world.linkage("C")["DEMENTIA_PROMOTER"].status == "REGULAR_MEMBER"


def test_members_term_aware_and_network_members(world):
    assert [m.person_id for m in world.members_of_council("C", on=date(2025, 5, 20))] == ["P1"]
    assert [m.person_id for m in world.members_of_council("C", on=date(2025, 7, 15))] == ["P1", "P2"]
    assert len(world.members_of_council("C", include_staff=True)) == 3
    assert [o.id for o in world.network_members("PN")] == ["O1"]


def test_subject_label(world):
    assert world.subject_label("S1") == "Aさん（80代・女性・独居）"


def test_references_problems():
    assert World.from_dataset(_tiny()).references_problems() == []
    ds = copy.deepcopy(_tiny())
    ds["meetings"]["M1"]["action_items"][0]["owner_person_ids"] = ["P99"]
    problems = World.from_dataset(ds).references_problems()
    assert len(problems) == 1
    assert "AI1" in problems[0] and "P99" in problems[0] and "M1" in problems[0]


def test_count_docs():
    assert count_docs(_tiny()) == 35
