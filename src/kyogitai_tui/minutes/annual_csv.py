"""The 年度報告 as CSV (for Excel): UTF-8 with a BOM, CRLF line ends.

Layout: one tidy sheet Excel can filter -- the first row is the header, every
other row is one row of one section, and nothing else (no title lines, no
blank lines between tables).

    年度, 章, 協議体, 回, 開催日, 開催日（和暦）, 種類, 件数, …, 概要

* 「年度」 and 「章」 (the section's title, 「1　会議の開催と出席」) on every row, so
  a filter on 章 gives back each table of the Word report.
* The other columns are the union of the sections' columns, in the order
  they first appear; a row leaves the columns of other sections empty.
* 「開催日」 is an ISO date (2025-07-15, sorts as a date in Excel) with the
  和暦 beside it in 「開催日（和暦）」.
* A section's summary line is a row of its own with only 「概要」 filled; a
  section without rows says so there (「この年度の決定はありません」).
* Figures are written as plain numbers.
"""
from __future__ import annotations

from typing import Any

from kyogitai_tui.domain.csvfile import csv_bytes

__all__ = ["annual_csv_text", "annual_csv_bytes", "annual_csv_rows"]

_DATE = "開催日"
_DATE_JP = "開催日（和暦）"
_SUMMARY = "概要"


def annual_csv_rows(report: Any) -> list[list[str]]:
    columns: list[str] = []
    for s in report.sections:
        for c in s.columns:
            if c not in columns:
                columns.append(c)
                if c == _DATE:
                    columns.append(_DATE_JP)
    header = ["年度", "章", *columns, _SUMMARY]
    at = {c: i for i, c in enumerate(header)}
    year = report.fiscal_year_label
    out: list[list[str]] = [header]

    def blank() -> list[str]:
        row = [""] * len(header)
        row[0] = year
        return row

    for s in report.sections:
        if s.summary or not s.rows:
            row = blank()
            row[1] = s.title
            row[at[_SUMMARY]] = s.summary if s.rows or not s.summary else f"{s.summary}。{s.empty}"
            if not s.summary:
                row[at[_SUMMARY]] = s.empty
            out.append(row)
        dates = list(getattr(s, "row_dates", []) or [])
        for i, cells in enumerate(s.rows):
            row = blank()
            row[1] = s.title
            for c, v in zip(s.columns, cells):
                row[at[c]] = v
            if _DATE in s.columns:
                d = dates[i] if i < len(dates) else None
                row[at[_DATE_JP]] = cells[s.columns.index(_DATE)]
                row[at[_DATE]] = d.isoformat() if d is not None else ""
            out.append(row)
    return out


def annual_csv_bytes(report: Any) -> bytes:
    """Every cell defused against Excel formulas (``domain.csvfile``)."""
    return csv_bytes(annual_csv_rows(report))


def annual_csv_text(report: Any) -> str:
    return annual_csv_bytes(report).decode("utf-8-sig")
