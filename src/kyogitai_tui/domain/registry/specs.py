"""What the registers show and edit: kinds, their form fields, list rows.

The contract between the register screens (ui/tools/registry*) and the domain
(registry_edit, registry_csv).  No Textual here.

Kinds (``KINDS``, ordered, kind -> Japanese title)
    areas, organizations, persons, councils, provider_networks,
    individual_networks, subjects, linkage_partners.

``linkage_partners`` (他制度の連携先) is a VIEW over ``organizations``: an
organisation whose ``linked_system`` is set (障がい・困窮・子育て・認知症).  Saving a
linkage partner saves an organisation; retiring it retires the organisation.
No separate table, so a partner is also pickable as a member everywhere.

Fields (``fields(kind)``)
    The same names are the form fields, the CSV columns (``csv=True``) and the
    model attributes, except the coordinator fields of a person (``sc_tier``,
    ``sc_affiliation``, ``sc_area_id``) that are kept in ``coordinators``.
    Subjects have NO name, address or other identifying field, by design.

Values
    Form values may be typed (date, int, bool, list) or plain text (CSV):
    ``registry_values.coerce`` turns either into typed values.  A choice
    accepts the catalog code or its Japanese label; ``multi``/``refs`` accept a
    list or text separated by 「;」 (names contain 、 and ・).

Retired records (``retired_on`` set) stay resolvable by id for old minutes
but are left out of ``choices`` and of ``rows`` unless asked for.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Optional

__all__ = [
    "KINDS", "TABLE_OF", "BOTH_TIERS", "FieldSpec", "Row", "fields", "field", "choices", "columns",
    "rows", "records", "is_retired", "norm_text", "NAME_FIELD", "ID_PREFIX",
]

KINDS: dict[str, str] = {
    "municipality": "市町村",
    "areas": "日常生活圏域",
    "organizations": "団体",
    "persons": "人",
    "councils": "協議体",
    "provider_networks": "事業者間ネットワーク",
    "individual_networks": "個別ネットワーク",
    "subjects": "対象者（仮名）",
    "linkage_partners": "他制度の連携先",
}

# kind -> registry table holding its documents
TABLE_OF: dict[str, str] = {k: k for k in KINDS}
TABLE_OF["linkage_partners"] = "organizations"

# kind -> the field whose value must be unique (NFKC, case-insensitive)
NAME_FIELD: dict[str, str] = {
    "municipality": "name", "areas": "name", "organizations": "name", "persons": "display_name",
    "councils": "name", "provider_networks": "name", "subjects": "label",
    "linkage_partners": "name",
}

# table -> (prefix, digits) for new ids, like the existing ones (O01, P01 ...)
ID_PREFIX: dict[str, tuple[str, int]] = {
    "municipality": ("M", 2), "areas": ("AR", 1), "organizations": ("O", 2), "persons": ("P", 2),
    "councils": ("C", 1), "provider_networks": ("PN", 2),
    "individual_networks": ("IN-", 3), "subjects": ("R-", 3),
    "coordinators": ("SC", 2), "consent_records": ("CR-", 3),
}


@dataclass(frozen=True)
class FieldSpec:
    """One form field / CSV column.

    kind: "text" | "int" | "date" | "choice" | "multi" | "ref" | "refs" | "bool".
    choices_list: catalog list name (choice/multi); ref_kind: a KINDS key
    (ref/refs); fixed: (code, label) pairs for a choice without a catalog list.
    """
    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices_list: Optional[str] = None
    ref_kind: Optional[str] = None
    help: str = ""
    csv: bool = True
    fixed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Row:
    """One line of a register list."""
    id: str
    cells: list
    retired: bool = False


F = FieldSpec
_TIERS = (("1", "第1層"), ("2", "第2層"), ("12", "第1層・第2層（1つの協議体が両方を兼ねる）"))
BOTH_TIERS = "12"     # the tier choice of a council that is both tiers (stored tier 1 + both_tiers)
_QUORUM = (("MAJORITY", "過半数"), ("HALF", "半数以上"))

_FIELDS: dict[str, list[FieldSpec]] = {
    "municipality": [
        F("name", "市町村名", required=True, help="例: みほん村"),
        F("prefecture", "都道府県", help="例: 佐賀県"),
        F("single_area", "第1層と第2層が同じ", "bool",
          help="圏域を分けず、市町村全域を1つの圏域とするとき「はい」"),
        F("fiscal_year_start_month", "年度の始まり（月）", "int", help="ふつうは 4"),
    ],
    "areas": [
        F("name", "圏域名", required=True, help="例: 北みほん圏域"),
        F("basis", "設定単位", "choice", True, "area_bases"),
        F("support_center_org_id", "地域包括支援センター", "ref", ref_kind="organizations"),
        F("households_hint", "世帯数（おおよそ）", "int",
          help="小さい圏域では対象者が特定されないよう注意を出します"),
        F("character", "地域の特徴", help="例: 中山間の集落が点在"),
    ],
    "organizations": [
        F("name", "団体名", required=True),
        F("org_type", "種別", "choice", True, "org_types"),
        F("is_chien", "地縁組織", "bool"),
        F("legal_form", "法人格", "choice", choices_list="legal_forms"),
        F("service_categories", "提供するサービス", "multi", choices_list="service_categories"),
        F("coverage_level", "活動範囲", "choice", True, "coverage_levels"),
        F("area_ids", "圏域", "refs", ref_kind="areas"),
        F("linked_system", "連携する他制度", "choice", choices_list="linked_systems",
          help="他制度の連携先のときだけ選びます"),
        F("out_of_town", "市外の団体", "bool"),
        F("notes", "メモ"),
    ],
    "persons": [
        F("display_name", "氏名", required=True, help="構成員・コーディネーター・職員（住民は対象者へ）"),
        F("org_id", "所属", "ref", ref_kind="organizations"),
        F("title", "役職"),
        F("leader_traits", "リーダーの特性", "multi", choices_list="leader_traits"),
        F("sc_tier", "コーディネーターの層", "choice", fixed=(("1", "第1層"), ("2", "第2層"), ("3", "第3層")),
          help="生活支援コーディネーターのときだけ選びます"),
        F("sc_affiliation", "コーディネーターの所属区分", "choice", choices_list="coordinator_affiliations"),
        F("sc_area_id", "担当圏域", "ref", ref_kind="areas"),
    ],
    "councils": [
        F("name", "協議体名", required=True),
        F("tier", "層", "choice", True, fixed=_TIERS),
        F("area_id", "圏域", "ref", ref_kind="areas", help="第2層の協議体は圏域が必要です"),
        F("secretariat_org_ids", "事務局", "refs", ref_kind="organizations"),
        F("chair_person_id", "会長", "ref", ref_kind="persons"),
        F("facilitator_person_id", "進行役（SC）", "ref", ref_kind="persons"),
        F("planned_frequency", "開催頻度", help="例: 2か月に1回"),
        F("planned_minutes", "予定時間（分）", "int"),
        F("quorum_rule", "定足数", "text", help="過半数・半数以上・または人数（例: 5）"),
    ],
    "provider_networks": [
        F("name", "ネットワーク名", required=True),
        F("kind", "種別", "choice", True, "network_kinds"),
        F("provider_category", "サービスの種類（同種）", "choice", choices_list="service_categories",
          help="同種事業者間ネットワークでは必須です"),
        F("coverage_level", "カバーする地域", "choice", True, "coverage_levels"),
        F("area_id", "圏域", "ref", ref_kind="areas", help="日常生活圏域のときは必須です"),
        F("form", "かたち", "choice", True, "network_forms"),
        F("status", "状態", "choice", choices_list="provider_network_statuses"),
        F("leader_person_id", "リーダー", "ref", ref_kind="persons"),
        F("secretariat_org_id", "事務局", "ref", ref_kind="organizations"),
        F("last_met_on", "最後の会合", "date"),
        # what the guidebook's checks C1-C4 read (docs/DOMAIN.md 「点検の入力」)
        F("standing_subform", "常設のかたち", "choice", choices_list="standing_subforms",
          help="かたちが「常設」のときに選びます"),
        F("meeting_cadence", "会議の開き方", "choice", choices_list="meeting_cadences",
          help="かたちが「会議」のときに選びます"),
        F("general_purposes", "ネットワークの目的", "multi", choices_list="network_functions:PURPOSE_"),
        F("provider_org_types", "同種の事業者の種別", "multi", choices_list="org_types",
          help="同種ネットワークに入るはずの団体の種別（未加入の点検 C2 に使います）"),
        F("expected_org_types", "参加が望まれる団体", "multi", choices_list="org_types+service_categories",
          help="異種ネットワークに加わるはずの団体の種別かサービス（不参加の点検 C3 に使います）"),
        F("has_individual_support_unit", "個別ネットワーク支援の部門", "bool",
          help="個別ネットワークを支える部門や担当の場があるか（点検 C1）"),
        F("perceived_absent", "「頼れるネットワークがない」との声", "bool",
          help="事業者・民生委員・地域包括支援センターなどから聞いたとき（点検 C4）"),
        F("perceived_absent_by", "声を聞いた相手", "multi", choices_list="evidence_sources",
          help="上の声があるときは必ず選びます"),
        F("perceived_absent_on", "声を聞いた日", "date", help="上の声があるときは必ず入力します"),
        F("chien_npo_stage", "地縁組織とNPOのつながりの段階", "choice", choices_list="chien_npo_stages"),
        F("notes", "メモ"),
    ],
    "individual_networks": [
        F("subject_id", "対象者", "ref", True, ref_kind="subjects", csv=False),
        F("purpose", "目的", help="例: 自宅で暮らし続ける"),
        F("initiator_type", "形成者", "choice", True, "initiator_types"),
        F("initiator_person_id", "形成者（人）", "ref", ref_kind="persons"),
        F("formation_mode", "形成の仕方", "choice", choices_list="formation_modes"),
        F("gathered_on", "集まった日", "date"),
        F("sharing_methods", "情報共有の方法", "multi", choices_list="sharing_methods"),
        F("confirmed_items", "形成時の確認事項", "multi", choices_list="confirmed_items"),
        F("status", "状態", "choice", choices_list="individual_statuses"),
        F("route_contact", "3層への連絡先", help="地域包括支援センター（3層コーディネーター）までの道筋。例: ケアマネ経由で北包括"),
        F("linked_systems", "関わる他制度", "multi", choices_list="linked_systems"),
    ],
    "subjects": [
        F("label", "仮名", required=True, help="例: Aさん（氏名・住所は入力しません）", csv=False),
        F("age_band", "年代", "choice", True, "age_bands", csv=False),
        F("sex", "性別", "choice", choices_list="sexes", csv=False),
        F("household", "世帯", "choice", True, "households", csv=False),
        F("area_id", "圏域", "ref", ref_kind="areas", csv=False),
    ],
    "linkage_partners": [
        F("name", "連携先の名称", required=True),
        F("linked_system", "他制度", "choice", True, "linked_systems"),
        F("org_type", "種別", "choice", True, "org_types"),
        F("coverage_level", "活動範囲", "choice", True, "coverage_levels"),
        F("area_ids", "圏域", "refs", ref_kind="areas"),
        F("notes", "メモ"),
    ],
}

_COLUMNS: dict[str, list[str]] = {
    "municipality": ["ID", "市町村名", "都道府県", "層"],
    "areas": ["ID", "圏域名", "設定単位", "世帯数"],
    "organizations": ["ID", "団体名", "種別", "活動範囲"],
    "persons": ["ID", "氏名", "所属", "役職"],
    "councils": ["ID", "協議体名", "層", "圏域"],
    "provider_networks": ["ID", "ネットワーク名", "種別", "地域", "構成団体"],
    "individual_networks": ["ID", "対象者", "形成者", "状態"],
    "subjects": ["ID", "対象者", "圏域", "同意"],
    "linkage_partners": ["ID", "連携先", "他制度", "活動範囲"],
}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise KeyError(f"unknown registry kind: {kind!r}")


def fields(kind: str) -> list[FieldSpec]:
    """The form fields of a kind, in order (names = CSV columns = attributes)."""
    _check_kind(kind)
    return list(_FIELDS[kind])


def field(kind: str, name: str) -> FieldSpec:
    for f in fields(kind):
        if f.name == name:
            return f
    raise KeyError(f"{kind} has no field {name!r}")


def columns(kind: str) -> list[str]:
    """Column titles of the list screen (the cells of ``rows``)."""
    _check_kind(kind)
    return list(_COLUMNS[kind])


def norm_text(text: Any) -> str:
    """NFKC, case-folded, spaces removed: how names are compared and searched."""
    s = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(s.split())


def is_retired(record: Any) -> bool:
    return getattr(record, "retired_on", None) is not None


def records(world: Any, kind: str, include_retired: bool = True) -> dict[str, Any]:
    """id -> typed record of a kind (linkage_partners: organisations with a
    linked system)."""
    _check_kind(kind)
    table = TABLE_OF[kind]
    src = getattr(world, table)
    if kind == "municipality":     # one record, not a table of them
        src = {src.id: src} if src is not None else {}
    out = {}
    for rid, rec in src.items():
        if kind == "linkage_partners" and not getattr(rec, "linked_system", None):
            continue
        if not include_retired and is_retired(rec):
            continue
        out[rid] = rec
    return out


def _ref_label(world: Any, kind: str, rec: Any) -> str:
    if kind == "subjects":
        return world.subject_label(rec.id)
    if kind == "persons":
        org = world.org_name(rec.org_id)
        return f"{rec.display_name}（{org}）" if org else rec.display_name
    if kind == "individual_networks":
        return f"{rec.id} {world.subject_label(rec.subject_id)}"
    return getattr(rec, "name", rec.id)


def choices(world: Any, catalog: Any, spec: FieldSpec) -> list[tuple[str, str]]:
    """(code, label) pairs for a choice/multi/ref/refs field: catalog labels,
    the fixed pairs, or the active records of ``spec.ref_kind``."""
    if spec.fixed:
        return list(spec.fixed)
    if spec.choices_list:
        return _list_choices(catalog, spec.choices_list)
    if spec.ref_kind:
        recs = records(world, spec.ref_kind, include_retired=False)
        return [(rid, _ref_label(world, spec.ref_kind, r)) for rid, r in recs.items()]
    if spec.kind == "bool":
        return [("1", "はい"), ("0", "いいえ")]
    return []


def _list_choices(catalog: Any, name: str) -> list[tuple[str, str]]:
    """(code, label) pairs of a catalog list; ``a+b`` joins lists (a code of
    ``b`` already in ``a`` is left out) and ``list:PREFIX`` keeps the codes
    that start with PREFIX (the network purposes among network_functions)."""
    out: list[tuple[str, str]] = []
    for part in name.split("+"):
        list_name, _, prefix = part.partition(":")
        seen = {code for code, _ in out}
        out.extend((e.code, e.label) for e in catalog.code_list(list_name)
                   if e.code.startswith(prefix) and e.code not in seen)
    return out


def _cells(world: Any, kind: str, rec: Any) -> list[str]:
    from kyogitai_tui.domain.catalog import default_catalog
    from kyogitai_tui.domain.model.registry import council_tier_label
    cat = default_catalog()
    lab = cat.label_or_code
    if kind == "municipality":
        tiers = "第1層＝第2層" if rec.single_area else "第1層・第2層を分ける"
        return [rec.id, rec.name, rec.prefecture, tiers]
    if kind == "areas":
        hh = "" if rec.households_hint is None else f"{rec.households_hint}世帯"
        return [rec.id, rec.name, lab("area_bases", rec.basis), hh]
    if kind == "organizations":
        return [rec.id, rec.name, lab("org_types", rec.org_type), lab("coverage_levels", rec.coverage_level)]
    if kind == "persons":
        return [rec.id, rec.display_name, world.org_name(rec.org_id), rec.title]
    if kind == "councils":
        area = world.areas.get(rec.area_id or "")
        return [rec.id, rec.name, council_tier_label(rec), area.name if area else ""]
    if kind == "provider_networks":
        n = len(world.network_members(rec.id))
        where = lab("coverage_levels", rec.coverage_level)
        area = world.areas.get(rec.area_id or "")
        if area is not None:
            where = area.name
        return [rec.id, rec.name, lab("network_kinds", rec.kind), where, f"{n}団体"]
    if kind == "individual_networks":
        return [rec.id, world.subject_label(rec.subject_id),
                lab("initiator_types", rec.initiator_type), lab("individual_statuses", rec.status)]
    if kind == "subjects":
        area = world.areas.get(rec.area_id or "")
        return [rec.id, world.subject_label(rec.id), area.name if area else "",
                lab("consent_statuses", rec.consent_status)]
    return [rec.id, rec.name, lab("linked_systems", rec.linked_system or ""),
            lab("coverage_levels", rec.coverage_level)]


def rows(world: Any, kind: str, query: str = "", include_retired: bool = False) -> list[Row]:
    """The list screen's rows, by id; ``query`` is an NFKC substring over the
    shown cells (「休止」「廃止」 also match retired rows when they are shown)."""
    q = norm_text(query)
    out = []
    for rid, rec in sorted(records(world, kind, include_retired).items()):
        cells = [str(c) for c in _cells(world, kind, rec)]
        retired = is_retired(rec)
        hay = norm_text(" ".join(cells) + (" 休止 廃止" if retired else ""))
        if q and q not in hay:
            continue
        out.append(Row(rid, cells, retired))
    return out
