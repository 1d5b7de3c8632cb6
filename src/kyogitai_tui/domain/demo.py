"""The demo municipality みほん市 (fictional; its files are in data/demo/) and a
scaled synthetic variant for performance work.

Files (``config.demo_dir()``, i.e. ``data/demo/``), laid out like the store::

    registry.json            {"reference_date": "2025-09-09", "tables": {table: [doc, ...]}}
    sensitive.json           {"reference_date": ..., "tables": {"subject_sensitive": [...]}}
    meetings/<meeting>.json  {"reference_date": ..., "tables": {"meeting": [one doc], table: [...]}}

Meetings: M-C2-01 (第1回, 2025-05-20), M-C2-02 (第2回, 2025-07-15, hybrid),
M-C2-03 (第3回, 2025-09-16, PLANNED, no agenda yet: the agenda builder builds
it), and one held plus one planned meeting for each of C1, C3, C4.

Dates in the files are written for the reference date 2025-09-09 (one week
before 第3回).  :func:`load_demo` shifts every ISO date / datetime string by
``today - 2025-09-09`` days (weekdays move with them) and recomputes each
meeting's ``fiscal_year`` (年度 from April) and ``seq_no`` (order within
its council's meetings of that 年度).  With ``today == DEMO_TODAY`` the
dataset equals the spec.  Text never names an absolute date.

Fields kept in ``extra`` (unknown to model.py): areas ``basis_note``,
``perceived_absent`` (AR3, C4 evidence); organizations ``delivery_area_ids``
(O24); persons ``org_text`` (P25 北台商店会, no Organization); coordinators
``also_roles`` (P06 is also 認知症地域支援推進員); subjects
``hamlet_households`` (R-004); individual networks ``formation_note``;
provider networks ``cadence_note`` (PN04 隔月) (the 5 functions of the
地域生活支援拠点 are rated by C1 at M-C1-01: ``LinkageStatus.function_ratings``); subject_sensitive
``disability_of`` (R-005: HOUSEHOLD_MEMBER, the disability is the child's);
attendance ``mode`` (ONLINE for a remote participant); agenda items
``network_ids``; decisions ``linked_systems``, ``partner_org_ids``,
``requires_consent`` (D-06), ``via_person_ids`` (D-04: P05 and P14); action progress ``superseded_by``.

:func:`generate_scaled` adds ``n`` synthetic areas to the demo, each with a
council and ~6 meetings.  ``generate_scaled(42)`` stores about 20,700 documents
(see ``SCALE_FOR_20K``); it takes well under a second.
"""
from __future__ import annotations

import json
import random
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from kyogitai_tui.config import demo_dir
from kyogitai_tui.domain.catalog import default_catalog

__all__ = [
    "DEMO_TODAY", "SCALE_FOR_20K", "demo_reference_date", "load_demo", "generate_scaled",
    "shift_dataset",
]

DEMO_TODAY = date(2025, 9, 9)
SCALE_FOR_20K = 42

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _fiscal_year(d: date, start_month: int = 4) -> int:
    """年度 of a date: the calendar year in which the fiscal year started."""
    return d.year if d.month >= start_month else d.year - 1


def demo_reference_date() -> date:
    """The date the demo files are written for (their ``reference_date``)."""
    return date.fromisoformat(_read_files(str(demo_dir()))["reference_date"])


# ----------------------------------------------------------------------
# loading
# ----------------------------------------------------------------------

def _read(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=4)
def _read_files(root: str) -> dict:
    base = Path(root)
    reg = _read(base / "registry.json")
    sens = _read(base / "sensitive.json")
    meetings = {}
    for p in sorted((base / "meetings").glob("*.json")):
        doc = _read(p)
        (m,) = doc["tables"]["meeting"]
        meetings[m["id"]] = doc["tables"]
    return {"reference_date": reg.get("reference_date", DEMO_TODAY.isoformat()),
            "registry": reg["tables"], "sensitive": sens["tables"], "meetings": meetings}


def _shift_value(v: Any, delta: timedelta) -> Any:
    if isinstance(v, str):
        if _DATE_RE.match(v):
            return (date.fromisoformat(v) + delta).isoformat()
        if _DATETIME_RE.match(v):
            return (datetime.fromisoformat(v) + delta).isoformat()
        return v
    if isinstance(v, list):
        return [_shift_value(x, delta) for x in v]
    if isinstance(v, dict):
        return {k: _shift_value(x, delta) for k, x in v.items()}
    return v


def _renumber_meetings(dataset: dict) -> None:
    """fiscal_year and seq_no from held_on (order within council and 年度)."""
    by_council: dict[tuple[str, int], list[dict]] = {}
    for tables in dataset["meetings"].values():
        m = tables["meeting"][0]
        fy = _fiscal_year(date.fromisoformat(m["held_on"]))
        m["fiscal_year"] = fy
        by_council.setdefault((m["council_id"], fy), []).append(m)
    for ms in by_council.values():
        ms.sort(key=lambda m: (m["held_on"], m.get("start_time") or "", m.get("seq_no") or 0, m["id"]))
        for i, m in enumerate(ms, 1):
            m["seq_no"] = i


def shift_dataset(dataset: dict, days: int) -> dict:
    """A copy of ``dataset`` with every ISO date/datetime moved by ``days``
    and meetings renumbered (年度・第n回)."""
    delta = timedelta(days=days)
    out = {
        "registry": _shift_value(dataset.get("registry") or {}, delta),
        "sensitive": _shift_value(dataset.get("sensitive") or {}, delta),
        "meetings": _shift_value(dataset.get("meetings") or {}, delta),
    }
    _renumber_meetings(out)
    return out


def load_demo(today: Optional[date] = None) -> dict:
    """The みほん市 dataset, dates shifted so that ``today`` (default: the
    real today) stands where 2025-09-09 stands in the spec."""
    raw = _read_files(str(demo_dir()))
    ref = date.fromisoformat(raw["reference_date"])
    today = today or date.today()
    return shift_dataset(raw, (today - ref).days)


# ----------------------------------------------------------------------
# scaled synthetic municipality
# ----------------------------------------------------------------------

_SURNAMES = ("見本", "例示", "試験", "仮名")
_GIVEN = ("一郎", "二葉", "三郎", "四季", "春子", "夏男", "秋代", "冬彦", "花江", "次郎", "三奈", "四郎",
          "五月", "六太", "七海", "八雲", "九重", "十和", "百合", "千里", "町子", "商太", "和子", "健二")
_PLACES = ("あおば", "いずみ", "うめの", "えのき", "おかの", "かえで", "きりの", "くすのき", "けやき", "こだま",
           "さくら", "しらかば", "すずらん", "せせらぎ", "そよかぜ", "たちばな", "ちとせ", "つばき", "ときわ",
           "なぎさ", "にしき", "ぬのびき", "ねむのき", "のぞみ", "はなみず", "ひばり", "ふじみ", "へいわ",
           "ほたる", "まつかぜ", "みどり", "むさし", "めぐみ", "もみじ", "やまびこ", "ゆうひ", "よつば",
           "わかば", "あさひ", "かすみ")
_ORG_SPECS = (
    ("SUPPORT_CENTER", "地域包括支援センター", False, []),
    ("DISTRICT_SHAKYO", "地区社会福祉協議会", True, ["SALON", "WATCH"]),
    ("NEIGHBORHOOD", "自治会連合会", True, ["WATCH"]),
    ("CARE_MANAGEMENT", "架空ケアプランセンター", False, ["CARE_MANAGEMENT"]),
    ("HOME_CARE", "架空ヘルパーステーション", False, ["HOME_CARE"]),
    ("DAY_CARE", "架空デイサービス", False, ["DAY_CARE"]),
    ("MEDICAL", "架空診療所", False, ["CLINIC"]),
    ("NPO", "NPO法人 架空ささえあい", False, ["HOUSEKEEPING", "DAILY_LIVING"]),
    ("RESIDENT_GROUP", "サロンの会", False, ["SALON"]),
    ("BUSINESS", "架空商店会", False, ["SHOPPING"]),
)
_MEMBER_CATEGORY = {
    "SUPPORT_CENTER": "SUPPORT_CENTER", "DISTRICT_SHAKYO": "DISTRICT_SHAKYO", "NEIGHBORHOOD": "CHIEN",
    "CARE_MANAGEMENT": "CARE_PROVIDER", "HOME_CARE": "CARE_PROVIDER", "DAY_CARE": "CARE_PROVIDER",
    "MEDICAL": "MEDICAL", "NPO": "NPO_VOLUNTEER", "RESIDENT_GROUP": "NPO_VOLUNTEER", "BUSINESS": "BUSINESS",
}
_SAYINGS = (
    ("SC", "前回からの取組について、資料に基づいて報告します。"),
    ("CHAIR", "ご意見があればお願いします。"),
    ("MEMBER", "地域の集まりでも、同じような声を聞いています。"),
    ("MEMBER", "事業所としても協力できることがあると思います。"),
    ("SC", "次回までに関係者に確認しておきます。"),
    ("VICE_CHAIR", "地区社協でも見守り活動の中で気をつけていきます。"),
    ("SECRETARIAT", "市としても情報提供に協力します。"),
    ("MEMBER", "担い手が足りないので、募集の方法を工夫したいです。"),
    ("MEMBER", "サロンの参加者からも困りごとを聞いてみます。"),
    ("SC", "ネットワークで対応するか、サービスをつくるかを整理しましょう。"),
)
_DECISION_TYPES = ("EXPAND_EXISTING", "FORM_NEW", "CREATE_SERVICE", "PROMOTE_INDIVIDUAL", "LINKAGE")
_ACTION_TITLES = ("関係団体への参加の呼びかけ", "担い手募集チラシの作成", "関係者会議の日程調整",
                  "事業者への聞き取り", "試行結果のとりまとめ", "連携先との情報交換の準備")
_SERVICE_NEEDS = ("SHOPPING", "MOBILITY", "WATCH", "HOUSEKEEPING", "MEALS", "DAILY_LIVING")


def _synthetic_area(k: int, today: date, rnd: random.Random, muni_id: str) -> tuple[dict, dict]:
    """Registry tables and meeting files of synthetic area ``k``."""
    p = f"S{k:03d}"
    place = _PLACES[(k - 1) % len(_PLACES)] + ("" if k <= len(_PLACES) else str((k - 1) // len(_PLACES) + 1))
    reg: dict[str, list[dict]] = {t: [] for t in (
        "areas", "organizations", "persons", "coordinators", "councils", "council_members", "subjects",
        "consent_records", "individual_networks", "individual_network_members", "need_items",
        "provider_networks", "provider_network_members")}
    sens: list[dict] = []
    area_id = f"{p}-AR"
    orgs = []
    for i, (otype, oname, chien, cats) in enumerate(_ORG_SPECS, 1):
        o = {"id": f"{p}-O{i:02d}", "name": f"{place}{oname}" if not oname.startswith(("架空", "NPO"))
             else f"{oname} {place}", "org_type": otype, "is_chien": chien, "service_categories": list(cats),
             "coverage_level": "AREA", "area_ids": [area_id]}
        orgs.append(o)
    reg["organizations"] = orgs
    reg["areas"].append({"id": area_id, "municipality_id": muni_id, "name": f"{place}圏域",
                         "basis": "ELEMENTARY", "support_center_org_id": orgs[0]["id"],
                         "households_hint": rnd.randint(2500, 9000),
                         "character": "住宅地と商店街が混在する地域（合成データ）"})
    persons = []
    for i in range(12):
        org = orgs[i % len(orgs)]
        persons.append({"id": f"{p}-P{i + 1:02d}",
                        "display_name": f"{_SURNAMES[(k + i) % 4]} {_GIVEN[(k * 7 + i) % len(_GIVEN)]}",
                        "org_id": org["id"] if i else "O02", "title": "委員" if i > 1 else "職員"})
    persons[0]["title"] = "第2層生活支援コーディネーター"
    reg["persons"] = persons
    reg["coordinators"] = [
        {"id": f"{p}-SC2", "person_id": persons[0]["id"], "tier": 2, "affiliation": "SHAKYO",
         "area_id": area_id, "employer_org_id": "O02"},
        {"id": f"{p}-SC3", "person_id": persons[1]["id"], "tier": 3, "affiliation": "SUPPORT_CENTER",
         "area_id": area_id, "employer_org_id": orgs[0]["id"]},
    ]
    council_id = f"{p}-C"
    reg["councils"].append({"id": council_id, "name": f"{place}支え合い会議", "tier": 2,
                            "municipality_id": muni_id, "area_id": area_id, "secretariat_org_ids": ["O01"],
                            "chair_person_id": persons[2]["id"], "facilitator_person_id": persons[0]["id"],
                            "planned_frequency": "2か月に1回", "planned_minutes": 120})
    member_pids = [x["id"] for x in persons[1:]] + ["P09", "P11"]
    start = today - timedelta(days=420)
    for i, pid in enumerate(member_pids, 1):
        org_id = next((x["org_id"] for x in persons if x["id"] == pid), None)
        otype = next((o["org_type"] for o in orgs if o["id"] == org_id), None)
        reg["council_members"].append({
            "id": f"{p}-CM{i:02d}", "council_id": council_id, "person_id": pid,
            "org_id": org_id or ("O11" if pid == "P09" else "O12"),
            "member_category": _MEMBER_CATEGORY.get(otype, "MINSEI" if pid == "P09" else "SENIOR_CLUB"),
            "role": "CHAIR" if i == 2 else "VICE_CHAIR" if i == 3 else "MEMBER",
            "term_from": start.isoformat()})
    reg["council_members"].append({"id": f"{p}-CMSC", "council_id": council_id, "person_id": persons[0]["id"],
                                   "org_id": "O02", "member_category": "SHAKYO", "role": "SC"})
    reg["council_members"].append({"id": f"{p}-CMSE", "council_id": council_id, "person_id": "P17",
                                   "org_id": "O01", "member_category": "GOV", "role": "SECRETARIAT"})
    # provider networks
    nets = [
        (f"{p}-PN1", f"{place}圏域 多職種連携会議", "DIFF", [0, 3, 4, 6, 7]),
        (f"{p}-PN2", f"{place} 自治会・NPOつなぎの会", "CHIEN_NPO", [1, 2, 7]),
        (f"{p}-PN3", f"{place} 介護事業所連絡会", "SAME", [4, 5]),
    ]
    for nid, name, kind, idx in nets:
        d = {"id": nid, "name": name, "kind": kind, "coverage_level": "AREA", "form": "MEETING",
             "area_id": area_id, "meeting_cadence": "REGULAR", "has_individual_support_unit": kind != "CHIEN_NPO",
             "status": "ACTIVE", "last_met_on": (today - timedelta(days=rnd.randint(10, 120))).isoformat()}
        if kind == "DIFF":
            d["expected_org_types"] = ["SUPPORT_CENTER", "CARE_MANAGEMENT", "HOME_CARE", "MEDICAL", "NPO"]
        elif kind == "SAME":
            d["provider_org_types"] = ["HOME_CARE", "DAY_CARE"]
        else:
            d["chien_npo_stage"] = "EXPANDING"
        reg["provider_networks"].append(d)
        for j, oi in enumerate(idx, 1):
            reg["provider_network_members"].append({"id": f"{nid}-M{j}", "network_id": nid,
                                                    "org_id": orgs[oi]["id"]})
    # subjects and individual networks
    for s in range(2):
        sid = f"{p}-R{s + 1}"
        reg["subjects"].append({"id": sid, "code": sid, "label": "ABCDEFGH"[(k + s) % 8] + "さん",
                                "age_band": rnd.choice(("70s", "80s")), "sex": rnd.choice("FM"),
                                "household": rnd.choice(("ALONE", "ELDERLY_COUPLE", "WITH_CHILD")),
                                "area_id": area_id, "consent_status": "OBTAINED"})
        reg["consent_records"].append({"id": f"{sid}-CR", "subject_id": sid,
                                       "obtained_on": (start + timedelta(days=30 * s)).isoformat(),
                                       "obtained_by_person_id": persons[1]["id"]})
        sens.append({"id": f"{sid}-SS", "subject_id": sid, "dementia": s == 0})
        nid = f"{p}-IN{s + 1}"
        reg["individual_networks"].append({"id": nid, "subject_id": sid, "initiator_type": "CARE_MANAGER",
                                           "formation_mode": "ALL_AT_ONCE", "gathered_once": True,
                                           "sharing_methods": ["NOTEBOOK_HOME"], "status": "ACTIVE"})
        for j, oi in enumerate((0, 3, 4, 7), 1):
            reg["individual_network_members"].append({"id": f"{nid}-M{j}", "network_id": nid,
                                                      "member_kind": "CARE" if oi in (3, 4) else "MUTUAL_AID",
                                                      "org_id": orgs[oi]["id"]})
        for j in range(3):
            reg["need_items"].append({"id": f"{nid}-N{j + 1}", "network_id": nid,
                                      "service_category": _SERVICE_NEEDS[(k + s + j) % len(_SERVICE_NEEDS)],
                                      "status": "MET", "provider_found": True})

    # meetings: five held, one planned a week ahead, on the catalog's agenda templates
    templates = [(t.code, t.section, t.label, t.default_minutes) for t in default_catalog().agenda_templates]
    gaps_item = next(i for i, t in enumerate(templates, 1) if t[0] == "A11")   # findings hang there
    meetings: dict[str, dict] = {}
    members = [pid for pid in member_pids]
    open_items: list[str] = []
    for mi in range(6):
        mid = f"M-{p}-{mi + 1:02d}"
        held = today + timedelta(days=7 - 56 * (5 - mi) + (rnd.randint(-3, 3) if mi < 5 else 0))
        planned = mi == 5
        m = {"id": mid, "council_id": council_id, "fiscal_year": _fiscal_year(held), "seq_no": mi + 1,
             "held_on": held.isoformat(), "start_time": "14:00", "end_time": None if planned else "16:00",
             "venue": f"{place}地区センター", "mode": "IN_PERSON", "chair_person_id": persons[2]["id"],
             "recorder_person_id": persons[0]["id"],
             "status": "PLANNED" if planned else ("MINUTES_DRAFT" if mi == 4 else "MINUTES_CONFIRMED")}
        t: dict[str, list[dict]] = {"meeting": [m]}
        meetings[mid] = t
        if planned:
            continue
        hs = held.isoformat()
        t["attendance"] = [{"id": f"{mid}-AT{i:02d}", "meeting_id": mid, "person_id": pid,
                            "role_in_meeting": "MEMBER", "status": "ABSENT" if rnd.random() < 0.12 else "PRESENT"}
                           for i, pid in enumerate(members, 1)]
        t["attendance"] += [{"id": f"{mid}-ATSC", "meeting_id": mid, "person_id": persons[0]["id"],
                             "role_in_meeting": "SC", "status": "PRESENT"},
                            {"id": f"{mid}-ATSE", "meeting_id": mid, "person_id": "P17",
                             "role_in_meeting": "SECRETARIAT", "status": "PRESENT"}]
        present = sum(1 for a in t["attendance"] if a["role_in_meeting"] == "MEMBER" and a["status"] == "PRESENT")
        t["materials"] = [{"id": f"{mid}-MT{i}", "meeting_id": mid, "label": f"資料{i}", "title": title}
                          for i, title in enumerate(("前回会議録（案）", "取組状況一覧", "機能チェック表"), 1)]
        t["agenda_items"] = [{"id": f"{mid}-AG{i:02d}", "meeting_id": mid, "order": i, "section": sec,
                              "title": title, "template": code, "planned_minutes": mins, "state": "DONE",
                              "elapsed_seconds": mins * 60 + rnd.randint(-60, 120)}
                             for i, (code, sec, title, mins) in enumerate(templates, 1)]
        t["statements"] = []
        for i in range(20):
            label, text = _SAYINGS[(i + mi) % len(_SAYINGS)]
            t["statements"].append({"id": f"{mid}-ST{i + 1:02d}", "meeting_id": mid,
                                    "agenda_item_id": f"{mid}-AG{(i * len(templates)) // 20 + 1:02d}",
                                    "speaker_label": label, "text": text, "order": i + 1})
        t["function_assessments"] = [
            {"id": f"{mid}-FA{i}", "meeting_id": mid, "network_id": nets[i - 1][0],
             "function_code": {"DIFF": "DIFF_MONITOR", "SAME": "SAME_REFERRAL"}.get(nets[i - 1][2],
                                                                                   "PURPOSE_COORDINATION"),
             "rating": rnd.choice(("FULFILLED", "PARTIAL", "FULFILLED")), "assessed_on": hs}
            for i in (1, 2, 3)]
        t["gap_checks"] = [{"id": f"{mid}-GC1", "meeting_id": mid, "check_code": "C3_DIFF_MISSING_GROUPS",
                            "target_network_id": nets[0][0], "result": "OK", "checked_on": hs}]
        t["gap_findings"] = [
            {"id": f"{mid}-GF{i}", "meeting_id": mid, "kind": "SERVICE_GAP",
             "description": f"{place}地区の{('買い物', '通院の移動', '見守り', 'ゴミ出し')[(mi + i) % 4]}が難しい",
             "area_id": area_id, "network_or_service": ("SERVICE", "NETWORK", "BOTH")[(mi + i) % 3],
             "status": "DECIDED", "agenda_item_id": f"{mid}-AG{gaps_item:02d}"} for i in (1, 2)]
        t["decisions"] = [
            {"id": f"{mid}-D{i}", "meeting_id": mid, "type": _DECISION_TYPES[(mi * 2 + i) % 5],
             "text": f"{place}地区の課題{i}への対応を進める", "agenda_item_id": f"{mid}-AG{gaps_item:02d}",
             "gap_finding_ids": [f"{mid}-GF{i}"], "responsible_tier": 2, "quorum_present": present,
             "quorum_members": len(members), "quorum_met": present * 2 > len(members),
             "decided_at": f"{hs}T15:{30 + i:02d}:00"} for i in (1, 2)]
        t["action_progress"] = []
        still_open = []
        for j, aid in enumerate(open_items):
            st = rnd.choice(("DONE", "IN_PROGRESS", "NOT_STARTED", "DONE"))
            t["action_progress"].append({"id": f"{mid}-AP{j + 1:02d}", "action_item_id": aid, "meeting_id": mid,
                                         "date": hs, "note": "進み具合を報告", "status_after": st})
            if st != "DONE":
                still_open.append(aid)
        t["action_items"] = []
        for i in range(4):
            aid = f"{mid}-AI{i + 1}"
            t["action_items"].append({"id": aid, "origin_meeting_id": mid,
                                      "title": _ACTION_TITLES[(mi + i) % len(_ACTION_TITLES)],
                                      "decision_id": f"{mid}-D{i % 2 + 1}",
                                      "owner_person_ids": [persons[(i % 3)]["id"]],
                                      "due_date": (held + timedelta(days=rnd.randint(20, 70))).isoformat()})
            still_open.append(aid)
        open_items = still_open
        t["linkage_statuses"] = [{"id": f"{mid}-LS{i}", "meeting_id": mid, "council_id": council_id,
                                  "linked_system_code": code, "status": rnd.choice(("NO_CONTACT", "INFO_EXCHANGE"))}
                                 for i, code in enumerate(("DISABILITY_CLS", "POVERTY_SELF_RELIANCE",
                                                           "CHILD_CARE_SUPPORT", "DEMENTIA_PROMOTER"), 1)]
        t["network_updates"] = [{"id": f"{mid}-NU1", "meeting_id": mid, "entity": "provider_networks",
                                 "entity_id": nets[1][0], "changes": {"last_met_on": hs}}]
        t["readback"] = [{"id": f"{mid}-RB{i:02d}", "meeting_id": mid, "target_table": tt, "target_id": x["id"]}
                         for i, (tt, x) in enumerate([("decisions", d) for d in t["decisions"]]
                                                     + [("action_items", a) for a in t["action_items"]], 1)]
        t["minutes"] = [{"id": f"{mid}-MIN{v[:3]}", "meeting_id": mid, "variant": v, "version": 1,
                         "drafted_on": (held + timedelta(days=20)).isoformat()} for v in ("PUBLIC", "INTERNAL")]
    return {"registry": reg, "sensitive": sens}, meetings


def generate_scaled(n: int, today: Optional[date] = None, seed: int = 0) -> dict:
    """The demo plus ``n`` synthetic areas (each: ~10 organisations, 12
    persons, a council of 13 members, 3 provider networks, 2 subjects with
    individual networks, 5 held meetings (15 attendance rows, 12 agenda
    items, 20 statements, findings, decisions, 4 action items with progress)
    and one planned).  Deterministic for a given (n, today, seed).

    ``generate_scaled(SCALE_FOR_20K)`` (n = 42) holds 20,000+ documents."""
    today = today or date.today()
    ds = load_demo(today)   # a fresh structure on every call
    rnd = random.Random(seed)
    muni_id = ds["registry"]["municipality"][0]["id"]
    for k in range(1, n + 1):
        part, meetings = _synthetic_area(k, today, rnd, muni_id)
        for table, docs in part["registry"].items():
            ds["registry"].setdefault(table, []).extend(docs)
        ds["sensitive"].setdefault("subject_sensitive", []).extend(part["sensitive"])
        ds["meetings"].update(meetings)
    _renumber_meetings(ds)
    return ds
