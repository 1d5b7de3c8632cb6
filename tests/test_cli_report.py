"""``kyogitai report`` as a user runs it: the file is written, the numbers are
those of the report, bad input ends in Japanese with exit code 2."""
from __future__ import annotations

import argparse
from datetime import date

import pytest

from kyogitai_tui.cli import main

from kyogitai_tui.commands.report import parse_fiscal_year

TODAY = date(2025, 9, 9)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory, demo_folder):
    return demo_folder(tmp_path_factory.mktemp("demo") / "data", TODAY)


def test_fiscal_year_accepts_western_and_reiwa():
    assert parse_fiscal_year("2025") == 2025
    assert parse_fiscal_year("令和7") == 2025
    assert parse_fiscal_year("令和７年度") == 2025
    assert parse_fiscal_year("R7") == 2025
    assert parse_fiscal_year("令和元") == 2019
    with pytest.raises(argparse.ArgumentTypeError):
        parse_fiscal_year("来年")


def test_report_writes_csv_for_one_council(demo_dir, tmp_path, capsys):
    out = tmp_path / "kita.csv"
    code = main(["report", "--fiscal-year", "2025", "--council", "C2", "--format", "csv",
                 "--out", str(out), "--data-dir", str(demo_dir)])
    assert code == 0
    assert "令和7年度の年度報告（北みほん支え合い会議・CSV）" in capsys.readouterr().out
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("年度,章,回,開催日,開催日（和暦）,")       # a header row Excel can filter
    assert any(ln.startswith("令和7年度,1　会議の開催と出席,第2回,2025-07-15,令和7年7月15日,13,14,3,0")
               for ln in lines)
    import csv
    rows = list(csv.DictReader(lines))
    assert {"章": "8　取組（役割分担）の状況", "区分": "この年度に決めた取組", "件数": "9"}.items() <= next(
        r for r in rows if r["区分"] == "この年度に決めた取組").items()


def test_report_writes_word_for_all_councils_into_a_folder(demo_dir, tmp_path, capsys):
    code = main(["--data-dir", str(demo_dir), "report", "--fiscal-year", "令和7", "--format", "docx",
                 "--out", str(tmp_path)])
    assert code == 0
    written = list(tmp_path.glob("*.docx"))
    assert [p.name for p in written] == ["令和7年度_全協議体_みほん市_年度報告.docx"]
    # a second run does not overwrite without --force
    code = main(["--data-dir", str(demo_dir), "report", "--fiscal-year", "2025", "--format", "docx",
                 "--out", str(tmp_path)])
    assert code == 2
    assert "すでにあります" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--fiscal-year", "2025", "--council", "C9", "--format", "csv"], "協議体「C9」が見つかりません"),
    (["--fiscal-year", "2025", "--format", "pdf"], "--format には docx（Word）か csv"),
    (["--fiscal-year", "らいねん", "--format", "csv"], "--fiscal-year には年度を"),
])
def test_bad_input_is_refused_in_japanese(demo_dir, tmp_path, capsys, args, message):
    try:
        code = main(["report", *args, "--out", str(tmp_path / "x.csv"), "--data-dir", str(demo_dir)])
    except SystemExit as exc:            # argparse refuses before the command runs
        code = exc.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_missing_data_folder_says_so(tmp_path, capsys):
    code = main(["report", "--fiscal-year", "2025", "--format", "csv", "--out", str(tmp_path / "x.csv"),
                 "--data-dir", str(tmp_path / "nope")])
    assert code == 2
    assert "が見つかりません" in capsys.readouterr().err
