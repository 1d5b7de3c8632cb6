"""年度報告: what one council (or every council) did in one 年度 (pure; no Textual).

``build_annual_report(world, fiscal_year, council_id=None, catalog=...)``
returns an ``AnnualReport``: a title, ``sections`` (each a small table the
screen, the Word writer and the CSV writer lay out as they are) and
``counts`` (the figures, for tests and summaries).

What counts
    * Meetings: meetings of the scope that were *held* (status HELD or later)
      on a day of the 年度 (``dates.fiscal_year(held_on)``); planned ones are
      only counted in a note.  Attendance per meeting: 構成員 present / listed
      (``MeetingRecord.members_present`` / ``members_listed``), other
      participants present (SC, 事務局, 行政, 助言者 ...), and 傍聴.
    * Findings, decisions, services, networks: recorded in those meetings.
      Findings by the catalog's ``gap_finding_kinds``; decisions by
      ``decision_types``; services created = CREATE_SERVICE decisions;
      networks formed / expanded = FORM_NEW / EXPAND_EXISTING decisions, with
      the provider-network changes (``NetworkUpdate`` on provider_networks)
      reported in the year.  Individual networks belong to residents: they
      appear only as a count.
    * Findings resolved in the year: FindingUpdates to RESOLVED recorded in
      the year's meetings.
    * Action items opened: created in the year's meetings; completed: a
      ``status_after`` DONE recorded in the year's meetings or between
      meetings (follow-up, dated in the year; a handover to another item
      counts as done); open at the end of the year: items created in or
      before the year whose status, folding only what was recorded up to the
      year's end, is still open.
    * Linkage with the four other systems: per council and linked system,
      the latest ``LinkageStatus`` recorded before the year (年度当初) and up to
      the end of the year (年度末), with the partner organisations.

Residents never appear (the report goes to the municipality): decisions,
findings and actions that the 公開用 minutes treat as individual
(``minutes.redaction.PublicRules``) are replaced by the same neutral texts,
other texts go through the public ``Redactor``, no subject label, code or
linkage note is used, and a final guard replaces any cell that still mentions
a resident (``AnnualReport.guard_hits``; zero on the demo).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from kyogitai_tui.domain.privacy.redaction import NEUTRAL_ACTION, NEUTRAL_DECISION, PublicRules, Redactor
from kyogitai_tui.domain.dates import fiscal_year as fiscal_year_of
from kyogitai_tui.domain.dates import fiscal_year_label, wareki
from kyogitai_tui.domain.world.state import OPEN_ACTION_STATUSES, MeetingRecord

__all__ = ["ReportSection", "AnnualReport", "build_annual_report", "report_years",
           "NEUTRAL_FINDING", "OMITTED_CELL"]

NEUTRAL_FINDING = "個別の事例に関する課題（内容は省略）"
OMITTED_CELL = "（省略）"


@dataclass
class ReportSection:
    key: str
    title: str                            # 「1　会議の開催」
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    summary: str = ""                     # one line above the table
    empty: str = "該当なし"
    # the date behind each row's 「開催日」 cell (和暦 on the page and the
    # screen; the CSV writes it as 2025-07-15 beside the 和暦)
    row_dates: list[Optional[date]] = field(default_factory=list)


@dataclass
class AnnualReport:
    fiscal_year: int
    council_id: Optional[str]
    scope_name: str                       # 北みほん支え合い会議 / 全協議体（みほん市）
    title: str
    sections: list[ReportSection]
    counts: dict[str, Any]
    guard_hits: int = 0
    made_on: Optional[date] = None        # 作成日 (the day it was built)
    author: str = ""                      # 作成者: the council's 事務局
    department: str = ""                  # 担当課: the municipality's section that runs it

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def file_stem(self) -> str:
        return f"{self.fiscal_year_label}_{self.scope_name}_年度報告".replace("（", "_").replace("）", "")

    def section(self, key: str) -> ReportSection:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def texts(self):
        """Every string the report shows or exports."""
        yield self.title
        for s in self.sections:
            yield s.title
            yield s.summary
            yield from s.columns
            for row in s.rows:
                yield from row


class _Rules(PublicRules):
    """The 公開用 minutes' rules for whole records, over the whole World."""

    def __init__(self, world: Any) -> None:
        self.w = world
        self.r = Redactor(world.subjects.values(), public=True)
        self.public = True
        self._all_decisions = {d.id: d for rec in world.meetings.values() for d in rec.decisions}
        self._all_findings = {f.id: f for rec in world.meetings.values() for f in rec.gap_findings}


def _label(catalog: Any, name: str, code: Optional[str]) -> str:
    return catalog.label_or_code(name, code) if catalog is not None else (code or "")


def report_years(world: Any, today: date) -> list[int]:
    """年度 that have a meeting, and the current one; newest first."""
    years = {fiscal_year_of(rec.held_on) for rec in world.meetings.values() if rec.held_on}
    years.add(fiscal_year_of(today))
    return sorted(years, reverse=True)


def _secretariat(world: Any, councils: list) -> tuple[str, str]:
    """(作成者, 担当課): 「北みほん支え合い会議 事務局」 and the secretariat's
    organisations (「みほん市 高齢福祉課」)."""
    orgs: list[str] = []
    for c in councils:
        for oid in c.secretariat_org_ids:
            name = world.org_name(oid)
            if name and name not in orgs:
                orgs.append(name)
    head = f"{councils[0].name} 事務局" if len(councils) == 1 else "各協議体 事務局"
    return head, "・".join(orgs)


def build_annual_report(world: Any, fiscal_year: int, council_id: Optional[str] = None, *,
                        catalog: Any = None, today: Optional[date] = None) -> AnnualReport:
    if catalog is None:
        from kyogitai_tui.domain.catalog import catalog_or_none
        catalog = catalog_or_none()
    if council_id is not None and council_id not in world.councils:
        raise KeyError(council_id)
    councils = [world.councils[council_id]] if council_id else list(world.councils.values())
    many = council_id is None
    muni = world.municipality.name if world.municipality else ""
    scope = councils[0].name if not many else f"全協議体（{muni}）" if muni else "全協議体"
    fy_label = fiscal_year_label(fiscal_year)
    title = f"{fy_label} {scope} 活動報告"
    start, end = date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)
    rules = _Rules(world)
    red = rules.r
    council_ids = {c.id for c in councils}

    def cname(cid: str) -> str:
        c = world.councils.get(cid)
        return c.name if c else cid

    def lead(rec: MeetingRecord) -> tuple[str, ...]:
        return (cname(rec.council_id),) if many else ()

    lead_col: tuple[str, ...] = ("協議体",) if many else ()
    in_scope = [r for r in world.meetings.values() if r.council_id in council_ids]
    year_recs = [r for r in in_scope if r.is_held and start <= r.held_on <= end]
    planned = [r for r in in_scope if not r.is_held and start <= r.held_on <= end]
    year_ids = {r.id for r in year_recs}

    def when(rec: MeetingRecord) -> tuple[str, str]:
        """(回, 開催日): 「第2回」, 「令和7年7月15日」 (和暦 throughout)."""
        return f"第{rec.meeting.seq_no}回", wareki(rec.held_on)

    counts: dict[str, Any] = {}
    sections: list[ReportSection] = []

    # 1 meetings and attendance -------------------------------------------
    rows = []
    present = listed = others = observers = 0
    for r in year_recs:
        p, n = r.members_present(), r.members_listed()
        o = sum(1 for a in r.attendance if a.role_in_meeting != "MEMBER" and a.status != "ABSENT")
        obs = r.meeting.observers_count or 0
        present, listed, others, observers = present + p, listed + n, others + o, observers + obs
        rows.append(lead(r) + when(r) + (str(p), str(n), str(o), str(obs)))
    counts.update(meetings_held=len(year_recs), meetings_planned=len(planned),
                  members_present=present, members_listed=listed, others_present=others,
                  observers=observers)
    summary = f"開催 {len(year_recs)}回"
    if planned:
        summary += f"（ほかに予定 {len(planned)}回）"
    if listed:
        summary += f"。構成員の出席 延べ{present}名／{listed}名（出席率 {round(100 * present / listed)}%）"
    sections.append(ReportSection("meetings", "1　会議の開催と出席",
                                  lead_col + ("回", "開催日", "構成員出席", "構成員数", "その他出席", "傍聴"),
                                  rows, summary, "この年度に開催した会議はありません",
                                  [r.held_on for r in year_recs]))

    # 2 findings by kind --------------------------------------------------
    findings = [(f, r) for r in year_recs for f in r.gap_findings]
    by_kind: dict[str, int] = {}
    for f, _ in findings:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    resolved = {u.finding_id for r in year_recs for u in r.finding_updates if u.status == "RESOLVED"}
    order = list(catalog.codes("gap_finding_kinds")) if catalog is not None else []
    kinds = sorted(by_kind, key=lambda k: (order.index(k) if k in order else len(order), k))
    counts.update(findings=len(findings), findings_by_kind=dict(by_kind),
                  findings_resolved=len(resolved))
    sections.append(ReportSection(
        "findings", "2　把握した地域課題（種類別）", ("種類", "件数"),
        [(_label(catalog, "gap_finding_kinds", k), str(by_kind[k])) for k in kinds],
        f"提起 {len(findings)}件。年度内に解消した課題 {len(resolved)}件", "この年度に提起された課題はありません"))
    rows = []
    for f, r in findings:
        text = NEUTRAL_FINDING if rules.finding_private(f) else red.field(f.description, NEUTRAL_FINDING)
        area = world.areas.get(f.area_id or "")
        rows.append(lead(r) + when(r) + (text, _label(catalog, "gap_finding_kinds", f.kind),
                                         area.name if area else ""))
    sections.append(ReportSection("finding_list", "3　地域課題の一覧",
                                  lead_col + ("回", "開催日", "課題", "種類", "圏域"), rows, "",
                                  "この年度に提起された課題はありません", [r.held_on for _f, r in findings]))

    # 4 decisions by type -------------------------------------------------
    decisions = [(d, r) for r in year_recs for d in sorted(r.decisions, key=lambda d: d.id)]
    by_type: dict[str, int] = {}
    for d, _ in decisions:
        by_type[d.type] = by_type.get(d.type, 0) + 1
    order = list(catalog.codes("decision_types")) if catalog is not None else []
    types = sorted(by_type, key=lambda k: (order.index(k) if k in order else len(order), k))
    counts.update(decisions=len(decisions), decisions_by_type=dict(by_type))
    sections.append(ReportSection(
        "decisions", "4　決定事項（種類別）", ("種類", "件数"),
        [(_label(catalog, "decision_types", t), str(by_type[t])) for t in types],
        f"決定 {len(decisions)}件", "この年度の決定はありません"))

    def decision_text(d) -> str:
        return NEUTRAL_DECISION if rules.decision_private(d) else red.field(d.text, NEUTRAL_DECISION)

    sections.append(ReportSection(
        "decision_list", "5　決定事項の一覧", lead_col + ("回", "開催日", "種類", "内容"),
        [lead(r) + when(r) + (_label(catalog, "decision_types", d.type), decision_text(d))
         for d, r in decisions], "", "この年度の決定はありません", [r.held_on for _d, r in decisions]))

    # 6 networks formed or expanded ----------------------------------------
    rows = []
    net_dates: list[Optional[date]] = []
    formed = expanded = 0
    for d, r in decisions:
        if d.type not in ("FORM_NEW", "EXPAND_EXISTING"):
            continue
        if d.type == "FORM_NEW":
            formed += 1
        else:
            expanded += 1
        net = world.provider_networks.get(d.target_network_id or "")
        name = net.name if net else red.field(d.target_text, OMITTED_CELL) or "（未定）"
        rows.append(lead(r) + when(r) + ("形成" if d.type == "FORM_NEW" else "機能拡大", name,
                                         decision_text(d)))
        net_dates.append(r.held_on)
    pn_updates = individual_updates = 0
    for r in year_recs:
        for u in r.network_updates:
            if u.entity == "provider_networks":
                pn_updates += 1
                net = world.provider_networks.get(u.entity_id)
                status = (u.changes or {}).get("status")
                what = red.field(u.note, OMITTED_CELL)
                if status:
                    what = f"{_label(catalog, 'provider_network_statuses', status)}：{what}" if what \
                        else _label(catalog, "provider_network_statuses", status)
                rows.append(lead(r) + when(r) + ("状況の変化", net.name if net else "（名称未登録）", what))
                net_dates.append(r.held_on)
            elif u.entity in ("individual_networks", "need_items"):
                individual_updates += 1
    counts.update(networks_formed=formed, networks_expanded=expanded,
                  provider_network_updates=pn_updates, individual_network_updates=individual_updates)
    summary = f"新しいネットワークの形成 {formed}件、既存ネットワークの機能拡大 {expanded}件"
    if individual_updates:
        summary += f"。個別ネットワークの見直し・報告 {individual_updates}件（内容は省略）"
    sections.append(ReportSection("networks", "6　ネットワークの形成・機能拡大",
                                  lead_col + ("回", "開催日", "区分", "ネットワーク", "内容"), rows, summary,
                                  "この年度のネットワークの形成・機能拡大はありません", net_dates))

    # 7 services created ----------------------------------------------------
    services = [(d, r) for d, r in decisions if d.type == "CREATE_SERVICE"]
    counts["services_created"] = len(services)
    sections.append(ReportSection(
        "services", "7　サービス・助け合いの創出", lead_col + ("回", "開催日", "内容", "担い手"),
        [lead(r) + when(r) + (decision_text(d),
                              "" if rules.decision_private(d) else red.field(d.target_text, OMITTED_CELL))
         for d, r in services],
        f"創出を決めたサービス・助け合い {len(services)}件", "この年度のサービス創出の決定はありません",
        [r.held_on for _d, r in services]))

    # 8 action items ------------------------------------------------------
    states = [s for s in world.action_states() if s.council_id in council_ids]
    pos_end = None
    for r in world.meetings.values():
        if r.held_on and r.held_on > end:
            pos_end = world.meeting_position(r.id)
            break
    opened = [s for s in states if s.origin.id in year_ids]
    done_ids = set()
    open_at_end = 0
    def in_year(p: Any) -> bool:
        # a meeting's progress row, or a change made between meetings (its date)
        mid = getattr(p, "meeting_id", None)
        if mid:
            return mid in year_ids
        return p.date is not None and start <= p.date <= end

    def by_year_end(p: Any) -> bool:
        mid = getattr(p, "meeting_id", None)
        if mid:
            rec = world.meetings.get(mid)
            return rec is not None and (pos_end is None or world.meeting_position(rec.id) < pos_end)
        return p.date is not None and p.date <= end

    for s in states:
        for p in s.history:
            if p.status_after == "DONE" and in_year(p):
                done_ids.add(s.id)
        if s.origin.held_on > end or not s.origin.is_held:
            continue
        st = s.item.status
        for p in s.history:          # meetings' rows and 会議外 rows, in fold order
            if p.status_after and by_year_end(p):
                st = p.status_after
        if st in OPEN_ACTION_STATUSES:
            open_at_end += 1
    counts.update(actions_opened=len(opened), actions_completed=len(done_ids),
                  actions_open_at_end=open_at_end)
    rows = [("この年度に決めた取組", str(len(opened))),
            ("この年度に完了した取組", str(len(done_ids))),
            ("年度末（今年度は現在）に未完了の取組", str(open_at_end))]
    sections.append(ReportSection("actions", "8　取組（役割分担）の状況", ("区分", "件数"), rows,
                                  f"決めた取組 {len(opened)}件、完了 {len(done_ids)}件"))
    rows = []
    for s in opened:
        title_text = NEUTRAL_ACTION if rules.action_private(s.item) else red.field(s.item.title, NEUTRAL_ACTION)
        # handed over to another item: its work goes on there, it is not 対応中 here
        status = "引継ぎ済み" if s.superseded_by else _label(catalog, "action_item_statuses", s.status)
        rows.append(lead(s.origin) + when(s.origin) + (title_text, status))
    sections.append(ReportSection("action_list", "9　この年度に決めた取組",
                                  lead_col + ("回", "開催日", "取組", "現在の状態"),
                                  rows, "", "この年度に決めた取組はありません",
                                  [s.origin.held_on for s in opened]))

    # 10 linkage with the four other systems ----------------------------------
    systems = list(catalog.codes("linked_systems")) if catalog is not None else []
    rows = []
    linkage: dict[str, dict[str, str]] = {}
    for c in councils:
        before: dict[str, Any] = {}
        first: dict[str, Any] = {}
        upto: dict[str, Any] = {}
        for r in world.meetings_of(c.id):
            if not r.is_held or r.held_on > end:
                continue
            for ls in r.linkage_statuses:
                if r.held_on < start:
                    before[ls.linked_system_code] = ls
                else:
                    first.setdefault(ls.linked_system_code, ls)
                upto[ls.linked_system_code] = ls
        codes = systems + sorted(k for k in upto if k not in systems)
        linkage[c.id] = {}
        for code in codes:
            # 年度当初: the last record before the year; without one, the first of the year
            b, e = before.get(code) or first.get(code), upto.get(code)
            if e is None and many:
                continue
            e_status = e.status if e else "NO_CONTACT"
            linkage[c.id][code] = e_status
            partners = "、".join(world.org_name(o) for o in (e.partner_org_ids if e else []) if world.org_name(o))
            rows.append(((c.name,) if many else ()) + (
                _label(catalog, "linked_systems", code),
                _label(catalog, "linkage_statuses", b.status) if b else "未接触",
                _label(catalog, "linkage_statuses", e_status) if e else "未接触",
                partners))
    counts["linkage"] = linkage
    sections.append(ReportSection("linkage", "10　他制度との連携", lead_col + ("制度", "年度当初", "年度末", "連携先"),
                                  rows, "障がい・生活困窮・子育て・認知症の4制度との連携の状況。年度当初は前年度までの最後の記録"
                                  "（なければ年度内の最初の記録）、年度末は年度内の最後の記録。記録のない制度は未接触",
                                  "連携の記録はありません"))

    author, department = _secretariat(world, councils)
    report = AnnualReport(fiscal_year=fiscal_year, council_id=council_id, scope_name=scope,
                          title=title, sections=sections, counts=counts,
                          made_on=today or date.today(), author=author, department=department)
    _in_words(report)
    report.guard_hits = _guard(report, red)
    return report


_NW = re.compile(r"(?<![A-Za-z])NW(?![A-Za-z])")


def _in_words(report: AnnualReport) -> None:
    """The abbreviation 「NW」 typed in a title, as the minutes say it: ネットワーク."""
    for s in report.sections:
        s.rows = [tuple(_NW.sub("ネットワーク", c) for c in row) for row in s.rows]


def _guard(report: AnnualReport, red: Redactor) -> int:
    """Replace any cell that still mentions a resident; returns how many."""
    hits = 0
    for s in report.sections:
        if red.mentions(s.summary):
            hits += 1
            s.summary = OMITTED_CELL
        s.rows, n = red.guard_rows(s.rows, OMITTED_CELL)
        hits += n
    return hits
