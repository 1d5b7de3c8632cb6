"""Every demo meeting, both variants, both formats, read back: the layout of
docs/DOMAIN.md's minutes layout (headings in order, tables and their rows, fonts, A4,
footer field), the redaction (zero resident labels/codes in any 公開用
paragraph, cell, header or footer; labels only in the 内部記録; sensitive
data in neither), and the minutes lifecycle (案 / 確定 / 訂正)."""
from __future__ import annotations

import copy
import io
import re
import unicodedata
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.meeting.minutes_state import minutes_state
from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes import build_minutes, render_bytes
from kyogitai_tui.minutes.content import AGGREGATE_LINE, HANDLING_NOTE, NEUTRAL_ACTION, NEUTRAL_DECISION
from kyogitai_tui.minutes.docx_styles import BODY_FONT, HEADING_FONT

# One worker renders every demo meeting once (the module's ``exports``) and
# runs all of these; spread over the workers, each rendered them again.
pytestmark = pytest.mark.xdist_group("minutes_demo")

H1 = ["1　日　時", "2　場　所", "3　出席者（敬称略）", "4　欠席者（敬称略）", "5　傍聴者", "6　配布資料",
      "7　議　題", "8　会議の経過（要旨）", "9　決定事項", "10　今後の取組（役割分担）",
      "11　次回開催予定", "12　公開・非公開の別", "13　記　録"]
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_STRIP = dict.fromkeys(map(ord, " \t\r\n\u3000_-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\uff70"), None)


def norm(text: str) -> str:
    """Independent of the redactor: NFKC, case-folded, no spaces or dashes."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_STRIP)


def resident_tokens(world) -> set[str]:
    toks = set()
    for s in world.subjects.values():
        toks.update({s.code, s.label, s.id})
    return {t for t in toks if t}


def find_hits(texts, tokens) -> list[tuple[str, str]]:
    ntoks = [(t, norm(t)) for t in tokens]
    return [(text, t) for text in texts for t, nt in ntoks if nt and nt in norm(text)]


def docx_texts(doc) -> list[str]:
    """Every paragraph, table cell, header and footer paragraph of a document."""
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header, section.even_page_footer):
            out.extend(p.text for p in part.paragraphs)
            for table in part.tables:
                for row in table.rows:
                    for cell in row.cells:
                        out.append(cell.text)
    return out


@pytest.fixture(scope="module")
def exports():
    """{(meeting, variant, fmt): bytes} for every demo meeting."""
    world = World.from_dataset(load_demo(DEMO_TODAY))
    out = {}
    for mid in world.meetings:
        for variant in ("PUBLIC", "INTERNAL"):
            m = build_minutes(world, mid, variant, today=DEMO_TODAY)
            assert m.guard_hits == 0, (mid, variant)   # the builder itself redacted everything
            for fmt in ("docx", "md"):
                out[(mid, variant, fmt)] = render_bytes(m, fmt)
    return out


def read_docx(data: bytes):
    return Document(io.BytesIO(data))


def test_every_demo_meeting_exported(demo_world, exports):
    assert len(demo_world.meetings) >= 9
    assert {"M-C2-01", "M-C2-02"} <= set(demo_world.meetings)
    assert len(exports) == len(demo_world.meetings) * 4


# ---------------------------------------------------------------- layout

@pytest.mark.parametrize("variant", ["PUBLIC", "INTERNAL"])
def test_docx_headings_in_order_and_structure(demo_world, exports, variant):
    for mid, rec in demo_world.meetings.items():
        doc = read_docx(exports[(mid, variant, "docx")])
        paras = doc.paragraphs
        if variant == "INTERNAL":     # the 取扱注意 banner comes first, before the title
            assert paras[0].style.name == "Minutes Warning" and "取扱注意" in paras[0].text
            paras = paras[1:]
        assert paras[0].style.name == "Title"
        title = paras[0].text
        assert title.endswith("会議録（要旨）") and re.search("（第[12]層協議体）", title), title
        assert paras[1].text.startswith("【公開用】" if variant == "PUBLIC" else "【内部記録】")
        h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert [h[:len(label)] for h, label in zip(h1, H1)] == H1 and len(h1) == len(H1), mid
        assert doc.paragraphs[-1].text == "以上"
        # 8 会議の経過 has one level-2 heading per enabled agenda item, in agenda order
        h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
        items = [a for a in rec.agenda_items if a.enabled]
        # what was recorded without an item gets one heading of its own, last
        if h2 and h2[-1].endswith("（議題外の記録）"):
            h2 = h2[:-1]
        assert len(h2) == len(items)
        if variant == "INTERNAL":
            assert [h.split(" ", 1)[1] for h in h2] == [a.title for a in items]


@pytest.mark.parametrize("variant", ["PUBLIC", "INTERNAL"])
def test_docx_tables_and_row_counts(demo_world, exports, variant):
    for mid, rec in demo_world.meetings.items():
        doc = read_docx(exports[(mid, variant, "docx")])
        tables = {t.rows[0].cells[1].text: t for t in doc.tables}
        if rec.decisions:
            t = tables["決定事項"]
            assert len(t.rows) == len(rec.decisions) + 1
            assert [c.text for c in t.rows[0].cells] == ["No.", "決定事項", "区分", "対象", "担当"]
            assert [r.cells[0].text for r in t.rows[1:]] == [str(i) for i in range(1, len(rec.decisions) + 1)]
        else:
            assert "決定事項" not in tables
        new_actions = [a for a in rec.action_items]
        if "取組内容" in tables:
            t = tables["取組内容"]
            titles = [r.cells[1].text for r in t.rows[1:]]
            assert len(titles) >= len(new_actions)
            assert all(re.fullmatch("[①-⑳]", r.cells[0].text) for r in t.rows[1:])
            assert [c.text for c in t.rows[0].cells] == ["No.", "取組内容", "担当", "期限", "状況"]
        else:
            assert not new_actions


def test_m2_tables_exact(exports):
    doc = read_docx(exports[("M-C2-02", "INTERNAL", "docx")])
    dec, act = doc.tables
    assert len(dec.rows) == 1 + 3
    assert [r.cells[2].text for r in dec.rows[1:]] == [
        "個別ネットワーク形成の働きかけ", "他制度との連携", "サービス・助け合いの創出"]
    assert len(dec.rows[0].cells) == 5          # no 定足数 / 読上げ columns: said once, below
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in act.rows[1:]}
    # 取組① … numbered in the council's order; ⑤ was handed over to ⑦ and is not carried
    assert list(rows) == ["①", "④", "⑥", "⑦", "⑧", "⑨"]
    assert rows["①"][3:5] == ["令和7年7月10日", "対応中（期限超過）"]   # due before the meeting
    text = "\n".join(docx_texts(doc))
    assert "取組⑤　買い物同行ボランティア候補探し：引継ぎ（取組⑦へ）" in text
    assert "決定事項は、会議中に読み上げて確認した。" in text
    assert "（構成員14名中13名出席、定足数を満たし会議は成立）" in text


@pytest.mark.parametrize("variant", ["PUBLIC", "INTERNAL"])
def test_docx_fonts_page_and_footer(demo_world, exports, variant):
    for mid in demo_world.meetings:
        doc = read_docx(exports[(mid, variant, "docx")])
        for name, font in (("Normal", BODY_FONT), ("Heading 1", HEADING_FONT),
                           ("Heading 2", HEADING_FONT), ("Title", HEADING_FONT)):
            rfonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
            assert rfonts.get(qn("w:eastAsia")) == font
            assert all(rfonts.get(qn(a)) is None for a in THEME_ATTRS)
        s = doc.sections[0]
        assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5)
        instr = [e.text.strip() for e in s.footer._element.iter(qn("w:instrText"))]
        assert instr == ["PAGE"]
        assert s.footer.paragraphs[0].text.startswith("- ")
        header = [p.text for p in s.header.paragraphs]
        assert (HANDLING_NOTE in header) == (variant == "INTERNAL")
        assert any("北みほん" in h or "支え合い" in h for h in header)


def test_m2_content_follows_the_layout(exports):
    doc = read_docx(exports[("M-C2-02", "PUBLIC", "docx")])
    text = "\n".join(docx_texts(doc))
    assert "1　日　時　令和7年7月15日（火）午後2時00分～午後4時00分" in text
    assert "2　場　所　北みほん地区会館 2階和室（オンライン併用）" in text
    assert "（構成員14名中13名出席、定足数を満たし会議は成立）" in text
    assert "試験 春男（会長／北みほん自治会連合会）" in text
    assert "見本 二葉（第2層）、見本 一郎（第1層）" in text
    assert "4　欠席者（敬称略）　仮名 五月（架空北診療所）" in text
    assert "5　傍聴者　なし" in text
    assert "【報告事項】" in text and "【協議事項】" in text and "【その他】" in text
    assert "(10) 他制度との連携（認知症地域支援推進員）" in text          # 1 → (1) numbering
    assert "① 北みほん圏域 多職種連携会議" in text                        # (1) → ① numbering
    assert "○副会長　" in text and "○事務局　" in text and "○生活支援コーディネーター　" in text and "○委員　" in text
    assert "事務局より資料1に基づき報告。" in text
    assert "11　次回開催予定　令和7年9月16日（火）午後2時00分　北みほん地区会館" in text
    assert "12　公開・非公開の別　公開" in text
    assert "記録者：見本 二葉" in text and "作成日：令和7年8月8日" in text


# ---------------------------------------------------------------- redaction

def test_public_variant_has_zero_resident_hits_docx_and_md(demo_world, exports):
    tokens = resident_tokens(demo_world)
    assert {"Aさん", "R-001", "Fさん", "R-006"} <= tokens
    for mid in demo_world.meetings:
        doc = read_docx(exports[(mid, "PUBLIC", "docx")])
        texts = docx_texts(doc)
        assert len(texts) > 40
        assert find_hits(texts, tokens) == [], mid
        md = exports[(mid, "PUBLIC", "md")].decode("utf-8")
        assert find_hits(md.splitlines(), tokens) == [], mid
        # no composite label, no age band / household of a person either
        for sid in demo_world.subjects:
            composite = demo_world.subject_label(sid)
            assert composite not in md
            assert composite[composite.index("（"):] not in md


def test_public_speakers_are_roles_without_names(demo_world, exports):
    names = [p.display_name for p in demo_world.persons.values()]
    for mid in ("M-C2-01", "M-C2-02"):
        doc = read_docx(exports[(mid, "PUBLIC", "docx")])
        statements = [p.text for p in doc.paragraphs if p.text.startswith("○")]
        assert len(statements) > 10
        for s in statements:
            label = s.split("　", 1)[0]
            assert label in {"○会長", "○副会長", "○委員", "○生活支援コーディネーター", "○事務局", "○アドバイザー"}, s
            assert not any(n in label for n in names)


def test_public_individual_network_item_is_one_aggregate_line(exports):
    for mid, n in (("M-C2-01", 3), ("M-C2-02", 2)):
        md = exports[(mid, "PUBLIC", "md")].decode("utf-8")
        assert AGGREGATE_LINE.format(n=n) in md
    md2 = exports[("M-C2-02", "PUBLIC", "md")].decode("utf-8")
    assert "　資料3　（非公開）" in md2            # internal-only material: its number only
    assert "個別ネットワークの状況（仮名表記）" not in md2
    assert "資料4　事業者間ネットワーク機能チェック表" in md2
    assert "予定議題：買い物同行の試行案、多職種連携会議からの回答" in md2
    assert md2.count(NEUTRAL_DECISION) == 2      # D-04 (Fさん), D-06 (Eさん)
    assert md2.count(NEUTRAL_ACTION) == 2        # AI-06, AI-08
    assert "北台地区で、NPOとサロンの会による買い物同行・代行の助け合いを試行する" in md2


def test_internal_variant_uses_labels_only(demo_world, exports):
    md = exports[("M-C2-02", "INTERNAL", "md")].decode("utf-8")
    assert "Eさん（70代・女性・子と同居）" in md
    assert "Fさん（80代・女性・三世代）" in md
    assert "Fさん宅での関係者会議の調整" in md
    assert "資料3　個別ネットワークの状況（仮名表記）（非公開）" in md
    codes = [s.code for s in demo_world.subjects.values()]
    for mid in demo_world.meetings:
        for fmt in ("md", "docx"):
            data = exports[(mid, "INTERNAL", fmt)]
            texts = (data.decode("utf-8").splitlines() if fmt == "md" else docx_texts(read_docx(data)))
            assert find_hits(texts, codes) == [], (mid, fmt)


def test_sensitive_data_in_neither_variant(demo_world, exports):
    sensitive = [s.notes for s in demo_world.sensitive.values() if s.notes]
    assert sensitive, "the demo stores sensitive notes"
    for key, data in exports.items():
        if key[2] == "md":
            text = data.decode("utf-8")
            for note in sensitive:
                assert note not in text, key
            assert "精神障がい" not in text and "要配慮" not in text


class _NoSensitive(World):
    @property
    def sensitive(self):
        raise AssertionError("minutes/ read World.sensitive")

    @sensitive.setter
    def sensitive(self, value):
        pass


def test_builder_never_touches_sensitive(demo_world):
    w = World.from_dataset(load_demo(DEMO_TODAY))
    w.__class__ = _NoSensitive
    with pytest.raises(AssertionError):
        _ = w.sensitive
    for mid in w.meetings:
        for variant in ("PUBLIC", "INTERNAL"):
            m = build_minutes(w, mid, variant, today=DEMO_TODAY)
            render_bytes(m, "docx")
            render_bytes(m, "md")


# ---------------------------------------------------------------- lifecycle

def test_minutes_state_of_the_demo(demo_world):
    s1 = minutes_state(demo_world, "M-C2-01")
    assert s1.status == "CORRECTED" and s1.label == "確定（訂正あり）"
    assert s1.confirmed_on == date(2025, 7, 15) and s1.confirmed_at_meeting_id == "M-C2-02"
    assert "副会長" in s1.correction
    s2 = minutes_state(demo_world, "M-C2-02")
    assert s2.is_draft and s2.label == "案" and s2.confirmed_on is None


def test_lifecycle_shows_in_exports(exports):
    m1 = exports[("M-C2-01", "PUBLIC", "md")].decode("utf-8")
    assert "【公開用】（令和7年7月15日確定）" in m1
    assert "確定日：令和7年7月15日（令和7年度 第2回会議で確認）" in m1
    assert "訂正内容：議題 報告(3) の発言者の区分を「委員」から「副会長」に訂正" in m1
    m2 = exports[("M-C2-02", "INTERNAL", "md")].decode("utf-8")
    assert "【内部記録】（案）" in m2 and "本会議録は案であり" in m2


def _with_a01(result: str, correction: str = "") -> World:
    ds = copy.deepcopy(load_demo(DEMO_TODAY))
    m3 = ds["meetings"]["M-C2-03"]
    m3["meeting"][0]["status"] = "HELD"
    m3["agenda_items"] = [{"id": "AG-3-01", "meeting_id": "M-C2-03", "order": 1, "section": "REPORT",
                           "title": "前回会議録の確認", "template": "A01", "result": result,
                           "correction": correction}]
    return World.from_dataset(ds)


def test_next_meeting_a01_confirms_and_later_exports_show_it():
    w = _with_a01("CONFIRMED")
    st = minutes_state(w, "M-C2-02")
    assert st.status == "CONFIRMED" and st.label == "確定"
    assert st.confirmed_on == w.meetings["M-C2-03"].meeting.held_on
    md = render_bytes(build_minutes(w, "M-C2-02", "PUBLIC", today=DEMO_TODAY), "md").decode()
    assert "確定日：令和7年9月16日（令和7年度 第3回会議で確認）" in md
    assert "訂正内容" not in md and "本会議録は案" not in md


def test_correction_text_is_redacted_in_public():
    w = _with_a01("CORRECTED", "Fさんに関する記載を削除。AI-07の期限を訂正")
    st = minutes_state(w, "M-C2-02")
    assert st.status == "CORRECTED" and "Fさん" in st.correction
    pub = render_bytes(build_minutes(w, "M-C2-02", "PUBLIC", today=DEMO_TODAY), "md").decode()
    assert "訂正内容：取組⑦の期限を訂正" in pub and "Fさん" not in pub
    internal = render_bytes(build_minutes(w, "M-C2-02", "INTERNAL", today=DEMO_TODAY), "md").decode()
    assert "訂正内容：Fさんに関する記載を削除。取組⑦の期限を訂正" in internal


def test_written_confirmation_without_next_meeting():
    ds = copy.deepcopy(load_demo(DEMO_TODAY))
    ds["meetings"]["M-C2-02"]["meeting"][0]["minutes_confirmed_on"] = "2025-08-20"
    w = World.from_dataset(ds)
    st = minutes_state(w, "M-C2-02")
    assert st.status == "CONFIRMED" and st.confirmed_at_meeting_id is None
    md = render_bytes(build_minutes(w, "M-C2-02", "INTERNAL", today=DEMO_TODAY), "md").decode()
    assert "確定日：令和7年8月20日（書面により確認）" in md


def test_unknown_meeting_and_variant_are_explained(demo_world):
    from kyogitai_tui.minutes import MinutesError
    with pytest.raises(MinutesError, match="会議「NOPE」が見つかりません"):
        build_minutes(demo_world, "NOPE", "PUBLIC")
    with pytest.raises(MinutesError, match="public（公開用）か internal（内部記録）"):
        build_minutes(demo_world, "M-C2-01", "secret")
