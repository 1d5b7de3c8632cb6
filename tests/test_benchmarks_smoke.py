"""The benchmark harness runs from a checkout with one command and prints its
table; timings are not asserted (they depend on the machine)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "benchmarks" / "run"

ROWS = [
    "cold start, demo", "cold start, --scale 1", "save, demo", "save, --scale 1",
    "key to repaint median", "key to repaint p95", "export, large meeting",
    "follow-up list", "search", "peak memory at start", "peak memory in a meeting",
]


@pytest.mark.skipif(sys.platform != "linux", reason="the cold start runs the app in a Linux pty")
def test_one_command_prints_the_whole_table(tmp_path):
    env = dict(os.environ, PYTHON=sys.executable)
    out = subprocess.run([str(RUN), "--smoke", "--dir", str(tmp_path), "--json", str(tmp_path / "r.json")],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert "| measure | ours | floor | ratio | target | result |" in lines
    table = [[c.strip() for c in line.strip("|").split("|")]
             for line in lines if line.startswith("| ") and "---" not in line][1:]
    assert len(table) == len(ROWS)
    for cells, name in zip(table, ROWS):
        assert cells[0].startswith(name), cells
        assert len(cells) == 6, cells
        assert cells[5] in ("met", "-", "not yet available") or cells[5].startswith("missed by"), cells
    # the floors were really measured in the same run
    assert "(bare Textual)" in out.stdout and "(TinyDB JSONStorage)" in out.stdout
    assert "(raw python-docx)" in out.stdout
    assert "Textual 8.2.8" in out.stdout
    assert (tmp_path / "r.json").is_file()
    # the benchmark data was removed afterwards
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_verdict_says_by_how_much_a_target_is_missed():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from harness import verdict
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    assert verdict(1.1, 1.2, "x") == "met"
    assert verdict(1.5, 1.2, "x") == "missed by 0.30x (25%)"
    assert verdict(12.0, 10.0, "ms") == "missed by 2.0 ms (20%)"
    assert verdict(None, 100.0, "ms") == "not yet available"
    assert verdict(3.0, None, "ms") == "-"
