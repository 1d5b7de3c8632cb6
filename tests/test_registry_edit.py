"""Register editing in the domain: validation messages, saving, retiring,
members, consent and the re-identification warning (issue 6)."""
from __future__ import annotations

from datetime import date

import pytest

from kyogitai_tui.domain.registry import edit as E
from kyogitai_tui.domain.registry import members as registry_members
from kyogitai_tui.domain.registry import specs as S
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.privacy.consent import can_share_subject
from kyogitai_tui.domain.changes import apply_to_dataset
from kyogitai_tui.domain.world import World

TODAY = date(2025, 9, 16)
pytestmark = pytest.mark.demo_today(TODAY)  # demo_dataset, demo_world: the demo written for that day
CAT = default_catalog()


def after(ds, changes):
    apply_to_dataset(ds, changes)
    return World.from_dataset(ds)


# ---------------------------------------------------------------- specs

def test_every_kind_has_fields_columns_rows_and_choices(demo_world):
    assert list(S.KINDS)[:5] == ["municipality", "areas", "organizations", "persons", "councils"]
    for kind in S.KINDS:
        specs = S.fields(kind)
        assert specs and all(f.kind in ("text", "int", "date", "choice", "multi", "ref", "refs", "bool")
                             for f in specs)
        rows = S.rows(demo_world, kind)
        assert rows, kind
        assert all(len(r.cells) == len(S.columns(kind)) for r in rows)
        for f in specs:
            if f.kind in ("choice", "multi", "ref", "refs"):
                assert S.choices(demo_world, CAT, f), (kind, f.name)
        rid = rows[0].id
        assert set(E.values_of(demo_world, kind, rid)) == {f.name for f in specs}


def test_subjects_have_no_name_or_address_field():
    names = {f.name for f in S.fields("subjects")}
    labels = "".join(f.label for f in S.fields("subjects"))
    assert not names & {"name", "display_name", "address", "real_name", "phone", "birth_date"}
    assert "氏名" not in labels and "住所" not in labels


def test_search_is_width_and_case_insensitive(demo_world):
    ids = [r.id for r in S.rows(demo_world, "organizations", "ＮＰＯ")]
    assert ids and all("npo" in S.norm_text(" ".join(r.cells)) for r in S.rows(demo_world, "organizations", "ＮＰＯ"))
    assert [r.id for r in S.rows(demo_world, "linkage_partners")] == ["O27", "O28", "O29"]


def test_retired_records_leave_pickers_but_stay_resolvable(demo_dataset, demo_world):
    w = after(demo_dataset, E.retire(demo_world, "organizations", "O13", TODAY))
    assert w.organizations["O13"].retired_on == TODAY
    assert "O13" not in [r.id for r in S.rows(w, "organizations")]
    assert "O13" in [r.id for r in S.rows(w, "organizations", include_retired=True)]
    ref = S.field("persons", "org_id")
    assert "O13" not in dict(S.choices(w, CAT, ref))
    assert w.org_name("O13")  # old minutes still resolve it
    assert all(m.id != "O13" for m in w.network_members("PN01", TODAY))
    w2 = after(demo_dataset, E.reactivate(w, "organizations", "O13"))
    assert w2.organizations["O13"].retired_on is None


# ---------------------------------------------------------------- validation

def test_required_fields_named_in_japanese(demo_world):
    errors = E.validate(demo_world, CAT, "organizations", {"name": ""})
    assert errors["name"] == "「団体名」を入力してください。"
    assert errors["org_type"] == "「種別」を選択してください。"


def test_duplicate_name_is_nfkc_and_case_insensitive(demo_world):
    name = demo_world.organizations["O01"].name
    wide = name.replace(" ", "　")
    errors = E.validate(demo_world, CAT, "organizations",
                        {"name": wide, "org_type": "GOV", "coverage_level": "MUNICIPAL"})
    assert "O01" in errors["name"] and "同じ名前" in errors["name"]
    # editing the record itself is not a duplicate
    assert E.validate(demo_world, CAT, "organizations", {"name": name}, editing_id="O01") == {}
    # persons: same name in another organisation is allowed
    p = demo_world.persons["P01"]
    assert "display_name" in E.validate(demo_world, CAT, "persons", {"display_name": p.display_name, "org_id": p.org_id})
    assert E.validate(demo_world, CAT, "persons", {"display_name": p.display_name, "org_id": "O01"}) == {}


def test_same_network_needs_service_category_and_area_network_an_area(demo_world):
    errors = E.validate(demo_world, CAT, "provider_networks",
                        {"name": "新しい連絡会", "kind": "同種事業者間ネットワーク",
                         "coverage_level": "AREA", "form": "MEETING"})
    assert "サービスの種類" in errors["provider_category"]
    assert "圏域" in errors["area_id"]
    ok = {"name": "新しい連絡会", "kind": "SAME", "provider_category": "配食",
          "coverage_level": "AREA", "area_id": "AR2", "form": "MEETING"}
    assert E.validate(demo_world, CAT, "provider_networks", ok) == {}


def test_tier2_council_needs_area_and_quorum_is_sane(demo_world):
    errors = E.validate(demo_world, CAT, "councils", {"name": "新協議体", "tier": "2", "quorum_rule": "三分の二"})
    assert "第2層" in errors["area_id"]
    assert "定足数" in errors["quorum_rule"]
    n = len(demo_world.members_of_council("C2"))
    errors = E.validate(demo_world, CAT, "councils", {"quorum_rule": str(n + 1)}, editing_id="C2")
    assert f"{n}人" in errors["quorum_rule"]
    changes = E.save(demo_world, CAT, "councils", {"quorum_rule": "５人"}, editing_id="C2", today=TODAY)
    assert changes[0].doc["quorum_rule"] == "COUNT:5" and changes[0].doc["tier"] == 2


def test_missing_or_retired_reference_is_refused_unless_already_there(demo_dataset, demo_world):
    errors = E.validate(demo_world, CAT, "persons", {"display_name": "新 人", "org_id": "O99"})
    assert "登録されていません" in errors["org_id"]
    w = after(demo_dataset, E.retire(demo_world, "organizations", "O02", TODAY))
    errors = E.validate(w, CAT, "persons", {"display_name": "新 人", "org_id": "O02"})
    assert "休止中" in errors["org_id"]
    # P01 already belongs to O02: editing P01's title still works
    assert E.validate(w, CAT, "persons", {"title": "係長"}, editing_id="P01") == {}


def test_bad_date_and_int_messages(demo_world):
    errors = E.validate(demo_world, CAT, "provider_networks", {"last_met_on": "2025-02-30"}, editing_id="PN01")
    assert "2025-02-30" in errors["last_met_on"] and "ありません" in errors["last_met_on"]
    errors = E.validate(demo_world, CAT, "areas", {"name": "新圏域", "basis": "OTHER", "households_hint": "たくさん"})
    assert "数字" in errors["households_hint"]


# ---------------------------------------------------------------- save

def test_save_new_and_edit_keeps_unknown_keys(demo_dataset, demo_world):
    changes = E.save(demo_world, CAT, "organizations",
                     {"name": "みほん見守り隊", "org_type": "ボランティア団体", "coverage_level": "日常生活圏域",
                      "area_ids": "北みほん圏域;中央圏域"}, today=TODAY)
    assert [c.doc_id for c in changes] == ["O33"]
    w = after(demo_dataset, changes)
    assert w.organizations["O33"].area_ids == ["AR1", "AR2"]
    assert w.organizations["O33"].org_type == "VOLUNTEER"
    w = after(demo_dataset, E.save(w, CAT, "areas", {"character": "坂の多い団地"}, editing_id="AR1", today=TODAY))
    raw = next(d for d in demo_dataset["registry"]["areas"] if d["id"] == "AR1")
    assert raw["character"] == "坂の多い団地" and raw["basis_note"] == "北中学校区"
    with pytest.raises(E.RegistryError) as exc:
        E.save(w, CAT, "organizations", {"name": ""}, today=TODAY)
    assert exc.value.errors["name"] and "入力" in exc.value.message


def test_person_as_coordinator_writes_coordinator_record(demo_dataset, demo_world):
    changes = E.save(demo_world, CAT, "persons", {"display_name": "試作 花子", "org_id": "O02", "sc_tier": "2",
                                             "sc_affiliation": "社協", "sc_area_id": "AR3"}, today=TODAY)
    w = after(demo_dataset, changes)
    pid = changes[0].doc_id
    coord = next(c for c in w.coordinators.values() if c.person_id == pid)
    assert (coord.tier, coord.affiliation, coord.area_id) == (2, "SHAKYO", "AR3")
    assert E.validate(w, CAT, "persons", {"sc_affiliation": ""}, editing_id=pid)["sc_affiliation"]


def test_new_subject_gets_code_and_no_consent(demo_dataset, demo_world):
    changes = E.save(demo_world, CAT, "subjects", {"label": "Gさん", "age_band": "70代", "household": "高齢夫婦",
                                              "area_id": "AR2"}, today=TODAY)
    doc = changes[0].doc
    assert doc["id"] == doc["code"] == "R-007" and doc["consent_status"] == "NOT_OBTAINED"
    assert E.validate(demo_world, CAT, "subjects", {"label": "見本 太郎さん", "age_band": "70s",
                                               "household": "OTHER"})["label"]


# ---------------------------------------------------------------- members

def test_council_members_replace_and_end_terms(demo_dataset, demo_world):
    before = registry_members.members(demo_world, "councils", "C2")
    keep = [{"person_id": m.person_id, "role": m.role} for m in before[1:]]
    keep.append({"person_id": "P20", "counts_for_quorum": False})
    w = after(demo_dataset, registry_members.set_members(demo_world, CAT, "councils", "C2", keep, today=TODAY))
    ids = {m.person_id for m in w.members_of_council("C2", TODAY, include_staff=True)}
    assert before[0].person_id not in ids and "P20" in ids
    p20 = next(m for m in registry_members.members(w, "councils", "C2", TODAY) if m.person_id == "P20")
    assert p20.role == "OBSERVER" and not p20.counts_for_quorum
    with pytest.raises(E.RegistryError) as exc:
        registry_members.set_members(w, CAT, "councils", "C2", [{"person_id": "P99"}, {"person_id": "P01"}, {"person_id": "P01"}])
    assert "1行目" in exc.value.message and "3行目" in exc.value.message


def test_provider_network_members_and_leader(demo_dataset, demo_world):
    w = after(demo_dataset, registry_members.set_members(demo_world, CAT, "provider_networks", "PN08",
                                [{"org_id": "O20"}, {"person_id": "P14", "leader": True}], today=TODAY))
    assert {o.id for o in w.network_members("PN08", TODAY)} == {"O20", w.persons["P14"].org_id}
    assert w.provider_networks["PN08"].leader_person_id == "P14"
    rows = registry_members.members(w, "provider_networks", "PN08")
    assert [r.leader for r in rows].count(True) == 1


def test_individual_network_members_and_need(demo_dataset, demo_world):
    changes = registry_members.set_members(demo_world, CAT, "individual_networks", "IN-005",
                            [{"org_id": "O13", "member_kind": "CARE", "service_text": "ケアプラン"}], today=TODAY)
    w = after(demo_dataset, changes + registry_members.add_need(demo_world, CAT, "IN-005", "MEALS", "UNMET", today=TODAY))
    assert [m.org_id for m in w.individual_members("IN-005")] == ["O13"]
    assert any(n.service_category == "MEALS" and n.status == "UNMET" for n in w.needs_of("IN-005"))


# ---------------------------------------------------------------- consent and identification

def test_consent_gate_blocks_until_obtained_and_after_withdrawal(demo_dataset, demo_world):
    ok, why = can_share_subject(demo_world, "R-005", on=TODAY)
    assert not ok and "同意" in why
    w = after(demo_dataset, registry_members.record_consent(demo_world, "R-005", "OBTAINED", date(2025, 9, 10), ["O27"], today=TODAY))
    assert w.subjects["R-005"].consent_status == "OBTAINED"
    assert can_share_subject(w, "R-005", on=TODAY, partner="O27")[0]
    assert not can_share_subject(w, "R-005", on=TODAY, partner="O28")[0]
    w = after(demo_dataset, registry_members.record_consent(w, "R-005", "WITHDRAWN", date(2025, 9, 15), today=TODAY))
    ok, why = can_share_subject(w, "R-005", on=TODAY, partner="O27")
    assert not ok and "撤回" in why
    assert w.subjects["R-005"].consent_status == "WITHDRAWN"
    with pytest.raises(E.RegistryError):
        registry_members.record_consent(w, "R-005", "WITHDRAWN", TODAY, today=TODAY)
    with pytest.raises(E.RegistryError):
        registry_members.record_consent(w, "R-001", "NOT_OBTAINED", TODAY, today=TODAY)


def test_identification_warning_only_on_planted_r004(demo_world):
    flagged = {sid for sid in demo_world.subjects if registry_members.identification_warnings(demo_world, sid)}
    assert flagged == {"R-004"}
    text = registry_members.identification_warnings(demo_world, "R-004")[0]
    assert "Dさん" in text and "特定" in text


def test_identification_warning_for_unique_combination_in_small_area(demo_world):
    new = {"label": "Gさん", "age_band": "70s", "household": "WITH_CHILD", "area_id": "AR3"}
    assert registry_members.identification_warnings(demo_world, new)
    assert not registry_members.identification_warnings(demo_world, dict(new, area_id="AR1"))


def test_live_meeting_linkage_gate_follows_recorded_and_withdrawn_consent(demo_dataset, demo_world):
    from kyogitai_tui.domain.meeting.linkage_view import consent_gates
    from kyogitai_tui.domain.meeting.session import MeetingSession

    def gate(w):
        s = MeetingSession(demo_dataset, w, "M-C2-03", today=TODAY)
        return consent_gates(s, "DISABILITY_CLS")

    [(who, _partner, reason, allowed)] = gate(demo_world)
    assert who.startswith("Eさん") and not allowed
    w = after(demo_dataset, registry_members.record_consent(demo_world, "R-005", "OBTAINED", date(2025, 9, 10), ["O27", "O28"], today=TODAY))
    [(_, _, reason, allowed)] = gate(w)
    assert allowed and "取得済み" in reason
    w = after(demo_dataset, registry_members.record_consent(w, "R-005", "WITHDRAWN", TODAY, today=TODAY))
    [(_, _, reason, allowed)] = gate(w)
    assert not allowed and "撤回" in reason


def test_withdrawn_status_without_a_dated_record_still_blocks(demo_dataset, demo_world):
    doc = next(d for d in demo_dataset["registry"]["subjects"] if d["id"] == "R-001")
    doc["consent_status"] = "WITHDRAWN"
    w = World.from_dataset(demo_dataset)
    ok, why = can_share_subject(w, "R-001", on=TODAY, partner="O17")
    assert not ok and "撤回" in why
    assert can_share_subject(demo_world, "R-001", on=TODAY, partner="O17")[0]


def test_identification_warning_from_form_values_with_labels(demo_world):
    assert registry_members.identification_warnings(demo_world, {"label": "Hさん", "age_band": "90代以上", "household": "独居",
                                             "area_id": "南みほん圏域"})
    # editing R-004 toward a common description in a large area clears it
    assert not registry_members.identification_warnings(demo_world, {"age_band": "80s", "household": "ELDERLY_COUPLE",
                                                 "area_id": "AR2"}, editing_id="R-004")


def test_identification_warning_on_the_edit_form_of_an_existing_subject(demo_world):
    # the form gives the values without an id: the unique label finds R-004
    # (its hamlet of 30 households), and the subject is not its own neighbour
    values = E.values_of(demo_world, "subjects", "R-004")
    assert registry_members.identification_warnings(demo_world, values)
    assert registry_members.identification_warnings(demo_world, dict(values, age_band="80s"))   # tiny hamlet, still alone
    assert not registry_members.identification_warnings(demo_world, E.values_of(demo_world, "subjects", "R-003"))


def test_members_cannot_fall_below_a_count_quorum(demo_dataset, demo_world):
    w = after(demo_dataset, E.save(demo_world, CAT, "councils", {"quorum_rule": "10"}, editing_id="C2", today=TODAY))
    few = [{"person_id": m.person_id, "role": m.role} for m in registry_members.members(w, "councils", "C2", TODAY)[:5]]
    with pytest.raises(E.RegistryError) as exc:
        registry_members.set_members(w, CAT, "councils", "C2", few, today=TODAY)
    assert "定足数（10人）" in exc.value.message and "5人" in exc.value.message


def test_a_register_edit_after_a_meeting_is_not_undone_by_that_meeting(demo_dataset, demo_world):
    """第2回 set PN07's last meeting date; editing PN07 on the register later
    keeps the register's value, and a meeting after the edit still wins."""
    assert demo_world.provider_networks["PN07"].last_met_on is not None    # set by 第2回's update
    w = after(demo_dataset, E.save(demo_world, CAT, "provider_networks", {"last_met_on": "2025-09-01", "status": "DORMANT"},
                         editing_id="PN07", today=TODAY))
    net = w.provider_networks["PN07"]
    assert (net.last_met_on, net.status) == (date(2025, 9, 1), "DORMANT")
    assert net.name == demo_world.provider_networks["PN07"].name        # untouched fields kept
    # a later meeting's update applies on top of the register edit
    demo_dataset["meetings"]["M-C2-03"].setdefault("network_updates", []).append(
        {"id": "M-C2-03-NU-T", "meeting_id": "M-C2-03", "entity": "provider_networks",
         "entity_id": "PN07", "changes": {"status": "ACTIVE"}, "note": ""})
    w = World.from_dataset(demo_dataset)
    assert (w.provider_networks["PN07"].status, w.provider_networks["PN07"].last_met_on) == ("ACTIVE", date(2025, 9, 1))
