"""Corrupt data files, end to end through the real `kyogitai` command: each is
refused (or left out) with a Japanese message naming the file and the
problem, nothing is overwritten, and `kyogitai check` explains it and names
the newest backup that loads.

Store-level detail (every kind of unparsable file, backups skipped when bad,
migrations): tests/test_store_schema.py and tests/test_store_check.py. Here:
the five cases of the issue on the demo, plus what the app does with a file
that parses but holds a hand-edited wrong type or a missing reference.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.cli import main as kyogitai_main

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.saver import apply_change

MEETING = "meetings/M-C2-02.json"


@pytest.fixture
def used_root(demo_root) -> Path:
    """The demo, after one session that saved to M-C2-02 and the registry (so
    both have a good backup, as after any real use)."""
    root = demo_root
    with DataStore.open(root) as s:
        s.meeting_upsert("M-C2-02", "statements", s.meeting_all("M-C2-02", "statements")[0])
        s.upsert("organizations", s.get("organizations", "O01"))
    return root


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def first(table: dict) -> dict:
    return table[min(table, key=int)]


CASES = {
    # name: (file, how it is broken, what the message says, refused at start?)
    "truncated": (MEETING, lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
                  "JSON の形式が壊れています", True),
    "invalid_json": ("registry.json", lambda p: p.write_text('{"_meta": {"1": {"schema_version": 1,,}}', encoding="utf-8"),
                     "JSON の形式が壊れています", True),
    "newer_schema": (MEETING, lambda p: edit_json(p, lambda d: first(d["_meta"]).update(schema_version=99)),
                     "新しい版の kyogitai で作られています", True),
    "wrong_type": (MEETING, lambda p: edit_json(p, lambda d: first(d["statements"]).update(text=12345)),
                   "項目 text の値が正しくありません（文字列のはずが '12345' になっています）", False),
    "wrong_date": (MEETING, lambda p: edit_json(p, lambda d: first(d["meeting"]).update(held_on="2025-02-30")),
                   "項目 held_on の値が正しくありません（日付（2025-09-16 の形）のはずが '2025-02-30'", False),
    "missing_reference": (MEETING, lambda p: edit_json(p, lambda d: first(d["action_progress"]).update(action_item_id="AI-99")),
                          "action_item_id が指す取組「AI-99」がありません", False),
}


def files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != ".lock"}


@pytest.mark.parametrize("case", list(CASES))
def test_check_names_the_file_the_problem_and_the_backup(used_root, case, capsys):
    relative, breaks, said, _ = CASES[case]
    path = used_root / relative
    breaks(path)
    before = files(used_root)
    assert kyogitai_main(["check", "--data-dir", str(used_root)]) == 1
    err = capsys.readouterr().err
    line = next(l for l in err.splitlines() if said in l)
    assert str(path) in line
    assert str(used_root / "backups" / f"{relative}.1") in line  # the backup that loads
    assert files(used_root) == before


@pytest.mark.parametrize("case", [c for c, v in CASES.items() if v[3]])
def test_the_app_refuses_to_start_and_touches_nothing(used_root, case, capsys):
    relative, breaks, said, _ = CASES[case]
    path = used_root / relative
    breaks(path)
    before = files(used_root)
    assert kyogitai_main(["--data-dir", str(used_root), "--today", "2025-09-16"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and said in err and "Traceback" not in err
    assert "バックアップ" in err
    assert files(used_root) == before


@pytest.mark.parametrize("case", ["wrong_type", "wrong_date"])
async def test_the_app_says_what_it_could_not_read_and_never_rewrites_it(used_root, case):
    relative, breaks, said, _ = CASES[case]
    breaks(used_root / relative)
    broken = (used_root / relative).read_bytes()
    with DataStore.open(used_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=date(2025, 9, 16), clock=lambda: datetime(2025, 9, 16, 14, 5))
        told: list[str] = []
        real = app.notify
        app.notify = lambda message, **kw: (told.append(str(message)), real(message, **kw))[1]
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            (message,) = [t for t in told if t.startswith("データの一部を読み込めませんでした")]
            assert "M-C2-02" in message and said in message and "kyogitai check" in message
            # work on the next meeting goes on; the broken file is never rewritten
            app.session = MeetingSession(app.dataset, app.world, "M-C2-03", now=app.clock, today=app.today)
            app.start_live()
            await pilot.pause()
            app.saver.flush()
    assert (used_root / relative).read_bytes() == broken


def test_a_new_meeting_never_takes_the_id_of_a_file_that_did_not_load(used_root):
    """A meeting file the World cannot read still owns its id: a new meeting on
    the same day gets another one, so the broken file is never replaced."""
    with DataStore.open(used_root) as s:
        tables = s.meeting_tables("M-C2-02")
        first_meeting = tables["meeting"][0]
        first_meeting.update(id="M-C2-20251021", held_on=20251021)  # hand-edited: a number
        s.create_meeting("M-C2-20251021", {"meeting": [first_meeting]})
    broken = (used_root / "meetings" / "M-C2-20251021.json").read_bytes()
    with DataStore.open(used_root) as s:
        dataset, world = load_data(s)
        assert "M-C2-20251021" not in world.meetings
        session, changes = MeetingSession.create_meeting(dataset, world, "C2", held_on=date(2025, 10, 21))
        assert session.meeting_id != "M-C2-20251021"
        for ch in changes:
            apply_change(s, ch)
    assert (used_root / "meetings" / "M-C2-20251021.json").read_bytes() == broken
    with DataStore.open(used_root) as s:
        assert session.meeting_id in World.from_dataset(s.load_dataset()).meetings
