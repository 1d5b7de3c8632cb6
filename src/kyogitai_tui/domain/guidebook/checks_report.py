"""点検資料: the gap checks C1-C4 run on the current data, as a handout
for a council's next meeting (seed 4-4(4)).

``checks_report(world, council_id=..., today=...)`` runs
``gaps.run_gap_checks`` over the council's scope and returns a
:class:`ChecksReport`: a title, the scope, and sections (summary per check,
the PROBLEM rows with what was checked, why, who was heard and the open
finding that already carries it, the UNKNOWN rows with what to enter, the OK
rows).  It is what ``kyogitai checks`` prints as table or JSON and what
``minutes/checks_docx.py`` lays out as a 資料 in the minutes' layout.

No resident is ever in it: the checks look at networks and areas only, and
every text still goes through the privacy Redactor (public rules) here, and
the Word file through the minutes' final guard.  No Textual, no disk.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kyogitai_tui.domain.guidebook.gaps import CheckResult, label, run_gap_checks

__all__ = ["ChecksReport", "Section", "checks_report", "as_dict", "UNKNOWN_HINTS"]

# what to enter (F7 / CSV column) so that an UNKNOWN check can answer
UNKNOWN_HINTS = {
    "C1_SUPPORT_FUNCTION": "会議の事業者間ネットワークの議題で機能を評価するか、F7で「個別ネットワーク支援の部門」を入力",
    "C3_DIFF_MISSING_GROUPS": "F7（またはCSV）で「参加が望まれる団体」を入力",
}


@dataclass
class Section:
    title: str
    columns: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)
    summary: str = ""
    empty: str = "該当はありません。"


@dataclass
class ChecksReport:
    council_id: str
    council: str
    today: date
    scope: str
    title: str
    file_stem: str
    results: list[CheckResult]
    sections: list[Section]

    @property
    def problems(self) -> list[CheckResult]:
        return [r for r in self.results if r.result == "PROBLEM" and not r.dismissed_reason]


def _scope_text(world: Any, council: Any) -> str:
    if council.tier == 2 and council.area_id in world.areas:
        return (f"{world.areas[council.area_id].name}の事業者間ネットワークと、"
                "市町村全域・広域のネットワーク（この圏域にかかわる分）")
    return "すべての圏域と、すべての事業者間ネットワーク"


def _sources(codes: list[str]) -> str:
    return "・".join(label("evidence_sources", c) for c in codes)


def checks_report(world: Any, *, council_id: str, today: date) -> ChecksReport:
    from kyogitai_tui.domain.catalog import default_catalog
    from kyogitai_tui.domain.privacy.redaction import OMITTED, Redactor

    council = world.councils[council_id]
    cat = default_catalog()
    results = run_gap_checks(world, council_id=council_id, today=today)
    r = Redactor(world.subjects.values(), public=True)

    def f(text: str) -> str:
        return r.field(text, OMITTED)

    entries = [e for e in cat.gap_checks if not getattr(e, "method_marker", False)]
    summary = Section("点検の結果（まとめ）", ("チェック項目", "問題あり", "未確認", "問題なし"))
    for e in entries:
        mine = [x for x in results if x.check_code == e.code]
        count = lambda res: str(sum(1 for x in mine if x.result == res))
        summary.rows.append((e.label, count("PROBLEM"), count("UNKNOWN"), count("OK")))
    dismissed = [x for x in results if x.result == "PROBLEM" and x.dismissed_reason]
    summary.summary = ("既存の事業者団体への調査と、事業者・民生委員・地域包括支援センターなどからの"
                       "聞き取りをもとに、登録データで点検しました。")
    problems = Section("問題ありの項目", ("項目", "対象", "理由", "聴取先", "対応中の課題"))
    for x in results:
        if x.result != "PROBLEM" or x.dismissed_reason:
            continue
        problems.rows.append((_check_label(cat, x.check_code), f(x.target_name), f(x.reason),
                              _sources(x.evidence_sources), x.open_finding_id or "（新しい課題として挙げる）"))
    problems.empty = "問題ありの項目はありません。"
    unknown = Section("未確認の項目（入力が足りないもの）", ("項目", "対象", "理由", "入力するもの"))
    for x in results:
        if x.result == "UNKNOWN":
            unknown.rows.append((_check_label(cat, x.check_code), f(x.target_name), f(x.reason),
                                 UNKNOWN_HINTS.get(x.check_code, "F7で登録データを確かめる")))
    unknown.empty = "未確認の項目はありません。"
    ok = Section("問題なしの項目", ("項目", "対象", "理由"))
    for x in results:
        if x.result == "OK":
            ok.rows.append((_check_label(cat, x.check_code), f(x.target_name), f(x.reason)))
    sections = [summary, problems, unknown]
    if dismissed:
        sec = Section("以前の会議で見送った項目", ("項目", "対象", "見送った理由"))
        sec.rows = [(_check_label(cat, x.check_code), f(x.target_name), f(x.dismissed_reason)) for x in dismissed]
        sections.append(sec)
    sections.append(ok)
    questions = Section("点検で確かめたこと（チェック項目）", ("項目", "問い"))
    questions.rows = [(e.label, e.question) for e in entries]
    sections.append(questions)
    title = f"{council.name} 点検資料（不足しているネットワークの把握）"
    stem = f"点検資料_{council.name}_{today.isoformat()}"
    if r.mentions(stem):
        stem = f"点検資料_{today.isoformat()}"
    return ChecksReport(council.id, council.name, today, _scope_text(world, council), title,
                        stem, results, sections)


def _check_label(cat: Any, code: str) -> str:
    short = code.split("_", 1)[0]
    return f"{short} {cat.label_or_code('gap_checks', code)}"


def as_dict(report: ChecksReport, world: Any) -> dict:
    """JSON-ready: the council, the date, and one object per result (every
    text through the public Redactor)."""
    from kyogitai_tui.domain.privacy.redaction import OMITTED, Redactor

    r = Redactor(world.subjects.values(), public=True)
    return {
        "council_id": report.council_id, "council": report.council, "today": report.today.isoformat(),
        "scope": report.scope,
        "results": [{
            "check_code": x.check_code, "target": x.target, "target_kind": x.target_kind,
            "target_name": r.field(x.target_name, OMITTED), "result": x.result,
            "result_label": label("gap_check_results", x.result),
            "checked": r.field(x.checked, OMITTED), "reason": r.field(x.reason, OMITTED),
            "evidence_sources": list(x.evidence_sources), "nonmember_org_ids": list(x.nonmember_org_ids),
            "missing_group_types": list(x.missing_group_types), "responsible_tier": x.responsible_tier,
            "open_finding_id": x.open_finding_id, "dismissed_reason": r.field(x.dismissed_reason, OMITTED),
        } for x in report.results],
    }
