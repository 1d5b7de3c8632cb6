"""What each catalog list must look like: its file, fields, references and allowed values.

``SPECS`` maps every list name to a ``_Spec``; ``FILES`` is the catalog files in
load order.  ``KNOWN_ENTITIES`` and ``FIELD_LISTS`` say which records and coded
fields a guidance trigger or a coverage row may name, and ``_FIELD_JA`` gives
each field's Japanese name for error messages.  The checks that apply these
rules are in domain/catalog_validate.py.

No Textual here (domain layer).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from kyogitai_tui.domain.catalog.entries import (
    AgendaTemplate, DecisionType, Entry, GapCheck, GuidanceRule, LinkedSystem, NetworkFunction,
)

SCHEMA_VERSION = 1
COVERAGE_FILE = "coverage.json"

# Record kinds a guidance trigger or a coverage row may name (docs/DOMAIN.md).
KNOWN_ENTITIES = frozenset({
    "municipality", "daily_life_area", "person", "coordinator", "organization",
    "council", "council_member", "subject", "subject_sensitive", "consent_record",
    "individual_network", "individual_network_member", "need_item",
    "provider_network", "provider_network_member", "function_assessment",
    "gap_check", "gap_finding", "decision", "action_item", "action_progress",
    "meeting", "attendance", "material", "agenda_item", "statement", "minutes",
    "linked_system", "linkage_status", "guidance_rule",
})
# Coded record fields: a trigger comparing one of them must use codes of this list.
FIELD_LISTS = {
    ("need_item", "status"): "need_statuses",
    ("individual_network", "status"): "individual_statuses",
    ("individual_network", "formation_mode"): "formation_modes",
    ("individual_network", "initiator_type"): "initiator_types",
    ("decision", "type"): "decision_types",
    ("gap_finding", "network_or_service"): "network_or_service",
    ("gap_finding", "kind"): "gap_finding_kinds",
    ("gap_finding", "status"): "gap_finding_statuses",
    ("provider_network", "status"): "provider_network_statuses",
    ("provider_network", "kind"): "network_kinds",
    ("provider_network", "form"): "network_forms",
    ("provider_network", "coverage_level"): "coverage_levels",
    ("provider_network", "chien_npo_stage"): "chien_npo_stages",
    ("action_item", "status"): "action_item_statuses",
}
_FIELD_JA = {
    "code": "コード", "label": "表示名", "description": "説明", "seed_ref": "本書の該当箇所",
    "entries": "項目の一覧", "provider": "事業者間ネットワークか", "responsible_tier": "担当する層",
    "sub_list": "下位区分の一覧", "form": "かたち", "group": "区分", "applies_to": "対象の種別",
    "function": "対象の機能", "order": "並び順", "target": "チェックの対象", "question": "問いかけ",
    "finding_kind": "課題の区分", "evidence_sources": "聴取先", "method_marker": "進め方の目印",
    "approach": "進め方", "headline": "主要な決定か", "with_administration": "行政と協力",
    "responsible_tiers": "担当する層", "persuade_leader_trait": "働きかける相手",
    "guidance": "関係する留意事項", "open": "未完了か", "kind": "種類", "prompt": "表示文",
    "trigger": "表示条件", "suggested_decision": "勧める決定", "legal_basis": "法令上の根拠",
    "target_users": "利用者像", "key_functions": "主な機能", "history": "沿革", "notes": "補足",
    "sc_role": "SCの役割", "partner_role": "連携先の役割", "partner_org_types": "連携先の団体種別",
    "member_category": "構成員区分", "agenda_template": "議題テンプレート", "tier": "層",
    "functions": "担う機能", "number": "番号", "is_chien_default": "地縁組織の初期値",
    "legal_forms": "法人格", "linked_system": "連携制度", "section": "議題の区分",
    "default_minutes": "標準の時間（分）", "workspace": "作業画面", "network_kind": "ネットワークの種別",
    "free_text": "自由入力", "counts_for_quorum": "定足数に数えるか", "present": "出席扱いか",
}


@dataclass(frozen=True)
class _Spec:
    """What one code list must hold: its file, entry class and fields."""
    file: str
    cls: type[Entry] = Entry
    required: Mapping[str, type] = field(default_factory=dict)
    optional: Mapping[str, type] = field(default_factory=dict)
    refs: Mapping[str, str] = field(default_factory=dict)        # field -> list name
    choices: Mapping[str, tuple] = field(default_factory=dict)   # field -> allowed values


def _plain(file: str, *names: str) -> dict[str, _Spec]:
    return {n: _Spec(file) for n in names}


SPECS: dict[str, _Spec] = {
    "network_kinds": _Spec("networks.json", required={"provider": bool}),
    "coverage_levels": _Spec("networks.json", required={"responsible_tier": int},
                             choices={"responsible_tier": (1, 2)}),
    "network_forms": _Spec("networks.json", required={"sub_list": str}),
    "standing_subforms": _Spec("networks.json", required={"form": str}, refs={"form": "network_forms"}),
    "meeting_cadences": _Spec("networks.json", required={"form": str}, refs={"form": "network_forms"}),
    "network_functions": _Spec("networks.json", NetworkFunction,
                               required={"group": str, "applies_to": list},
                               refs={"applies_to": "network_kinds"},
                               choices={"group": ("FUNCTION", "PURPOSE")}),
    **_plain("networks.json", "function_ratings", "provider_network_statuses", "leader_traits"),
    "failure_causes": _Spec("networks.json", optional={"function": str}, refs={"function": "network_functions"}),
    "chien_npo_stages": _Spec("networks.json", required={"order": int}),
    "gap_checks": _Spec("gap_checks.json", GapCheck,
                        required={"target": list, "question": str, "seed_ref": str},
                        optional={"method_marker": bool, "finding_kind": str, "evidence_sources": list},
                        refs={"finding_kind": "gap_finding_kinds", "evidence_sources": "evidence_sources"}),
    **_plain("gap_checks.json", "gap_check_results", "evidence_sources", "gap_finding_kinds",
             "network_or_service"),
    "gap_finding_statuses": _Spec("gap_checks.json", required={"open": bool}),
    "decision_types": _Spec("decision_types.json", DecisionType,
                            required={"approach": str, "headline": bool, "with_administration": bool},
                            optional={"responsible_tiers": list, "persuade_leader_trait": str,
                                      "guidance": list},
                            refs={"persuade_leader_trait": "leader_traits", "guidance": "guidance_rules"}),
    "action_item_statuses": _Spec("decision_types.json", required={"open": bool}),
    "guidance_rules": _Spec("guidance_rules.json", GuidanceRule,
                            required={"kind": str, "prompt": str, "seed_ref": str, "trigger": dict},
                            optional={"suggested_decision": str},
                            refs={"suggested_decision": "decision_types"},
                            choices={"kind": ("guidance", "hint")}),
    "linked_systems": _Spec("linked_systems.json", LinkedSystem,
                            required={"target_users": list, "key_functions": list, "sc_role": str,
                                      "partner_role": str, "partner_org_types": list,
                                      "member_category": str, "agenda_template": str},
                            optional={"legal_basis": str, "history": list, "notes": list,
                                      "short_label": str, "target_summary": str,
                                      "key_functions_label": str},
                            refs={"partner_org_types": "org_types", "member_category": "member_categories",
                                  "agenda_template": "agenda_templates"}),
    "linkage_statuses": _Spec("linked_systems.json", required={"order": int}),
    "coordinator_functions": _Spec("coordinators.json", required={"number": int}),
    "coordinator_tiers": _Spec("coordinators.json", required={"tier": int, "functions": list},
                               refs={"functions": "coordinator_functions"}, choices={"tier": (1, 2, 3)}),
    **_plain("coordinators.json", "coordinator_affiliations"),
    "org_types": _Spec("organizations.json", required={"is_chien_default": bool, "legal_forms": list},
                       optional={"linked_system": str},
                       refs={"legal_forms": "legal_forms", "linked_system": "linked_systems"}),
    **_plain("organizations.json", "legal_forms"),
    **{n: _Spec("organizations.json", optional={"linked_system": str},
                refs={"linked_system": "linked_systems"})
       for n in ("service_categories", "member_categories")},
    "meeting_roles": _Spec("meetings.json", required={"counts_for_quorum": bool}),
    "attendance_statuses": _Spec("meetings.json", required={"present": bool}),
    "speaker_labels": _Spec("meetings.json", optional={"free_text": bool}),
    **_plain("meetings.json", "council_roles", "meeting_modes", "meeting_statuses", "minutes_variants",
             "minutes_confirm_methods", "agenda_visibility", "agenda_item_states", "readback_results"),
    "agenda_sections": _Spec("agenda.json", required={"order": int}),
    **_plain("agenda.json", "agenda_workspaces"),
    "agenda_templates": _Spec("agenda.json", AgendaTemplate,
                              required={"section": str, "default_minutes": int, "workspace": str},
                              optional={"linked_system": str, "network_kind": str},
                              refs={"section": "agenda_sections", "workspace": "agenda_workspaces",
                                    "linked_system": "linked_systems", "network_kind": "network_kinds"}),
    **_plain("individual_networks.json", "initiator_types", "formation_modes", "confirmed_items",
             "sharing_methods", "individual_statuses", "individual_member_kinds", "need_statuses",
             "escalation_targets", "promotion_routes"),
    **_plain("subjects.json", "age_bands", "households", "consent_statuses", "sexes", "area_bases",
             "disability_types"),
}
FILES: tuple[str, ...] = tuple(dict.fromkeys(s.file for s in SPECS.values())) + (COVERAGE_FILE,)
_EXTRA_TARGETS = {("gap_checks", "target"): ("area",)}
