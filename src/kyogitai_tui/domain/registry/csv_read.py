"""Reading a CSV file as Excel writes it (no Textual); see registry_csv.

UTF-8 with BOM, UTF-8, or Shift_JIS (cp932); anything else - an .xlsx/.xls
workbook, binary data, another encoding - is refused with a Japanese
``CsvError`` that says how to save the file again.  Rows carry Excel's row
number (header = 1) so that a problem can be found in Excel; empty rows are
skipped but still counted.  A cell that Excel would run as a formula
(``=…``, ``+…``, ``-…``, ``@…``) is kept as text; the apostrophe our own export
put before such a cell is taken off (``domain.csvfile``), and the row lists
the column in ``formulas`` so that the preview can warn about it.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from kyogitai_tui.domain.csvfile import formula_like, undefuse

__all__ = ["CsvError", "CsvRow", "CsvData", "decode", "read_csv"]


class CsvError(ValueError):
    """A file that cannot be read as CSV; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CsvRow:
    line: int                 # Excel row number (header = 1)
    cells: dict               # header text -> cell text
    formulas: tuple = ()      # headers whose cell looked like an Excel formula


@dataclass
class CsvData:
    header: list
    rows: list                # list[CsvRow]
    encoding: str = "utf-8"

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)



def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) or CsvError (Japanese)."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CsvError("Excel のブック（.xlsx/.xls）のようです。Excel で「名前を付けて保存」から"
                       "「CSV UTF-8（コンマ区切り）」を選んで保存し直してください。")
    if b"\x00" in data:
        raise CsvError("CSV ファイルとして読めません（文字でないデータが含まれています）。"
                       "Excel で CSV 形式で保存し直してください。")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise CsvError("文字コードが壊れています（UTF-8 として読めません）。"
                           "Excel で「CSV UTF-8（コンマ区切り）」として保存し直してください。") from None
    for enc in ("utf-8", "cp932"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise CsvError("文字コードが分かりません。UTF-8 か Shift_JIS（Excel の「CSV（コンマ区切り）」）"
                   "で保存したファイルを選んでください。")


def read_csv(path_or_bytes: Union[str, Path, bytes]) -> CsvData:
    """Rows of a CSV file (or its bytes), with Excel row numbers."""
    if isinstance(path_or_bytes, (bytes, bytearray)):
        data = bytes(path_or_bytes)
    else:
        try:
            data = Path(path_or_bytes).read_bytes()
        except OSError as exc:
            raise CsvError(f"ファイル「{path_or_bytes}」を開けません（{exc.strerror or exc}）。"
                           "ファイル名と場所を確かめてください。") from None
    text, enc = decode(data)
    text = text.lstrip("\ufeff")
    try:
        records_ = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise CsvError(f"CSV として読めません（{exc}）。Excel で CSV 形式で保存し直してください。") from None
    if not records_ or not any(c.strip() for c in records_[0]):
        raise CsvError("1行目に見出し（列名）がありません。テンプレートの見出しを使ってください。")
    header = [h.strip() for h in records_[0]]
    rows = []
    for i, rec in enumerate(records_[1:], 2):
        if not any(c.strip() for c in rec):
            continue
        cells = {h: (rec[j].strip() if j < len(rec) else "") for j, h in enumerate(header) if h}
        formulas = tuple(h for h, v in cells.items() if formula_like(v))
        for h in formulas:
            cells[h] = undefuse(cells[h])
        if len(rec) > len(header) and any(c.strip() for c in rec[len(header):]):
            cells["\x00extra"] = "1"
        rows.append(CsvRow(i, cells, formulas))
    return CsvData(header, rows, enc)


