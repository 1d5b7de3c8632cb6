"""The 点検資料 (gap checks C1-C4 before a meeting) in Word, laid out like
the minutes: the same page setup, 明朝 body, ゴシック headings, numbered
headings and tables (``docx_writer``), and the public final guard
(``redaction.guard``) over every string, so no resident can be in it.

The content is ``domain.guidebook.checks_report.ChecksReport``; this module
only lays it out.  ``material_no`` prints 「資料n」 flush right at the top,
as a handout of the meeting.  python-docx is imported only when a file is
written.
"""
from __future__ import annotations

from typing import Any, Optional

from kyogitai_tui.domain.dates import wareki
from kyogitai_tui.domain.privacy.redaction import Redactor
from kyogitai_tui.minutes.blocks import Heading, MinutesDoc, Para, Table, Title
from kyogitai_tui.minutes.redaction import guard

__all__ = ["checks_blocks", "checks_docx_bytes"]

_TEXT_WIDTH_MM = 170.0
_NARROW = {"項目": 34.0, "対象": 30.0, "聴取先": 24.0, "対応中の課題": 20.0, "問題あり": 18.0,
           "未確認": 18.0, "問題なし": 18.0, "チェック項目": 70.0}


def _widths(columns: tuple[str, ...]) -> tuple[float, ...]:
    fixed = sum(_NARROW.get(c, 0.0) for c in columns)
    wide = [c for c in columns if c not in _NARROW]
    if not wide:
        return tuple(_NARROW[c] for c in columns)
    rest = max(_TEXT_WIDTH_MM - fixed, 30.0 * len(wide)) / len(wide)
    return tuple(_NARROW.get(c, rest) for c in columns)


def checks_blocks(report: Any, subjects: Any = (), *, material_no: Optional[int] = None) -> MinutesDoc:
    doc = MinutesDoc(meeting_id="", variant="PUBLIC", title=report.title,
                     header_lines=(report.council,), file_stem=report.file_stem)
    if material_no:
        doc.blocks.append(Para(f"資料{material_no}", kind="right"))
    doc.blocks.append(Title(report.title))
    doc.blocks.append(Para(f"{wareki(report.today)}時点", kind="right"))
    doc.blocks.append(Heading(1, "1　点検の範囲"))
    doc.blocks.append(Para(report.scope, indent=1))
    for i, s in enumerate(report.sections, start=2):
        doc.blocks.append(Heading(1, f"{i}　{s.title}"))
        if s.summary:
            doc.blocks.append(Para(s.summary, indent=1))
        if s.rows:
            doc.blocks.append(Table(tuple(s.columns), [tuple(r) for r in s.rows], _widths(tuple(s.columns))))
        else:
            doc.blocks.append(Para(s.empty, indent=1))
    doc.blocks.append(Para("以上", kind="right"))
    guard(doc, Redactor(subjects, public=True))
    return doc


def checks_docx_bytes(report: Any, subjects: Any = (), *, material_no: Optional[int] = None) -> bytes:
    import io

    from kyogitai_tui.minutes.docx_writer import render_docx

    doc = render_docx(checks_blocks(report, subjects, material_no=material_no))
    doc.core_properties.keywords = "点検資料"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
