"""Word (.docx) writer for the minutes, with python-docx.

Japanese specifics (python-docx leaves these to us):

* ``font.name`` sets only the Latin font.  Every style we use gets
  ``w:rFonts`` with ``w:ascii``/``w:hAnsi``/``w:eastAsia``/``w:cs`` set and
  the ``w:asciiTheme``/``w:hAnsiTheme``/``w:eastAsiaTheme``/``w:cstheme``
  attributes removed; otherwise the theme font (Calibri/ＭＳ 明朝 of the
  template's theme) wins when the page is rendered.  The document defaults get
  the same treatment plus ``w:lang w:eastAsia="ja-JP"``.
* Body 明朝 (「ＭＳ 明朝」), headings ゴシック (「ＭＳ ゴシック」): fonts every
  Japanese Windows has; LibreOffice substitutes IPAex fonts on Linux.
* The default template is US Letter: A4 portrait with margins 25 (top) /
  25 (bottom) / 20 (left) / 20 (right) mm.
* Page numbers: a PAGE field (fldChar begin / instrText / separate / end)
  wrapped as 「- n -」, centred in the footer.
* Tables are built row by row with ``add_row().cells`` (``Table.cell()`` is
  slow on big tables), fixed layout with the grid widths given in mm.

No Textual here; this module only lays out ``blocks.MinutesDoc``.
"""
from __future__ import annotations

import functools
import io
import re
from datetime import datetime
from pathlib import Path
from typing import IO, Optional, Union

from lxml import etree

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from kyogitai_tui.minutes.blocks import Heading, MinutesDoc, Para, Table, Title

__all__ = [
    "BODY_FONT", "HEADING_FONT", "PAGE_WIDTH_MM", "PAGE_HEIGHT_MM", "MARGINS_MM",
    "STYLE", "new_document", "set_style_fonts", "add_page_number", "add_table",
    "write_docx", "render_docx", "set_core_properties",
]

BODY_FONT = "ＭＳ 明朝"
HEADING_FONT = "ＭＳ ゴシック"
BODY_PT = 10.5
TABLE_PT = 9.0
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGINS_MM = {"top": 25, "bottom": 25, "left": 20, "right": 20}
INDENT_PT = BODY_PT            # one full-width character per indent level
MAX_INDENT = 4

# Style names (ASCII, so that the style ids are predictable).
STYLE = {
    "body": "Normal",
    "title": "Title",
    "h1": "Heading 1",
    "h2": "Heading 2",
    "statement": "Minutes Statement",
    "right": "Minutes Right",
    "note": "Minutes Note",
    "warning": "Minutes Warning",  # 取扱注意 banner of the 内部記録
    "table": "Minutes Table",
    "value": "Minutes Value",      # character style: body font inside a heading
    "header": "Header",
    "footer": "Footer",
}


def _indent_style(level: int) -> str:
    return f"Minutes Indent {level}"


_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_rfonts(rPr, font: str) -> None:
    rfonts = rPr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rPr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        key = qn(attr)
        if key in rfonts.attrib:
            del rfonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    rfonts.set(qn("w:hint"), "eastAsia")


def set_style_fonts(style, font: str) -> None:
    """Latin, East Asian and complex-script font of a style, theme fonts removed."""
    rPr = style.element.get_or_add_rPr()
    _set_rfonts(rPr, font)


def _set_doc_defaults(doc: DocxDocument) -> None:
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles_el.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rPr = rpr_default.find(qn("w:rPr"))
    if rPr is None:
        rPr = OxmlElement("w:rPr")
        rpr_default.append(rPr)
    _set_rfonts(rPr, BODY_FONT)
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "ja-JP")
    lang.set(qn("w:bidi"), "ar-SA")


def _paragraph_style(doc: DocxDocument, name: str, *, base: str = "Normal"):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
    return style


def _setup_styles(doc: DocxDocument) -> None:
    _set_doc_defaults(doc)
    styles = doc.styles
    black = RGBColor(0, 0, 0)

    normal = styles["Normal"]
    set_style_fonts(normal, BODY_FONT)
    normal.font.size = Pt(BODY_PT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.15

    title = styles["Title"]
    set_style_fonts(title, HEADING_FONT)
    title.font.size = Pt(14)
    title.font.bold = True
    title.font.color.rgb = black
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(6)
    # the template's Title has a bottom border and character spacing: drop them
    ppr = title.element.get_or_add_pPr()
    for tag in ("w:pBdr",):
        el = ppr.find(qn(tag))
        if el is not None:
            ppr.remove(el)
    rpr = title.element.get_or_add_rPr()
    for tag in ("w:spacing", "w:kern"):
        el = rpr.find(qn(tag))
        if el is not None:
            rpr.remove(el)

    for name, size, before in (("Heading 1", 11, 8), ("Heading 2", BODY_PT, 4)):
        h = styles[name]
        set_style_fonts(h, HEADING_FONT)
        h.font.size = Pt(size)
        h.font.bold = True
        h.font.italic = False
        h.font.color.rgb = black
        h.paragraph_format.space_before = Pt(before)
        h.paragraph_format.space_after = Pt(2)
        h.paragraph_format.keep_with_next = True
    styles["Heading 2"].paragraph_format.left_indent = Pt(INDENT_PT)

    for level in range(MAX_INDENT + 1):
        s = _paragraph_style(doc, _indent_style(level))
        set_style_fonts(s, BODY_FONT)
        s.paragraph_format.left_indent = Pt(INDENT_PT * level)

    st = _paragraph_style(doc, STYLE["statement"])
    set_style_fonts(st, BODY_FONT)
    st.paragraph_format.left_indent = Pt(INDENT_PT * 3)
    st.paragraph_format.first_line_indent = Pt(-INDENT_PT)

    right = _paragraph_style(doc, STYLE["right"])
    set_style_fonts(right, BODY_FONT)
    right.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    note = _paragraph_style(doc, STYLE["note"])
    set_style_fonts(note, BODY_FONT)
    note.font.size = Pt(9)
    note.paragraph_format.left_indent = Pt(INDENT_PT * 2)

    warn = _paragraph_style(doc, STYLE["warning"])
    set_style_fonts(warn, HEADING_FONT)
    warn.font.size = Pt(16)
    warn.font.bold = True
    warn.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    warn.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    warn.paragraph_format.space_after = Pt(8)
    # a thick red box around the banner
    wppr = warn.element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "24")
        el.set(qn("w:space"), "4")
        el.set(qn("w:color"), "C00000")
        bdr.append(el)
    wppr.append(bdr)

    tbl = _paragraph_style(doc, STYLE["table"])
    set_style_fonts(tbl, BODY_FONT)
    tbl.font.size = Pt(TABLE_PT)
    tbl.paragraph_format.line_spacing = 1.0

    try:
        value = styles[STYLE["value"]]
    except KeyError:
        value = styles.add_style(STYLE["value"], WD_STYLE_TYPE.CHARACTER)
    set_style_fonts(value, BODY_FONT)
    value.font.bold = False

    for name in ("Header", "Footer"):
        s = styles[name]
        set_style_fonts(s, BODY_FONT)
        s.font.size = Pt(9)

    grid = styles["Table Grid"]
    set_style_fonts(grid, BODY_FONT)


def _setup_page(doc: DocxDocument) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(PAGE_WIDTH_MM)
        section.page_height = Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.header_distance = Mm(12)
        section.footer_distance = Mm(12)


@functools.lru_cache(maxsize=1)
def _template() -> tuple[bytes, tuple[tuple[str, str], ...]]:
    """The styled, A4 empty document as bytes, and the style ids, built once
    per process (setting up the styles costs more than loading them)."""
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    ids = []
    for key, name in STYLE.items():
        ids.append((key, doc.styles[name].style_id))
    for level in range(MAX_INDENT + 1):
        ids.append((f"indent{level}", doc.styles[_indent_style(level)].style_id))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), tuple(ids)


def new_document() -> DocxDocument:
    """An empty A4 document with the minutes' styles (fonts, sizes, indents)."""
    return Document(io.BytesIO(_template()[0]))


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


def _style_ids(doc: DocxDocument | None = None) -> dict[str, str]:
    """Style ids of the minutes' styles (the same in every document made by
    ``new_document``)."""
    return dict(_template()[1])


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
    ids = style_ids or _style_ids(doc)
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
    ids = _style_ids(doc)
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
