"""Members of councils and networks, needs, consent and the re-identification
warning of the register (no Textual).  Import these from registry_edit.

Member values (``set_members``: the whole new list; rows missing from it are
ended, never deleted: ``term_to`` / ``left_on`` = today):

* councils: {"person_id", "role" (council_roles; default MEMBER),
  "counts_for_quorum" (used only when no role is given: MEMBER or OBSERVER),
  "member_category", "org_id" (default: the person's organisation)}.
  Roles 会長・副会長・委員 count toward the quorum.
* provider_networks: {"org_id" or "person_id" (then the person's
  organisation), "leader": bool}.  The leader row must name a person; it sets
  the network's ``leader_person_id``.
* individual_networks: {"person_id" and/or "org_id", "member_kind"
  (individual_member_kinds), "service_text"}.

Consent (``record_consent``): 取得済 adds a ConsentRecord (date, scope = the
partner org ids or linked-system codes it covers); 撤回 sets ``withdrawn_on``
on every open record; the subject's ``consent_status`` follows.  The consent
gate (rules.can_share_subject) reads these records.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from datetime import date, timedelta
from typing import Any, Optional

from kyogitai_tui.domain.registry.base import RegistryError, raw_doc
from kyogitai_tui.domain.registry.ids import next_id
from kyogitai_tui.domain.registry.specs import is_retired, norm_text
from kyogitai_tui.domain.privacy.reidentification import area_is_small as _area_is_small, reidentification_warning
from kyogitai_tui.domain.model import Subject
from kyogitai_tui.domain.changes import Change, registry_change

__all__ = ["MemberRow", "members", "set_members", "add_need", "record_consent",
           "identification_warnings"]

_QUORUM_ROLES = ("CHAIR", "VICE_CHAIR", "MEMBER")


@dataclass(frozen=True)
class MemberRow:
    """One current member as the member editor shows it."""
    id: str
    person_id: Optional[str]
    org_id: Optional[str]
    name: str                 # person (org) or org
    role: str = ""            # council role / individual member kind code
    role_label: str = ""
    leader: bool = False
    counts_for_quorum: bool = False
    cells: list = dc_field(default_factory=list)


def _who(world: Any, person_id: Optional[str], org_id: Optional[str]) -> str:
    p, o = world.person_name(person_id), world.org_name(org_id)
    if p and o:
        return f"{p}（{o}）"
    return p or o or "（不明）"


def members(world: Any, kind: str, record_id: str, on: Optional[date] = None) -> list[MemberRow]:
    """Current members of a council, provider network or individual network."""
    from kyogitai_tui.domain.catalog import default_catalog
    lab = default_catalog().label_or_code
    out = []
    if kind == "councils":
        for m in world.members_of_council(record_id, on, include_staff=True):
            if on is None and m.term_to is not None and m.term_to < date.today():
                continue   # ended (set_members ends a term the day before it is run)
            counts = m.role in _QUORUM_ROLES
            name = _who(world, m.person_id, m.org_id)
            rl = lab("council_roles", m.role)
            out.append(MemberRow(m.id, m.person_id, m.org_id, name, m.role, rl, False, counts,
                                 [name, rl, "定足数に数える" if counts else ""]))
    elif kind == "provider_networks":
        net = world.provider_networks[record_id]
        for m in world.provider_network_members:
            if m.network_id != record_id or m.left_on is not None:
                continue
            pid = (m.extra or {}).get("person_id")
            leader = bool(net.leader_person_id) and (pid == net.leader_person_id or (
                pid is None and world.persons.get(net.leader_person_id) is not None
                and world.persons[net.leader_person_id].org_id == m.org_id))
            name = _who(world, pid, m.org_id)
            out.append(MemberRow(m.id, pid, m.org_id, name, "", "", leader, False,
                                 [name, "リーダー" if leader else ""]))
    elif kind == "individual_networks":
        for m in world.individual_members(record_id):
            name = _who(world, m.person_id, m.org_id)
            rl = lab("individual_member_kinds", m.member_kind)
            out.append(MemberRow(m.id, m.person_id, m.org_id, name, m.member_kind, rl,
                                 False, False, [name, rl, m.service_text]))
    else:
        raise RegistryError(f"「{kind}」には構成員がありません。")
    return out


def _active(world: Any, table: str, rid: Optional[str], what: str, errors: list, line: int) -> None:
    if not rid:
        return
    rec = getattr(world, table).get(rid)
    if rec is None:
        errors.append(f"{line}行目: {what}「{rid}」は登録されていません。")
    elif is_retired(rec):
        errors.append(f"{line}行目: {what}「{rid}」は休止中です。")


def _member_key(kind: str, v: dict) -> tuple:
    if kind == "councils":
        return (v.get("person_id"),)
    if kind == "provider_networks":
        return (v.get("org_id") or None,)
    return (v.get("person_id") or None, v.get("org_id") or None)


def set_members(world: Any, catalog: Any, kind: str, record_id: str,
                member_values: list[dict], today: Optional[date] = None) -> list[Change]:
    """Changes that make the current members exactly ``member_values``
    (see the module docstring for the keys).  Raises RegistryError listing
    every bad row (1-based) in Japanese."""
    today = today or date.today()
    errors: list[str] = []
    rows: list[dict] = []
    seen: set = set()
    for i, raw in enumerate(member_values, 1):
        v = {k: val for k, val in raw.items()}
        pid, oid = v.get("person_id") or None, v.get("org_id") or None
        _active(world, "persons", pid, "人", errors, i)
        _active(world, "organizations", oid, "団体", errors, i)
        if pid and not oid and pid in world.persons:
            oid = world.persons[pid].org_id
        v["person_id"], v["org_id"] = pid, oid
        if kind == "councils":
            if not pid:
                errors.append(f"{i}行目: 協議体の構成員は人を選んでください。")
            role = v.get("role") or ("MEMBER" if v.get("counts_for_quorum", True) else "OBSERVER")
            if not catalog.has("council_roles", role):
                errors.append(f"{i}行目: 役割「{role}」は選択肢にありません。")
            v["role"] = role
        elif kind == "provider_networks":
            if not oid:
                errors.append(f"{i}行目: 構成団体を選んでください（人を選ぶときは所属のある人）。")
            if v.get("leader") and not pid:
                errors.append(f"{i}行目: リーダーは人を選んでください。")
        elif kind == "individual_networks":
            if not pid and not oid:
                errors.append(f"{i}行目: 人か団体を選んでください。")
            mk = v.get("member_kind") or "OTHER"
            if not catalog.has("individual_member_kinds", mk):
                errors.append(f"{i}行目: 種類「{mk}」は選択肢にありません。")
            v["member_kind"] = mk
        else:
            raise RegistryError(f"「{kind}」には構成員がありません。")
        key = _member_key(kind, v)
        if key in seen:
            errors.append(f"{i}行目: 同じ構成員が2回入っています。")
        seen.add(key)
        rows.append(v)
    if kind == "provider_networks" and sum(1 for v in rows if v.get("leader")) > 1:
        errors.append("リーダーは1人だけ選んでください。")
    if kind == "councils" and not errors:
        rule = world.councils[record_id].quorum_rule or "MAJORITY"
        counting = sum(1 for v in rows if v["role"] in _QUORUM_ROLES)
        if rule.startswith("COUNT:") and counting and int(rule.split(":")[1]) > counting:
            errors.append(f"定足数（{rule.split(':')[1]}人）が定足数に数える構成員（{counting}人）より多くなります。"
                          "先に協議体の定足数を直してください。")
    if errors:
        raise RegistryError("構成員に誤りがあります。" + " ".join(errors), {"members": " ".join(errors)})
    return _member_changes(world, kind, record_id, rows, today)


def _member_changes(world: Any, kind: str, rid: str, rows: list[dict], today: date) -> list[Change]:
    iso = today.isoformat()
    day_before = (today - timedelta(days=1)).isoformat()   # a council term ends the day before
    changes: list[Change] = []
    if kind == "councils":
        table, current = "council_members", [m for m in world.council_members if m.council_id == rid
                                             and (m.term_to is None or m.term_to >= today)
                                             and (m.term_from is None or m.term_from <= today)]
        end_field = "term_to"
    elif kind == "provider_networks":
        table, current = "provider_network_members", [
            m for m in world.provider_network_members if m.network_id == rid and m.left_on is None]
        end_field = "left_on"
    else:
        table, current = "individual_network_members", world.individual_members(rid)
        end_field = "left_on"
    by_key = {}
    for m in current:
        pid = getattr(m, "person_id", None) or (m.extra or {}).get("person_id")
        v = {"person_id": pid, "org_id": getattr(m, "org_id", None)}
        by_key.setdefault(_member_key(kind, v), m)
    all_ids = {m.id for m in getattr(world, table)}
    kept = set()
    for v in rows:
        m = by_key.get(_member_key(kind, v))
        if m is not None:
            kept.add(m.id)
            doc = raw_doc(world, table, m.id) or m.to_doc()
        else:
            new_id = _member_id(all_ids, kind, rid)
            all_ids.add(new_id)
            doc = {"id": new_id, ("council_id" if kind == "councils" else "network_id"): rid}
            doc["term_from" if kind == "councils" else "joined_on"] = iso
        doc["org_id"] = v.get("org_id")
        if kind == "councils":
            doc["person_id"] = v["person_id"]
            doc["role"] = v["role"]
            if v.get("member_category"):
                doc["member_category"] = v["member_category"]
        elif kind == "provider_networks":
            if v.get("person_id"):
                doc["person_id"] = v["person_id"]
        else:
            doc["person_id"] = v.get("person_id")
            doc["member_kind"] = v["member_kind"]
            if "service_text" in v:
                doc["service_text"] = v.get("service_text") or ""
        changes.append(registry_change(table, doc["id"], doc))
    for m in current:
        if m.id not in kept:
            doc = raw_doc(world, table, m.id) or m.to_doc()
            doc[end_field] = day_before if end_field == "term_to" else iso
            changes.append(registry_change(table, m.id, doc))
    if kind == "provider_networks":
        leader = next((v["person_id"] for v in rows if v.get("leader")), None)
        net = world.provider_networks[rid]
        if leader != net.leader_person_id and (leader or any("leader" in v for v in rows)):
            ndoc = raw_doc(world, "provider_networks", rid) or net.to_doc()
            ndoc["leader_person_id"] = leader
            changes.append(registry_change("provider_networks", rid, ndoc))
    return changes


def _member_id(all_ids: set, kind: str, rid: str) -> str:
    num = "".join(ch for ch in rid if ch.isdigit()) or rid
    prefix, width = {"councils": (f"CM-{rid}-", 2), "provider_networks": (f"PNM-{num}-", 2),
                     "individual_networks": (f"INM-{num}-", 1)}[kind]
    n = 1
    while f"{prefix}{n:0{width}d}" in all_ids:
        n += 1
    return f"{prefix}{n:0{width}d}"


def add_need(world: Any, catalog: Any, network_id: str, service_category: str,
             status: str = "UNMET", note: str = "", today: Optional[date] = None) -> list[Change]:
    """A need item (必要な支援) for an individual network."""
    if network_id not in world.individual_networks:
        raise RegistryError(f"個別ネットワーク「{network_id}」は登録されていません。")
    if not catalog.has("service_categories", service_category or ""):
        raise RegistryError("必要な支援の種類を選んでください。", {"service_category": "選んでください。"})
    if not catalog.has("need_statuses", status or ""):
        raise RegistryError("状態を選んでください。", {"status": "選んでください。"})
    num = network_id.split("-")[-1]
    prefix, n = f"NI-{num}-", 1
    while f"{prefix}{n}" in world.need_items:
        n += 1
    doc = {"id": f"{prefix}{n}", "network_id": network_id, "service_category": service_category,
           "status": status, "identified_on": (today or date.today()).isoformat(),
           "provider_found": status == "MET", "note": note or ""}
    return [registry_change("need_items", doc["id"], doc)]


def record_consent(world: Any, subject_id: str, status: str, on: Optional[date],
                   scope: Optional[list] = None, today: Optional[date] = None) -> list[Change]:
    """Record 未取得 (NOT_OBTAINED) / 取得済 (OBTAINED) / 撤回 (WITHDRAWN)."""
    subject = world.subjects.get(subject_id)
    if subject is None:
        raise RegistryError(f"対象者「{subject_id}」は登録されていません。")
    today = today or date.today()
    on = on or today
    if on > today:
        raise RegistryError("同意の日付が今日より後になっています。", {"date": "今日以前の日付を入力してください。"})
    open_records = [r for r in world.consent_records
                    if r.subject_id == subject_id and r.withdrawn_on is None and r.obtained_on is not None]
    changes: list[Change] = []
    if status == "OBTAINED":
        ids = {r.id for r in world.consent_records}
        num = subject_id.split("-")[-1]
        cid = f"CR-{num}" if f"CR-{num}" not in ids else next_id(ids, "consent_records")
        while cid in ids:
            cid = next_id(ids | {cid}, "consent_records")
        changes.append(registry_change("consent_records", cid, {
            "id": cid, "subject_id": subject_id, "obtained_on": on.isoformat(),
            "scope": list(scope or []), "joint_use_notice": False}))
    elif status == "WITHDRAWN":
        if not open_records:
            raise RegistryError("撤回する同意がありません（まだ取得されていません）。", {"status": "未取得のままです。"})
        for r in open_records:
            d = raw_doc(world, "consent_records", r.id) or r.to_doc()
            d["withdrawn_on"] = on.isoformat()
            changes.append(registry_change("consent_records", r.id, d))
    elif status == "NOT_OBTAINED":
        if open_records:
            raise RegistryError("取得済みの同意があります。取り消すときは「撤回」を選んでください。",
                                {"status": "「撤回」を選んでください。"})
    else:
        raise RegistryError("同意の状態は「未取得」「取得済」「撤回」から選んでください。", {"status": "選んでください。"})
    sdoc = raw_doc(world, "subjects", subject_id) or subject.to_doc()
    sdoc["consent_status"] = status
    changes.append(registry_change("subjects", subject_id, sdoc))
    return changes


def identification_warnings(world: Any, subject_values_or_id: Any,
                            editing_id: Optional[str] = None) -> list[str]:
    """Japanese warnings when a subject's pseudonymous description (年代・世帯・
    圏域) could identify the person: the rules' small-number guard, plus a
    combination that only this subject has in a small area.

    Pass a subject id, or the form's values (codes or labels) of a new
    subject - or of the subject ``editing_id`` (also accepted as values["id"],
    or found by the values' label, labels being unique)."""
    if isinstance(subject_values_or_id, str):
        subject = world.subjects[subject_values_or_id]
    else:
        from kyogitai_tui.domain.catalog import default_catalog
        from kyogitai_tui.domain.registry.values import coerce
        raw = dict(subject_values_or_id)
        sid = editing_id or raw.get("id")
        if not sid and raw.get("label"):
            # labels are unique (validate): the form of an existing subject
            same = [s.id for s in world.subjects.values() if norm_text(s.label) == norm_text(raw["label"])]
            sid = same[0] if len(same) == 1 else None
        v, _errors = coerce(world, default_catalog(), "subjects", raw)
        v = {k: x for k, x in v.items() if x is not None}
        v["id"] = sid
        base = world.subjects.get(sid or "") if sid else None
        doc = base.to_doc() if base is not None else {"id": "", "code": "", "label": "", "age_band": ""}
        doc.update({k: v[k] for k in ("label", "age_band", "sex", "household", "area_id") if k in v})
        subject = Subject.from_doc(doc)
    area = world.areas.get(subject.area_id or "")
    out = []
    text = reidentification_warning(subject, area)
    if text:
        out.append(text)
    if area is not None and _area_is_small(area) and subject.age_band and subject.household:
        others = [s for s in world.subjects.values()
                  if s.id != subject.id and not is_retired(s) and s.area_id == subject.area_id
                  and s.age_band == subject.age_band and s.household == subject.household]
        if not others and not out:
            out.append(f"{subject.label or 'この対象者'}は、小さな圏域（{area.name}）で年代と世帯の組み合わせが"
                       "ほかの対象者と重なりません。本人が特定されないよう、資料では圏域名や年代を伏せてください。")
    return out
