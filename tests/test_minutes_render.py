"""Render the Word minutes with LibreOffice (headless) and check the PDF:
a Japanese font is embedded (pdffonts) and the headings come in order
(pdftotext).  Skipped, with the reason, where soffice / poppler are missing
(Debian: libreoffice-writer-nogui poppler-utils fonts-ipaexfont).

The document asks for 「ＭＳ 明朝」 (body) and 「ＭＳ ゴシック」 (headings), fonts
of a Japanese Windows.  For the render the test gives LibreOffice a
fontconfig file that maps them to IPAex明朝 / IPAexゴシック (as Windows would
map them to themselves), so that it can also tell that body and headings
really use different East Asian fonts (w:eastAsia honoured, theme removed).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes import export_minutes

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFFONTS = shutil.which("pdffonts")
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = [pytest.mark.skipif(
    not (SOFFICE and PDFFONTS and PDFTOTEXT),
    reason="LibreOffice (soffice) と poppler-utils（pdffonts, pdftotext）が必要です: "
           "apt-get install libreoffice-writer-nogui poppler-utils fonts-ipaexfont",
), pytest.mark.xdist_group("libreoffice")]  # one worker renders the PDF once, and one LibreOffice runs at a time

JAPANESE_FONT = re.compile(r"IPA|Noto\w*CJK|Noto\w*JP|Takao|VL|Mincho|Gothic|Meiryo|MS-?Mincho|Yu", re.I)
HEADINGS = ["1日時", "2場所", "3出席者（敬称略）", "4欠席者（敬称略）", "5傍聴者", "6配布資料", "7議題",
            "8会議の経過（要旨）", "9決定事項", "10今後の取組（役割分担）", "11次回開催予定",
            "12公開・非公開の別", "13記録", "以上"]

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>ＭＳ 明朝</family>
    <prefer><family>IPAexMincho</family><family>IPAMincho</family><family>Noto Serif CJK JP</family></prefer></alias>
  <alias binding="same"><family>ＭＳ ゴシック</family>
    <prefer><family>IPAexGothic</family><family>IPAGothic</family><family>Noto Sans CJK JP</family></prefer></alias>
</fontconfig>
"""


def _installed(family: str) -> bool:
    fc = shutil.which("fc-list")
    if not fc:
        return False
    out = subprocess.run([fc, ":", "family"], capture_output=True, text=True).stdout
    return family in out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """公開用, 内部記録 and the 年度報告, rendered by one LibreOffice run."""
    from kyogitai_tui.minutes.annual_docx import export_annual

    tmp = tmp_path_factory.mktemp("render")
    world = World.from_dataset(load_demo(DEMO_TODAY))
    files = [export_minutes(world, "M-C2-02", "PUBLIC", "docx", tmp / "minutes.docx", today=DEMO_TODAY),
             export_minutes(world, "M-C2-02", "INTERNAL", "docx", tmp / "internal.docx", today=DEMO_TODAY),
             export_annual(world, 2025, "C2", "docx", tmp / "annual.docx", today=DEMO_TODAY)]
    conf = tmp / "fonts.conf"
    conf.write_text(FONTS_CONF, encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(tmp))
    profile = (tmp / "lo-profile").as_uri()
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp), *map(str, files)],
        capture_output=True, text=True, env=env, timeout=240)
    out = {f.stem: tmp / f"{f.stem}.pdf" for f in files}
    for p in out.values():
        assert p.exists(), f"soffice failed: {proc.returncode} {proc.stdout} {proc.stderr}"
    return out


@pytest.fixture(scope="module")
def pdf(pdfs) -> Path:
    return pdfs["minutes"]


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run([PDFTOTEXT, "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f") if page.strip()]


def _embedded_fonts(pdf: Path) -> list[str]:
    out = subprocess.run([PDFFONTS, str(pdf)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        # name type... emb sub uni object ID: emb is the 5th column from the end
        if len(cols) >= 6 and cols[-5] == "yes":
            fonts.append(cols[0].split("+", 1)[-1])
    return fonts


def test_japanese_font_embedded(pdf):
    fonts = _embedded_fonts(pdf)
    assert any(JAPANESE_FONT.search(f) for f in fonts), fonts


@pytest.mark.skipif(not (_installed("IPAexMincho") and _installed("IPAexGothic")),
                    reason="IPAex フォント（fonts-ipaexfont）がありません")
def test_body_mincho_and_headings_gothic(pdf):
    fonts = _embedded_fonts(pdf)
    assert any("IPAexMincho" in f for f in fonts), fonts
    assert any("IPAexGothic" in f for f in fonts), fonts


def test_headings_in_order_in_the_rendered_text(pdf):
    text = subprocess.run([PDFTOTEXT, "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "令和7年度第2回北みほん支え合い会議（第2層協議体）会議録（要旨）" in flat
    assert "【公開用】（案）" in flat
    pos = -1
    for h in HEADINGS:
        nxt = flat.find(h, pos + 1)
        assert nxt > pos, f"{h} not found after position {pos}"
        pos = nxt
    assert "-1-" in flat          # the page number field was rendered
    assert "Aさん" not in flat and "R-00" not in flat


def test_internal_record_renders_with_its_warning_first_and_every_heading(pdfs):
    pages = _pages(pdfs["internal"])
    flat = "".join(pages)
    assert pages[0].index("【取扱注意（個人情報を含む）】本書は公開しないこと。") < pages[0].index("会議録（要旨）")
    assert all("取扱注意" in p for p in pages)          # the page header on every page
    pos = -1
    for h in HEADINGS:
        nxt = flat.find(h, pos + 1)
        assert nxt > pos, f"{h} not found after position {pos}"
        pos = nxt
    assert "Eさん" in flat                               # the internal record keeps the label


@pytest.mark.parametrize("name", ["minutes", "internal"])
def test_the_closing_section_is_never_split_from_its_heading(pdfs, name):
    """「13 記録」 and 「以上」 are on one page: no last page of a lone 以上."""
    last = _pages(pdfs[name])[-1]
    assert "13記録" in last and re.search(r"以上-\d+-$", last), last


def test_annual_report_renders_with_who_made_it_and_wareki_dates(pdfs):
    pages = _pages(pdfs["annual"])
    flat = "".join(pages)
    assert "作成日令和7年9月9日" in flat and "担当課みほん市高齢福祉課" in flat and "作成者" in flat
    assert "令和7年7月15日" in flat and not re.search(r"\d{1,2}/\d{1,2}（", flat)
    positions = [flat.find(h) for h in ("1会議の開催と出席", "4決定事項（種類別）", "10他制度との連携", "以上")]
    assert -1 not in positions and positions == sorted(positions)
