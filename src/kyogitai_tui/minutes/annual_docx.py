"""The 年度報告 in Word, laid out like the minutes.

The report (``domain.annual_report.AnnualReport``, already free of residents)
becomes a ``blocks.MinutesDoc`` -- title, one numbered heading per section, its
summary line and its table -- which ``docx_writer.write_docx`` lays out with the
minutes' page setup (A4, margins, 明朝 body / ゴシック headings via eastAsia,
「- n -」 page numbers).  ``redaction.guard`` runs over the finished blocks as
for the 公開用 minutes.

python-docx is imported only when a file is written (inside
``write_annual_docx``), so starting the app never loads it.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Union

from kyogitai_tui.domain.dates import wareki
from kyogitai_tui.minutes.blocks import Heading, MinutesDoc, Para, Table, Title
from kyogitai_tui.domain.privacy.redaction import Redactor
from kyogitai_tui.minutes.redaction import guard

__all__ = ["annual_blocks", "write_annual_docx", "annual_docx_bytes"]

_TEXT_WIDTH_MM = 170.0


def _widths(columns: tuple[str, ...]) -> tuple[float, ...]:
    """Column widths: the long text columns (課題, 内容, 取組, 連携先) take the rest."""
    wide = {"課題", "内容", "取組", "連携先", "ネットワーク"}
    narrow = {"回": 16.0, "件数": 16.0, "構成員出席": 22.0, "構成員数": 20.0, "その他出席": 22.0,
              "傍聴": 14.0, "開催日": 36.0, "会議": 31.0, "提起": 31.0, "区分": 24.0, "種類": 40.0,
              "圏域": 26.0, "現在の状態": 22.0, "年度当初": 30.0, "年度末": 30.0,
              "協議体": 36.0, "制度": 46.0, "担い手": 40.0}
    if "区分" in columns and not wide.intersection(columns) - {"ネットワーク"}:
        narrow = dict(narrow, 区分=90.0 if len(columns) == 2 else 24.0)
    if "課題" in columns and len(columns) >= 6:
        # the list of findings: the 課題's words get the room, the other columns stay on one or two lines
        narrow = dict(narrow, 協議体=26.0, 回=15.0, 開催日=35.0, 種類=26.0, 圏域=20.0)
    if columns == ("種類", "件数"):
        narrow = dict(narrow, 種類=90.0)      # one line per kind
    fixed = sum(narrow.get(c, 30.0) for c in columns if c not in wide)
    n_wide = sum(1 for c in columns if c in wide)
    if n_wide:
        rest = max(_TEXT_WIDTH_MM - fixed, 30.0 * n_wide) / n_wide
        return tuple(rest if c in wide else narrow.get(c, 30.0) for c in columns)
    scale = _TEXT_WIDTH_MM / fixed if fixed > _TEXT_WIDTH_MM else 1.0
    return tuple(narrow.get(c, 30.0) * scale for c in columns)


_FIGURE = re.compile(r"^[0-9０-９,，.]+(?:%|％|名|件|回)?$")


def _align(rows: list) -> tuple[str, ...]:
    """"right" for a column whose every cell is a figure (件数, 構成員出席 …)."""
    if not rows:
        return ()
    n = len(rows[0])
    return tuple("right" if all(_FIGURE.match(r[i] or "0") for r in rows) else "" for i in range(n))


def annual_blocks(report: Any, subjects: Any = (), *, made_on: str = "") -> MinutesDoc:
    """The report as minutes blocks, checked by the public guard.  Under the
    title, flush right: 作成日 (和暦), 作成者 (the 事務局) and 担当課."""
    made = made_on or (wareki(report.made_on) if getattr(report, "made_on", None) else "")
    doc = MinutesDoc(meeting_id="", variant="PUBLIC", title=report.title,
                     header_lines=(report.title,), file_stem=report.file_stem,
                     author=getattr(report, "author", "") or "協議体事務局",
                     created=datetime.now().replace(microsecond=0))
    doc.blocks.append(Title(report.title))
    if made:
        doc.blocks.append(Para(f"作成日　{made}", kind="right"))
    if getattr(report, "author", ""):
        doc.blocks.append(Para(f"作成者　{report.author}", kind="right"))
    if getattr(report, "department", ""):
        doc.blocks.append(Para(f"担当課　{report.department}", kind="right"))
    for s in report.sections:
        doc.blocks.append(Heading(1, s.title))
        if s.summary:
            doc.blocks.append(Para(s.summary, indent=1))
        if s.rows:
            rows = [tuple(r) for r in s.rows]
            doc.blocks.append(Table(tuple(s.columns), rows, _widths(tuple(s.columns)), align=_align(rows)))
        else:
            doc.blocks.append(Para(s.empty, indent=1))
    doc.blocks.append(Para("以上", kind="right"))
    guard(doc, Redactor(subjects, public=True))
    return doc


def write_annual_docx(report: Any, target: Union[str, Path, IO[bytes]], subjects: Any = (), *,
                      made_on: str = "") -> None:
    from kyogitai_tui.minutes.docx_writer import render_docx

    doc = render_docx(annual_blocks(report, subjects, made_on=made_on))
    doc.core_properties.keywords = "年度報告"     # title, author, created: set by render_docx
    doc.save(target)


def annual_docx_bytes(report: Any, subjects: Any = (), *, made_on: str = "") -> bytes:
    import io

    buf = io.BytesIO()
    write_annual_docx(report, buf, subjects, made_on=made_on)
    return buf.getvalue()


ANNUAL_FORMATS = ("docx", "csv")


def export_annual(world: Any, fiscal_year: int, council_id: Any, fmt: str, out_path: Union[str, Path], *,
                  force: bool = False, today: Any = None, catalog: Any = None,
                  data_root: Any = None) -> Path:
    """Build the 年度報告 and write it as ``fmt`` (docx | csv) to ``out_path``
    (a file, or an existing folder: the file then gets the report's name).
    Atomic and owner-only like the minutes; ``ExportError`` (Japanese) for
    anything the user can fix.  Returns the path written."""
    from kyogitai_tui.domain.reports.annual import build_annual_report
    from kyogitai_tui.domain.dates import wareki
    from kyogitai_tui.minutes.annual_csv import annual_csv_bytes
    from kyogitai_tui.store.exports import ExportError, write_export

    f = (fmt or "").strip().lower().lstrip(".")
    if f not in ANNUAL_FORMATS:
        raise ExportError(f"形式「{fmt}」は指定できません。docx（Word）か csv を指定してください。", "BAD_FORMAT")
    if council_id and council_id not in world.councils:
        known = "、".join(f"{c.id}（{c.name}）" for c in world.councils.values())
        raise ExportError(f"協議体「{council_id}」が見つかりません。指定できる協議体：{known or 'なし'}。",
                          "NOT_FOUND")
    report = build_annual_report(world, fiscal_year, council_id or None, catalog=catalog, today=today)
    if f == "csv":
        data = annual_csv_bytes(report)
    else:
        data = annual_docx_bytes(report, world.subjects.values(),
                                 made_on=wareki(today) if today is not None else "")
    out = Path(out_path)
    if out.is_dir():
        out = out / f"{report.file_stem}.{f}"
    return write_export(out, data, force=force, data_root=data_root)
