"""Adding, editing, retiring and reactivating register records (no Textual).

Every operation returns a list of ``Change`` (registry scope) for
``app.apply_changes`` / ``DataStore.apply_batch``; nothing is written here.

* ``validate`` -> {field: Japanese message}; ``save`` raises ``RegistryError``
  with the same dict when the values are not acceptable.
* Editing keeps every key of the stored document that the form does not show
  (``extra``, place hints...); only the form's fields change.
* Duplicates: the same name (NFKC, case- and width-insensitive, spaces
  ignored) in the same kind, retired records included (the message then says
  to reactivate).  For persons a duplicate is the same name in the same
  organisation (two people may share a name).  Checked for new records and
  when an edit changes the name.
* Editing that changes nothing is always accepted (stored data that breaks a
  newer rule is not refused as it stands); any real change is checked in
  full, so the form then asks for what is missing.
* A reference must exist and be active; a reference the record already had is
  kept even when its target has since been retired (old data stays editable).
* Retire = ``retired_on`` set; nothing is deleted.  Retiring a person also
  ends their open council memberships (``term_to`` = the day before), retiring an organisation
  ends its open provider-network memberships (``left_on``), so that they no
  longer appear in new meetings' rolls and network lists.

Members, needs and consent are in ``registry.members``.
"""
from __future__ import annotations

import weakref
from datetime import date, timedelta
from typing import Any, Optional

from kyogitai_tui.domain.registry.base import RegistryError, raw_doc
from kyogitai_tui.domain.registry.ids import IdPool, _new_id, next_id
from kyogitai_tui.domain.registry.specs import BOTH_TIERS, KINDS, NAME_FIELD, TABLE_OF, fields, is_retired, norm_text, records
from kyogitai_tui.domain.registry.values import coerce
from kyogitai_tui.domain.changes import Change, registry_change
from kyogitai_tui.domain.world import FOLDED_THROUGH

__all__ = [
    "RegistryError", "values_of", "validate", "save", "retire", "reactivate", "next_id", "IdPool",
    "raw_doc",
]


def _coordinator_of(world: Any, person_id: str) -> Any:
    for c in world.coordinators.values():
        if c.person_id == person_id:
            return c
    return None


def _quorum_text(rule: str) -> str:
    rule = rule or "MAJORITY"
    if rule == "MAJORITY":
        return "過半数"
    if rule == "HALF":
        return "半数以上"
    if rule.startswith("COUNT:"):
        return rule.split(":", 1)[1]
    return rule


def values_of(world: Any, kind: str, record_id: str) -> dict:
    """The form values of an existing record (typed: dates, ints, lists)."""
    rec = records(world, kind)[record_id]
    out: dict[str, Any] = {}
    for spec in fields(kind):
        if spec.name.startswith("sc_"):
            c = _coordinator_of(world, record_id)
            attr = spec.name[3:]
            v = getattr(c, attr, None) if c is not None else None
            out[spec.name] = str(v) if attr == "tier" and v is not None else v
            continue
        v = getattr(rec, spec.name, None)
        if spec.name == "tier":
            v = BOTH_TIERS if getattr(rec, "both_tiers", False) else str(v)
        elif spec.name == "quorum_rule":
            v = _quorum_text(v)
        out[spec.name] = v
    return out


def _empty(v: Any) -> bool:
    return v is None or v == "" or v == []


def _same_values(a: dict, b: dict) -> bool:
    """Equal values, an empty text, list and None being the same; names compared
    NFKC (a width change alone is no change)."""
    for k in set(a) | set(b):
        x, y = a.get(k), b.get(k)
        if _empty(x) and _empty(y):
            continue
        if isinstance(x, str) and isinstance(y, str) and norm_text(x) == norm_text(y) and x.strip() == y.strip():
            continue
        if x != y:
            return False
    return True


def _ref_errors(world: Any, kind: str, typed: dict, before: dict) -> dict:
    errors = {}
    for spec in fields(kind):
        if spec.kind not in ("ref", "refs") or spec.name not in typed:
            continue
        v = typed[spec.name]
        old = before.get(spec.name)
        old_set = set(old if isinstance(old, list) else [old] if old else [])
        targets = records(world, spec.ref_kind)
        for rid in (v if isinstance(v, list) else [v] if v else []):
            t = targets.get(rid)
            if t is None:
                errors[spec.name] = f"「{rid}」は登録されていません。一覧から選んでください。"
            elif is_retired(t) and rid not in old_set:
                errors[spec.name] = f"「{rid}」は休止中です。再開するか、別のものを選んでください。"
    return errors


_NAME_INDEX: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def _name_index(world: Any, table_kind: str, name_field: str) -> dict:
    """normalised name -> [ids] of a kind, built once per World."""
    try:
        per_world = _NAME_INDEX.setdefault(world, {})
    except TypeError:
        per_world = {}
    idx = per_world.get(table_kind)
    if idx is None:
        idx = {}
        for rid, rec in records(world, table_kind).items():
            idx.setdefault(norm_text(getattr(rec, name_field, "")), []).append(rid)
        per_world[table_kind] = idx
    return idx


def _duplicate(world: Any, kind: str, typed: dict, editing_id: Optional[str]) -> Optional[str]:
    name_field = NAME_FIELD.get(kind)
    if not name_field or _empty(typed.get(name_field)):
        return None
    table_kind = "organizations" if kind == "linkage_partners" else kind
    every = records(world, table_kind)
    for rid in _name_index(world, table_kind, name_field).get(norm_text(typed[name_field]), []):
        rec = every[rid]
        if rid == editing_id:
            continue
        if kind == "persons" and (rec.org_id or None) != (typed.get("org_id") or None):
            continue
        tail = "（休止中）。再開して使ってください。" if is_retired(rec) else "。別の名前にするか、登録済みのものを使ってください。"
        return f"同じ名前「{getattr(rec, name_field)}」がすでに登録されています（{rid}）{tail}"
    return None


def validate(world: Any, catalog: Any, kind: str, values: dict,
             editing_id: Optional[str] = None) -> dict:
    """{field_name: Japanese message}; empty when the values can be saved.
    When editing, fields absent from ``values`` keep their stored value."""
    if kind not in KINDS:
        return {"": f"「{kind}」という登録の種類はありません。"}
    before = values_of(world, kind, editing_id) if editing_id else {}
    merged = {**before, **values}
    typed, errors = coerce(world, catalog, kind, merged)
    if editing_id and not errors:
        typed_before, _ = coerce(world, catalog, kind, before)
        if _same_values(typed, typed_before):
            return {}      # nothing changes: old data is never refused as it stands
    for spec in fields(kind):
        if spec.required and spec.name not in errors and _empty(typed.get(spec.name)):
            verb = "入力" if spec.kind in ("text", "int", "date") else "選択"
            errors[spec.name] = f"「{spec.label}」を{verb}してください。"
    for k, msg in _ref_errors(world, kind, typed, before).items():
        errors.setdefault(k, msg)
    name_field = NAME_FIELD.get(kind)
    renamed = not editing_id or any(
        not _same_values({k: typed.get(k)}, {k: before.get(k)}) for k in (name_field, "org_id") if k)
    dup = _duplicate(world, kind, typed, editing_id) if renamed else None
    if dup:
        errors.setdefault(NAME_FIELD[kind], dup)
    for k, msg in _kind_rules(world, kind, typed, editing_id).items():
        errors.setdefault(k, msg)
    return errors


def _kind_rules(world: Any, kind: str, v: dict, editing_id: Optional[str]) -> dict:
    e: dict[str, str] = {}
    if kind in ("areas", "councils") and world.municipality is None:
        # an area or council belongs to a municipality: without one it could not be read back
        e[NAME_FIELD[kind]] = "先に「市町村」を登録してください（F7 登録データの「市町村」、または初めの設定）。"
    if kind == "municipality":
        if world.municipality is not None and editing_id != world.municipality.id:
            e["name"] = f"市町村はすでに「{world.municipality.name}」が登録されています。それを直してください。"
        m = v.get("fiscal_year_start_month")
        if m is not None and not 1 <= m <= 12:
            e["fiscal_year_start_month"] = "年度の始まりは1から12の月で入力してください（ふつうは 4）。"
    if kind == "councils":
        if v.get("tier") == "2" and _empty(v.get("area_id")):
            e["area_id"] = "第2層の協議体には圏域が必要です。「圏域」を選んでください。"
        rule = v.get("quorum_rule") or "MAJORITY"
        if rule.startswith("COUNT:") and editing_id:
            n = int(rule.split(":")[1])
            m = len(world.members_of_council(editing_id))
            if m and n > m:
                e["quorum_rule"] = f"定足数{n}人が構成員の数（{m}人）より多くなっています。{m}人以下にしてください。"
        if v.get("planned_minutes") is not None and not 10 <= v["planned_minutes"] <= 600:
            e["planned_minutes"] = "予定時間は10分から600分の間で入力してください。"
    elif kind == "provider_networks":
        if v.get("kind") == "SAME" and _empty(v.get("provider_category")):
            e["provider_category"] = "同種事業者間ネットワークでは「サービスの種類（同種）」を選んでください。"
        if v.get("coverage_level") == "AREA" and _empty(v.get("area_id")):
            e["area_id"] = "日常生活圏域のネットワークでは「圏域」を選んでください。"
        e.update(perceived_problems(v))
    elif kind == "persons":
        if not _empty(v.get("sc_tier")) and _empty(v.get("sc_affiliation")):
            e["sc_affiliation"] = "コーディネーターの「所属区分」を選んでください。"
        if _empty(v.get("sc_tier")) and not (_empty(v.get("sc_affiliation")) and _empty(v.get("sc_area_id"))):
            e["sc_tier"] = "コーディネーターの「層」を選んでください（コーディネーターでなければ所属区分と担当圏域を空にします）。"
    elif kind == "subjects":
        label = v.get("label") or ""
        if len(label) > 10 or " " in label or "　" in label:
            e["label"] = "仮名は「Aさん」のように短く入力してください。氏名は入力しません。"
    elif kind == "areas":
        if v.get("households_hint") is not None and v["households_hint"] <= 0:
            e["households_hint"] = "世帯数は1以上で入力してください。"
    return e


def perceived_problems(v: dict) -> dict:
    """C4's evidence: a voice saying no network supports the area is kept
    with who said it and when (seed 4-4(4)); a who/when without the voice
    is a slip, not data."""
    e: dict[str, str] = {}
    if v.get("perceived_absent"):
        if _empty(v.get("perceived_absent_by")):
            e["perceived_absent_by"] = "「頼れるネットワークがない」との声は、誰から聞いたか（「声を聞いた相手」）を選んでください。"
        if _empty(v.get("perceived_absent_on")):
            e["perceived_absent_on"] = "「頼れるネットワークがない」との声を聞いた日（「声を聞いた日」）を入力してください。"
    elif not _empty(v.get("perceived_absent_by")) or not _empty(v.get("perceived_absent_on")):
        e["perceived_absent"] = "声を聞いた相手や日を入れたときは、「頼れるネットワークがない」との声を「はい」にしてください（声がなければ相手と日を空にします）。"
    return e


def _jsonable(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    return v


def save(world: Any, catalog: Any, kind: str, values: dict,
         editing_id: Optional[str] = None, today: Optional[date] = None, *,
         reserve: Any = None, new_id: Optional[str] = None, check: bool = True) -> list[Change]:
    """Changes that add (``editing_id`` None) or update a record.  Raises
    ``RegistryError`` when ``validate`` finds problems.

    ``reserve``: ids already taken by earlier rows of the same batch (a CSV
    import): a set or an ``IdPool``; new ids are added to it.  ``new_id``: the
    id for a new record (an import that carries its own ids).  ``check=False``
    skips ``validate`` when the caller has just run it."""
    errors = validate(world, catalog, kind, values, editing_id) if check else {}
    if errors:
        raise RegistryError("入力に誤りがあります。" + " ".join(dict.fromkeys(errors.values())), errors)
    before = values_of(world, kind, editing_id) if editing_id else {}
    typed, _ = coerce(world, catalog, kind, {**before, **values})
    table = TABLE_OF[kind]
    existing = records(world, kind) if kind == "municipality" else getattr(world, table)
    if editing_id:
        doc = raw_doc(world, table, editing_id) or {"id": editing_id}
        rid = editing_id
    else:
        rid = new_id or _new_id(existing, table, reserve)
        if new_id and reserve is not None:
            reserve.add(new_id)
        doc = {"id": rid}
    if world.municipality is not None and kind in ("areas", "councils") and not doc.get("municipality_id"):
        doc["municipality_id"] = world.municipality.id
    defaults = _model_defaults(table)
    for spec in fields(kind):
        if spec.name in typed and not spec.name.startswith("sc_"):
            v = typed[spec.name]
            if v is None and defaults.get(spec.name) is not None:
                v = defaults[spec.name]      # an empty 予定時間 is the usual 120, never None
            doc[spec.name] = _jsonable(v)
    if kind == "councils":
        both = str(typed["tier"]) == BOTH_TIERS
        doc["tier"] = 1 if both else int(typed["tier"])
        doc["both_tiers"] = both
    if kind == "municipality" and doc.get("fiscal_year_start_month") is None:
        doc["fiscal_year_start_month"] = 4
    if kind == "subjects" and not doc.get("code"):
        doc["code"] = rid
    if kind == "subjects":
        doc.setdefault("consent_status", "NOT_OBTAINED")
    if kind == "organizations" and not editing_id and "is_chien" not in values:
        entry = catalog.code_list("org_types").get(typed.get("org_type"))
        doc["is_chien"] = bool(entry is not None and entry.extra.get("is_chien_default"))
    if editing_id:
        last = _last_meeting_update(world, table, rid)
        if last is not None:   # the values above already hold what meetings changed
            doc[FOLDED_THROUGH] = last
    changes = [registry_change(table, rid, doc)]
    if kind == "persons":
        changes += _coordinator_changes(world, rid, typed, doc, reserve)
    return changes


def _model_defaults(table: str) -> dict:
    """field -> the record's default value (what an empty form field means)."""
    import dataclasses

    from kyogitai_tui.domain.model import REGISTRY_TABLES

    klass = REGISTRY_TABLES.get(table)
    if klass is None:
        return {}
    return {f.name: f.default for f in dataclasses.fields(klass)
            if f.default is not dataclasses.MISSING}


def _last_meeting_update(world: Any, table: str, rid: str) -> Optional[str]:
    """The last meeting (in meeting order) that changed this record."""
    last = None
    for rec in world.meetings.values():
        if any(u.entity == table and u.entity_id == rid for u in rec.network_updates):
            last = rec.id
    return last


def _coordinator_changes(world: Any, person_id: str, typed: dict, person_doc: dict,
                         reserve: Any = None) -> list[Change]:
    c = _coordinator_of(world, person_id)
    if _empty(typed.get("sc_tier")):
        return []   # an existing coordinator record is kept (it is history)
    cdoc = raw_doc(world, "coordinators", c.id) if c is not None else None
    if cdoc is None:
        cid = _new_id(world.coordinators, "coordinators", reserve)
        cdoc = {"id": cid, "person_id": person_id}
    cdoc["tier"] = int(typed["sc_tier"])
    cdoc["affiliation"] = typed.get("sc_affiliation")
    cdoc["area_id"] = typed.get("sc_area_id")
    if person_doc.get("org_id") and not cdoc.get("employer_org_id"):
        cdoc["employer_org_id"] = person_doc["org_id"]
    return [registry_change("coordinators", cdoc["id"], cdoc)]


def _set_retired(world: Any, kind: str, record_id: str, when: Optional[date]) -> list[Change]:
    table = TABLE_OF[kind]
    if record_id not in records(world, kind):
        raise RegistryError(f"「{record_id}」は登録されていません。")
    doc = raw_doc(world, table, record_id) or {"id": record_id}
    doc["retired_on"] = when.isoformat() if when else None
    return [registry_change(table, record_id, doc)]


def retire(world: Any, kind: str, record_id: str, today: date) -> list[Change]:
    """Mark a record retired on ``today`` (kept for old minutes, hidden from
    pickers); ends the open memberships that would bring it into new meetings."""
    rec = records(world, kind).get(record_id)
    if rec is not None and is_retired(rec):
        raise RegistryError(f"「{record_id}」はすでに休止中です。")
    changes = _set_retired(world, kind, record_id, today)
    if kind == "persons":
        for m in world.council_members:
            if m.person_id == record_id and (m.term_to is None or m.term_to >= today):
                d = raw_doc(world, "council_members", m.id) or m.to_doc()
                d["term_to"] = (today - timedelta(days=1)).isoformat()
                changes.append(registry_change("council_members", m.id, d))
    if TABLE_OF[kind] == "organizations":
        for m in world.provider_network_members:
            if m.org_id == record_id and m.left_on is None:
                d = raw_doc(world, "provider_network_members", m.id) or m.to_doc()
                d["left_on"] = today.isoformat()
                changes.append(registry_change("provider_network_members", m.id, d))
    return changes


def reactivate(world: Any, kind: str, record_id: str, today: Optional[date] = None) -> list[Change]:
    """Undo ``retire`` (memberships ended by it are not restored)."""
    rec = records(world, kind).get(record_id)
    if rec is not None and not is_retired(rec):
        raise RegistryError(f"「{record_id}」は休止中ではありません。")
    return _set_retired(world, kind, record_id, None)
