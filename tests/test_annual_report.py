"""年度報告: the demo's 年度 counted from the raw dataset documents (not via
the report code), and no resident anywhere in it."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest

from kyogitai_tui.domain.reports.annual import build_annual_report, report_years
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes.annual_docx import export_annual

CAT = default_catalog()
HELD = {"HELD", "MINUTES_DRAFT", "MINUTES_CONFIRMED", "PUBLISHED"}


def _fy(iso: str) -> int:
    d = date.fromisoformat(iso)
    return d.year if d.month >= 4 else d.year - 1


def _expected(dataset: dict, fy: int, council: str | None) -> dict:
    """The figures, straight from the documents."""
    meetings = {mid: t for mid, t in dataset["meetings"].items()
                if (council is None or t["meeting"][0]["council_id"] == council)}
    held = {mid: t for mid, t in meetings.items()
            if t["meeting"][0]["status"] in HELD and _fy(t["meeting"][0]["held_on"]) == fy}
    rows = lambda table: [d for t in held.values() for d in t.get(table, [])]  # noqa: E731
    att = rows("attendance")
    members = [a for a in att if a["role_in_meeting"] == "MEMBER"]
    progress = rows("action_progress")
    # open at the end of the 年度: items of held meetings up to its end (any
    # earlier 年度 too), folding the progress recorded up to its end
    upto = [t for t in meetings.values() if t["meeting"][0]["status"] in HELD
            and _fy(t["meeting"][0]["held_on"]) <= fy]
    status = {a["id"]: a["status"] for t in upto for a in t.get("action_items", [])}
    for t in sorted(upto, key=lambda t: t["meeting"][0]["held_on"]):
        for p in t.get("action_progress", []):
            if p["action_item_id"] in status and p.get("status_after"):
                status[p["action_item_id"]] = p["status_after"]
    return {
        "actions_open_at_end": sum(1 for s in status.values() if s in ("NOT_STARTED", "IN_PROGRESS", "ON_HOLD")),
        "meetings_held": len(held),
        "members_present": sum(1 for a in members if a["status"] != "ABSENT"),
        "members_listed": len(members),
        "findings": len(rows("gap_findings")),
        "findings_by_kind": dict(Counter(f["kind"] for f in rows("gap_findings"))),
        "decisions": len(rows("decisions")),
        "decisions_by_type": dict(Counter(d["type"] for d in rows("decisions"))),
        "services_created": sum(1 for d in rows("decisions") if d["type"] == "CREATE_SERVICE"),
        "networks_formed": sum(1 for d in rows("decisions") if d["type"] == "FORM_NEW"),
        "networks_expanded": sum(1 for d in rows("decisions") if d["type"] == "EXPAND_EXISTING"),
        "actions_opened": len(rows("action_items")),
        "actions_completed": len({p["action_item_id"] for p in progress if p.get("status_after") == "DONE"}),
        "findings_resolved": sum(1 for u in rows("finding_updates") if u.get("status") == "RESOLVED"),
    }


@pytest.mark.parametrize("council", ["C2", None])
def test_report_counts_what_the_demo_holds(demo, council):
    world, today = demo
    fy = today.year if today.month >= 4 else today.year - 1
    expected = _expected(load_demo(today), fy, council)
    report = build_annual_report(world, fy, council, catalog=CAT)
    got = {k: report.counts[k] for k in expected}
    assert got == expected
    # and the demo really holds something to count
    assert expected["meetings_held"] >= 2 and expected["decisions"] == 6
    assert expected["actions_completed"] == 2


@pytest.mark.parametrize("fy", [2024, 2025])
@pytest.mark.parametrize("council", ["C2", None])
def test_a_demo_spanning_two_years_is_split_by_fiscal_year(fy, council):
    """Anchored on 2025-05-01 the demo's first meetings fall in 令和6年度 and
    the rest in 令和7年度; open items are carried into the next 年度."""
    today = date(2025, 5, 1)
    dataset = load_demo(today)
    world = World.from_dataset(dataset)
    expected = _expected(dataset, fy, council)
    report = build_annual_report(world, fy, council, catalog=CAT)
    assert {k: report.counts[k] for k in expected} == expected
    if fy == 2025 and council == "C2":
        assert expected["meetings_held"] == 0 and expected["actions_open_at_end"] == 7
        linkage = {r[0]: (r[1], r[2]) for r in report.section("linkage").rows}
        assert linkage["子ども・子育て支援"] == ("情報交換", "情報交換")


def test_report_sections_for_the_kita_council_in_numbers_a_reader_checks(demo):
    world, today = demo
    fy = today.year if today.month >= 4 else today.year - 1
    report = build_annual_report(world, fy, "C2", catalog=CAT)
    assert report.title.endswith("北みほん支え合い会議 活動報告")
    meetings = report.section("meetings")
    assert [r[0] for r in meetings.rows] == ["第1回", "第2回"]
    assert [(r[2], r[3]) for r in meetings.rows] == [("11", "13"), ("13", "14")]
    decisions = dict(report.section("decisions").rows)
    assert decisions["サービス・助け合いの創出"] == "1"
    assert decisions["他制度との連携"] == "2"
    services = report.section("services").rows
    assert len(services) == 1 and "買い物同行" in services[0][2]
    nets = report.section("networks").rows
    assert ("形成", "北地区 自治会・NPOつなぎの会") in [(r[2], r[3]) for r in nets]
    linkage = {r[0]: r[2] for r in report.section("linkage").rows}
    assert linkage == {"障がい者等への地域生活支援": "未接触", "生活困窮者自立支援制度": "未接触",
                       "子ども・子育て支援": "情報交換", "認知症地域支援推進員": "協議体へ定例参加"}


def test_an_empty_year_says_so(demo):
    world, today = demo
    report = build_annual_report(world, 2010, "C2", catalog=CAT)
    assert report.counts["meetings_held"] == 0
    assert report.section("meetings").rows == []
    assert report.section("meetings").empty == "この年度に開催した会議はありません"
    assert report_years(world, today)[0] >= today.year - 1


def resident_tokens(world) -> set[str]:
    """Every subject code, label and display label of the World."""
    out = set()
    for s in world.subjects.values():
        out.update({s.code, s.label, s.id, world.subject_label(s.id)})
    return {t for t in out if t}


def assert_no_resident(text: str, world) -> None:
    for token in resident_tokens(world):
        assert token not in text, token
    # the letter labels as they would be written (Aさん .. Fさん, 「A氏」…)
    assert not re.search(r"[A-FＡ-Ｆ](さん|様|氏)", text), re.search(r"[A-FＡ-Ｆ](さん|様|氏)", text)
    assert not re.search(r"R-\d{3}", text)


@pytest.mark.parametrize("council", ["C2", None])
def test_no_resident_in_any_string_of_the_report(demo, council):
    world, today = demo
    fy = today.year if today.month >= 4 else today.year - 1
    report = build_annual_report(world, fy, council, catalog=CAT)
    assert report.guard_hits == 0      # the rules caught everything before the guard
    text = "\n".join(report.texts())
    assert_no_resident(text, world)
    # the residents' decisions are there, as neutral rows
    assert "個別の事例に関する事項（公開用では内容を省略）" in text


# --------------------------------------------------------------------------
# exports: Word (the minutes' page setup) and CSV
# --------------------------------------------------------------------------

def _docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    for s in doc.sections:
        parts.extend(p.text for p in s.header.paragraphs)
        parts.extend(p.text for p in s.footer.paragraphs)
    return "\n".join(parts)


@pytest.mark.parametrize("council", ["C2", None])
def test_word_and_csv_hold_the_report_and_no_resident(demo, council, tmp_path):
    from docx import Document
    from docx.shared import Mm


    world, today = demo
    fy = today.year if today.month >= 4 else today.year - 1
    docx_path = export_annual(world, fy, council, "docx", tmp_path, today=today, catalog=CAT)
    csv_path = export_annual(world, fy, council, "csv", tmp_path, today=today, catalog=CAT)
    assert docx_path.suffix == ".docx" and csv_path.suffix == ".csv"
    assert docx_path.stat().st_mode & 0o777 == 0o600
    text = _docx_text(docx_path)
    assert_no_resident(text, world)
    for heading in ("1　会議の開催と出席", "4　決定事項（種類別）", "7　サービス・助け合いの創出",
                    "10　他制度との連携", "以上"):
        assert heading in text
    assert "北台地区で、NPOとサロンの会による買い物同行・代行の助け合いを試行する" in text
    doc = Document(str(docx_path))
    sec = doc.sections[0]
    assert (round(sec.page_width / Mm(1)), round(sec.page_height / Mm(1))) == (210, 297)
    rfonts = doc.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "ＭＳ 明朝"
    assert "PAGE" in sec.footer._element.xml

    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    csv_text = raw.decode("utf-8-sig")
    assert_no_resident(csv_text, world)
    # one tidy sheet: a header row, then only data rows, each naming its 章
    import csv as _csv
    import io as _io
    rows = list(_csv.DictReader(_io.StringIO(csv_text)))
    assert rows and all(r["年度"] and r["章"] for r in rows)
    kinds = {r["種類"]: r["件数"] for r in rows if r["章"] == "4　決定事項（種類別）" and r["件数"]}
    assert kinds["サービス・助け合いの創出"] == "1"
    meetings = [r for r in rows if r["章"] == "1　会議の開催と出席" and r["回"]]
    assert meetings and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["開催日"]) for r in meetings)
    assert all(r["開催日（和暦）"].startswith("令和") for r in meetings)
    # Word: 和暦 only, 作成日・作成者・担当課 under the title, figures flush right
    assert not re.search(r"\d{1,2}/\d{1,2}（", text)
    assert "作成日　" in text and "作成者　" in text and "担当課　みほん市 高齢福祉課" in text
    assert doc.core_properties.author.endswith("事務局") and doc.core_properties.created.year >= 2025
    counts = next(t for t in doc.tables if t.rows[0].cells[-1].text == "件数")
    assert all(r.cells[-1].paragraphs[0].alignment == 2 for r in counts.rows[1:])   # WD_ALIGN_PARAGRAPH.RIGHT


def test_export_refuses_what_the_user_can_fix(demo, tmp_path):
    from kyogitai_tui.minutes.export import ExportError

    world, today = demo
    with pytest.raises(ExportError) as e:
        export_annual(world, 2025, "C9", "docx", tmp_path, catalog=CAT)
    assert "協議体「C9」が見つかりません" in e.value.message and "C2（北みほん支え合い会議）" in e.value.message
    with pytest.raises(ExportError) as e:
        export_annual(world, 2025, "C2", "pdf", tmp_path, catalog=CAT)
    assert "docx（Word）か csv" in e.value.message
    first = export_annual(world, 2025, "C2", "csv", tmp_path / "a.csv", catalog=CAT)
    with pytest.raises(ExportError) as e:
        export_annual(world, 2025, "C2", "csv", first, catalog=CAT)
    assert e.value.reason == "EXISTS"
    assert export_annual(world, 2025, "C2", "csv", first, catalog=CAT, force=True) == first


# --------------------------------------------------------------------------
# the Word file rendered by LibreOffice (skipped where it is missing, as in
# tests/test_minutes_render.py)
# --------------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFFONTS = shutil.which("pdffonts")
PDFTOTEXT = shutil.which("pdftotext")
JAPANESE_FONT = re.compile(r"IPA|Noto\w*CJK|Noto\w*JP|Takao|VL|Mincho|Gothic|Meiryo|Yu", re.I)


@pytest.mark.skipif(
    not (SOFFICE and PDFFONTS and PDFTOTEXT),
    reason="LibreOffice (soffice) と poppler-utils（pdffonts, pdftotext）が必要です: "
           "apt-get install libreoffice-writer-nogui poppler-utils fonts-ipaexfont",
)
@pytest.mark.xdist_group("libreoffice")  # one LibreOffice at a time (tests/test_minutes_render.py)
def test_annual_report_renders_with_japanese_fonts_and_its_sections(tmp_path):
    world = World.from_dataset(load_demo(DEMO_TODAY))
    docx = export_annual(world, 2025, None, "docx", tmp_path, today=DEMO_TODAY, catalog=default_catalog())
    profile = tmp_path / "lo-profile"  # its own profile and HOME: runs beside other LibreOffice tests
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180, env=dict(os.environ, HOME=str(tmp_path)))
    pdf = docx.with_suffix(".pdf")
    assert pdf.exists()
    fonts = subprocess.run([PDFFONTS, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert JAPANESE_FONT.search(fonts), fonts
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    positions = [flat.find(h) for h in ("1会議の開催と出席", "2把握した地域課題", "4決定事項（種類別）",
                                        "6ネットワークの形成・機能拡大", "10他制度との連携", "以上")]
    assert -1 not in positions and positions == sorted(positions), positions
    assert "-1-" in flat                                  # the page number footer
    for s in world.subjects.values():
        assert s.label not in flat and s.code not in flat


def test_python_docx_is_loaded_only_when_a_word_file_is_written():
    code = ("import sys\n"
            "import kyogitai_tui.domain.reports.annual, kyogitai_tui.minutes.annual_docx\n"
            "import kyogitai_tui.ui.screens.annual_report, kyogitai_tui.ui.screens.ledger\n"
            "from kyogitai_tui.cli import build_parser\n"
            "build_parser()\n"
            "print('docx' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_items_completed_or_handed_over_between_meetings_count_in_their_year():
    """取組 completed on the follow-up screen (会議外) or handed over to another
    item count as completed in the 年度 of their date; one completed after
    the year's end still counts as open at that end."""
    from kyogitai_tui.domain.followup import ops as ops
    from kyogitai_tui.domain.changes import apply_to_dataset

    ds = load_demo(DEMO_TODAY)
    world = World.from_dataset(ds)
    before = build_annual_report(world, 2025, "C2", catalog=CAT).counts
    apply_to_dataset(ds, ops.change_status(world, "AI-09", "DONE", "参加の了承を得た", date(2025, 9, 10)))
    world = World.from_dataset(ds)
    apply_to_dataset(ds, ops.supersede(world, "AI-05", "AI-07", "試行に引き継ぐ", date(2025, 9, 10)))
    world = World.from_dataset(ds)
    apply_to_dataset(ds, ops.change_status(world, "AI-04", "DONE", "加入した", date(2026, 4, 2)))
    world = World.from_dataset(ds)
    after = build_annual_report(world, 2025, "C2", catalog=CAT).counts
    assert after["actions_completed"] == before["actions_completed"] + 2
    assert after["actions_open_at_end"] == before["actions_open_at_end"] - 2   # AI-04 still open on 3/31
    next_year = build_annual_report(world, 2026, "C2", catalog=CAT).counts
    assert next_year["actions_completed"] >= 1
