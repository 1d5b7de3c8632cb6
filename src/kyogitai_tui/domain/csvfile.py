"""CSV files as Excel opens them: UTF-8 with a BOM, CRLF line ends, and no
cell that Excel would run as a formula.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is read by Excel (and LibreOffice) as a formula: a name typed as
``=HYPERLINK("http://…","詳細")`` would become a live link in the
coordinator's spreadsheet.  Every CSV the app writes goes through
:func:`csv_bytes`, which puts an apostrophe before such a cell (the usual
defence; Excel shows the text as typed).  No column of these files holds a
negative number or a date that starts with ``-`` (counts are never negative,
dates are 2025-09-16 or 和暦), so the rule has no exception.

On import (``registry.csv_read``) :func:`undefuse` takes our apostrophe off
again, so a file exported and read back is unchanged, and
:func:`formula_like` tells the preview which cells to warn about.
"""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable

__all__ = ["FORMULA_START", "defuse", "formula_like", "undefuse", "csv_bytes"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Whether a cell would be a formula in Excel, or is one behind
    apostrophes (``'=…``, as :func:`defuse` writes it)."""
    return text.lstrip("'").startswith(FORMULA_START)


def defuse(cell: Any) -> str:
    """The cell as text, with an apostrophe first when Excel would run it
    (also before ``'=…``, so that :func:`undefuse` gives back what was typed)."""
    text = "" if cell is None else str(cell)
    return "'" + text if formula_like(text) else text


def undefuse(text: str) -> str:
    """A cell as read from a file, without the apostrophe :func:`defuse` added."""
    return text[1:] if text.startswith("'") and formula_like(text) else text


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as an Excel CSV (UTF-8 with BOM, CRLF), every cell defused."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow([defuse(c) for c in row])
    return buf.getvalue().encode("utf-8-sig")
