"""ネットワーク図: the seed's 4-1 「ネットワークのイメージ図」 for one council,
as an indented outline of plain text lines.

The seed's picture puts the 個別ネットワーク (one per resident, 4-3) at the
bottom, supported by the 事業者間ネットワーク (4-4) of the 日常生活圏域
(第2層担当) and of the 市町村域・広域 (第1層担当, 4-4(2)), beside the
地縁組織とNPOのネットワーク (4-5), with the other systems of 3-10 linked in.
:func:`network_map` lays that out for a council:

* a 第2層 council: the council, its 圏域 with its 地域包括支援センター and
  coordinators; the AREA networks of that area; the MUNICIPAL / WIDE
  networks (they serve every area); the 地縁組織とNPO networks; the
  individual networks of the area's residents; the linkage with each
  linked system (``world.linkage``) and its partners;
* a 第1層 council: the council and the MUNICIPAL / WIDE networks once, then
  every area in turn with its AREA networks, 地縁組織とNPO networks and
  individual networks, then the linkage.

Each provider network shows its kind, form, status and member organisations
(short names, at most :data:`MAX_MEMBERS`), and the PROBLEM results of the
gap checks C1-C4 (``gaps.run_gap_checks``, run once) as 「要確認：...（C2）」.
An area carries its C4 result.  Residents appear only by
``world.subject_label`` with status, the number of members and of needs not
yet met (and the small-number warning of ``rules`` when it applies);
never ``world.sensitive``, never the name of a member person, never
free text about them (service_text, purpose, notes).

Depth is 0..3.  Pure: no Textual, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional

from kyogitai_tui.domain.guidebook import gaps as gaps
from kyogitai_tui.domain.catalog import catalog_or_none
from kyogitai_tui.domain.meeting.report_view import individual_networks_for, provider_networks_for
from kyogitai_tui.domain.model.registry import council_tier_label
from kyogitai_tui.domain.privacy.reidentification import reidentification_warning

__all__ = ["MapLine", "network_map", "short_org_name", "MAX_MEMBERS", "MAX_SUPPORTING",
           "GAP_TEXT"]

MAX_MEMBERS = 12        # member organisations shown per network
MAX_SUPPORTING = 3      # provider networks named as supporting one individual network

GAP_TEXT = {
    "C1_SUPPORT_FUNCTION": "個別ネットワークを支える部門・機能が不十分",
    "C2_SAME_NONMEMBERS": "未加入の同種事業者あり",
    "C3_DIFF_MISSING_GROUPS": "参加していない関係団体あり",
    "C4_NO_NETWORK_PERCEIVED": "支える事業者間ネットワークがない",
}
_GAP_SHORT = {"C1_SUPPORT_FUNCTION": "C1", "C2_SAME_NONMEMBERS": "C2",
              "C3_DIFF_MISSING_GROUPS": "C3", "C4_NO_NETWORK_PERCEIVED": "C4"}
_KIND_SHORT = {"SAME": "同種", "DIFF": "異種", "CHIEN_NPO": "地縁・NPO"}
_NOT_MET = ("UNMET", "NEW")
_LEGAL_PREFIXES = ("NPO法人", "特定非営利活動法人", "社会福祉法人", "医療法人", "一般社団法人",
                   "一般財団法人", "公益社団法人", "公益財団法人", "株式会社", "有限会社", "合同会社")
_LEGAL_SUFFIXES = ("株式会社", "有限会社", "合同会社")


@dataclass(frozen=True)
class MapLine:
    depth: int           # 0..3
    text: str            # Japanese, one logical line
    kind: str            # council | area | section | provider | member | gap | individual | warning | linked | note
    entity_id: Optional[str] = None


def short_org_name(name: str) -> str:
    """The name without its legal form or a trailing parenthesis:
    「NPO法人 架空たすけあいの会」 -> 「架空たすけあいの会」."""
    text = name.strip()
    for p in _LEGAL_PREFIXES:
        if text.startswith(p) and len(text) > len(p):
            text = text[len(p):].lstrip(" \u3000")
            break
    for s in _LEGAL_SUFFIXES:
        if text.endswith(s) and len(text) > len(s):
            text = text[:-len(s)].rstrip(" \u3000")
            break
    if text.endswith("）") and "（" in text and not text.startswith("（"):
        text = text[:text.rindex("（")].rstrip(" \u3000")
    return text or name


def _capped(names: list[str], limit: int, unit: str) -> str:
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f" ほか{len(names) - limit}{unit}"


class _Builder:
    def __init__(self, world: Any, council: Any, today: date, catalog: Any) -> None:
        self.world = world
        self.council = council
        self.today = today
        self.catalog = catalog
        self.lines: list[MapLine] = []
        self.problems: dict[str, list[gaps.CheckResult]] = {}
        for r in gaps.run_gap_checks(world, council_id=council.id, today=today):
            if r.problem:
                self.problems.setdefault(r.target, []).append(r)
        self.members: dict[str, list[str]] = {}      # network id -> member org ids
        self.nets_of_org: dict[str, list[str]] = {}  # org id -> network ids
        for m in world.provider_network_members:
            if m.left_on is not None and m.left_on <= today:
                continue
            if m.joined_on is not None and m.joined_on > today:
                continue
            if m.org_id in world.organizations:
                self.members.setdefault(m.network_id, []).append(m.org_id)
                self.nets_of_org.setdefault(m.org_id, []).append(m.network_id)

    # ------------------------------------------------------------------
    def label(self, list_name: str, code: Optional[str], default: str = "") -> str:
        if not code:
            return default
        text = self.catalog.label_or_code(list_name, code) if self.catalog is not None else code
        return text if text != code else (gaps.label(list_name, code) or default)

    def add(self, depth: int, text: str, kind: str, entity_id: Optional[str] = None) -> None:
        self.lines.append(MapLine(min(max(depth, 0), 3), text, kind, entity_id))

    def gap_lines(self, depth: int, target: str) -> None:
        for r in self.problems.get(target, []):
            text = f"要確認：{GAP_TEXT.get(r.check_code, r.checked)}（{_GAP_SHORT.get(r.check_code, r.check_code)}）"
            if r.dismissed_reason:
                text += " 協議で見送り済み"
            elif r.open_finding_id:
                text += " 課題として検討中"
            self.add(depth, text, "gap", target)

    # ------------------------------------------------------------------
    def council_line(self) -> None:
        c = self.council
        where = "市町村全域"
        if c.tier != 1 and c.area_id in self.world.areas:
            where = self.world.areas[c.area_id].name
        self.add(0, f"{c.name}（{council_tier_label(c)}協議体・{where}）", "council", c.id)

    def area_lines(self, depth: int, area_id: str, *, with_name: bool = True) -> None:
        world = self.world
        area = world.areas.get(area_id)
        if area is None:
            return
        basis = (area.extra or {}).get("basis_note") or self.label("area_bases", area.basis)
        if with_name:
            self.add(depth, f"圏域：{area.name}" + (f"（{basis}）" if basis else ""), "area", area.id)
        center = world.org_name(area.support_center_org_id) or "未登録"
        self.add(depth + 1, f"地域包括支援センター：{center}", "member", area.support_center_org_id)
        scs = [world.person_name(co.person_id) for co in world.coordinators.values()
               if co.tier == 2 and co.area_id == area.id]
        scs = [n for n in scs if n]
        if scs:
            self.add(depth + 1, f"第2層コーディネーター：{'、'.join(scs)}", "member", area.id)
        councils = [c.name for c in world.councils.values()
                    if c.tier == 2 and c.area_id == area.id and c.id != self.council.id]
        if councils:
            self.add(depth + 1, f"第2層協議体：{'、'.join(councils)}", "member", area.id)
        self.gap_lines(depth + 1, area.id)

    def kind_text(self, net: Any) -> str:
        kind = _KIND_SHORT.get(net.kind, self.label("network_kinds", net.kind, net.kind))
        if net.kind == "SAME" and net.provider_category:
            kind += f"（{self.label('service_categories', net.provider_category)}）"
        return kind

    def form_text(self, net: Any) -> str:
        form = self.label("network_forms", net.form, "かたち未設定")
        detail = [self.label("standing_subforms", net.standing_subform),
                  self.label("meeting_cadences", net.meeting_cadence)]
        detail = [d for d in detail if d]
        return form + (f"（{'・'.join(detail)}）" if detail else "")

    def provider(self, depth: int, net: Any) -> None:
        status = self.label("provider_network_statuses", net.status, net.status)
        head = f"{net.name}"
        self.add(depth, head, "provider", net.id)
        bits = [self.kind_text(net), self.form_text(net), status]
        if net.coverage_level != "AREA":
            bits.insert(0, self.label("coverage_levels", net.coverage_level))
        if net.kind == "CHIEN_NPO" and net.chien_npo_stage:
            bits.append(f"段階：{self.label('chien_npo_stages', net.chien_npo_stage)}")
        self.add(depth + 1, "・".join(bits), "note", net.id)
        names = [short_org_name(self.world.org_name(o)) for o in self.members.get(net.id, [])]
        members = _capped(names, MAX_MEMBERS, "団体") if names else "登録なし"
        self.add(depth + 1, f"構成：{members}", "member", net.id)
        self.gap_lines(depth + 1, net.id)

    def providers(self, depth: int, title: str, nets: Iterable[Any], empty: str) -> None:
        nets = list(nets)
        self.add(depth, title, "section")
        if not nets:
            self.add(depth + 1, empty, "note")
        for net in nets:
            self.provider(depth + 1, net)

    def individuals(self, depth: int, nets: list[Any], visible_ids: set[str]) -> None:
        world = self.world
        self.add(depth, "個別ネットワーク（対象者は仮名のみ）", "section")
        if not nets:
            self.add(depth + 1, "登録された個別ネットワークはありません", "note")
        needs_by: dict[str, list[Any]] = {}
        for n in world.need_items.values():
            needs_by.setdefault(n.network_id, []).append(n)
        for net in nets:
            status = self.label("individual_statuses", net.status, net.status)
            members = world.individual_members(net.id)
            not_met = sum(1 for n in needs_by.get(net.id, []) if n.status in _NOT_MET)
            text = f"{world.subject_label(net.subject_id)}  {status}・関係者{len(members)}・未充足の支援{not_met}件"
            self.add(depth + 1, text, "individual", net.id)
            subject = world.subjects.get(net.subject_id)
            if subject is not None and reidentification_warning(
                    subject, world.areas.get(subject.area_id) if subject.area_id else None):
                self.add(depth + 2, "注意：年代・世帯・圏域の組み合わせで本人が特定されるおそれ（表記に注意）",
                         "warning", net.id)
            supporting: list[str] = []
            if net.via_network_id and net.via_network_id in visible_ids:
                supporting.append(net.via_network_id)
            for m in members:
                for nid in self.nets_of_org.get(m.org_id or "", []):
                    if nid in visible_ids and nid not in supporting:
                        supporting.append(nid)
            if supporting:
                supporting.sort(key=lambda nid: (nid != net.via_network_id,
                                                 world.provider_networks[nid].coverage_level != "AREA", nid))
                names = [world.provider_networks[nid].name for nid in supporting]
                self.add(depth + 2, f"支える事業者間ネットワーク：{_capped(names, MAX_SUPPORTING, '件')}",
                         "member", net.id)

    def linkage(self, depth: int) -> None:
        world = self.world
        self.add(depth, "他制度との連携", "section")
        statuses = world.linkage(self.council.id)
        codes: list[str] = []
        if self.catalog is not None:
            try:
                codes = list(self.catalog.labels("linked_systems"))
            except Exception:  # no list in this catalog: use what is recorded
                codes = []
        for code in statuses:
            if code not in codes:
                codes.append(code)
        if not codes:
            self.add(depth + 1, "連携の記録はありません", "note")
        for code in codes:
            ls = statuses.get(code)
            state = self.label("linkage_statuses", ls.status if ls else "NO_CONTACT", "未接触")
            if ls is None:
                state += "（記録なし）"
            self.add(depth + 1, f"{self.label('linked_systems', code, code)}：{state}", "linked", code)
            partners = [short_org_name(world.org_name(o)) for o in (ls.partner_org_ids if ls else [])]
            partners = [p for p in partners if p]
            self.add(depth + 2, f"連携先：{'、'.join(partners) if partners else 'まだ決まっていません'}",
                     "member", code)


def _chien(nets: Iterable[Any]) -> list[Any]:
    return [n for n in nets if n.kind == "CHIEN_NPO"]


def _business(nets: Iterable[Any]) -> list[Any]:
    return [n for n in nets if n.kind != "CHIEN_NPO"]


def network_map(world: Any, council_id: str, *, today: date, catalog: Any = None) -> list[MapLine]:
    """The outline of the networks a council looks after (see the module doc)."""
    council = world.councils.get(council_id)
    if council is None:
        return [MapLine(0, f"協議体「{council_id}」が見つかりません。", "note")]
    if catalog is None:
        catalog = catalog_or_none()
    b = _Builder(world, council, today, catalog)
    visible = provider_networks_for(world, council, on=today)
    visible_ids = {n.id for n in visible}
    wide = [n for n in visible if n.coverage_level != "AREA"]
    individuals = individual_networks_for(world, council, on=today)
    b.council_line()

    if council.tier != 1:
        area_id = council.area_id
        local = [n for n in visible if n.coverage_level == "AREA" and n.area_id == area_id]
        b.area_lines(1, area_id)
        b.providers(0, "日常生活圏域の事業者間ネットワーク（第2層担当）", _business(local),
                     "この圏域の事業者間ネットワークはまだありません")
        b.providers(0, "市町村域・広域の事業者間ネットワーク（第1層担当）", _business(wide),
                     "市町村域・広域のネットワークは登録されていません")
        b.providers(0, "地縁組織とNPOのネットワーク", _chien(local) + _chien(wide),
                     "地縁組織とNPOのネットワークはまだありません")
        b.individuals(0, individuals, visible_ids)
        b.linkage(0)
        return b.lines

    # 第1層: the municipal level once, then each area.
    b.providers(0, "市町村域・広域の事業者間ネットワーク（第1層担当）", _business(wide),
                 "市町村域・広域のネットワークは登録されていません")
    if _chien(wide):
        b.providers(0, "地縁組織とNPOのネットワーク（市町村域）", _chien(wide), "")
    area_of = {sid: s.area_id for sid, s in world.subjects.items()}
    area_ids = sorted(world.areas)
    for area_id in area_ids:
        area = world.areas[area_id]
        basis = (area.extra or {}).get("basis_note") or b.label("area_bases", area.basis)
        b.add(0, f"圏域：{area.name}" + (f"（{basis}）" if basis else ""), "area", area.id)
        b.area_lines(0, area_id, with_name=False)
        local = [n for n in visible if n.coverage_level == "AREA" and n.area_id == area_id]
        b.providers(1, "日常生活圏域の事業者間ネットワーク（第2層担当）", _business(local),
                     "この圏域の事業者間ネットワークはまだありません")
        if _chien(local):
            b.providers(1, "地縁組織とNPOのネットワーク", _chien(local), "")
        b.individuals(1, [n for n in individuals if area_of.get(n.subject_id) == area_id], visible_ids)
    loose_nets = [n for n in visible if n.coverage_level == "AREA" and n.area_id not in world.areas]
    loose = [n for n in individuals if area_of.get(n.subject_id) not in world.areas]
    if loose_nets or loose:
        b.add(0, "圏域：未設定", "area")
        if loose_nets:
            b.providers(1, "圏域が未設定の事業者間ネットワーク", loose_nets, "")
        if loose:
            b.individuals(1, loose, visible_ids)
    b.linkage(0)
    return b.lines
