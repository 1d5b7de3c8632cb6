"""The shell's start path stays correct where it was made cheaper
(benchmarks/BENCHMARKS.md, "Issue 13, second pass"):

* a plain ``kyogitai [--data-dir DIR] [--today D] [--demo]`` is parsed
  without importing every command's module, and parses exactly as the full
  parser does; anything else goes to the full parser and its messages;
* the collector is off only until the first screen is drawn, and is on again
  whatever ends the start;
* the hook the shell's start hands the app runs once, after the first screen
  is drawn from the summary (the World is read later);
* the summary's stamps still see every change of a meeting file, and only
  the files that ``meeting_ids_on_disk`` lists.
"""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kyogitai_tui import cli
from kyogitai_tui.commands import _app
from kyogitai_tui.commands.demo_data import write_demo
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.reports.summary import SUMMARY_VERSION, Summary
from kyogitai_tui.store import DataStore
from kyogitai_tui.store.layout import MEETINGS_DIR, REGISTRY_FILE, meeting_ids_on_disk
from kyogitai_tui.store.summary import read_summary, source_stamps
from kyogitai_tui.ui.app import KyogitaiApp

TODAY = date(2025, 9, 9)


@pytest.fixture
def demo_root(tmp_path):
    """The demo as `kyogitai demo-data` writes it, with its current summary
    (a copied folder has new inodes: its summary is stale)."""
    root = tmp_path / "data"
    write_demo(root, TODAY, None, force=False)
    return root


@pytest.mark.parametrize("argv", [
    [], ["--data-dir", "/tmp/x"], ["--today", "2025-09-09", "--data-dir", "d"], ["--demo"],
    ["--demo", "--today", "2025-09-16"], ["--data", "d"],   # an abbreviation, as argparse allows
])
def test_a_plain_start_parses_as_the_full_parser_does(argv):
    fast = cli.app_start_args(argv)
    assert fast is not None
    full = cli.build_parser().parse_args(argv)
    assert vars(fast) == {k: v for k, v in vars(full).items()}


@pytest.mark.parametrize("argv", [
    ["--help"], ["-h"], ["--he"], ["search", "買い物"], ["--data-dir", "d", "check"],
    ["--today", "2025-13-01"], ["--bogus"], ["--data-dir"], ["--version"],
])
def test_anything_else_goes_to_the_full_parser(argv, capsys):
    if argv == ["--version"]:   # the same answer from either parser
        with pytest.raises(SystemExit):
            cli.app_start_args(argv)
        assert capsys.readouterr().out.startswith("kyogitai ")
        return
    assert cli.app_start_args(argv) is None
    assert capsys.readouterr() == ("", "")          # nothing printed: the full parser speaks


def test_the_full_parser_still_answers_help_and_bad_dates():
    env = {**os.environ, "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-m", "kyogitai_tui", "--help"], capture_output=True, text=True,
                         timeout=60, env=env)
    assert out.returncode == 0 and "サブコマンド" in out.stdout and "search" in out.stdout
    out = subprocess.run([sys.executable, "-m", "kyogitai_tui", "--today", "2025-13-01"], capture_output=True,
                         text=True, timeout=60, env=env)
    assert out.returncode == 2 and "日付として読めません" in out.stderr and "Traceback" not in out.stderr


def test_a_plain_start_loads_no_command_module():
    code = ("import sys\nfrom kyogitai_tui.cli import app_start_args\n"
            "assert app_start_args(['--data-dir', 'x']) is not None\n"
            "print(sorted(m for m in sys.modules if m.startswith('kyogitai_tui.commands.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['kyogitai_tui.commands._common']"


def test_the_collector_is_on_again_whatever_ends_the_start(demo_root, monkeypatch):
    def fails(self, *args, **kwargs):
        assert not gc.isenabled()           # off while the app starts
        raise RuntimeError("the app could not start")

    monkeypatch.setattr(KyogitaiApp, "run", fails)
    args = cli.build_parser().parse_args(["--data-dir", str(demo_root), "--today", "2025-09-09"])
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        _app.run_app(args)
    assert gc.isenabled()


async def test_after_the_first_screen_the_collector_runs_and_the_world_load_waits(demo_root, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(KyogitaiApp, "WORLD_LOAD_DELAY", 600)   # no race: only leaving home loads it here
    with DataStore.open(demo_root, load=False) as store:
        home = store.read_summary("home", SUMMARY_VERSION)
        assert home is not None
        app = KyogitaiApp(store=store, catalog=default_catalog(), summary=Summary(home=home), today=TODAY,
                          after_first_paint=lambda: calls.append("painted"))
        gc.disable()
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                assert calls == ["painted"]
                assert app.world is None            # the home screen came from the summary
                _app.settle_after_start()
                assert gc.isenabled()
                await pilot.press("f1")             # leaving the home screen reads the World now
                for _ in range(200):
                    if app.world is not None:
                        break
                    await pilot.pause(0.05)
                assert app.world is not None and "M-C2-03" in app.world.meetings
        finally:
            gc.enable()
            gc.unfreeze()
    assert calls == ["painted"]                     # once


def _stamps_by_path(root: Path) -> dict[str, list[int]]:
    """The stamps as os.stat gives them for each file listed (the reference)."""
    out = {}
    for rel in [REGISTRY_FILE] + [f"{MEETINGS_DIR}/{m}.json" for m in sorted(meeting_ids_on_disk(root))]:
        if (root / rel).exists():
            st = os.stat(root / rel)
            out[rel] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return out


def test_stamps_list_every_meeting_file_and_only_those(demo_root):
    meetings = demo_root / MEETINGS_DIR
    (meetings / ".M-C2-03.json.123.abcd.tmp").write_text("{}")   # a writer's temp file
    (meetings / "notes.txt").write_text("x")
    (meetings / "bad name.json").write_text("{}")
    stamps = source_stamps(demo_root)
    assert stamps == _stamps_by_path(demo_root)
    assert f"{MEETINGS_DIR}/M-C2-03.json" in stamps and REGISTRY_FILE in stamps
    assert not any("tmp" in k or "notes" in k or "bad name" in k for k in stamps)


def test_a_hand_edited_meeting_file_makes_the_summary_stale(demo_root):
    assert read_summary(demo_root, "home", SUMMARY_VERSION) is not None
    path = demo_root / MEETINGS_DIR / "M-C2-01.json"
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    with open(path, "w", encoding="utf-8") as f:      # in place: same inode, same size
        f.write(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert read_summary(demo_root, "home", SUMMARY_VERSION) is None
    path.unlink()
    assert read_summary(demo_root, "home", SUMMARY_VERSION) is None
