"""The 年度報告 as CSV (for Excel): UTF-8 with a BOM, CRLF line ends.

Layout: one block per section, in the report's order -- a line with the
section's title, a line with its summary (when there is one), the header row
(Japanese column names) and the rows; an empty line between blocks.  The
first line is the report's title.  Blocks keep each section's own columns
(a long ``区分,項目,値`` format would lose them), which is what a reader of
the Word report expects to find again in Excel.  Sections without rows carry
their 「該当なし」 line instead.
"""
from __future__ import annotations

from typing import Any

from kyogitai_tui.domain.csvfile import csv_bytes

__all__ = ["annual_csv_text", "annual_csv_bytes"]


def _rows(report: Any) -> list[list]:
    rows: list[list] = [[report.title]]
    for s in report.sections:
        rows += [[], [s.title]]
        if s.summary:
            rows.append([s.summary])
        if s.rows:
            rows.append(list(s.columns))
            rows += [list(row) for row in s.rows]
        else:
            rows.append([s.empty])
    return rows


def annual_csv_bytes(report: Any) -> bytes:
    """Every cell defused against Excel formulas (``domain.csvfile``)."""
    return csv_bytes(_rows(report))


def annual_csv_text(report: Any) -> str:
    return annual_csv_bytes(report).decode("utf-8-sig")
