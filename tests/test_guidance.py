"""Guidance prompts G1-G7 and H1: hand-built objects, then the demo data."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from kyogitai_tui.domain.guidebook.guidance import (
    prompts_for, prompts_for_decision, prompts_for_finding, prompts_for_individual_network,
    prompts_for_need, prompts_for_provider_network,
)
from kyogitai_tui.domain.model import (
    Council, Decision, GapFinding, IndividualNetwork, Meeting, NeedItem, ProviderNetwork, Subject,
)

TODAY = date(2025, 9, 9)
AMBIGUOUS = set("○×△※→…①★") | {chr(c) for c in range(0x2500, 0x2580)}


def _inet(i, subject, **kw):
    return IndividualNetwork(id=i, subject_id=subject, **kw)


def _pnet(i, kind="DIFF", **kw):
    return ProviderNetwork(id=i, name=f"NW{i}", kind=kind, coverage_level="AREA", area_id="AR1",
                           form="MEETING", **kw)


def test_g1_new_or_unmet():
    net = _inet("IN1", "S1")
    assert [p.rule for p in prompts_for_need(NeedItem(id="N1", network_id="IN1",
                                                      service_category="SHOPPING", status="NEW"))] == ["G1"]
    assert prompts_for_need(NeedItem(id="N2", network_id="IN1", service_category="MOBILITY",
                                     status="UNMET", provider_found=True))
    # the catalog says UNMET or NEW: an unmet need with no provider found yet prompts too
    assert [p.rule for p in prompts_for_need(NeedItem(id="N3", network_id="IN1", service_category="MOBILITY",
                                                      status="UNMET"))] == ["G1"]
    assert not prompts_for_need(NeedItem(id="N4", network_id="IN1", service_category="MEALS"))
    ended = _inet("IN2", "S2", status="ENDED")
    assert not prompts_for_need(NeedItem(id="N5", network_id="IN2", service_category="MEALS",
                                         status="NEW"), ended)
    p = prompts_for_individual_network(net, [NeedItem(id="N1", network_id="IN1",
                                                      service_category="SHOPPING", status="NEW")],
                                       about="Aさん")[0]
    assert p.entity == "need_items" and p.entity_id == "N1" and p.about.startswith("Aさん")
    assert p.seed_ref == "4-3(4)-1" and p.text


def test_g2_g3_h1():
    rules = lambda n: [p.rule for p in prompts_for_individual_network(n)]
    assert rules(_inet("IN1", "S1", route_to_tier3=False)) == ["G2"]
    # the route is to the 3層コーディネーター at the 地域包括支援センター, not to a provider
    assert rules(_inet("IN1", "S1", route_contact="家族から訪問介護事業所へ")) == ["G2"]
    assert rules(_inet("IN1", "S1", route_contact="担当ケアマネジャーだけ")) == ["G2"]
    assert rules(_inet("IN1", "S1", route_contact="ケアマネ経由で包括")) == []
    assert rules(_inet("IN1", "S1", route_contact="ｍほん北地域包括支援センター")) == []
    assert rules(_inet("IN1", "S1", status="NEEDED_NOT_FORMED", route_to_tier3=False)) == ["G3"]
    assert rules(_inet("IN1", "S1", formation_mode="SEQUENTIAL")) == ["H1"]
    assert rules(_inet("IN1", "S1", formation_mode="SEQUENTIAL", gathered_once=True)) == []
    assert rules(_inet("IN1", "S1", status="ENDED", route_to_tier3=False)) == []


def test_the_room_sees_a_route_that_stops_short_of_the_centre(demo_dataset):
    from kyogitai_tui.domain.meeting import report_view as rv
    from kyogitai_tui.domain.meeting.session import MeetingSession
    from kyogitai_tui.domain.world import World

    for n in demo_dataset["registry"]["individual_networks"]:
        if n["id"] == "IN-001":
            n["route_contact"] = "家族から訪問介護事業所へ"
    world = World.from_dataset(demo_dataset)
    s = MeetingSession(demo_dataset, world, "M-C2-03", today=world.meetings["M-C2-03"].held_on)
    from kyogitai_tui.domain.catalog import default_catalog
    text = "\n".join(l.text for r in rv.individual_network_rows(s, default_catalog()) for l in r.lines)
    assert "3層への連絡ルート：あり（家族から訪問介護事業所へ）・地域包括支援センターまで届いていません" in text


def test_g6_g7_provider_networks():
    rules = lambda n, t=TODAY: [p.rule for p in prompts_for_provider_network(n, t)]
    assert rules(_pnet("P1", status="HOLLOW_RISK")) == ["G6"]
    assert rules(_pnet("P2", last_met_on=date(2025, 3, 9))) == ["G6"]      # 6 months
    assert rules(_pnet("P3", last_met_on=date(2025, 3, 10))) == []         # 5 months
    assert rules(_pnet("P4", status="PLANNED", last_met_on=date(2024, 1, 1))) == []
    assert rules(_pnet("P5", kind="CHIEN_NPO", chien_npo_stage="LINKING")) == ["G7"]
    assert rules(_pnet("P6", kind="CHIEN_NPO", chien_npo_stage="EXPANDING")) == []
    p = prompts_for_provider_network(_pnet("P2", last_met_on=date(2025, 1, 5)), TODAY)[0]
    assert "8か月" in p.about


def test_g4_g5_decisions_and_findings():
    d = Decision(id="D2", meeting_id="M1", type="FORM_NEW", text="つなぎの会を設置")
    assert [p.rule for p in prompts_for_decision(d)] == ["G4"]       # not yet answered: asks
    answered = Decision(id="D3", meeting_id="M1", type="FORM_NEW", text="x", parallel_individual_mechanism=True)
    assert not prompts_for_decision(answered)                        # the council said yes
    assert not prompts_for_decision(Decision(id="D1", meeting_id="M1", type="EXPAND_EXISTING", text="x"))
    review = Decision(id="D9", meeting_id="M1", type="EXPAND_EXISTING", text="x",
                      review_on=date(2025, 9, 1), target_network_id="P1")
    assert [p.rule for p in prompts_for_decision(review, TODAY)] == ["G6"]
    assert not prompts_for_decision(review, TODAY, last_assessed_on=date(2025, 9, 5))
    assert not prompts_for_decision(review, date(2025, 8, 31))
    f = GapFinding(id="GF1", meeting_id="M1", kind="SERVICE_GAP", description="買い物困難")
    assert [p.rule for p in prompts_for_finding(f)] == ["G5"]
    f2 = GapFinding(id="GF2", meeting_id="M1", kind="SERVICE_GAP", description="x",
                    network_or_service="SERVICE")
    assert not prompts_for_finding(f2)
    state = SimpleNamespace(finding=f, status="OPEN", network_or_service="NETWORK")
    assert not prompts_for_finding(state)


def test_prompts_for_world_context_and_scope():
    m1 = Meeting(id="M1", council_id="C2", fiscal_year=2025, seq_no=1, held_on=date(2025, 5, 20))
    rec = SimpleNamespace(meeting=m1, decisions=[Decision(id="D2", meeting_id="M1", type="FORM_NEW", text="t")],
                          gap_findings=[GapFinding(id="GF1", meeting_id="M1", kind="SERVICE_GAP",
                                                   description="d")])
    world = SimpleNamespace(
        councils={"C2": Council(id="C2", name="北", tier=2, area_id="AR1")},
        subjects={"S1": Subject(id="S1", code="R-001", label="Aさん", age_band="80s", area_id="AR1"),
                  "S4": Subject(id="S4", code="R-004", label="Dさん", age_band="90s", area_id="AR3")},
        individual_networks={"IN1": _inet("IN1", "S1"), "IN4": _inet("IN4", "S4", route_to_tier3=False)},
        need_items={"N1": NeedItem(id="N1", network_id="IN1", service_category="SHOPPING", status="NEW")},
        provider_networks={"P5": _pnet("P5", kind="CHIEN_NPO", chien_npo_stage="LINKING"),
                           "P7": ProviderNetwork(id="P7", name="南", kind="DIFF", coverage_level="AREA",
                                                 area_id="AR3", form="MEETING", status="HOLLOW_RISK")},
        meetings={"M1": rec})
    keys = lambda ps: {p.key for p in ps}
    everything = prompts_for(world, today=TODAY)
    assert keys(everything) == {("G1", "N1"), ("G2", "IN4"), ("G4", "D2"), ("G5", "GF1"),
                                ("G6", "P7"), ("G7", "P5")}
    assert [p.rule for p in everything] == ["G1", "G2", "G4", "G5", "G6", "G7"]
    assert keys(prompts_for(world, today=TODAY, council_id="C2")) == {
        ("G1", "N1"), ("G4", "D2"), ("G5", "GF1"), ("G7", "P5")}
    assert keys(prompts_for(world, today=TODAY, context="A03")) == {("G1", "N1"), ("G2", "IN4")}
    assert keys(prompts_for(world, today=TODAY, context="A06")) == {("G7", "P5")}
    assert keys(prompts_for(world, today=TODAY, context="A05")) == {("G6", "P7")}
    assert keys(prompts_for(world, today=TODAY, context="GF1")) == {("G5", "GF1")}
    assert prompts_for(world, today=TODAY, context="A01") == []
    assert keys(prompts_for(world, today=TODAY, context="A12")) == {("G4", "D2")}
    for p in everything:
        assert p.text and p.seed_ref and not (set(p.text + p.about) & AMBIGUOUS)


# ---------------------------------------------------------------- demo data (みほん市)


PLANTED = {
    ("G1", "NI-001-3"),   # Aさん: 買い物 (新規発生)
    ("G1", "NI-004-2"),   # Dさん: 移動支援 unmet, no provider found yet
    ("G2", "IN-004"),     # Dさん: no route to the 3層
    ("G3", "IN-006"),     # Fさん: needed, not formed
    ("G4", "D-02"),       # FORM_NEW つなぎの会
    ("G5", "GF-09"),      # the one UNDECIDED finding
    ("G6", "PN05"),       # 南みほん: not met for months
    ("G7", "PN07"),       # 地縁-NPO at the つなぎ stage
    ("H1", "IN-002"),     # Bさん: sequential, never gathered
}




def test_demo_each_prompt_fires_exactly_where_planted(demo):
    world, today = demo
    prompts = prompts_for(world, today=today)
    assert {p.key for p in prompts} == PLANTED
    assert len(prompts) == len(PLANTED)
    # R-004's unmet 移動支援 (no provider found) is a G1 as the catalog states it
    need = world.need_items["NI-004-2"]
    assert need.status == "UNMET" and not need.provider_found
    for p in prompts:
        assert p.text and p.seed_ref and not (set(p.text + p.about) & AMBIGUOUS)
    g1 = next(p for p in prompts if p.rule == "G1" and p.entity_id == "NI-001-3")
    assert g1.about.startswith("Aさん") and "買い物" in g1.about


def test_demo_prompts_by_council_and_agenda_item(demo):
    world, today = demo
    north = {p.key for p in prompts_for(world, today=today, council_id="C2")}
    assert north == PLANTED - {("G2", "IN-004"), ("G6", "PN05"), ("G1", "NI-004-2")}
    south = {p.key for p in prompts_for(world, today=today, council_id="C4")}
    assert south == {("G2", "IN-004"), ("G6", "PN05"), ("G1", "NI-004-2")}
    assert {p.key for p in prompts_for(world, today=today, context="A03")} == {
        ("G1", "NI-001-3"), ("G1", "NI-004-2"), ("G2", "IN-004"), ("G3", "IN-006"), ("H1", "IN-002")}
    assert {p.key for p in prompts_for(world, today=today, context="A05")} == {("G6", "PN05")}
    assert {p.key for p in prompts_for(world, today=today, context="A06")} == {("G7", "PN07")}
    assert {p.key for p in prompts_for(world, today=today, context="A11")} == {("G5", "GF-09")}
    assert {p.key for p in prompts_for(world, today=today, context="A12")} == {("G4", "D-02")}
