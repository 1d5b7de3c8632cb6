"""Word (.docx) writer for the minutes, with python-docx.

Japanese specifics (DESIGN.md "python-docx and Japanese"):

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

from typing import IO, Union
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .blocks import Heading, MinutesDoc, Para, Table, Title

__all__ = [
    "BODY_FONT", "HEADING_FONT", "PAGE_WIDTH_MM", "PAGE_HEIGHT_MM", "MARGINS_MM",
    "STYLE", "new_document", "set_style_fonts", "add_page_number", "add_table",
    "write_docx", "render_docx",
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


def new_document() -> DocxDocument:
    """An empty A4 document with the minutes' styles (fonts, sizes, indents)."""
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    return doc


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
        p.add_run(line)


def _style_ids(doc: DocxDocument) -> dict[str, str]:
    ids = {}
    for key, name in STYLE.items():
        ids[key] = doc.styles[name].style_id
    for level in range(MAX_INDENT + 1):
        ids[f"indent{level}"] = doc.styles[_indent_style(level)].style_id
    return ids


def add_table(doc: DocxDocument, columns, rows, widths_mm=(), *, style_ids=None):
    """A bordered table: header row (repeated on each page) then ``rows``,
    appended with ``add_row().cells``; fixed layout with ``widths_mm``."""
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
        for cell, text in zip(new.cells, row):
            _cell_text(cell, text, table_pstyle)
    return table


def _cell_text(cell, text: str, pstyle_id: str, *, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p._p.get_or_add_pPr().style = pstyle_id
    if text:
        run = p.add_run(text)
        if bold:
            run.bold = True


def render_docx(minutes: MinutesDoc) -> DocxDocument:
    """The python-docx Document of a MinutesDoc (not saved)."""
    doc = new_document()
    ids = _style_ids(doc)
    section = doc.sections[0]
    _set_header(section, minutes.header_lines)
    add_page_number(section)
    core = doc.core_properties
    core.title = minutes.title
    core.author = "kyogitai-tui"
    core.last_modified_by = "kyogitai-tui"
    core.comments = ""
    core.keywords = "公開用" if minutes.variant == "PUBLIC" else "内部記録"

    add_paragraph = doc.add_paragraph
    for block in minutes.blocks:
        if isinstance(block, Para):
            if block.kind == "statement":
                sid = ids["statement"]
            elif block.kind == "right":
                sid = ids["right"]
            elif block.kind == "note":
                sid = ids["note"]
            else:
                sid = ids[f"indent{min(max(block.indent, 0), MAX_INDENT)}"]
            p = add_paragraph()
            p._p.get_or_add_pPr().style = sid
            if block.text:
                p.add_run(block.text)
        elif isinstance(block, Heading):
            p = add_paragraph()
            p._p.get_or_add_pPr().style = ids["h1"] if block.level <= 1 else ids["h2"]
            p.add_run(block.text)
            if block.value:
                r = p.add_run("　" + block.value)
                r._r.get_or_add_rPr().style = ids["value"]
        elif isinstance(block, Table):
            if block.caption:
                p = add_paragraph()
                p._p.get_or_add_pPr().style = ids["indent1"]
                p.add_run(block.caption)
            add_table(doc, block.columns, block.rows, block.widths_mm, style_ids=ids)
        elif isinstance(block, Title):
            p = add_paragraph()
            p._p.get_or_add_pPr().style = ids["title"]
            p.add_run(block.text)
    return doc


def write_docx(minutes: MinutesDoc, target: Union[str, Path, IO[bytes]]) -> None:
    """Render and save to a path or a binary file object."""
    render_docx(minutes).save(target)
