"""Reference checks of a dataset: dangling ids, duplicate ids, misfiled meeting rows.

``_reference_problems(dataset)`` returns one Japanese message per problem;
``World.references_problems`` adds what failed to load.  A ``*_id`` /
``*_ids`` field is checked against the table(s) it names (``_FIELD_TARGETS``,
``_NETWORK_ID_TARGET``, else by its suffix); ``_TABLE_JA`` gives each table's
Japanese name for the messages.  Pure; no I/O, no Textual.
"""
from __future__ import annotations

from typing import Optional

from kyogitai_tui.domain.model import REGISTRY_TABLES


_TABLE_JA = {
    "municipality": "市町村", "areas": "圏域", "organizations": "団体", "persons": "人物",
    "coordinators": "コーディネーター", "councils": "協議体", "council_members": "構成員",
    "subjects": "対象者", "consent_records": "同意記録", "individual_networks": "個別ネットワーク",
    "individual_network_members": "個別ネットワークの構成", "need_items": "必要な支援",
    "provider_networks": "事業者間ネットワーク", "provider_network_members": "事業者間ネットワークの構成",
    "subject_sensitive": "要配慮情報", "meetings": "会議", "meeting": "会議",
    "attendance": "出欠", "materials": "資料", "agenda_items": "議題", "statements": "発言",
    "function_assessments": "機能評価", "gap_checks": "不足把握チェック", "gap_findings": "課題",
    "finding_updates": "課題の更新", "decisions": "決定事項", "action_items": "取組",
    "action_progress": "取組の進捗", "linkage_statuses": "連携状況",
    "network_updates": "ネットワークの更新", "action_followups": "取組の会議外の変更", "readback": "読み上げ確認", "minutes": "議事録",
}

# explicit field -> target tables (a value must exist in one of them)
_FIELD_TARGETS: dict[str, tuple[str, ...]] = {
    "municipality_id": ("municipality",),
    "area_id": ("areas",), "target_area_id": ("areas",), "area_ids": ("areas",),
    "serves_area_ids": ("areas",),
    "org_id": ("organizations",), "support_center_org_id": ("organizations",),
    "employer_org_id": ("organizations",), "secretariat_org_id": ("organizations",),
    "secretariat_org_ids": ("organizations",), "owner_org_ids": ("organizations",),
    "partner_org_ids": ("organizations",), "nonmember_org_ids": ("organizations",),
    "person_id": ("persons",), "persuade_leader_id": ("persons",),
    "owner_person_ids": ("persons",), "partner_person_ids": ("persons",),
    "council_id": ("councils",),
    "subject_id": ("subjects",), "subject_ids": ("subjects",),
    "via_network_id": ("provider_networks",),
    "network_ids": ("provider_networks", "individual_networks"),
    "target_network_id": ("provider_networks", "individual_networks"),
    "created_by_decision_id": ("decisions",), "decision_id": ("decisions",),
    "meeting_id": ("meetings",), "origin_meeting_id": ("meetings",),
    "closed_meeting_id": ("meetings",),
    "agenda_item_id": ("agenda_items",), "current_agenda_item_id": ("agenda_items",),
    "material_ids": ("materials",),
    "gap_finding_id": ("gap_findings",), "gap_finding_ids": ("gap_findings",),
    "finding_id": ("gap_findings",),
    "need_item_id": ("need_items",), "action_item_id": ("action_items",),
    "superseded_by": ("action_items",), "carried_action_ids": ("action_items",),
    "source_check_id": ("gap_checks",),
}
# network_id depends on the table holding it
_NETWORK_ID_TARGET = {
    "individual_network_members": ("individual_networks",),
    "need_items": ("individual_networks",),
    "provider_network_members": ("provider_networks",),
    "function_assessments": ("provider_networks",),
    "gap_findings": ("provider_networks", "individual_networks"),
}
_SKIP_FIELDS = {"id", "entity_id", "target_id"}


def _targets_for(table: str, key: str) -> Optional[tuple[str, ...]]:
    if key in _SKIP_FIELDS:
        return None
    if key == "network_id":
        return _NETWORK_ID_TARGET.get(table, ("provider_networks", "individual_networks"))
    t = _FIELD_TARGETS.get(key)
    if t is not None:
        return t
    for suffix, target in (("_person_id", "persons"), ("_person_ids", "persons"),
                           ("_org_id", "organizations"), ("_org_ids", "organizations"),
                           ("_area_id", "areas"), ("_area_ids", "areas"),
                           ("_meeting_id", "meetings"), ("_subject_id", "subjects"),
                           ("_subject_ids", "subjects"), ("_council_id", "councils"),
                           ("_decision_id", "decisions"), ("_finding_id", "gap_findings")):
        if key.endswith(suffix):
            return (target,)
    return None


def _reference_problems(dataset: dict) -> list[str]:
    ids: dict[str, set] = {}
    problems: list[str] = []
    located: list[tuple[str, Optional[str], dict]] = []   # (table, meeting file, doc)

    def add(table: str, mid: Optional[str], doc: dict) -> None:
        if not isinstance(doc, dict):
            problems.append(f"{_TABLE_JA.get(table, table)}（{table}）に文書でない値があります。")
            return
        located.append((table, mid, doc))
        s = ids.setdefault(table, set())
        did = doc.get("id")
        if not isinstance(did, str) or not did:
            where = f"（会議「{mid}」）" if mid else ""
            problems.append(f"{_TABLE_JA.get(table, table)}（{table}）{where}に id のない文書があります。")
        elif did in s and table not in ("meeting",):
            where = f"（会議「{mid}」）" if mid else ""
            problems.append(f"{_TABLE_JA.get(table, table)}「{did}」{where}の id が重複しています。")
        s.add(did)

    for part in ("registry", "sensitive"):
        for table, docs in (dataset.get(part) or {}).items():
            for d in docs or []:
                add(table, None, d)
    meeting_ids = set()
    for mid, tables in (dataset.get("meetings") or {}).items():
        meeting_ids.add(mid)
        for table, docs in (tables or {}).items():
            for d in docs or []:
                add(table, mid, d)
                if table == "meeting" and isinstance(d, dict) and d.get("id") != mid:
                    problems.append(f"会議ファイル「{mid}」の会議の id が「{d.get('id')}」になっています。")
    ids["meetings"] = meeting_ids | ids.get("meeting", set())
    # network updates may create registry documents
    for table, mid, d in located:
        if table == "network_updates" and d.get("entity") and d.get("entity_id"):
            ids.setdefault(d["entity"], set()).add(d["entity_id"])

    for table, mid, d in located:
        did = d.get("id", "?")
        where = f"（会議「{mid}」）" if mid else ""
        name = f"{_TABLE_JA.get(table, table)}「{did}」{where}"
        for key, value in d.items():
            if value is None or value == "" or value == []:
                continue
            targets = _targets_for(table, key)
            if targets is None:
                continue
            values = value if isinstance(value, list) else [value]
            for v in values:
                if not isinstance(v, str):
                    continue
                if not any(v in ids.get(t, ()) for t in targets):
                    tname = "・".join(_TABLE_JA.get(t, t) for t in targets)
                    problems.append(f"{name}の {key} が指す{tname}「{v}」がありません。")
        if mid is not None and table not in ("meeting", "action_items", "minutes") \
                and isinstance(d.get("meeting_id"), str) and d["meeting_id"] != mid:
            problems.append(f"{name}は会議「{d['meeting_id']}」の記録ですが、会議「{mid}」のファイルにあります。")
        if table == "network_updates":
            ent = d.get("entity")
            if ent not in REGISTRY_TABLES:
                problems.append(f"{name}の entity「{ent}」は登録データの表ではありません。")
        if table == "readback":
            tt, tid = d.get("target_table"), d.get("target_id")
            if tt and tid and tid not in ids.get(tt, ()):
                problems.append(f"{name}の target_id が指す{_TABLE_JA.get(tt, tt)}「{tid}」がありません。")
    return problems
