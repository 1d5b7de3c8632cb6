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
    "follow-up list", "search", "kyogitai search", "kyogitai actions", "peak memory at start",
    "peak memory in a meeting",
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


def test_follow_up_and_search_rows_use_their_benchmarks_figures():
    """Issues 5 and 9 add bench_followup.py / bench_search.py; their measure()
    results become rows with a verdict against 100 ms / 200 ms."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from harness import rows
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    res = _fake_result()
    res["followup"] = {"median_ms": 42.0, "p95_ms": 60.0, "n_items": 10000}
    res["search"] = {"median_ms": 250.0, "p95_ms": 400.0, "docs": 20727}
    table = {r[0]: r for r in rows(res)}
    assert table["follow-up list, 10,000 items"][1] == "42.0 ms (p95 60.0)"
    assert table["follow-up list, 10,000 items"][5] == "met"
    assert table["search, 20,727 docs"][5] == "missed by 50.0 ms (25%)"


def _fake_result() -> dict:
    start = {"median_ms": 500.0, "runs_ms": [500.0], "cpu_median_ms": 300.0, "maxrss_mb": 40.0}
    save = {"docs": 10, "median_ms": 1.0, "tinydb_median_ms": 2.0}
    keys = {"n": 3, "median_ms": 5.0, "p95_ms": 20.0, "maxrss_mb": 50.0, "per_key": {}}
    variant = {"median_ms": 50.0, "raw_ms": 80.0, "ratio": 0.625}
    return {"mode": "full", "scale": 42, "docs": {"demo": 527, "--scale 42": 20727},
            "start": {"bare": start, "demo": start, "--scale 42": start},
            "save": {"demo": save, "--scale 42": save}, "keys": {"ours": keys, "bare": keys},
            "export": {"PUBLIC": variant, "INTERNAL": variant, "cold_ms": 90.0, "worst_ratio": 0.625},
            "followup": None, "search": None}
