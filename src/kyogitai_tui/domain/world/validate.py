"""Domain checks for ``kyogitai check``: every code is a catalog code, every
reference resolves, and no resident ever carries a name.

Returns plain Japanese strings; the store's check wraps them as problems.
"""
from __future__ import annotations

from typing import Any, Iterable

from kyogitai_tui.domain.catalog import Catalog, default_catalog

# (table, field) -> catalog list.  List-valued fields are checked item by item.
CODE_FIELDS: dict[tuple[str, str], str] = {
    ("areas", "basis"): "area_bases",
    ("organizations", "org_type"): "org_types",
    ("organizations", "coverage_level"): "coverage_levels",
    ("organizations", "service_categories"): "service_categories",
    ("organizations", "linked_system"): "linked_systems",
    ("persons", "leader_traits"): "leader_traits",
    ("coordinators", "affiliation"): "coordinator_affiliations",
    ("council_members", "member_category"): "member_categories",
    ("council_members", "role"): "council_roles",
    ("subjects", "age_band"): "age_bands",
    ("subjects", "household"): "households",
    ("subjects", "consent_status"): "consent_statuses",
    ("individual_networks", "initiator_type"): "initiator_types",
    ("individual_networks", "formation_mode"): "formation_modes",
    ("individual_networks", "confirmed_items"): "confirmed_items",
    ("individual_networks", "sharing_methods"): "sharing_methods",
    ("individual_networks", "status"): "individual_statuses",
    ("individual_network_members", "member_kind"): "individual_member_kinds",
    ("need_items", "service_category"): "service_categories",
    ("need_items", "status"): "need_statuses",
    ("provider_networks", "kind"): "network_kinds",
    ("provider_networks", "coverage_level"): "coverage_levels",
    ("provider_networks", "form"): "network_forms",
    ("provider_networks", "standing_subform"): "standing_subforms",
    ("provider_networks", "meeting_cadence"): "meeting_cadences",
    ("provider_networks", "general_purposes"): "network_functions",
    ("provider_networks", "status"): "provider_network_statuses",
    ("provider_networks", "chien_npo_stage"): "chien_npo_stages",
    ("provider_networks", "linked_system"): "linked_systems",
    ("meeting", "mode"): "meeting_modes",
    ("meeting", "status"): "meeting_statuses",
    ("attendance", "role_in_meeting"): "meeting_roles",
    ("attendance", "status"): "attendance_statuses",
    ("agenda_items", "section"): "agenda_sections",
    ("agenda_items", "template"): "agenda_templates",
    ("statements", "speaker_label"): "speaker_labels",
    ("function_assessments", "function_code"): "network_functions",
    ("function_assessments", "rating"): "function_ratings",
    ("function_assessments", "cause"): "failure_causes",
    ("gap_checks", "check_code"): "gap_checks",
    ("gap_checks", "evidence_sources"): "evidence_sources",
    ("gap_findings", "kind"): "gap_finding_kinds",
    ("gap_findings", "network_or_service"): "network_or_service",
    ("gap_findings", "status"): "gap_finding_statuses",
    ("gap_findings", "evidence_sources"): "evidence_sources",
    ("decisions", "type"): "decision_types",
    ("decisions", "linked_system"): "linked_systems",
    ("action_items", "status"): "action_item_statuses",
    ("action_progress", "status_after"): "action_item_statuses",
    ("action_followups", "status_after"): "action_item_statuses",
    ("linkage_statuses", "linked_system_code"): "linked_systems",
    ("linkage_statuses", "status"): "linkage_statuses",
}

# A resident is a code and a label, never a name or an address.
FORBIDDEN_SUBJECT_FIELDS = ("name", "real_name", "display_name", "address", "phone", "birth_date")


def _values(value: Any) -> Iterable[Any]:
    if isinstance(value, list):
        return value
    return [value]


def _check_codes(where: str, tables: dict[str, list[dict]], catalog: Catalog) -> list[str]:
    problems = []
    for table, docs in tables.items():
        for doc in docs:
            for (t, field), list_name in CODE_FIELDS.items():
                if t != table or field not in doc:
                    continue
                for value in _values(doc[field]):
                    if value is None or value == "":
                        continue
                    if not catalog.has(list_name, value):
                        problems.append(
                            f"{where} の {table} 「{doc.get('id', '?')}」: {field} の値 「{value}」 は"
                            f"カタログ（{list_name}）にありません。"
                        )
    return problems


def validate_dataset(dataset: dict, catalog: Catalog | None = None) -> list[str]:
    """Japanese messages, one per problem; empty when the data is sound."""
    from kyogitai_tui.domain.world import World

    catalog = catalog or default_catalog()
    problems: list[str] = []
    problems += _check_codes("registry.json", dataset.get("registry", {}), catalog)
    for mid, tables in sorted(dataset.get("meetings", {}).items()):
        problems += _check_codes(f"meetings/{mid}.json", tables, catalog)
        meetings = tables.get("meeting", [])
        if len(meetings) != 1:
            problems.append(f"meetings/{mid}.json: 会議の記録（meeting）がちょうど1件ではありません（{len(meetings)}件）。")
        elif meetings[0].get("id") != mid:
            problems.append(f"meetings/{mid}.json: ファイル名と会議ID「{meetings[0].get('id')}」が一致しません。")
    for doc in dataset.get("registry", {}).get("subjects", []):
        for field in FORBIDDEN_SUBJECT_FIELDS:
            if doc.get(field):
                problems.append(
                    f"registry.json の subjects 「{doc.get('id')}」 に {field} があります。"
                    "対象者は管理番号と仮名だけで記録し、氏名・住所は保存しないでください。"
                )
    try:
        world = World.from_dataset(dataset)
    except Exception as exc:  # a malformed document: name it, don't crash check
        problems.append(f"データを読み取れませんでした（{type(exc).__name__}: {exc}）。")
        return problems
    problems += list(world.references_problems())
    return problems
