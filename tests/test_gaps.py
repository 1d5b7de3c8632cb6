"""Gap checks C1-C4 (seed 4-4(4)): hand-built world, then the demo data."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from kyogitai_tui.domain.guidebook.gaps import (
    check_record, dismiss, finding_from_check, run_gap_checks,
)
from kyogitai_tui.domain.model import (
    Council, DailyLifeArea, Organization, ProviderNetwork, ProviderNetworkMember,
)

TODAY = date(2025, 9, 9)
AMBIGUOUS = set("○×△※→…①★") | {chr(c) for c in range(0x2500, 0x2580)}


def _org(i, name, org_type, areas=(), coverage="AREA", cats=(), **kw):
    return Organization(id=i, name=name, org_type=org_type, area_ids=list(areas),
                        coverage_level=coverage, service_categories=list(cats), **kw)


def mini_world(ratings=None):
    areas = {a.id: a for a in (
        DailyLifeArea(id="AR1", municipality_id="M", name="北圏域"),
        DailyLifeArea(id="AR2", municipality_id="M", name="中央圏域"),
        DailyLifeArea(id="AR3", municipality_id="M", name="南圏域"),
    )}
    orgs = {o.id: o for o in (
        _org("O05", "北包括", "SUPPORT_CENTER", ["AR1"]),
        _org("O13", "ケアプラン北", "CARE_MANAGEMENT", ["AR1"], cats=["CARE_MANAGEMENT"]),
        _org("O14", "ケアプラン中央", "CARE_MANAGEMENT", ["AR2"], cats=["CARE_MANAGEMENT"]),
        _org("O15", "ヘルパーST", "HOME_CARE", coverage="MUNICIPAL", cats=["HOME_CARE"]),
        _org("O17", "北診療所", "MEDICAL", ["AR1"]),
        _org("O19", "架空薬局 中央店", "PHARMACY", ["AR2"], cats=["PHARMACY"]),
        _org("O20", "たすけあいの会", "NPO", coverage="MUNICIPAL", cats=["HOUSEKEEPING"]),
        _org("O21", "おでかけ支援ネット", "NPO", ["AR1", "AR3"], cats=["MOBILITY"]),
        _org("O31", "町外ヘルパーA", "HOME_CARE", out_of_town=True, serves_area_ids=["AR3"]),
        _org("O32", "町外ヘルパーB", "HOME_CARE", coverage="MUNICIPAL", out_of_town=True,
             serves_area_ids=["AR3"]),
    )}
    nets = {n.id: n for n in (
        ProviderNetwork(id="PN01", name="ケアマネ連絡会", kind="SAME", coverage_level="MUNICIPAL",
                        form="STANDING", provider_org_types=["CARE_MANAGEMENT"],
                        has_individual_support_unit=True),
        ProviderNetwork(id="PN02", name="訪問介護連絡会", kind="SAME", coverage_level="MUNICIPAL",
                        form="MEETING", provider_org_types=["HOME_CARE"]),
        ProviderNetwork(id="PN04", name="北多職種連携会議", kind="DIFF", coverage_level="AREA",
                        area_id="AR1", form="MEETING",
                        expected_org_types=["SUPPORT_CENTER", "CARE_MANAGEMENT", "MEDICAL",
                                            "PHARMACY", "MOBILITY"],
                        last_met_on=date(2025, 7, 1)),
        ProviderNetwork(id="PN05", name="南事業者連絡会", kind="DIFF", coverage_level="AREA",
                        area_id="AR3", form="MEETING", status="HOLLOW_RISK",
                        last_met_on=date(2025, 1, 5)),
        ProviderNetwork(id="PN06", name="NPO連絡会", kind="SAME", coverage_level="MUNICIPAL",
                        form="MEETING", provider_org_types=["NPO"]),
        ProviderNetwork(id="PN10", name="中央認知症NW", kind="DIFF", coverage_level="AREA",
                        area_id="AR2", form="MEETING", has_individual_support_unit=True,
                        last_met_on=date(2025, 8, 1)),
    )}
    members = [ProviderNetworkMember(id=f"PM{i}", network_id=n, org_id=o) for i, (n, o) in enumerate([
        ("PN01", "O13"), ("PN01", "O14"), ("PN02", "O15"), ("PN04", "O05"), ("PN04", "O13"),
        ("PN04", "O17"), ("PN04", "O20"), ("PN06", "O20"), ("PN10", "O14"),
    ])]
    members.append(ProviderNetworkMember(id="PMX", network_id="PN06", org_id="O21",
                                         left_on=date(2024, 3, 31)))   # left: not a member
    ratings = ratings or {"PN01": {"SAME_REFERRAL": "FULFILLED"},
                          "PN04": {"DIFF_MONITOR": "PARTIAL"}}
    councils = {c.id: c for c in (Council(id="C1", name="第1層", tier=1),
                                  Council(id="C2", name="北", tier=2, area_id="AR1"),
                                  Council(id="C4", name="南", tier=2, area_id="AR3"))}
    return SimpleNamespace(areas=areas, organizations=orgs, provider_networks=nets,
                           provider_network_members=members, councils=councils, meetings={},
                           current_ratings=lambda nid: ratings.get(nid, {}))


def _by(results):
    return {(r.check_code, r.target): r for r in results}


def test_planted_gaps_on_mini_world():
    res = _by(run_gap_checks(mini_world(), today=TODAY))
    c1 = res[("C1_SUPPORT_FUNCTION", "PN04")]
    assert c1.result == "PROBLEM" and c1.finding_kind == "FUNCTION_GAP"
    assert "一部" in c1.reason
    c3 = res[("C3_DIFF_MISSING_GROUPS", "PN04")]
    assert c3.result == "PROBLEM"
    assert c3.missing_group_types == ["PHARMACY", "MOBILITY"]
    assert "架空薬局 中央店" in c3.reason and "おでかけ支援ネット" in c3.reason
    assert c3.reason.endswith("が参加していません。")
    c2 = res[("C2_SAME_NONMEMBERS", "PN06")]
    assert c2.result == "PROBLEM" and c2.nonmember_org_ids == ["O21"]
    c2b = res[("C2_SAME_NONMEMBERS", "PN02")]
    assert c2b.result == "PROBLEM" and c2b.nonmember_org_ids == ["O31", "O32"]
    assert "町外から" in c2b.reason
    c4 = res[("C4_NO_NETWORK_PERCEIVED", "AR3")]
    assert c4.result == "PROBLEM" and c4.finding_kind == "NO_NETWORK"
    assert "南事業者連絡会" in c4.reason and "8か月" in c4.reason
    assert res[("C4_NO_NETWORK_PERCEIVED", "AR1")].result == "OK"
    assert res[("C4_NO_NETWORK_PERCEIVED", "AR2")].result == "OK"
    # PN01 healthy: nothing
    assert all(r.result == "OK" for r in res.values() if r.target == "PN01")
    for r in res.values():
        assert not (set(r.checked + r.reason) & AMBIGUOUS), r


def test_scope_of_a_tier2_council():
    w = mini_world()
    north = _by(run_gap_checks(w, council_id="C2", today=TODAY))
    assert ("C1_SUPPORT_FUNCTION", "PN05") not in north          # AR3's network
    assert ("C4_NO_NETWORK_PERCEIVED", "AR3") not in north
    assert north[("C2_SAME_NONMEMBERS", "PN02")].result == "OK"  # AR3 providers only
    assert north[("C2_SAME_NONMEMBERS", "PN06")].nonmember_org_ids == ["O21"]
    south = _by(run_gap_checks(w, council_id="C4", today=TODAY))
    assert south[("C2_SAME_NONMEMBERS", "PN02")].nonmember_org_ids == ["O31", "O32"]
    assert south[("C4_NO_NETWORK_PERCEIVED", "AR3")].result == "PROBLEM"
    assert set(_by(run_gap_checks(w, council_id="C1", today=TODAY))) == \
        set(_by(run_gap_checks(w, today=TODAY)))


def test_c1_asks_both_the_work_and_the_unit():
    """C1 (seed 4-4(4)): the support work done well enough AND a unit for it."""
    def c1(net_id, rating, unit):
        w = mini_world(ratings={net_id: {"DIFF_MONITOR": rating} if rating else {}})
        w.provider_networks[net_id].has_individual_support_unit = unit
        return _by(run_gap_checks(w, today=TODAY))[("C1_SUPPORT_FUNCTION", net_id)]
    assert c1("PN10", "FULFILLED", True).result == "OK"
    assert c1("PN10", None, True).result == "UNKNOWN"
    # a unit does not excuse work not done (PN05 of the demo: unit, 果たしていない)
    got = c1("PN10", "NOT_FULFILLED", True)
    assert got.result == "PROBLEM" and "果たしていない" in got.reason and "部門はあります" in got.reason
    assert c1("PN10", "PARTIAL", True).result == "PROBLEM"
    # the work done without a unit is still a gap the guidebook names
    got = c1("PN04", "FULFILLED", False)
    assert got.result == "PROBLEM" and "部門がありません" in got.reason
    assert c1("PN04", None, False).result == "PROBLEM"


def test_c4_perceived_absent_and_stale():
    w = mini_world()
    w.provider_networks["PN10"].perceived_absent = True
    assert _by(run_gap_checks(w, today=TODAY))[("C4_NO_NETWORK_PERCEIVED", "AR2")].result == "PROBLEM"
    w = mini_world()
    later = date(2026, 3, 1)   # PN04 last met 2025-07-01: 8 months
    assert _by(run_gap_checks(w, today=later))[("C4_NO_NETWORK_PERCEIVED", "AR1")].result == "PROBLEM"


def test_finding_check_record_and_dismiss():
    w = mini_world()
    res = _by(run_gap_checks(w, today=TODAY))
    c2 = res[("C2_SAME_NONMEMBERS", "PN06")]
    f = finding_from_check(c2, "M3", finding_id="GF-9", check_id="GC-9")
    assert f.kind == "SAME_NONMEMBER" and f.network_id == "PN06" and f.check_code == c2.check_code
    assert f.network_or_service == "UNDECIDED" and "おでかけ支援ネット" in f.description
    rec = check_record(c2, "M3", check_id="GC-9", today=TODAY)
    assert rec.result == "PROBLEM" and rec.nonmember_org_ids == ["O21"]
    assert rec.target_network_id == "PN06" and rec.target_area_id is None
    c4 = res[("C4_NO_NETWORK_PERCEIVED", "AR3")]
    assert check_record(c4, "M3", check_id="GC-10").target_area_id == "AR3"
    with pytest.raises(ValueError):
        dismiss(c2, "  ", "M3", check_id="GC-11")
    gone = dismiss(c2, "O21は来年度から加入予定", "M3", check_id="GC-11", today=TODAY)
    assert gone.dismissed_reason == "O21は来年度から加入予定" and gone.result == "PROBLEM"
    # the next run remembers the dismissal while the same org is concerned
    w.meetings = {"M3": SimpleNamespace(meeting=SimpleNamespace(held_on=TODAY), gap_checks=[gone])}
    again = _by(run_gap_checks(w, today=TODAY))
    assert again[("C2_SAME_NONMEMBERS", "PN06")].dismissed_reason
    assert not again[("C2_SAME_NONMEMBERS", "PN02")].dismissed_reason


# ---------------------------------------------------------------- demo data (みほん市)





def _problems(results):
    return {(r.check_code, r.target) for r in results if r.result == "PROBLEM"}


def test_demo_planted_gaps_exactly(demo):
    world, today = demo
    results = run_gap_checks(world, today=today)
    assert _problems(results) == {
        ("C1_SUPPORT_FUNCTION", "PN04"), ("C3_DIFF_MISSING_GROUPS", "PN04"),
        ("C2_SAME_NONMEMBERS", "PN06"), ("C2_SAME_NONMEMBERS", "PN02"),
        ("C4_NO_NETWORK_PERCEIVED", "AR3"),
        # rated short of 果たしている although they have a unit (C1 asks both)
        ("C1_SUPPORT_FUNCTION", "PN05"), ("C1_SUPPORT_FUNCTION", "PN06"),
    }
    res = _by(results)
    c3 = res[("C3_DIFF_MISSING_GROUPS", "PN04")]
    assert c3.missing_group_types == ["PHARMACY", "MOBILITY"]
    assert c3.reason == ("架空薬局 中央店（薬局）、NPO法人 架空おでかけ支援ネット（外出支援・移動支援）"
                         "が参加していません。")
    assert res[("C2_SAME_NONMEMBERS", "PN06")].nonmember_org_ids == ["O21"]
    pn02 = res[("C2_SAME_NONMEMBERS", "PN02")]
    assert len(pn02.nonmember_org_ids) == 2
    for oid in pn02.nonmember_org_ids:
        org = world.organizations[oid]
        assert org.out_of_town and "AR3" in org.serves_area_ids
    assert "南みほん ささえあい事業者連絡会" in res[("C4_NO_NETWORK_PERCEIVED", "AR3")].reason
    assert [r.result for r in results if r.target == "PN01"] == ["OK", "OK"]   # healthy: C1, C2
    assert res[("C1_SUPPORT_FUNCTION", "PN04")].responsible_tier == 2
    assert res[("C2_SAME_NONMEMBERS", "PN06")].responsible_tier == 1
    for r in results:
        assert not (set(r.checked + r.reason) & AMBIGUOUS), r
    # each planted gap was raised as a finding in an earlier meeting: linked, not re-raised
    assert all(r.open_finding_id for r in results if r.result == "PROBLEM"
               and (r.check_code, r.target) not in {("C1_SUPPORT_FUNCTION", "PN05"),
                                                    ("C1_SUPPORT_FUNCTION", "PN06")})
    c4 = res[("C4_NO_NETWORK_PERCEIVED", "AR3")]
    assert c4.evidence_sources == ["PROVIDERS", "MINSEI", "SUPPORT_CENTER"]   # who said it


def test_demo_council_scope(demo):
    world, today = demo
    assert _problems(run_gap_checks(world, council_id="C2", today=today)) == {
        ("C1_SUPPORT_FUNCTION", "PN04"), ("C3_DIFF_MISSING_GROUPS", "PN04"),
        ("C2_SAME_NONMEMBERS", "PN06"), ("C1_SUPPORT_FUNCTION", "PN06")}
    assert _problems(run_gap_checks(world, council_id="C4", today=today)) == {
        ("C2_SAME_NONMEMBERS", "PN02"), ("C2_SAME_NONMEMBERS", "PN06"),
        ("C4_NO_NETWORK_PERCEIVED", "AR3"), ("C1_SUPPORT_FUNCTION", "PN05"),
        ("C1_SUPPORT_FUNCTION", "PN06")}
    # 中央圏域's own networks are sound; the municipal PN06 is rated 一部 at C2's meeting
    assert _problems(run_gap_checks(world, council_id="C3", today=today)) == {("C1_SUPPORT_FUNCTION", "PN06")}
    assert _problems(run_gap_checks(world, council_id="C1", today=today)) == \
        _problems(run_gap_checks(world, today=today))
