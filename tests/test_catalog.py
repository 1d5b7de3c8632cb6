"""The seed catalog (data/catalog) and its loader (domain/catalog.py)."""
from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from kyogitai_tui import config
from kyogitai_tui.domain.catalog import (
    FILES, CatalogError, Trigger, UnknownCodeError, default_catalog, load_catalog,
)

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")

# The codes other engineers code against, in display order.
EXPECTED = {
    "network_kinds": ["INDIVIDUAL", "SAME", "DIFF", "CHIEN_NPO"],
    "coverage_levels": ["AREA", "MUNICIPAL", "WIDE"],
    "network_forms": ["STANDING", "MEETING"],
    "standing_subforms": ["INDEPENDENT", "STANDING_COUNCIL"],
    "meeting_cadences": ["REGULAR", "ADHOC"],
    "network_functions": ["SAME_REFERRAL", "SAME_ADJUST", "SAME_DEVELOP", "DIFF_MONITOR", "DIFF_FORM",
                          "PURPOSE_INFO_SHARING", "PURPOSE_JOINT_PROJECT", "PURPOSE_COMMON_INTEREST",
                          "PURPOSE_COORDINATION"],
    "function_ratings": ["FULFILLED", "PARTIAL", "NOT_FULFILLED", "UNKNOWN"],
    "failure_causes": ["PROVIDER_ATTITUDE", "SAME_NETWORK_DYSFUNCTION", "MECHANISM_FAILURE", "OTHER"],
    "gap_checks": ["C0_SURVEY", "C1_SUPPORT_FUNCTION", "C2_SAME_NONMEMBERS", "C3_DIFF_MISSING_GROUPS",
                   "C4_NO_NETWORK_PERCEIVED"],
    "evidence_sources": ["GROUP_SURVEY", "PROVIDERS", "MINSEI", "SUPPORT_CENTER", "RESIDENTS", "OTHER"],
    "decision_types": ["EXPAND_EXISTING", "FORM_NEW", "CREATE_SERVICE", "PROMOTE_INDIVIDUAL", "LINKAGE",
                       "OTHER"],
    "guidance_rules": ["G1", "G2", "G3", "G4", "G5", "G6", "G7", "H1"],
    "linked_systems": ["DISABILITY_CLS", "POVERTY_SELF_RELIANCE", "CHILD_CARE_SUPPORT", "DEMENTIA_PROMOTER"],
    "linkage_statuses": ["NO_CONTACT", "INFO_EXCHANGE", "REGULAR_MEMBER", "JOINT_PROJECT"],
    "coordinator_tiers": ["TIER1", "TIER2", "TIER3"],
    "coordinator_functions": ["F1", "F2", "F3", "F4", "F5", "F6"],
    "coordinator_affiliations": ["GOV", "SHAKYO", "SUPPORT_CENTER", "PROVIDER", "NPO", "OTHER"],
    "org_types": ["GOV", "SHAKYO", "DISTRICT_SHAKYO", "SUPPORT_CENTER", "CARE_MANAGEMENT", "HOME_CARE",
                  "DAY_CARE", "HOME_NURSING", "MEDICAL", "DOCTORS_ASSOC", "DENTAL", "PHARMACY",
                  "NEIGHBORHOOD", "MINSEI", "SENIOR_CLUB", "NPO", "VOLUNTEER", "SILVER", "COOP", "BUSINESS",
                  "DISABILITY_BASE", "POVERTY_AGENCY", "CHILDCARE_BASE", "DEMENTIA_CENTER", "GUARDIANSHIP",
                  "RESIDENT_GROUP", "OTHER"],
    "member_categories": ["CHIEN", "MINSEI", "DISTRICT_SHAKYO", "SENIOR_CLUB", "NPO_VOLUNTEER", "SHAKYO",
                          "SUPPORT_CENTER", "CARE_PROVIDER", "MEDICAL", "BUSINESS", "COOP", "GOV",
                          "LINKED_DISABILITY", "LINKED_POVERTY", "LINKED_CHILDCARE", "LINKED_DEMENTIA",
                          "RESIDENT", "ADVISOR"],
    "council_roles": ["CHAIR", "VICE_CHAIR", "MEMBER", "SC", "SECRETARIAT", "OBSERVER"],
    "meeting_roles": ["MEMBER", "SC", "SECRETARIAT", "DEPARTMENT", "PARTNER", "ADVISOR", "OBSERVER"],
    "attendance_statuses": ["PRESENT", "ABSENT", "PROXY", "LATE", "LEFT_EARLY"],
    "meeting_modes": ["IN_PERSON", "ONLINE", "HYBRID"],
    "meeting_statuses": ["PLANNED", "IN_PROGRESS", "HELD", "MINUTES_DRAFT", "MINUTES_CONFIRMED", "PUBLISHED"],
    "speaker_labels": ["CHAIR", "VICE_CHAIR", "MEMBER", "SC", "SECRETARIAT", "DEPARTMENT", "ADVISOR", "PARTNER"],
    "service_categories": ["HOUSEKEEPING", "MEALS", "MEALS_WATCH", "WATCH", "MOBILITY", "SHOPPING", "SALON",
                           "IBASHO", "CARER_SUPPORT", "DAILY_LIVING", "HOME_CARE", "DAY_CARE",
                           "CARE_MANAGEMENT", "HOME_NURSING", "CLINIC", "PHARMACY", "GUARDIANSHIP",
                           "CHILDCARE", "OTHER"],
    "initiator_types": ["DOCTOR", "CARE_MANAGER", "TIER3_COORDINATOR", "CITIZEN_GUARDIAN", "CHIEN_LEADER",
                        "SELF_FAMILY", "OTHER_PROVIDER"],
    "formation_modes": ["ALL_AT_ONCE", "SEQUENTIAL"],
    "confirmed_items": ["STATE", "PURPOSE", "COOPERATION", "SHARING"],
    "sharing_methods": ["NOTEBOOK_HOME", "NOTEBOOK_FORM", "EMAIL", "PHONE", "OTHER"],
    "individual_statuses": ["NEEDED_NOT_FORMED", "FORMING", "ACTIVE", "REVIEWING", "ENDED"],
    "individual_member_kinds": ["MEDICAL", "CARE", "MUTUAL_AID", "FAMILY", "NEIGHBOR", "GUARDIAN", "GOV",
                                "LINKED"],
    "need_statuses": ["MET", "UNMET", "NEW"],
    "escalation_targets": ["TIER3", "TIER2", "SAME_NETWORK"],
    "provider_network_statuses": ["PLANNED", "FORMING", "ACTIVE", "HOLLOW_RISK", "DORMANT"],
    "chien_npo_stages": ["LINKING", "EXPANDING", "STANDING"],
    "gap_finding_kinds": ["FUNCTION_GAP", "SAME_NONMEMBER", "DIFF_MISSING_GROUP", "NO_NETWORK", "SERVICE_GAP",
                          "LINKAGE_GAP", "INDIVIDUAL_NOT_FORMED"],
    "network_or_service": ["NETWORK", "SERVICE", "BOTH", "UNDECIDED"],
    "gap_finding_statuses": ["OPEN", "DECIDED", "IN_PROGRESS", "RESOLVED", "ON_HOLD"],
    "action_item_statuses": ["NOT_STARTED", "IN_PROGRESS", "DONE", "ON_HOLD", "CANCELLED"],
    "age_bands": ["60s", "70s", "80s", "90s"],
    "households": ["ALONE", "ELDERLY_COUPLE", "WITH_CHILD", "THREE_GEN", "OTHER"],
    "consent_statuses": ["NOT_OBTAINED", "OBTAINED", "WITHDRAWN"],
    "sexes": ["F", "M"],
    "area_bases": ["WHOLE", "JUNIOR_HIGH", "ELEMENTARY", "FORMER_VILLAGE", "WELFARE_AREA", "OTHER"],
    "agenda_sections": ["REPORT", "DISCUSSION", "OTHER"],
    "agenda_templates": [f"A{n:02d}" for n in range(1, 13)],
}

LABELS = {
    ("network_kinds", "CHIEN_NPO"): "地縁組織とNPOのネットワーク",
    ("coverage_levels", "AREA"): "日常生活圏域",
    ("network_forms", "STANDING"): "常設事業者団体型",
    ("function_ratings", "PARTIAL"): "一部",
    ("failure_causes", "PROVIDER_ATTITUDE"): "特定事業者の姿勢（協調性の欠如）",
    ("decision_types", "CREATE_SERVICE"): "サービス・助け合いの創出",
    ("linkage_statuses", "REGULAR_MEMBER"): "協議体へ定例参加",
    ("coordinator_affiliations", "SUPPORT_CENTER"): "地域包括支援センター",
    ("member_categories", "NPO_VOLUNTEER"): "NPO・ボランティア",
    ("attendance_statuses", "PROXY"): "代理出席",
    ("meeting_statuses", "MINUTES_CONFIRMED"): "議事録確定",
    ("service_categories", "DAILY_LIVING"): "日常生活支援（ゴミ出し等）",
    ("initiator_types", "TIER3_COORDINATOR"): "3層コーディネーター（地域包括支援センター）",
    ("sharing_methods", "NOTEBOOK_HOME"): "連絡帳（本人宅）",
    ("individual_statuses", "NEEDED_NOT_FORMED"): "必要だが未形成",
    ("chien_npo_stages", "EXPANDING"): "課題解決を中心に関係拡大",
    ("network_or_service", "UNDECIDED"): "未判断",
    ("age_bands", "90s"): "90代以上",
    ("area_bases", "FORMER_VILLAGE"): "旧町村",
}

AGENDA = {
    "A01": ("前回議事録の確認", "REPORT"), "A02": ("前回からの取組状況", "REPORT"),
    "A03": ("個別ネットワークの状況", "REPORT"), "A04": ("同種事業者間ネットワークの状況", "REPORT"),
    "A05": ("異種事業者間ネットワークの状況", "REPORT"), "A06": ("地縁組織とNPOのネットワーク", "REPORT"),
    "A07": ("他制度との連携（障がい者地域生活支援）", "REPORT"),
    "A08": ("他制度との連携（生活困窮者自立支援）", "REPORT"),
    "A09": ("他制度との連携（子ども・子育て支援）", "REPORT"),
    "A10": ("他制度との連携（認知症地域支援推進員）", "REPORT"),
    "A11": ("不足しているネットワーク機能・サービス", "DISCUSSION"),
    "A12": ("決定事項と役割分担", "DISCUSSION"),
}

GUIDANCE = {
    "G1": ("4-3(4)-1", {"entity": "need_item", "field": "status", "in": ["UNMET", "NEW"]}),
    "G2": ("4-3(4)-2", {"entity": "individual_network", "field": "route_reaches_support_center", "equals": False}),
    "G3": ("4-3(4)-3", {"entity": "individual_network", "field": "status", "equals": "NEEDED_NOT_FORMED"}),
    "G4": ("4-4(5)-1", {"entity": "decision", "all": [
        {"field": "type", "equals": "FORM_NEW"}, {"field": "parallel_individual_mechanism", "equals": False}]}),
    "G5": ("4-4(5)-2", {"entity": "gap_finding", "field": "network_or_service", "equals": "UNDECIDED"}),
    "G6": ("4-4(5)-3", {"entity": "provider_network", "any": [
        {"field": "status", "equals": "HOLLOW_RISK"}, {"field": "months_since_last_met", "gte": 6}]}),
    "G7": ("4-5", {"entity": "provider_network", "all": [
        {"field": "kind", "equals": "CHIEN_NPO"}, {"field": "chien_npo_stage", "equals": "LINKING"}]}),
}


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture
def catalog_copy(tmp_path) -> Path:
    dst = tmp_path / "catalog"
    shutil.copytree(config.catalog_dir(), dst)
    return dst


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _entries(data: dict, list_name: str) -> list[dict]:
    return data["lists"][list_name]["entries"]


def _find(data: dict, list_name: str, code: str) -> dict:
    return next(e for e in _entries(data, list_name) if e["code"] == code)


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


# ------------------------------------------------------------------ content

def test_default_catalog_is_cached_and_uses_config_dir():
    assert default_catalog() is default_catalog()
    assert default_catalog().directory == config.catalog_dir()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_lists_hold_the_agreed_codes(cat, name):
    assert list(cat.codes(name)) == EXPECTED[name]


def test_labels_are_japanese(cat):
    for name, code_list in cat.lists.items():
        assert CJK.search(code_list.label), name
        for e in code_list:
            if e.label in ("SC", "NPO"):
                continue
            assert CJK.search(e.label), (name, e.code, e.label)
    for (name, code), label in LABELS.items():
        assert cat.label(name, code) == label


def test_no_east_asian_ambiguous_characters_in_any_catalog_text():
    """Labels, titles and prompts go to the TUI, where Rich counts these as one cell."""
    for file in FILES:
        data = json.loads((config.catalog_dir() / file).read_text(encoding="utf-8"))
        for text in _strings(data):
            bad = [ch for ch in text if unicodedata.east_asian_width(ch) == "A"]
            assert not bad, (file, text, bad)


def test_every_file_carries_schema_version():
    for file in FILES:
        data = json.loads((config.catalog_dir() / file).read_text(encoding="utf-8"))
        assert data["schema_version"] == 1, file


def test_network_kinds_and_coverage(cat):
    assert {e.code: e["provider"] for e in cat.network_kinds} == {
        "INDIVIDUAL": False, "SAME": True, "DIFF": True, "CHIEN_NPO": True}
    assert [cat.responsible_tier_for(c) for c in ("AREA", "MUNICIPAL", "WIDE")] == [2, 1, 1]
    assert cat.entry("network_forms", "STANDING")["sub_list"] == "standing_subforms"
    assert {e["form"] for e in cat.code_list("meeting_cadences")} == {"MEETING"}


def test_network_functions(cat):
    assert [f.code for f in cat.functions_for("SAME")] == ["SAME_REFERRAL", "SAME_ADJUST", "SAME_DEVELOP"]
    assert [f.code for f in cat.functions_for("DIFF")] == ["DIFF_MONITOR", "DIFF_FORM"]
    purposes = [f for f in cat.network_functions if f.group == "PURPOSE"]
    assert [p.label for p in purposes] == ["情報共有", "協同事業の実施", "共通利益の擁護", "個別事業の調整"]
    assert all(e["function"] == "DIFF_MONITOR" for e in cat.code_list("failure_causes"))


def test_gap_checks(cat):
    checks = {c.code: c for c in cat.gap_checks}
    assert all(c.seed_ref == "4-4(4)" and c.question and c.label for c in checks.values())
    assert checks["C0_SURVEY"].method_marker and checks["C0_SURVEY"].evidence_sources == ("GROUP_SURVEY",)
    assert checks["C2_SAME_NONMEMBERS"].target == ("SAME",)
    assert checks["C3_DIFF_MISSING_GROUPS"].target == ("DIFF",)
    assert checks["C4_NO_NETWORK_PERCEIVED"].target == ("area",)
    assert set(checks["C4_NO_NETWORK_PERCEIVED"].evidence_sources) == {"PROVIDERS", "MINSEI", "SUPPORT_CENTER"}


def test_decision_types(cat):
    types = {d.code: d for d in cat.decision_types}
    assert [d.code for d in cat.decision_types if d.headline] == ["EXPAND_EXISTING", "FORM_NEW", "CREATE_SERVICE"]
    for code in ("EXPAND_EXISTING", "FORM_NEW", "CREATE_SERVICE", "PROMOTE_INDIVIDUAL", "LINKAGE"):
        assert types[code].seed_ref and types[code].approach and types[code].description
    assert "行政" in types["EXPAND_EXISTING"].approach and types["EXPAND_EXISTING"].with_administration
    assert types["EXPAND_EXISTING"].persuade_leader_trait == "LEADER_EXISTING"
    assert types["FORM_NEW"].persuade_leader_trait == "LEADER_TRUSTED"
    assert types["FORM_NEW"].guidance == ("G4",)


def test_open_flags(cat):
    assert [e.code for e in cat.code_list("action_item_statuses") if e["open"]] == [
        "NOT_STARTED", "IN_PROGRESS", "ON_HOLD"]


def test_agenda_templates(cat):
    templates = cat.agenda_templates
    assert {t.code: (t.title, t.section) for t in templates} == AGENDA
    assert 90 <= sum(t.default_minutes for t in templates) <= 110
    assert [cat.label("agenda_sections", s) for s in ("REPORT", "DISCUSSION", "OTHER")] == [
        "報告事項", "協議事項", "その他"]
    assert cat.template_for(network_kind="SAME").code == "A04"
    assert cat.template_for(linked_system="DEMENTIA_PROMOTER").code == "A10"
    assert all(cat.has("agenda_workspaces", t.workspace) for t in templates)


def test_guidance_rules(cat):
    rules = {r.code: r for r in cat.guidance_rules}
    for code, (seed_ref, trigger) in GUIDANCE.items():
        rule = rules[code]
        assert rule.kind == "guidance" and rule.seed_ref == seed_ref
        assert rule.title and CJK.search(rule.prompt)
        assert rule.trigger == Trigger.parse(trigger)
        assert rule.prompt.count("。") <= 2
    hint = rules["H1"]
    assert hint.kind == "hint" and hint.seed_ref == "4-3(3)"
    assert hint.trigger.matches({"formation_mode": "SEQUENTIAL", "gathered_once": False})
    assert not hint.trigger.matches({"formation_mode": "SEQUENTIAL", "gathered_once": True})
    assert {r.code for r in cat.rules_for("individual_network")} == {"G2", "G3", "H1"}


def test_triggers_match_records(cat):
    rules = {r.code: r.trigger for r in cat.guidance_rules}
    assert rules["G1"].matches({"status": "NEW"}) and not rules["G1"].matches({"status": "MET"})
    assert rules["G2"].matches({"route_reaches_support_center": False})
    assert not rules["G2"].matches({"route_reaches_support_center": None})
    assert rules["G4"].matches({"type": "FORM_NEW", "parallel_individual_mechanism": False})
    assert not rules["G4"].matches({"type": "FORM_NEW", "parallel_individual_mechanism": True})
    assert rules["G6"].matches({"status": "ACTIVE", "months_since_last_met": 8})
    assert rules["G6"].matches({"status": "HOLLOW_RISK"})
    assert not rules["G6"].matches({"status": "ACTIVE", "months_since_last_met": 2})
    assert rules["G7"].matches({"kind": "CHIEN_NPO", "chien_npo_stage": "LINKING"})
    assert not rules["G7"].matches({"kind": "CHIEN_NPO", "chien_npo_stage": "STANDING"})

    class Net:  # objects work as well as mappings
        status = "NEEDED_NOT_FORMED"
    assert rules["G3"].matches(Net())


def test_linked_systems(cat):
    systems = {s.code: s for s in cat.linked_systems}
    assert len(systems["DISABILITY_CLS"].key_functions) == 5
    assert len(systems["CHILD_CARE_SUPPORT"].key_functions) == 7
    assert len(systems["DEMENTIA_PROMOTER"].key_functions) == 2
    assert len(systems["POVERTY_SELF_RELIANCE"].key_functions) == 2
    assert "第77条第1項第2号" in systems["DISABILITY_CLS"].legal_basis
    assert systems["DISABILITY_CLS"].key_functions[2] == "緊急時の受け入れ・対応"
    history = systems["DEMENTIA_PROMOTER"].history
    assert history[0]["period"].startswith("平成22") and history[-1]["period"].startswith("平成30")
    for s in systems.values():
        assert s.sc_role and s.partner_role and s.target_users and s.partner_org_types
        assert cat.entry("agenda_templates", s.agenda_template)["linked_system"] == s.code
        assert cat.entry("member_categories", s.member_category)["linked_system"] == s.code


def test_coordinators(cat):
    tiers = {e["tier"]: e for e in cat.code_list("coordinator_tiers")}
    assert tiers[1]["functions"] == ("F1", "F2", "F3", "F4", "F5")
    assert tiers[2]["functions"] == ("F1", "F2", "F3", "F4", "F5", "F6")
    assert "地域包括支援センター" in tiers[3]["seed_usage"]
    assert "事業主体" in cat.code_list("coordinator_affiliations").description


def test_org_types(cat):
    chien = [e.code for e in cat.org_types if e["is_chien_default"]]
    assert chien == ["DISTRICT_SHAKYO", "NEIGHBORHOOD", "SENIOR_CLUB"]
    assert all(e["legal_forms"] for e in cat.org_types)


def test_coverage_rows_resolve(cat):
    refs = {row.seed_ref for row in cat.coverage}
    for ref in ("3-10", "3-10-1(2)", "3-10-3(1)", "3-10-4(1)", "4-1", "4-3(2)", "4-3(4)-1", "4-4(1)-1",
                "4-4(1)-2", "4-4(2)", "4-4(3)", "4-4(4)", "4-4(5)-3", "4-5"):
        assert ref in refs
    for row in cat.coverage:
        for home in row.homes:
            if home.kind == "catalog":
                if home.code:
                    entry = cat.entry(home.target, home.code)
                    if home.field:
                        assert entry.get(home.field) not in (None, "", ())
                else:
                    assert cat.code_list(home.target)
            elif home.kind == "agenda":
                assert cat.has("agenda_templates", home.target)


def test_unknown_codes(cat):
    with pytest.raises(UnknownCodeError) as err:
        cat.entry("decision_types", "NOPE")
    assert "decision_types" in err.value.message and "NOPE" in err.value.message
    with pytest.raises(KeyError):
        cat.codes("no_such_list")
    assert cat.label("decision_types", "NOPE", default="不明") == "不明"


# ---------------------------------------------------------------- validation

def _error(directory: Path) -> str:
    with pytest.raises(CatalogError) as err:
        load_catalog(directory)
    return err.value.message


def test_missing_file(catalog_copy):
    (catalog_copy / "guidance_rules.json").unlink()
    message = _error(catalog_copy)
    assert "カタログファイル" in message and "guidance_rules.json" in message and "見つかりません" in message


def test_missing_directory(tmp_path):
    assert "見つかりません" in _error(tmp_path / "nothing")


def test_broken_json_names_file_and_line(catalog_copy):
    path = catalog_copy / "agenda.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].rstrip(",")  # drop a comma on line 5
    path.write_text("\n".join(lines), encoding="utf-8")
    message = _error(catalog_copy)
    assert "agenda.json" in message and "行目" in message


def test_dropped_label(catalog_copy):
    _edit(catalog_copy / "decision_types.json", lambda d: _find(d, "decision_types", "FORM_NEW").pop("label"))
    message = _error(catalog_copy)
    assert "decision_types.json" in message and '"FORM_NEW"' in message and "label（表示名）がありません" in message


def test_duplicate_code(catalog_copy):
    def dup(d):
        entries = _entries(d, "network_kinds")
        entries.append(dict(entries[1]))
    _edit(catalog_copy / "networks.json", dup)
    message = _error(catalog_copy)
    assert "networks.json" in message and '"SAME"' in message and "重複" in message


def test_dangling_reference(catalog_copy):
    _edit(catalog_copy / "linked_systems.json",
          lambda d: _find(d, "linked_systems", "DEMENTIA_PROMOTER").update(agenda_template="A99"))
    message = _error(catalog_copy)
    assert "linked_systems.json" in message and '"DEMENTIA_PROMOTER"' in message and "A99" in message


def test_function_applies_to_unknown_kind(catalog_copy):
    _edit(catalog_copy / "networks.json",
          lambda d: _find(d, "network_functions", "SAME_ADJUST").update(applies_to=["SAMEE"]))
    message = _error(catalog_copy)
    assert '"SAME_ADJUST"' in message and "SAMEE" in message and "network_kinds" in message


def test_trigger_with_unknown_entity_or_code(catalog_copy):
    path = catalog_copy / "guidance_rules.json"
    _edit(path, lambda d: _find(d, "guidance_rules", "G4")["trigger"].update(entity="decisionz"))
    assert '"G4"' in (m := _error(catalog_copy)) and "decisionz" in m
    _edit(path, lambda d: (_find(d, "guidance_rules", "G4")["trigger"].update(entity="decision"),
                           _find(d, "guidance_rules", "G4")["trigger"]["all"][0].update(equals="FORM_OLD")))
    assert '"G4"' in (m := _error(catalog_copy)) and "FORM_OLD" in m


def test_bad_tier_and_wrong_type(catalog_copy):
    path = catalog_copy / "networks.json"
    _edit(path, lambda d: _find(d, "coverage_levels", "AREA").update(responsible_tier=3))
    assert '"AREA"' in (m := _error(catalog_copy)) and "responsible_tier" in m
    _edit(path, lambda d: _find(d, "coverage_levels", "AREA").update(responsible_tier="2"))
    assert "整数" in _error(catalog_copy)


def test_wrong_schema_version(catalog_copy):
    _edit(catalog_copy / "subjects.json", lambda d: d.update(schema_version=2))
    message = _error(catalog_copy)
    assert "subjects.json" in message and "schema_version" in message


def test_coverage_dangling_reference(catalog_copy):
    def dangle(d):
        d["rows"][0]["homes"].append({"catalog": "decision_types", "code": "MERGE"})
    _edit(catalog_copy / "coverage.json", dangle)
    message = _error(catalog_copy)
    assert "coverage.json" in message and "MERGE" in message and "3-10" in message


def test_label_or_code_never_fails_a_screen():
    from kyogitai_tui.domain.catalog import default_catalog

    cat = default_catalog()
    assert cat.label_or_code("decision_types", "FORM_NEW") == "新しいネットワークの形成"
    assert cat.label_or_code("decision_types", "NOPE") == "NOPE"
    assert cat.label_or_code("no_such_list", "X", "（不明）") == "（不明）"
    assert cat.label_or_code("decision_types", None, "なし") == "なし"
