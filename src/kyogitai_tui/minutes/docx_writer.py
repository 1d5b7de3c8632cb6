"""Word (.docx) writer for the minutes, with python-docx: lays the blocks of
``blocks.MinutesDoc`` out on the styled template of ``docx_styles``.

* Page numbers: a PAGE field (fldChar begin / instrText / separate / end)
  wrapped as 「- n -」, centred in the footer.
* Tables are built row by row with ``add_row().cells`` (``Table.cell()`` is
  slow on big tables), fixed layout with the grid widths given in mm.
* Paragraphs and cell contents are built with lxml directly (below).

No Textual here.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import IO, Optional, Union

from lxml import etree

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from kyogitai_tui.minutes.blocks import Heading, MinutesDoc, Para, Table, Title
from kyogitai_tui.minutes.docx_styles import MAX_INDENT, new_document, style_ids as _style_ids

__all__ = ["add_page_number", "add_table", "write_docx", "render_docx", "set_core_properties"]


def _field_run(paragraph, instr: str, placeholder: str) -> None:
    """Append a complex field (begin / instrText / separate / result / end)."""
    def run_with(child) -> None:
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    run_with(text)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    result = OxmlElement("w:t")
    result.text = placeholder
    run_with(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def add_page_number(section) -> None:
    """Footer 「- n -」 centred, n being a PAGE field."""
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("- ")
    _field_run(p, "PAGE", "1")
    p.add_run(" -")


def _set_header(section, lines: tuple[str, ...]) -> None:
    header = section.header
    header.is_linked_to_previous = False
    first = True
    for line in lines:
        p = header.paragraphs[0] if first and header.paragraphs else header.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.add_run(xml_text(line))


# -- fast XML for paragraphs and cells --------------------------------------
# python-docx's generic element insertion (``get_or_add_pPr().style = …``)
# looks up the schema order for every child it adds; the minutes add a few
# thousand, so paragraphs and cell contents are built with lxml directly.

_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE, _B, _T, _BR, _TAB, _VAL = (
    qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:r"), qn("w:rPr"), qn("w:rStyle"), qn("w:b"),
    qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:val"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SubElement = etree.SubElement


def xml_text(text: str) -> str:
    """``text`` without what XML 1.0 cannot hold (NUL and other C0 controls
    except tab/newline/CR, lone surrogates, U+FFFE/U+FFFF): those are
    dropped, everything else is kept as typed."""
    return _NOT_XML.sub("", text)


def _property(text: str) -> str:
    """A document property (title): XML-safe and within Word's 255 characters."""
    return xml_text(text).replace("\n", " ")[:255]


def _run(p_el, text: str, run_style: str | None = None, bold: bool = False) -> None:
    text = xml_text(text)
    r = _SubElement(p_el, _R)
    if run_style or bold:
        rpr = _SubElement(r, _RPR)
        if run_style:
            _SubElement(rpr, _RSTYLE).set(_VAL, run_style)
        if bold:
            _SubElement(rpr, _B)
    for i, line in enumerate(text.replace("\r\n", "\n").split("\n")):
        if i:
            _SubElement(r, _BR)
        for j, piece in enumerate(line.split("\t")):
            if j:
                _SubElement(r, _TAB)
            if piece:
                t = _SubElement(r, _T)
                t.text = piece
                if piece[0] == " " or piece[-1] == " ":
                    t.set(_XML_SPACE, "preserve")


def _style_p(p_el, style_id: str) -> None:
    ppr = p_el.find(_PPR)
    if ppr is None:
        ppr = p_el.makeelement(_PPR, {})
        p_el.insert(0, ppr)
    _SubElement(ppr, _PSTYLE).set(_VAL, style_id)


def _body_p(body, sect_pr, style_id: str):
    p = body.makeelement(_P, {})
    _SubElement(_SubElement(p, _PPR), _PSTYLE).set(_VAL, style_id)
    if sect_pr is not None:
        sect_pr.addprevious(p)
    else:
        body.append(p)
    return p


def add_table(doc: DocxDocument, columns, rows, widths_mm=(), *, style_ids=None, align=()):
    """A bordered table: header row (repeated on each page) then ``rows``,
    appended with ``add_row().cells``; fixed layout with ``widths_mm``;
    a column whose ``align`` is "right" (figures) is set flush right."""
    ids = style_ids or _style_ids()
    table_pstyle = ids["table"]
    ncols = len(columns)
    table = doc.add_table(rows=1, cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblPr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblPr.append(layout)
    if widths_mm and len(widths_mm) == ncols:
        for col, w in zip(table.columns, widths_mm):
            col.width = Mm(w)
    hdr = table.rows[0]
    trPr = hdr._tr.get_or_add_trPr()
    th = OxmlElement("w:tblHeader")
    trPr.append(th)
    for cell, text in zip(hdr.cells, columns):
        _cell_text(cell, text, table_pstyle, bold=True)
    for row in rows:
        new = table.add_row()
        new._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))   # keep a row on one page
        for i, (cell, text) in enumerate(zip(new.cells, row)):
            _cell_text(cell, text, table_pstyle)
            if i < len(align) and align[i] == "right":
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _cell_text(cell, text: str, pstyle_id: str, *, bold: bool = False) -> None:
    p = cell._tc.p_lst[0]
    _style_p(p, pstyle_id)
    if text:
        _run(p, text, bold=bold)


_KEEP_NEXT = qn("w:keepNext")


def _keep_with_next(p_el) -> None:
    ppr = p_el.find(_PPR)
    if ppr is None:
        ppr = p_el.makeelement(_PPR, {})
        p_el.insert(0, ppr)
    pstyle = ppr.find(_PSTYLE)
    el = ppr.makeelement(_KEEP_NEXT, {})
    if pstyle is not None:
        pstyle.addnext(el)        # schema order: pStyle, keepNext, …
    else:
        ppr.insert(0, el)


def set_core_properties(doc: DocxDocument, title: str, author: str, created: Optional[datetime],
                        keywords: str = "") -> None:
    """作成者 = the council's 事務局, タイトル, 作成日時 = the export (python-docx's
    template would otherwise say 2013-12-23 and 'python-docx')."""
    core = doc.core_properties
    when = created or datetime.now().replace(microsecond=0)
    core.title = _property(title)
    core.author = _property(author or "協議体事務局")
    core.last_modified_by = _property(author or "協議体事務局")
    core.created = when
    core.modified = when
    lp = doc.core_properties._element.find(qn("cp:lastPrinted"))
    if lp is not None:
        lp.getparent().remove(lp)
    core.revision = 1
    core.comments = ""
    core.keywords = _property(keywords)


def render_docx(minutes: MinutesDoc) -> DocxDocument:
    """The python-docx Document of a MinutesDoc (not saved)."""
    doc = new_document()
    ids = _style_ids()
    section = doc.sections[0]
    _set_header(section, minutes.header_lines)
    add_page_number(section)
    set_core_properties(doc, minutes.title, minutes.author, minutes.created,
                        "公開用" if minutes.variant == "PUBLIC" else "内部記録")

    body = doc.element.body
    sect_pr = body.sectPr
    # the last numbered section (記録, 以上) stays on one page with its heading:
    # never a last page of a lone 「以上」 or two short lines
    last_h1 = max((i for i, b in enumerate(minutes.blocks) if isinstance(b, Heading) and b.level <= 1),
                  default=len(minutes.blocks))
    for index, block in enumerate(minutes.blocks):
        if isinstance(block, Para):
            if block.kind == "statement":
                sid = ids["statement"]
            elif block.kind == "right":
                sid = ids["right"]
            elif block.kind == "note":
                sid = ids["note"]
            elif block.kind == "warning":
                sid = ids["warning"]
            else:
                sid = ids[f"indent{min(max(block.indent, 0), MAX_INDENT)}"]
            p = _body_p(body, sect_pr, sid)
            if block.text:
                _run(p, block.text)
            if last_h1 < index < len(minutes.blocks) - 1:
                _keep_with_next(p)
        elif isinstance(block, Heading):
            p = _body_p(body, sect_pr, ids["h1"] if block.level <= 1 else ids["h2"])
            _run(p, block.text)
            if block.value:
                _run(p, "　" + block.value, run_style=ids["value"])
        elif isinstance(block, Table):
            if block.caption:
                _run(_body_p(body, sect_pr, ids["indent1"]), block.caption)
            add_table(doc, block.columns, block.rows, block.widths_mm, style_ids=ids, align=block.align)
        elif isinstance(block, Title):
            _run(_body_p(body, sect_pr, ids["title"]), block.text)
    return doc


def write_docx(minutes: MinutesDoc, target: Union[str, Path, IO[bytes]]) -> None:
    """Render and save to a path or a binary file object."""
    render_docx(minutes).save(target)
