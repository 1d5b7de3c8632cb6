"""CSV formulas defused: no cell of any CSV the app writes begins with
= + - @ tab or CR (such a cell gets a leading apostrophe, as Excel expects);
on import such a cell is kept as text, named in the preview by row and column,
and a file exported and read back is unchanged."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kyogitai_tui.domain.csvfile import FORMULA_START, csv_bytes, undefuse

HOSTILE = '=HYPERLINK("http://example.invalid/x","詳細")'


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kyogitai_tui", *args], capture_output=True, text=True, timeout=120)


def io_row(values: list[str]) -> bytes:
    """One row as a person would type it in a text editor (no apostrophes)."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue().encode("utf-8")


def cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_no_live_formula(data: bytes) -> None:
    for row in cells(data):
        for cell in row:
            assert not cell.startswith(FORMULA_START), row


@pytest.mark.parametrize("text", ["=1+1", "+81 90", "-見守り", "@SUM(A1)", "\t=x", "\r=x", "'=x", "''+x"])
def test_a_cell_that_excel_would_run_gets_an_apostrophe_and_comes_back(text):
    (row,) = cells(csv_bytes([[text]]))
    assert row[0] == "'" + text
    assert undefuse(row[0]) == text


def test_plain_cells_are_left_as_typed():
    assert cells(csv_bytes([["みほん会", "2025-09-16", "令和7年9月16日", 3, "O-01"]])) == [
        ["みほん会", "2025-09-16", "令和7年9月16日", "3", "O-01"]]


@pytest.fixture()
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    assert run("demo-data", str(target), "--today", "2025-09-09").returncode == 0
    return target


def test_registry_export_defuses_and_import_warns_and_round_trips(data, tmp_path):
    source = tmp_path / "in.csv"
    assert run("export-csv", "団体", "--data-dir", str(data), "--out", str(source)).returncode == 0
    header, first = cells(source.read_bytes())[:2]
    row = dict(zip(header, first), ID="", 団体名=HOSTILE)      # a valid new row with a hostile name
    source.write_bytes(b"\xef\xbb\xbf" + (",".join(header) + "\r\n").encode()
                       + io_row([row[h] for h in header]))
    proc = run("import-csv", "団体", str(source), "--data-dir", str(data))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "注意 2行目: 列「団体名」" in proc.stdout and "数式" in proc.stdout
    registry = json.loads((data / "registry.json").read_text(encoding="utf-8"))
    assert HOSTILE in {o["name"] for o in registry["organizations"].values()}   # kept as typed

    out = tmp_path / "団体.csv"
    assert run("export-csv", "団体", "--data-dir", str(data), "--out", str(out)).returncode == 0
    exported = out.read_bytes()
    assert_no_live_formula(exported)
    assert any(c == "'" + HOSTILE for row in cells(exported) for c in row)

    back = run("import-csv", "団体", str(out), "--data-dir", str(data), "--dry-run")
    assert back.returncode == 0, back.stdout
    assert "追加 0件・更新 0件" in back.stdout                         # nothing changed on the way back
    assert "列「団体名」" in back.stdout


def test_actions_and_annual_report_csv_defuse_every_cell(data, tmp_path):
    registry = data / "registry.json"
    doc = json.loads(registry.read_text(encoding="utf-8"))
    doc["councils"][next(k for k, v in doc["councils"].items() if v["id"] == "C2")]["name"] = HOSTILE
    registry.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    proc = subprocess.run([sys.executable, "-m", "kyogitai_tui", "actions", "--data-dir", str(data),
                           "--format", "csv", "--today", "2025-09-09"], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert_no_live_formula(proc.stdout)
    assert any(c == "'" + HOSTILE for row in cells(proc.stdout) for c in row)

    out = tmp_path / "report.csv"
    proc = run("report", "--fiscal-year", "2025", "--format", "csv", "--data-dir", str(data), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert_no_live_formula(out.read_bytes())
    assert any(c.startswith("'" + HOSTILE) for row in cells(out.read_bytes()) for c in row)
