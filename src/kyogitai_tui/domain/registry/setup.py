"""First-time set-up of a municipality from an empty data folder (no Textual).

The set-up screen (ui/screens/setup.py) walks these steps, in this order,
each one saved at once and each leaving data that ``kyogitai check`` accepts:

1. 市町村: name, prefecture, whether 第1層 and 第2層 are one (``single_area``);
2. 圏域: at least one; a municipality whose tiers are one gets 「○○村全域」
   (area basis 市町村全域) proposed;
3. 協議体: at least one; where the tiers are one, a council that is both
   (``tier`` 1, ``both_tiers``) over the whole-municipality area is proposed;
4. 事務局: a department (e.g. 障害福祉課) as the council's 事務局 - an
   organisation of type 行政, no person needed; it attends the meetings by
   its name (``session._roll_from_roster`` adds it to the roll);
5. 構成員: a name, a body (団体名, created when new) and a role.

Everything is also editable later in F7 and importable by CSV; these
functions only build the same records the registers build, with the same
rules (``registry.edit.validate``).  ``setup_needed`` says when the app
should open the set-up instead of an empty home screen (no council yet).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from kyogitai_tui.domain.changes import Change, registry_change
from kyogitai_tui.domain.registry.base import RegistryError, raw_doc
from kyogitai_tui.domain.registry.ids import IdPool
from kyogitai_tui.domain.registry.specs import BOTH_TIERS, norm_text, records

__all__ = ["Step", "STEP_CODES", "setup_needed", "steps", "area_defaults", "council_defaults",
           "set_secretariat", "add_member", "secretariat_names"]

STEP_CODES = ("municipality", "areas", "councils", "secretariat", "members")


@dataclass(frozen=True)
class Step:
    code: str
    title: str
    state: str        # what is there now, in Japanese
    done: bool
    ready: bool       # the steps before it are done (it can be taken)


def setup_needed(world: Any) -> bool:
    """No council yet (an empty folder, or a set-up left before its 協議体):
    the app opens the set-up again where it stopped."""
    return world is not None and not world.councils


def _active(world: Any, kind: str) -> dict:
    return records(world, kind, include_retired=False)


def secretariat_names(world: Any, council: Any) -> list[str]:
    return [world.organizations[o].name for o in council.secretariat_org_ids if o in world.organizations]


def steps(world: Any) -> list[Step]:
    from kyogitai_tui.domain.model.registry import council_tier_label

    m = world.municipality
    areas = _active(world, "areas")
    councils = _active(world, "councils")
    out = []
    if m is None:
        out.append(Step("municipality", "市町村", "まだ登録されていません", False, True))
    else:
        tiers = "第1層と第2層が同じ" if m.single_area else "第1層と第2層を分ける"
        out.append(Step("municipality", "市町村", f"{m.name}（{m.prefecture or '都道府県なし'}・{tiers}）", True, True))
    out.append(Step("areas", "日常生活圏域",
                    "、".join(a.name for a in areas.values()) if areas else "まだありません",
                    bool(areas), m is not None))
    out.append(Step("councils", "協議体",
                    "、".join(f"{c.name}（{council_tier_label(c)}）" for c in councils.values())
                    if councils else "まだありません", bool(councils), bool(areas)))
    sec = {cid: secretariat_names(world, c) for cid, c in councils.items()}
    has_sec = {cid: bool(names) or any(cm.role == "SECRETARIAT" for cm in world.council_members
                                       if cm.council_id == cid)
               for cid, names in sec.items()}
    out.append(Step("secretariat", "事務局（部署）",
                    "、".join(f"{councils[cid].name}: {'・'.join(n) or '担当者'}" for cid, n in sec.items()
                              if has_sec[cid]) or "まだありません",
                    bool(councils) and all(has_sec.values()), bool(councils)))
    counts = {cid: len(world.members_of_council(cid)) for cid in councils}
    out.append(Step("members", "構成員",
                    "、".join(f"{councils[cid].name} {n}名" for cid, n in counts.items()) or "まだありません",
                    bool(councils) and all(counts.values()), bool(councils)))
    return out


def area_defaults(world: Any) -> dict:
    """The proposed first area: the whole municipality when its tiers are one."""
    m = world.municipality
    if m is None or _active(world, "areas"):
        return {}
    if m.single_area:
        return {"name": f"{m.name}全域", "basis": "WHOLE"}
    return {}


def council_defaults(world: Any) -> dict:
    """The proposed first council: both tiers over the one area when the
    municipality's tiers are one, else a 第1層 council."""
    m = world.municipality
    if m is None or _active(world, "councils"):
        return {}
    areas = _active(world, "areas")
    if m.single_area:
        out = {"name": f"{m.name}生活支援体制整備協議体", "tier": BOTH_TIERS}
        if len(areas) == 1:
            out["area_id"] = next(iter(areas))
        return out
    return {"name": f"{m.name}生活支援体制整備協議体（第1層）", "tier": "1"}


def _org_by_name(world: Any, name: str) -> Optional[str]:
    key = norm_text(name)
    for oid, o in records(world, "organizations").items():
        if norm_text(o.name) == key:
            return oid
    return None


def _new_org(world: Any, catalog: Any, name: str, org_type: str, pool: IdPool, *,
             coverage: str = "MUNICIPAL") -> tuple[str, list[Change]]:
    from kyogitai_tui.domain.registry.edit import save

    changes = save(world, catalog, "organizations",
                   {"name": name, "org_type": org_type, "coverage_level": coverage}, reserve=pool)
    return changes[0].doc_id, changes


def set_secretariat(world: Any, catalog: Any, council_id: str, department: str) -> list[Change]:
    """The council's 事務局 is the department ``department`` (an organisation
    of type 行政, found by name or created).  Replaces the council's list."""
    name = (department or "").strip()
    if not name:
        raise RegistryError("事務局の部署名を入力してください（例: 障害福祉課）。", {"department": "部署名を入力してください。"})
    if council_id not in world.councils:
        raise RegistryError(f"協議体「{council_id}」は登録されていません。")
    pool = IdPool()
    changes: list[Change] = []
    oid = _org_by_name(world, name)
    if oid is None:
        oid, changes = _new_org(world, catalog, name, "GOV", pool)
    elif world.organizations[oid].retired_on is not None:
        raise RegistryError(f"「{name}」は休止中の団体です。F7 の団体で再開してから選んでください。")
    doc = raw_doc(world, "councils", council_id) or world.councils[council_id].to_doc()
    doc["secretariat_org_ids"] = [oid]
    return changes + [registry_change("councils", council_id, doc)]


def add_member(world: Any, catalog: Any, council_id: str, name: str, org_name: str = "",
               role: str = "MEMBER", today: Optional[date] = None) -> list[Change]:
    """A 構成員 typed as a name and a body: the body (団体, created as その他
    when new), the person and the membership, in one batch."""
    from kyogitai_tui.domain.registry.members import _member_id

    today = today or date.today()
    name, org_name = (name or "").strip(), (org_name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "氏名を入力してください。"
    if not catalog.has("council_roles", role or ""):
        errors["role"] = "役割を選んでください。"
    if council_id not in world.councils:
        errors["council"] = "協議体を選んでください。"
    if errors:
        raise RegistryError("構成員に誤りがあります。" + " ".join(errors.values()), errors)
    pool = IdPool()
    changes: list[Change] = []
    oid = _org_by_name(world, org_name) if org_name else None
    if org_name and oid is None:
        oid, changes = _new_org(world, catalog, org_name, "OTHER", pool)
    for pid, p in records(world, "persons").items():
        if norm_text(p.display_name) == norm_text(name) and (p.org_id or None) == oid:
            if any(cm.council_id == council_id and cm.person_id == pid and
                   (cm.term_to is None or cm.term_to >= today) for cm in world.council_members):
                raise RegistryError(f"「{name}」はすでにこの協議体の構成員です。", {"name": "すでに構成員です。"})
            break
    else:
        pid = pool.take(world.persons, "persons")
        changes.append(registry_change("persons", pid, {"id": pid, "display_name": name, "org_id": oid}))
    mid = _member_id({m.id for m in world.council_members}, "councils", council_id)
    changes.append(registry_change("council_members", mid, {
        "id": mid, "council_id": council_id, "person_id": pid, "org_id": oid, "role": role,
        "term_from": today.isoformat()}))
    return changes
