"""Small rules: responsible tier, quorum, consent gate, small-number guard."""
from __future__ import annotations

from datetime import date, time
from types import SimpleNamespace

import pytest

from kyogitai_tui.domain.model import (
    Attendance, ConsentRecord, DailyLifeArea, ProviderNetwork, Subject,
)
from kyogitai_tui.domain.guidebook.rules import quorum, quorum_required, responsible_tier
from kyogitai_tui.domain.privacy.consent import can_share_subject
from kyogitai_tui.domain.privacy.reidentification import reidentification_warning, small_number_warnings


# ---------------------------------------------------------------- tier

@pytest.mark.parametrize("coverage,tier", [("AREA", 2), ("MUNICIPAL", 1), ("WIDE", 1)])
def test_responsible_tier_from_coverage(coverage, tier):
    assert responsible_tier(coverage) == tier
    net = ProviderNetwork(id="X", name="x", kind="SAME", coverage_level=coverage, form="MEETING")
    assert responsible_tier(net) == tier


def test_responsible_tier_unknown():
    with pytest.raises(ValueError):
        responsible_tier("GALAXY")


# ---------------------------------------------------------------- quorum

@pytest.mark.parametrize("rule,members,required", [
    ("MAJORITY", 14, 8), ("MAJORITY", 13, 7), ("HALF", 14, 7), ("HALF", 13, 7),
    ("COUNT:10", 14, 10),
])
def test_quorum_required(rule, members, required):
    assert quorum_required(rule, members) == required


def _att(i, status="PRESENT", role="MEMBER", **kw):
    return Attendance(id=f"A{i}", meeting_id="M", person_id=f"P{i}", role_in_meeting=role,
                      status=status, **kw)


def test_quorum_text_met():
    rows = [_att(i) for i in range(13)] + [_att(13, "ABSENT"), _att(99, role="SC")]
    q = quorum("MAJORITY", rows)
    assert (q.members, q.present, q.met) == (14, 13, True)
    assert q.text == "構成員14名中13名出席・成立"


def test_quorum_not_met():
    rows = [_att(i) for i in range(7)] + [_att(i, "ABSENT") for i in range(7, 14)]
    q = quorum("MAJORITY", rows)
    assert (q.present, q.met) == (7, False)
    assert q.text == "構成員14名中7名出席・不成立"
    assert quorum("HALF", rows).met


def test_quorum_late_arrival_and_early_leaver_change_the_count():
    rows = [_att(i) for i in range(7)] + [
        _att(7, "LATE"),                                   # not yet arrived
        _att(8, "LEFT_EARLY", left_at=time(15, 0)),
        _att(9, "ABSENT"), _att(10, "ABSENT"), _att(11, "ABSENT"),
        _att(12, "ABSENT"), _att(13, "ABSENT"),
    ]
    q = quorum("MAJORITY", rows, at=time(14, 10))
    assert (q.present, q.met) == (8, True)                 # leaver still in the room
    rows[7] = _att(7, "LATE", arrived_at=time(14, 30))
    assert quorum("MAJORITY", rows, at=time(14, 10)).present == 8   # not yet arrived at 14:10
    assert quorum("MAJORITY", rows, at=time(14, 40)).present == 9   # arrived
    after = quorum("MAJORITY", rows, at=time(15, 5))
    assert (after.present, after.met) == (8, True)         # leaver gone
    rows[7] = _att(7, "LATE")
    gone = quorum("MAJORITY", rows, at=time(15, 5))
    assert (gone.present, gone.met) == (7, False)
    assert gone.text == "構成員14名中7名出席・不成立"


def test_quorum_proxy_counts_unless_council_says_not():
    rows = [_att(i) for i in range(6)] + [_att(6, "PROXY", proxy_name="代理")] + [
        _att(i, "ABSENT") for i in range(7, 12)]
    assert quorum("MAJORITY", rows).present == 7
    assert quorum("MAJORITY", rows).proxies == 1
    assert quorum("MAJORITY", rows, proxies_count=False).present == 6


# ---------------------------------------------------------------- consent

def test_consent_gate():
    records: list[ConsentRecord] = []
    ok, reason = can_share_subject(records, "S5")
    assert not ok and "同意" in reason
    records.append(ConsentRecord(id="CR1", subject_id="S5"))          # no date yet
    assert not can_share_subject(records, "S5")[0]
    records.append(ConsentRecord(id="CR2", subject_id="S5", obtained_on=date(2025, 9, 20),
                                 scope=["O27", "O28"]))
    ok, reason = can_share_subject(records, "S5")
    assert ok and "2025-09-20" in reason
    assert not can_share_subject(records, "S5", on=date(2025, 9, 16))[0]
    assert can_share_subject(records, "S5", partner="O27")[0]
    assert not can_share_subject(records, "S5", partner="O29")[0]
    world = SimpleNamespace(consent_records=records)
    assert can_share_subject(world, "S5")[0]
    records[1].withdrawn_on = date(2025, 10, 1)
    ok, reason = can_share_subject(records, "S5")
    assert not ok and "撤回" in reason
    assert can_share_subject(records, "S5", on=date(2025, 9, 25))[0]


# ---------------------------------------------------------------- small numbers

def _area(i, character="", households=None):
    return DailyLifeArea(id=f"AR{i}", municipality_id="M", name=f"圏域{i}",
                         character=character, households_hint=households)


def _subj(i, age, household, area):
    return Subject(id=f"S{i}", code=f"R-00{i}", label=f"{i}さん", age_band=age,
                   household=household, area_id=area)


def test_small_number_rule():
    town = _area(1, "1970年代の団地", 6000)
    hamlet = _area(3, "中山間の集落が点在", 900)
    tiny = _area(4, "", 30)
    assert reidentification_warning(_subj(4, "90s", "ALONE", "AR3"), hamlet)
    assert reidentification_warning(_subj(4, "90s", "ALONE", "AR3"), _area(5, "", 200))
    assert reidentification_warning(_subj(1, "80s", "ALONE", "AR3"), hamlet) is None
    assert reidentification_warning(_subj(1, "90s", "ALONE", "AR1"), town) is None
    assert reidentification_warning(_subj(1, "90s", "COUPLE", "AR3"), hamlet) is None
    assert reidentification_warning(_subj(1, "70s", "ALONE", "AR4"), tiny)
    world = SimpleNamespace(
        areas={a.id: a for a in (town, hamlet)},
        subjects={s.id: s for s in (_subj(1, "80s", "ALONE", "AR1"),
                                    _subj(4, "90s", "ALONE", "AR3"))})
    warnings = small_number_warnings(world)
    assert list(warnings) == ["S4"]
    assert "4さん" in warnings["S4"]


def test_quorum_for_meeting_uses_the_roster():
    from kyogitai_tui.domain.model import Council, CouncilMember, Meeting
    from kyogitai_tui.domain.guidebook.rules import quorum_for_meeting
    from kyogitai_tui.domain.world import World

    members = [CouncilMember(id=f"CM{i}", council_id="C2", person_id=f"P{i}",
                             role="CHAIR" if i == 0 else "MEMBER").to_doc() for i in range(14)]
    members.append(CouncilMember(id="CMS", council_id="C2", person_id="PSC", role="SC").to_doc())
    members.append(CouncilMember(id="CMO", council_id="C2", person_id="POLD", role="MEMBER",
                                 term_to=date(2025, 3, 31)).to_doc())
    rows = [_att(i) for i in range(12)] + [
        _att(12, "LATE", arrived_at=time(14, 20)), _att(13, "ABSENT"), _att(99, role="SC")]
    dataset = {
        "registry": {"councils": [Council(id="C2", name="北", tier=2).to_doc()],
                     "council_members": members},
        "meetings": {"M3": {
            "meeting": [Meeting(id="M3", council_id="C2", fiscal_year=2025, seq_no=3,
                                held_on=date(2025, 9, 16)).to_doc()],
            "attendance": [a.to_doc() for a in rows]}},
    }
    world = World.from_dataset(dataset)
    assert quorum_for_meeting(world, "M3", at=time(14, 10)).text == "構成員14名中12名出席・成立"
    assert quorum_for_meeting(world, "M3", at=time(14, 30)).text == "構成員14名中13名出席・成立"


def test_small_number_hamlet_size_on_the_subject():
    plain = _area(6, "住宅地", 5000)
    s = _subj(7, "90s", "ALONE", "AR6")
    assert reidentification_warning(s, plain) is None
    s.extra = {"hamlet_households": 30}
    assert reidentification_warning(s, plain)
    young = _subj(8, "60s", "ALONE", "AR6")
    young.extra = {"hamlet_households": 20}
    assert reidentification_warning(young, plain)          # tiny place: living alone is enough


# ---------------------------------------------------------------- demo data (みほん市)





def test_demo_responsible_tiers(demo):
    world, _ = demo
    nets = world.provider_networks
    assert responsible_tier(nets["PN03"]) == 1       # 広域
    assert responsible_tier(nets["PN04"]) == 2       # 圏域
    assert responsible_tier(nets["PN06"]) == 1       # 市町村域


def test_demo_quorum_of_the_second_meeting(demo):
    from kyogitai_tui.domain.guidebook.rules import quorum_for_meeting
    world, _ = demo
    assert quorum_for_meeting(world, "M-C2-02").text == "構成員14名中13名出席・成立"
    assert quorum_for_meeting(world, "M-C2-01").text == "構成員13名中11名出席・成立"


def test_demo_consent_gate_for_eさん(demo):
    world, today = demo
    ok, reason = can_share_subject(world, "R-005")
    assert not ok and "同意" in reason
    assert can_share_subject(world, "R-001")[0]
    world.consent_records.append(ConsentRecord(id="CR-005", subject_id="R-005", obtained_on=today,
                                               scope=["O27", "O28"]))
    try:
        assert can_share_subject(world, "R-005", partner="O27")[0]
        assert can_share_subject(world, "R-005", partner="O28")[0]
    finally:
        world.consent_records.pop()


def test_demo_small_number_warning_for_dさん_only(demo):
    world, _ = demo
    warnings = small_number_warnings(world)
    assert list(warnings) == ["R-004"]
    assert warnings["R-004"].startswith("Dさん")
