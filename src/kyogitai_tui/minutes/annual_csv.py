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

import csv
import io
from typing import Any

__all__ = ["annual_csv_text", "annual_csv_bytes"]


def annual_csv_text(report: Any) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([report.title])
    for s in report.sections:
        w.writerow([])
        w.writerow([s.title])
        if s.summary:
            w.writerow([s.summary])
        if s.rows:
            w.writerow(list(s.columns))
            for row in s.rows:
                w.writerow(list(row))
        else:
            w.writerow([s.empty])
    return buf.getvalue()


def annual_csv_bytes(report: Any) -> bytes:
    return annual_csv_text(report).encode("utf-8-sig")
