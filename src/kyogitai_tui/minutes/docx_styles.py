"""The minutes' Word styles and page: fonts, sizes, indents and A4 margins,
built once per process into an empty template that every export copies.

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

``docx_writer`` lays the blocks out on a copy of this template.
"""
from __future__ import annotations

import functools
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

__all__ = [
    "BODY_FONT", "HEADING_FONT", "PAGE_WIDTH_MM", "PAGE_HEIGHT_MM", "MARGINS_MM", "MAX_INDENT",
    "STYLE", "new_document", "set_style_fonts", "style_ids",
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


def style_ids() -> dict[str, str]:
    """Style ids of the minutes' styles (the same in every document made by
    ``new_document``)."""
    return dict(_template()[1])
