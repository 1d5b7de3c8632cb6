"""The Word building blocks on hand-built minutes: A4, fonts through
w:eastAsia with the theme attributes removed, the PAGE field in the footer,
header lines, tables built row by row, and the 1 → (1) → ① numbering."""
from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from kyogitai_tui.minutes.blocks import Heading, MinutesDoc, Para, Table, Title
from kyogitai_tui.minutes.docx_styles import BODY_FONT, HEADING_FONT, STYLE
from kyogitai_tui.minutes.docx_writer import render_docx, write_docx
from kyogitai_tui.minutes.numbering import circled_no, paren_no, section_no

THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _doc() -> MinutesDoc:
    title = "令和7年度 第1回 北みほん支え合い会議（第2層協議体） 会議録（要旨）"
    return MinutesDoc(
        meeting_id="M1", variant="INTERNAL", title=title,
        header_lines=("取扱注意（個人情報を含む）", "北みほん支え合い会議　令和7年度 第1回"),
        blocks=[
            Title(title),
            Para("【内部記録】", kind="right"),
            Heading(1, "1　日　時", "令和7年5月20日（火）午後2時00分～午後3時45分"),
            Heading(1, "8　会議の経過（要旨）"),
            Heading(2, "(1) 前回議事録の確認"),
            Para("事務局より資料1に基づき説明。", indent=2),
            Para("○委員　移動支援の団体はまだ入っていない。", kind="statement"),
            Heading(1, "9　決定事項"),
            Table(("No.", "決定事項", "区分"), [("1", "提案する", "既存ネットワークの機能拡大"),
                                             ("2", "設ける", "新しいネットワークの形成")],
                  (12, 100, 58)),
            Para("以上", kind="right"),
        ])


def _reread(minutes: MinutesDoc):
    buf = io.BytesIO()
    write_docx(minutes, buf)
    buf.seek(0)
    return Document(buf)


def test_a4_portrait_with_margins():
    doc = _reread(_doc())
    s = doc.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.5)
    assert abs(s.page_height - Mm(297)) < Mm(0.5)
    assert s.page_width < s.page_height
    for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin):
        assert Mm(15) <= m <= Mm(35)


@pytest.mark.parametrize("key,font", [
    ("body", BODY_FONT), ("title", HEADING_FONT), ("h1", HEADING_FONT), ("h2", HEADING_FONT),
    ("statement", BODY_FONT), ("right", BODY_FONT), ("table", BODY_FONT), ("value", BODY_FONT),
    ("header", BODY_FONT), ("footer", BODY_FONT),
])
def test_styles_set_east_asian_font_without_theme(key, font):
    doc = _reread(_doc())
    rfonts = doc.styles[STYLE[key]].element.rPr.find(qn("w:rFonts"))
    assert rfonts is not None
    assert rfonts.get(qn("w:eastAsia")) == font
    assert rfonts.get(qn("w:ascii")) == font
    for attr in THEME_ATTRS:
        assert rfonts.get(qn(attr)) is None, attr


def test_document_defaults_have_no_theme_fonts_and_japanese_language():
    doc = _reread(_doc())
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == BODY_FONT
    for attr in THEME_ATTRS:
        assert rfonts.get(qn(attr)) is None
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "ja-JP"


def test_headings_are_black_not_theme_coloured():
    doc = _reread(_doc())
    for name in ("Heading 1", "Heading 2", "Title"):
        color = doc.styles[name].element.rPr.find(qn("w:color"))
        assert color is not None and color.get(qn("w:val")) == "000000"
        assert color.get(qn("w:themeColor")) is None


def test_footer_has_page_field_wrapped_in_dashes():
    doc = _reread(_doc())
    footer = doc.sections[0].footer
    xml = footer._element.xml
    assert "fldCharType=\"begin\"" in xml and "fldCharType=\"end\"" in xml
    instr = [e.text for e in footer._element.iter(qn("w:instrText"))]
    assert [t.strip() for t in instr] == ["PAGE"]
    text = footer.paragraphs[0].text
    assert text.startswith("- ") and text.endswith(" -")
    assert footer.paragraphs[0].alignment == 1  # centre


def test_header_lines():
    doc = _reread(_doc())
    lines = [p.text for p in doc.sections[0].header.paragraphs]
    assert lines == ["取扱注意（個人情報を含む）", "北みほん支え合い会議　令和7年度 第1回"]


def test_headings_paragraphs_and_tables_in_order():
    doc = _reread(_doc())
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["1　日　時　令和7年5月20日（火）午後2時00分～午後3時45分",
                  "8　会議の経過（要旨）", "9　決定事項"]
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == ["(1) 前回議事録の確認"]
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.paragraphs[-1].text == "以上"
    (table,) = doc.tables
    assert len(table.rows) == 3
    assert [c.text for c in table.rows[0].cells] == ["No.", "決定事項", "区分"]
    assert table.rows[2].cells[2].text == "新しいネットワークの形成"
    # the header row repeats on each page
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_heading_value_uses_body_font_character_style():
    doc = render_docx(_doc())
    p = next(p for p in doc.paragraphs if p.text.startswith("1　日　時"))
    assert p.runs[1].style.name == STYLE["value"]


def test_numbering_helpers():
    assert section_no(3) == "3"
    assert paren_no(2) == "(2)"
    assert [circled_no(n) for n in (1, 5, 20)] == ["①", "⑤", "⑳"]
    assert circled_no(21) == "㉑" and circled_no(35) == "㉟"
    assert circled_no(36) == "㊱" and circled_no(50) == "㊿"
    assert circled_no(51) == "(51)"


def test_awkward_text_survives_the_writer():
    m = _doc()
    m.blocks.append(Para("  前後の空白\t（タブ）\n改行\x0b制御文字\x00も  ", 2))
    m.blocks.append(Table(("A", "B"), [("一行目\n二行目", "")], (80, 90)))
    doc = _reread(m)
    para = next(p for p in doc.paragraphs if "前後の空白" in p.text)
    assert para.text == "  前後の空白\t（タブ）\n改行制御文字も  "
    assert doc.tables[-1].rows[1].cells[0].text == "一行目\n二行目"
