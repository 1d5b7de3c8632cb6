"""The last guard of the public minutes and of the 年度報告: whatever the
builders missed, no finished string may still name a resident.  The builders
catch everything on the demo (guard_hits == 0 elsewhere), so these tests plant
a mention past them and watch the guard replace it."""
from __future__ import annotations

from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.domain.privacy.redaction import Redactor
from kyogitai_tui.domain.reports.annual import AnnualReport, ReportSection, _guard
from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes.blocks import MinutesDoc, Para, Table
from kyogitai_tui.minutes.redaction import guard


def _public_redactor() -> Redactor:
    world = World.from_dataset(load_demo())
    return Redactor(world.subjects.values(), public=True)


def test_minutes_guard_replaces_every_cell_and_line_that_still_names_a_resident():
    doc = MinutesDoc(meeting_id="M", variant="PUBLIC", title="会議録", header_lines=("協議体",))
    doc.blocks = [Para("Ａ\u200bさんの見守りについて報告があった。"),
                  Table(columns=("No.", "内容"), rows=[("1", "配食の調整"), ("2", "R/001 の通院")])]
    guard(doc, _public_redactor())
    assert doc.guard_hits == 2
    assert "Ａ" not in doc.blocks[0].text
    assert doc.blocks[1].rows == [("1", "配食の調整"), ("2", "（省略）")]


def test_annual_report_guard_replaces_cells_that_still_name_a_resident():
    section = ReportSection(key="k", title="1　取組", columns=("取組", "状態"),
                            rows=[("エーさん宅の見守り", "完了"), ("サロンの開設", "対応中")])
    report = AnnualReport(fiscal_year=2025, council_id=None, scope_name="全協議体", title="年度報告",
                          sections=[section], counts={})
    assert _guard(report, _public_redactor()) == 1
    assert section.rows == [("（省略）", "完了"), ("サロンの開設", "対応中")]
