"""Privacy: nothing leaves the machine, nothing is readable by other users,
and 要配慮個人情報 (sensitive.json) never reaches any minutes.

* A full demo walk (the whole 第3回 from the home screen: the walk test of
  tests/test_ui_walk.py, run once, which calls ``check_walk_privacy`` at its
  end) plus both minutes variants exported in Word and Markdown, with every
  way of opening a network connection made to fail and recorded (the
  ``no_network`` fixture, tests/conftest.py): none is tried.
* After that walk, under a umask of 0: every data file, backup, the lock and
  every export is 0600, every directory 0700; so is the demo folder as
  ``kyogitai demo-data`` writes it.
* Property (hypothesis): whatever the sensitive rows say, no minutes (公開用
  or 内部記録, Word or Markdown) contain it. Resident labels and codes in
  公開用 minutes: tests/test_minutes_property.py.
"""
from __future__ import annotations

import io
import socket
import stat
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.cli import main as kyogitai_main

from kyogitai_tui.commands.demo_data import write_demo
from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes import build_minutes, render_bytes
from kyogitai_tui.minutes.export import export_both
from kyogitai_tui.store import DataStore

from test_minutes_demo import docx_texts
from test_minutes_property import meeting_dataset


def modes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root.parent)): oct(stat.S_IMODE(p.stat().st_mode)) for p in [root, *root.rglob("*")]}


def check_walk_privacy(root: Path, tmp_path: Path, no_network: list[str], capsys) -> None:
    """After the whole 第3回 walk on ``root`` (tests/test_ui_walk.py, which runs
    the walk once under ``no_network`` and ``umask_zero`` and then calls this):
    both variants exported in Word and Markdown and once by the shell, no
    network tried, every file 0600 and every folder 0700."""
    out = tmp_path / "exports"
    out.mkdir(mode=0o700)
    with DataStore.open(root) as store:
        world = load_data(store)[1]
    for fmt in ("docx", "md"):
        export_both(world, "M-C2-03", out, fmt, today=date(2025, 9, 16))
    assert kyogitai_main(["export-minutes", "--data-dir", str(root), "--meeting", "M-C2-03",
                          "--variant", "public", "--format", "docx",
                          "--out", str(out / "cli.docx")]) == 0, capsys.readouterr().err
    assert no_network == []

    found = modes(root) | modes(out)
    assert len([p for p in found if p.endswith((".docx", ".md"))]) == 5
    assert any("backups/meetings/M-C2-03.json.1" in p for p in found)  # the walk rotated a backup
    assert f"{root.name}/.lock" in found
    wrong = {p: m for p, m in found.items()
             if m != ("0o700" if (root.parent / p).is_dir() else "0o600")}
    assert wrong == {}


def test_demo_data_written_under_umask_zero_is_owner_only(tmp_path, umask_zero):
    """The data folder the walk starts from, written as `kyogitai demo-data` does."""
    root = tmp_path / "data"
    write_demo(root, date(2025, 9, 9), None, force=False)
    found = modes(root)
    assert any(p.endswith("registry.json") for p in found)
    wrong = {p: m for p, m in found.items() if m != ("0o700" if (tmp_path / p).is_dir() else "0o600")}
    assert wrong == {}


def test_the_network_guard_does_catch_a_connection(no_network):
    """The guard itself: an attempt to connect is refused and recorded."""
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert len(no_network) == 2


MARKER = st.text(alphabet="機密秘匿診断障害困窮虐待ZQXJ", min_size=6, max_size=12).map(lambda s: "秘" + s)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # examples: the profile's
@given(meeting_dataset(), st.lists(MARKER, min_size=1, max_size=4, unique=True), st.data())
def test_no_minutes_ever_contain_sensitive_rows(dataset, markers, data):
    subjects = data.draw(st.permutations([s["id"] for s in dataset["registry"]["subjects"]]))
    markers = markers[:len(subjects)]
    dataset["sensitive"] = {"subject_sensitive": [
        {"id": f"SS{i}", "subject_id": sid, "dementia": True,
         "disability_types": ["MENTAL"], "livelihood_difficulty": True, "notes": m, "disability_of": m}
        for i, (sid, m) in enumerate(zip(subjects, markers))]}
    world = World.from_dataset(dataset)
    assert len(world.sensitive) == len(markers)  # the rows are really there to leak
    for mid in ("M1", "M2"):
        for variant in ("PUBLIC", "INTERNAL"):
            minutes = build_minutes(world, mid, variant)
            md = render_bytes(minutes, "md").decode("utf-8")
            assert not [m for m in markers if m in md]
        body = "\n".join(docx_texts(Document(io.BytesIO(render_bytes(minutes, "docx")))))
        assert not [m for m in markers if m in body]
