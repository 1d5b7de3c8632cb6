"""Gap checks C1-C4 of seed 4-4(4) 【実情及び足りないネットワークの把握】.

``run_gap_checks`` looks at the provider networks and areas a council is
about and returns one :class:`CheckResult` per (check, target):

* scope - a tier-2 council (or ``area_id``): the AREA networks of its area
  plus every MUNICIPAL / WIDE network (they serve every area), and the area
  itself for C4.  A tier-1 council (or neither argument): every network and
  every area.  With an area scope, C2 on a municipal network only reports
  non-members active in that area (the gap the area council can act on).
* C1 (SAME and DIFF networks, not PLANNED): the guidebook asks two things,
  whether the network does the support work well enough and whether it has a
  unit for it.  PROBLEM when its support function (DIFF_MONITOR for DIFF,
  SAME_REFERRAL for SAME) is rated PARTIAL or NOT_FULFILLED -- unit or not --
  or when it has no 個別ネットワーク支援 unit (``has_individual_support_unit``);
  UNKNOWN when it has the unit but no rating yet; OK with the unit and
  FULFILLED.
* C2 (SAME): organisations of the network's ``provider_org_types`` (or,
  without those, offering its ``provider_category``) active in the covered
  area(s) - by ``area_ids``, ``serves_area_ids`` (also ``extra``), or a
  municipal/wide coverage of their own - that are not current members.
* C3 (DIFF): entries of ``expected_org_types`` (an org type or a service
  category code) that no current member has; the reason names candidate
  organisations (in the covered area(s) first, else anywhere).
* C4 (areas): PROBLEM when the area has no supporting AREA-level 事業者間
  ネットワーク (SAME/DIFF, status ACTIVE, met within
  :data:`STALE_MONTHS` months when ``last_met_on`` is known), or when a
  network of the area records ``perceived_absent`` (heard from 事業者・
  民生委員・包括: ``perceived_absent_by`` / ``perceived_absent_on`` name who
  and when, and become the result's evidence sources).  A HOLLOW_RISK / DORMANT / FORMING network does not count.

Each check is one function decorated ``@gap_check(CODE)`` (``on="area"``
for an area check); ``GAP_CHECKS`` is that registry, in the catalog's order.
The catalog's ``gap_checks`` list (data/catalog/gap_checks.json) is the list
of checks: its entry gives the label, question, finding kind and evidence
sources.  Adding a check = a catalog entry plus one decorated function here;
tests/test_one_room.py fails when the two lists differ.

``finding_from_check`` turns a result into a GapFinding; ``check_record``
and ``dismiss`` into a GapCheck (the latter with ``dismissed_reason``).  A
PROBLEM dismissed earlier with the same org/group lists comes back with
``dismissed_reason`` filled, so the UI can show it greyed out; one for
which an open GapFinding (same check code and target) exists carries its
id in ``open_finding_id``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Optional

from kyogitai_tui.domain.catalog import catalog_or_none, default_catalog
from kyogitai_tui.domain.dates import months_between
from kyogitai_tui.domain.model import GapCheck, GapFinding, Organization, ProviderNetwork
from kyogitai_tui.domain.guidebook.rules import responsible_tier

__all__ = [
    "CheckResult", "GAP_CHECKS", "gap_check", "run_gap_checks", "check_network", "check_area",
    "finding_from_check", "check_record", "dismiss", "label", "current_members",
    "current_ratings", "catalog_or_none", "STALE_MONTHS", "perceived_sources",
]

STALE_MONTHS = 6
SUPPORT_FUNCTION = {"DIFF": "DIFF_MONITOR", "SAME": "SAME_REFERRAL"}

_FALLBACK_LABELS = {
    "SAME_REFERRAL": "事業者の紹介・あっせん",
    "DIFF_MONITOR": "個別ネットワークの機能状況の共有と対策の協議・勧告",
    "FULFILLED": "果たしている", "PARTIAL": "一部", "NOT_FULFILLED": "果たしていない",
    "UNKNOWN": "未確認", "HOLLOW_RISK": "形骸化の懸念", "DORMANT": "休止",
    "FORMING": "形成中", "PLANNED": "構想", "ACTIVE": "活動中",
}


# --------------------------------------------------------------------------
# Shared helpers (catalog labels, current members, current ratings)
# --------------------------------------------------------------------------

def label(list_name: str, code: Optional[str]) -> str:
    """Japanese label of a code from the catalog; a built-in or the code."""
    if not code:
        return ""
    cat = catalog_or_none()
    text = cat.label_or_code(list_name, code) if cat is not None else code
    return text if text != code else _FALLBACK_LABELS.get(code, code)


def _active_on(row: Any, today: Optional[date]) -> bool:
    if row.left_on is not None and (today is None or row.left_on <= today):
        return False
    return row.joined_on is None or today is None or row.joined_on <= today


def current_members(world: Any, network_id: str, today: Optional[date] = None) -> list[Organization]:
    """Organisations currently in a provider network."""
    rows = [m for m in world.provider_network_members
            if m.network_id == network_id and _active_on(m, today)]
    return [world.organizations[m.org_id] for m in rows if m.org_id in world.organizations]


def _rating_code(value: Any) -> Optional[str]:
    return getattr(value, "rating", value) if value is not None else None


def current_ratings(world: Any, network_id: str) -> dict[str, str]:
    """function_code -> latest rating code, from ``world.current_ratings`` or
    from the meetings' function assessments (later meetings win)."""
    getter = getattr(world, "current_ratings", None)
    if callable(getter):
        got = getter(network_id)
        if isinstance(got, dict):
            return {k: _rating_code(v) for k, v in got.items()}
        return {a.function_code: a.rating for a in got}
    rows = []
    for rec in getattr(world, "meetings", {}).values():
        for a in rec.function_assessments:
            if a.network_id == network_id:
                rows.append((rec.meeting.held_on, a.assessed_on or rec.meeting.held_on, a))
    rows.sort(key=lambda r: (r[0], r[1]))
    return {a.function_code: a.rating for _, _, a in rows}


# --------------------------------------------------------------------------
# The registry: one decorated function per check
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Check:
    code: str                            # the catalog's gap_checks code
    on: str                              # "network" | "area"
    run: Callable[..., Optional["CheckResult"]]


# code -> check, in the order results are listed (the catalog's order; the
# test in tests/test_one_room.py keeps the two the same).
GAP_CHECKS: dict[str, _Check] = {}


def gap_check(code: str, *, on: str = "network") -> Callable:
    """Register a check under its catalog code (data/catalog/gap_checks.json).

    A network check is called ``fn(world, net, today=..., area_scope=...)`` and
    an area check ``fn(world, area_id, today=...)``; either returns a
    CheckResult, or None when the check does not apply to that target.  The
    finding kind and evidence sources come from the catalog entry."""
    if on not in ("network", "area"):
        raise ValueError(f"gap check {code}: on must be 'network' or 'area', not {on!r}")

    def deco(fn: Callable) -> Callable:
        if code in GAP_CHECKS:
            raise ValueError(f"gap check {code} is registered twice")
        GAP_CHECKS[code] = _Check(code, on, fn)
        return fn
    return deco


def _catalog_check(code: str) -> Any:
    return default_catalog().entry("gap_checks", code)


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------

@dataclass
class CheckResult:
    check_code: str
    target: str                          # network id or area id
    target_kind: str                     # "network" | "area"
    target_name: str
    result: str                          # OK | PROBLEM | UNKNOWN
    checked: str                         # what was checked (Japanese)
    reason: str = ""                     # why (Japanese, names orgs/groups)
    area_id: Optional[str] = None
    network_id: Optional[str] = None
    nonmember_org_ids: list[str] = field(default_factory=list)
    missing_group_types: list[str] = field(default_factory=list)
    finding_kind: Optional[str] = None
    evidence_sources: list[str] = field(default_factory=list)
    responsible_tier: Optional[int] = None
    dismissed_reason: str = ""
    open_finding_id: Optional[str] = None  # an open finding already raised for it

    @property
    def problem(self) -> bool:
        return self.result == "PROBLEM"


def _new(code: str, net_or_area: Any, kind: str, result: str, checked: str,
         reason: str = "", **kw: Any) -> CheckResult:
    is_net = kind == "network"
    entry = _catalog_check(code)
    return CheckResult(
        check_code=code, target=net_or_area.id, target_kind=kind,
        target_name=net_or_area.name, result=result, checked=checked, reason=reason,
        area_id=(net_or_area.area_id if is_net else net_or_area.id),
        network_id=(net_or_area.id if is_net else None),
        finding_kind=entry.finding_kind, evidence_sources=list(entry.evidence_sources),
        responsible_tier=(responsible_tier(net_or_area) if is_net else 2), **kw)


# --------------------------------------------------------------------------
# Areas
# --------------------------------------------------------------------------

def _covered_areas(world: Any, net: ProviderNetwork) -> list[str]:
    if net.coverage_level == "AREA":
        return [net.area_id] if net.area_id else []
    return list(world.areas)


def _org_area_ids(world: Any, org: Organization) -> set[str]:
    serves = set(org.serves_area_ids) | set((org.extra or {}).get("serves_area_ids", []))
    if serves or org.out_of_town:
        return set(org.area_ids) | serves
    if org.coverage_level in ("MUNICIPAL", "WIDE"):
        return set(world.areas)
    return set(org.area_ids)


def _area_names(world: Any, ids: Iterable[str]) -> str:
    return "・".join(world.areas[a].name if a in world.areas else a for a in ids)


def _group_label(code: str) -> str:
    """An expected group is an org type or a service category code."""
    text = label("org_types", code)
    return text if text != code else label("service_categories", code)


def _matches(org: Organization, code: str) -> bool:
    return org.org_type == code or code in org.service_categories


# --------------------------------------------------------------------------
# C1 - C4
# --------------------------------------------------------------------------

@gap_check("C1_SUPPORT_FUNCTION")
def check_c1(world: Any, net: ProviderNetwork, **_: Any) -> Optional[CheckResult]:
    """Two questions, both must be yes (seed 4-4(4)): does the network do the
    work of supporting individual networks well enough (its support function
    rated 果たしている), and does it have a unit for it?"""
    function = SUPPORT_FUNCTION.get(net.kind)
    if function is None or net.status == "PLANNED":
        return None
    flabel = label("network_functions", function)
    checked = f"{net.name}：個別ネットワークを支える機能（{flabel}）を十分に果たしているか、そのための部門があるか"
    rating = current_ratings(world, net.id).get(function) or "UNKNOWN"
    rated = f"{flabel}の評価が「{label('function_ratings', rating)}」"
    unit = net.has_individual_support_unit
    if rating in ("PARTIAL", "NOT_FULFILLED"):
        head = "個別ネットワーク支援の部門はありますが、" if unit else "個別ネットワーク支援の部門がなく、"
        return _new("C1_SUPPORT_FUNCTION", net, "network", "PROBLEM", checked, f"{head}{rated}です。")
    if not unit:
        tail = f"{flabel}はまだ評価されていません。" if rating == "UNKNOWN" else f"{rated}です。"
        return _new("C1_SUPPORT_FUNCTION", net, "network", "PROBLEM", checked,
                    f"個別ネットワーク支援の部門がありません（{tail.rstrip('。')}）。")
    if rating == "UNKNOWN":
        return _new("C1_SUPPORT_FUNCTION", net, "network", "UNKNOWN", checked,
                    f"個別ネットワーク支援の部門はありますが、{flabel}の評価がまだありません。")
    return _new("C1_SUPPORT_FUNCTION", net, "network", "OK", checked,
                f"個別ネットワーク支援の部門があり、{rated}です。")


@gap_check("C2_SAME_NONMEMBERS")
def check_c2(world: Any, net: ProviderNetwork, *, today: Optional[date] = None,
             area_scope: Optional[str] = None) -> Optional[CheckResult]:
    if net.kind != "SAME":
        return None
    covered = set(_covered_areas(world, net))
    if area_scope is not None:
        covered &= {area_scope}
    types = list(net.provider_org_types)
    what = "・".join(label("org_types", t) for t in types) if types else \
        label("service_categories", net.provider_category)
    checked = f"{net.name}：{_area_names(world, sorted(covered))}で活動する同種の事業者（{what}）が加入しているか"
    members = {o.id for o in current_members(world, net.id, today)}
    candidates = []
    for org in world.organizations.values():
        same = org.org_type in types if types else (
            net.provider_category is not None and net.provider_category in org.service_categories)
        if not same or org.id in members:
            continue
        where = _org_area_ids(world, org) & covered
        if where:
            candidates.append((org, sorted(where)))
    if not candidates:
        return _new("C2_SAME_NONMEMBERS", net, "network", "OK", checked, "未加入の同種事業者は見当たりません。")
    parts = []
    for org, where in candidates:
        note = "町外から" if org.out_of_town else ""
        parts.append(f"{org.name}（{note}{_area_names(world, where)}で活動）")
    return _new("C2_SAME_NONMEMBERS", net, "network", "PROBLEM", checked, "、".join(parts) + "が加入していません。",
                nonmember_org_ids=[o.id for o, _ in candidates])


@gap_check("C3_DIFF_MISSING_GROUPS")
def check_c3(world: Any, net: ProviderNetwork, *, today: Optional[date] = None,
             **_: Any) -> Optional[CheckResult]:
    if net.kind != "DIFF":
        return None
    expected = list(net.expected_org_types)
    if not expected:
        return _new("C3_DIFF_MISSING_GROUPS", net, "network", "UNKNOWN",
                    f"{net.name}：関係する事業者団体が参加しているか",
                    "参加が望まれる団体の種別がまだ登録されていません。")
    labels = [_group_label(c) for c in expected]
    checked = f"{net.name}：関係する事業者団体（{'・'.join(labels)}）が参加しているか"
    members = current_members(world, net.id, today)
    member_ids = {o.id for o in members}
    covered = set(_covered_areas(world, net))
    missing, named, others = [], [], []
    for code, lab in zip(expected, labels):
        if any(_matches(o, code) for o in members):
            continue
        missing.append(code)
        pool = [o for o in world.organizations.values()
                if _matches(o, code) and o.id not in member_ids]
        local = [o for o in pool if _org_area_ids(world, o) & covered]
        picks = local or pool
        if picks:
            named.extend(f"{o.name}（{lab}）" for o in picks if f"{o.name}（{lab}）" not in named)
        else:
            others.append(f"{lab}の団体")
    if not missing:
        return _new("C3_DIFF_MISSING_GROUPS", net, "network", "OK", checked, "関係する事業者団体はそろっています。")
    reason = "、".join(named + others) + "が参加していません。"
    return _new("C3_DIFF_MISSING_GROUPS", net, "network", "PROBLEM", checked, reason, missing_group_types=missing)


@gap_check("C4_NO_NETWORK_PERCEIVED", on="area")
def check_area(world: Any, area_id: str, *, today: date) -> CheckResult:
    """C4 for one area."""
    area = world.areas[area_id]
    checked = f"{area.name}：個別ネットワークを支える圏域の事業者間ネットワークが活動しているか"
    nets = [n for n in world.provider_networks.values()
            if n.coverage_level == "AREA" and n.area_id == area_id and n.kind in ("SAME", "DIFF")]
    perceived = [n for n in world.provider_networks.values()
                 if n.area_id == area_id and n.perceived_absent and n.retired_on is None]
    heard_from = perceived_sources(perceived)
    if not perceived and (area.extra or {}).get("perceived_absent"):
        perceived = [area]

    def stale(n: ProviderNetwork) -> bool:
        return n.last_met_on is not None and months_between(n.last_met_on, today) >= STALE_MONTHS

    def status(n: ProviderNetwork) -> str:
        return n.status or "ACTIVE"       # a network saved with the state left blank is in use

    supporting = [n for n in nets if status(n) == "ACTIVE" and not stale(n)]
    if supporting and not perceived:
        names = "、".join(n.name for n in supporting)
        return _new("C4_NO_NETWORK_PERCEIVED", area, "area", "OK", checked, f"{names}が活動しています。")
    notes = []
    for n in nets:
        if n in supporting:
            continue
        bits = [label("provider_network_statuses", n.status)] if status(n) != "ACTIVE" else []
        if stale(n):
            bits.append(f"{months_between(n.last_met_on, today)}か月会合なし")
        notes.append(f"{n.name}は{'・'.join(bits)}")
    if not nets:
        reason = f"{area.name}には圏域の事業者間ネットワークがありません。"
    elif not supporting:
        reason = f"{area.name}で活動している圏域の事業者間ネットワークがありません（{'、'.join(notes)}）。"
    else:
        reason = ""
    if perceived:
        who = "・".join(label("evidence_sources", c) for c in heard_from) or "事業者・民生委員・地域包括支援センターなど"
        heard = [n.perceived_absent_on for n in perceived if getattr(n, "perceived_absent_on", None)]
        when = f"（{max(heard).isoformat()}に聞き取り）" if heard else ""
        reason += f"{who}から、支えてくれるネットワークがないとの声があります{when}。"
    sources = [c for c in heard_from] or None
    result = _new("C4_NO_NETWORK_PERCEIVED", area, "area", "PROBLEM", checked, reason)
    if sources:
        result.evidence_sources = list(dict.fromkeys(sources))
    return result


def perceived_sources(nets: Iterable[Any]) -> list[str]:
    """Who said an area has no network to rely on (evidence_sources codes),
    over the networks that record the voice, in the catalog's order."""
    codes = {c for n in nets for c in getattr(n, "perceived_absent_by", [])}
    cat = catalog_or_none()
    order = [e.code for e in cat.code_list("evidence_sources")] if cat is not None else sorted(codes)
    return [c for c in order if c in codes] + sorted(codes - set(order))


def check_network(world: Any, net: ProviderNetwork, *, today: date,
                  area_scope: Optional[str] = None) -> list[CheckResult]:
    """Every registered network check on one network (those that apply)."""
    out = [c.run(world, net, today=today, area_scope=area_scope)
           for c in GAP_CHECKS.values() if c.on == "network"]
    return [r for r in out if r is not None]


def _scope(world: Any, area_id: Optional[str], council_id: Optional[str]) -> Optional[str]:
    if area_id is not None:
        return area_id
    if council_id is not None:
        council = world.councils[council_id]
        if council.tier == 2:
            return council.area_id
    return None


def run_gap_checks(world: Any, *, area_id: Optional[str] = None,
                   council_id: Optional[str] = None, today: date) -> list[CheckResult]:
    """Every registered check (C1-C4) over the networks and areas of the scope."""
    scope = _scope(world, area_id, council_id)
    results: list[CheckResult] = []
    for net in world.provider_networks.values():
        if scope is not None and net.coverage_level == "AREA" and net.area_id != scope:
            continue
        results.extend(check_network(world, net, today=today, area_scope=scope))
    area_checks = [c for c in GAP_CHECKS.values() if c.on == "area"]
    for aid in ([scope] if scope is not None else list(world.areas)):
        found = (c.run(world, aid, today=today) for c in area_checks)
        results.extend(r for r in found if r is not None)
    _apply_dismissals(world, results)
    _link_open_findings(world, results)
    order = {code: i for i, code in enumerate(GAP_CHECKS)}
    results.sort(key=lambda r: (order[r.check_code], r.target))
    return results


def _apply_dismissals(world: Any, results: list[CheckResult]) -> None:
    checks: list[tuple[date, GapCheck]] = []
    for rec in getattr(world, "meetings", {}).values():
        checks.extend((rec.meeting.held_on, g) for g in getattr(rec, "gap_checks", []))
    checks.sort(key=lambda t: t[0])
    for r in results:
        if r.result != "PROBLEM":
            continue
        for _, g in checks:
            same_target = (g.target_network_id or g.target_area_id) == r.target
            if (g.check_code == r.check_code and same_target and g.dismissed_reason
                    and sorted(g.nonmember_org_ids) == sorted(r.nonmember_org_ids)
                    and sorted(g.missing_group_types) == sorted(r.missing_group_types)):
                r.dismissed_reason = g.dismissed_reason


def _link_open_findings(world: Any, results: list[CheckResult]) -> None:
    getter = getattr(world, "finding_states", None)
    if not callable(getter):
        return
    for fs in getter():
        f = fs.finding
        if not fs.is_open or not f.check_code:
            continue
        for r in results:
            if r.result == "PROBLEM" and r.check_code == f.check_code and r.open_finding_id is None \
                    and r.target in (f.network_id, f.area_id if r.target_kind == "area" else None):
                r.open_finding_id = f.id


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------

def check_record(result: CheckResult, meeting_id: str, *, check_id: str,
                 today: Optional[date] = None, evidence_sources: Optional[list[str]] = None,
                 dismissed_reason: str = "") -> GapCheck:
    """The GapCheck row recording a check run in a meeting."""
    return GapCheck(
        id=check_id, meeting_id=meeting_id, check_code=result.check_code,
        target_network_id=result.network_id,
        target_area_id=result.area_id if result.target_kind == "area" else None,
        result=result.result, nonmember_org_ids=list(result.nonmember_org_ids),
        missing_group_types=list(result.missing_group_types),
        evidence_sources=list(result.evidence_sources if evidence_sources is None else evidence_sources),
        checked_on=today, dismissed_reason=dismissed_reason,
        extra={"reason": result.reason} if result.reason else {})


def dismiss(result: CheckResult, reason: str, meeting_id: str, *, check_id: str,
            today: Optional[date] = None) -> GapCheck:
    """Record that the room looked at a PROBLEM and decided it is not one."""
    if not reason.strip():
        raise ValueError("見送る理由を入力してください。")
    result.dismissed_reason = reason.strip()
    return check_record(result, meeting_id, check_id=check_id, today=today,
                        dismissed_reason=reason.strip())


def finding_from_check(result: CheckResult, meeting_id: str, *, finding_id: str,
                       check_id: Optional[str] = None, description: Optional[str] = None,
                       agenda_item_id: Optional[str] = None,
                       evidence_sources: Optional[list[str]] = None) -> GapFinding:
    """A GapFinding (課題) raised from a check result."""
    text = description or f"{result.target_name}：{result.reason}".rstrip()
    return GapFinding(
        id=finding_id, meeting_id=meeting_id, kind=result.finding_kind or "FUNCTION_GAP",
        description=text, area_id=result.area_id, source_check_id=check_id,
        check_code=result.check_code, network_id=result.network_id,
        evidence_sources=list(result.evidence_sources if evidence_sources is None else evidence_sources),
        network_or_service="UNDECIDED", status="OPEN", agenda_item_id=agenda_item_id)
