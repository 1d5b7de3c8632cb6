"""Bad input from the shell: dates and years outside what 和暦 and the app
support, absurd --scale, a meeting file nested 100,000 deep, a crash inside
the app and a quit with unsaved input.  Each gets a Japanese message and a
non-zero exit (2 for what the user typed), never a traceback or a silent 0.
The real command runs in a subprocess."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

QUIT = {"TEXTUAL_PRESS": "ctrl+q"}


def run(*args: str, env: dict | None = None, code: str | None = None) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "kyogitai_tui", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def refused(proc: subprocess.CompletedProcess, *said: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    for s in said:
        assert s in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("bad") / "data"
    assert run("demo-data", str(target), "--today", "2025-09-09").returncode == 0
    return target


RANGE = "平成元年（1989年1月8日）から2099年12月31日まで"


@pytest.mark.parametrize("argv", [
    ["demo-data", "{tmp}/d", "--today", "0001-01-01"],
    ["demo-data", "{tmp}/d", "--today", "1989-01-07"],
    ["demo-data", "{tmp}/d", "--today", "2100-01-01"],
    ["demo-data", "{tmp}/d", "--today", "10000-01-01"],
    ["--today", "1900-01-01", "--data-dir", "{data}"],
    ["--today", "9999-12-31", "--demo"],
    ["actions", "--data-dir", "{data}", "--today", "1900-01-01"],
], ids=["year-1", "before-heisei", "after-2099", "year-10000", "app-1900", "app-9999", "actions-1900"])
def test_dates_outside_the_supported_range_are_refused_with_the_range(argv, tmp_path, data):
    argv = [a.format(tmp=tmp_path, data=data) for a in argv]
    proc = run(*argv, env=QUIT)
    refused(proc, RANGE)
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("year", ["1900", "1988", "2099", "10000", "令和99", "R81"])
def test_fiscal_years_outside_the_supported_range_are_refused(year, tmp_path, data):
    proc = run("report", "--fiscal-year", year, "--format", "csv", "--out", str(tmp_path), "--data-dir", str(data))
    refused(proc, "このアプリで扱えない年度です", "1989（平成元年度）から2098年度まで")
    assert list(tmp_path.iterdir()) == []


def test_the_edges_of_the_range_work(tmp_path):
    for day in ("1989-01-08", "2099-12-31"):
        target = tmp_path / day
        assert run("demo-data", str(target), "--today", day).returncode == 0
        proc = run("export-minutes", "--data-dir", str(target), "--meeting", "latest", "--variant", "public",
                   "--format", "md", "--out", str(tmp_path))
        assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("scale", ["501", "1000000000", "0"])
def test_scale_has_a_stated_maximum(scale, tmp_path):
    proc = run("demo-data", str(tmp_path / "d"), "--scale", scale)
    refused(proc, "--scale には 1 から 500 までの整数を指定してください")
    assert not (tmp_path / "d").exists()


def test_a_file_nested_100000_deep_is_named_not_a_crash(data, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    victim = copy / "meetings" / "M-C2-02.json"
    victim.write_text("[" * 100_000, encoding="utf-8")
    proc = run("check", "--data-dir", str(copy))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert re.search(r"M-C2-02\.json を読み込めませんでした（括弧（\[ や \{）の入れ子が深すぎます）", proc.stderr)
    app = run("--data-dir", str(copy), env=QUIT)
    refused(app, "M-C2-02.json", "入れ子が深すぎます")
    assert victim.read_text(encoding="utf-8") == "[" * 100_000


_PATCHED_MAIN = """
import sys
from kyogitai_tui.cli import main
{patch}
sys.exit(main(sys.argv[1:]))
"""


def test_a_crash_inside_the_app_exits_non_zero():
    patch = ("from kyogitai_tui.ui.app import KyogitaiApp\n"
             "def boom(self): raise RuntimeError('planted crash')\n"
             "KyogitaiApp.on_mount = boom\n")
    proc = run("--demo", "--today", "2025-09-09", env=QUIT, code=_PATCHED_MAIN.format(patch=patch))
    assert proc.returncode != 0, proc.stdout[-2000:] + proc.stderr


def test_a_quit_with_unsaved_input_exits_non_zero_and_prints_it():
    patch = ("from kyogitai_tui.ui.saver import Saver\n"
             "Saver.close = lambda self: False\n")
    proc = run("--demo", "--today", "2025-09-09", env=QUIT, code=_PATCHED_MAIN.format(patch=patch))
    assert proc.returncode == 1, proc.stderr
    assert "保存できなかった入力が" in proc.stderr and "Traceback" not in proc.stderr


def test_a_plain_quit_still_exits_zero():
    assert run("--demo", "--today", "2025-09-09", env=QUIT).returncode == 0


def test_help_lists_every_command_in_japanese(capsys):
    """One home for shell commands: every module of commands/ is a subcommand
    listed by `kyogitai --help` (the real command) with a Japanese line, and
    has its own help (each read in this process: the same parser)."""
    import pkgutil

    import kyogitai_tui.commands as commands
    from kyogitai_tui.cli import main

    names = [m.name.replace("_", "-") for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    assert {"check", "demo-data", "export-minutes", "actions", "report"} <= set(names)
    top = run("--help")
    assert top.returncode == 0 and "サブコマンド" in top.stdout
    for name in names:
        line = next((l for l in top.stdout.splitlines() if l.strip().startswith(name + " ")), "")
        assert re.search("[ぁ-んァ-ン一-龥]", line), (name, top.stdout)
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        out = capsys.readouterr().out
        assert exc.value.code == 0 and "使い方" in out and "オプション" in out, name
