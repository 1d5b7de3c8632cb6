"""Home F6: the 年度報告 (ui/screens/annual_report.py)."""
from __future__ import annotations


def open(app) -> None:  # noqa: A001 - the tool interface
    from kyogitai_tui.ui.screens.annual_report import AnnualReportScreen

    app.push_screen(AnnualReportScreen())
