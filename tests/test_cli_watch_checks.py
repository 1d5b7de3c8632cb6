"""`kyogitai watch` (形骸化 between meetings) and `kyogitai checks` (点検資料
before a meeting) on the demo and on hand-made cases: what they list, where
to act, the Word 資料 in the minutes' layout, no resident anywhere, and
Japanese refusals with exit 2."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from kyogitai_tui.cli import main
from kyogitai_tui.domain.demo import DEMO_TODAY
from kyogitai_tui.domain.guidebook.watch import watch
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore

TODAY = DEMO_TODAY


@pytest.fixture(scope="module")
def root(tmp_path_factory, demo_folder):
    return demo_folder(tmp_path_factory.mktemp("watch") / "data", TODAY)


def _run(capsys, *args):
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- watch

def test_watch_lists_pn05_with_where_to_act(root, capsys):
    code, out, err = _run(capsys, "watch", "--data-dir", str(root), "--format", "json",
                          "--today", TODAY.isoformat())
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["kind"], r["target_id"]) for r in rows] == [("SILENT", "PN05")]
    pn05 = rows[0]
    assert "8か月" in pn05["detail"] and pn05["council_id"] == "C4"
    assert pn05["next_meeting_id"] == "M-C4-02" and pn05["agenda"] == "A05"
    assert "南みほん里山支え合い会議" in pn05["where"] and "異種事業者間ネットワーク" in pn05["where"]
    code, out, _ = _run(capsys, "watch", "--data-dir", str(root), "--today", TODAY.isoformat())
    assert code == 0 and "PN05" in out and "1 件" in out
    code, out, _ = _run(capsys, "watch", "--data-dir", str(root), "--council", "C2",
                        "--today", TODAY.isoformat())
    assert code == 0 and "見つかりませんでした" in out              # PN05 is 南みほん's


def test_watch_months_review_dates_and_csv(root, capsys):
    later = "2026-03-01"   # D-01, D-02, D-05 past their review dates, every network quiet for months
    code, out, _ = _run(capsys, "watch", "--data-dir", str(root), "--format", "csv", "--today", later,
                        "--months", "8")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"), newline="")))
    assert rows[0][:3] == ["区分", "番号", "対象"]
    kinds = {(r[0], r[1]) for r in rows[1:]}
    assert ("見直しの日が過ぎた決定事項", "D-01") in kinds
    assert {r[1] for r in rows[1:] if r[0] == "会合が開かれていないネットワーク"} == {"PN02", "PN05", "PN06"}


def _two_more_meetings(dataset) -> World:
    """第3回 held and a 第4回 held after it: two meetings since M-C2-02."""
    m3 = dataset["meetings"]["M-C2-03"]["meeting"][0]
    m3["status"] = "HELD"
    m4 = dict(m3, id="M-C2-04", seq_no=4, held_on="2025-11-18", status="HELD")
    dataset["meetings"]["M-C2-04"] = {"meeting": [m4]}
    return World.from_dataset(dataset)


def test_watch_finding_left_undecided_for_two_meetings(demo_dataset):
    # GF-09 (raised at M-C2-02, 見守り) has no decision; once 第3回 and a 第4回
    # have been held without one, the watch lists it with where to act
    assert watch(World.from_dataset(demo_dataset), today=TODAY, council_id="C2") == []
    today = date(2025, 11, 20)
    world = _two_more_meetings(demo_dataset)
    rows = [r for r in watch(world, today=today) if r.kind == "UNDECIDED"]
    assert [r.target_id for r in rows] == ["GF-09"]
    assert rows[0].council_id == "C2" and "2回" in rows[0].detail and "対応方針" in rows[0].where
    # a decision that answers it takes it off the list
    world.meetings["M-C2-02"].decisions[0].gap_finding_ids.append("GF-09")
    assert not [r for r in watch(world, today=today) if r.kind == "UNDECIDED"]


def test_watch_names_no_resident(demo_dataset):
    world = _two_more_meetings(demo_dataset)
    f = next(f for f in world.meetings["M-C2-02"].gap_findings if f.id == "GF-09")
    f.description = "Ａさん宅の周辺で見守りが足りない"        # a resident named (full width)
    from kyogitai_tui.domain.guidebook.watch import public_rows
    rows = [r for r in watch(world, today=date(2025, 11, 20)) if r.target_id == "GF-09"]
    assert rows and "Ａさん" in rows[0].title                  # the domain row is internal
    shown = public_rows(world, rows)
    assert "Ａさん" not in shown[0].title and "さん" not in shown[0].title


def test_watch_refuses_bad_input(root, capsys):
    for args, words in ((("--council", "C9"), "C9"), (("--months", "0"), "--months"),
                        (("--months", "x"), "--months"), (("--format", "xml"), "--format")):
        with pytest.raises(SystemExit) if args[0] == "--format" else _no_raise():
            code, out, err = _run(capsys, "watch", "--data-dir", str(root), *args)
            assert code == 2 and words in err and "Traceback" not in err


class _no_raise:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# ---------------------------------------------------------------- checks

def _problems(data):
    return {(r["check_code"], r["target"]) for r in data["results"] if r["result"] == "PROBLEM"}


def test_checks_json_lists_what_the_live_screen_shows(root, capsys):
    code, out, err = _run(capsys, "checks", "--data-dir", str(root), "--council", "C4",
                          "--format", "json", "--today", TODAY.isoformat())
    assert code == 0, err
    data = json.loads(out)
    got = _problems(data)
    assert {("C2_SAME_NONMEMBERS", "PN02"), ("C2_SAME_NONMEMBERS", "PN06"),
            ("C4_NO_NETWORK_PERCEIVED", "AR3"), ("C1_SUPPORT_FUNCTION", "PN05")} <= got
    with DataStore.open(root, read_only=True) as store:
        dataset = store.load_dataset()
    world = World.from_dataset(dataset)
    session = MeetingSession(dataset, world, "M-C4-02", today=TODAY)
    live = {(r.check_code, r.target) for r in session.run_checks() if r.result == "PROBLEM"}
    assert got == live
    c4 = next(r for r in data["results"] if r["target"] == "AR3")
    assert c4["evidence_sources"] == ["PROVIDERS", "MINSEI", "SUPPORT_CENTER"]
    assert c4["open_finding_id"] == "GF-11"


def test_checks_docx_is_a_handout_in_the_minutes_layout(root, tmp_path, capsys):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = _run(capsys, "checks", "--data-dir", str(root), "--council", "C4", "--format", "docx",
                          "--out", str(out_dir), "--today", TODAY.isoformat())
    assert code == 0, err
    (path,) = out_dir.glob("*.docx")
    assert path.stat().st_mode & 0o777 == 0o600
    import docx
    doc = docx.Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "点検資料" in text and "1　点検の範囲" in text and "問題ありの項目" in text
    assert "南みほん ささえあい事業者連絡会" in cells and "GF-11" in cells
    assert doc.core_properties.keywords == "点検資料"
    # the same name again: refused, nothing overwritten
    code, _, err = _run(capsys, "checks", "--data-dir", str(root), "--council", "C4", "--format", "docx",
                        "--out", str(path), "--today", TODAY.isoformat())
    assert code == 2 and "--force" in err


def test_checks_handout_names_no_resident(demo_world):
    from kyogitai_tui.domain.guidebook.checks_report import checks_report
    from kyogitai_tui.minutes.checks_docx import checks_blocks

    world = demo_world
    # a network typed with a resident's label in its name (a slip a user can make)
    world.provider_networks["PN05"].name = "Ｄさん宅近くのささえあい連絡会"
    report = checks_report(world, council_id="C4", today=TODAY)
    doc = checks_blocks(report, world.subjects.values(), material_no=3)
    texts = list(doc.texts())
    assert texts and not any("Ｄさん" in t or "Dさん" in t for t in texts)
    assert any(t == "資料3" for t in texts)


def test_checks_refuses_bad_input(root, tmp_path, capsys):
    code, _, err = _run(capsys, "checks", "--data-dir", str(root), "--council", "C9")
    assert code == 2 and "C9" in err
    code, _, err = _run(capsys, "checks", "--data-dir", str(root), "--council", "C4", "--format", "docx")
    assert code == 2 and "--out" in err
    code, _, err = _run(capsys, "checks", "--data-dir", str(root), "--council", "C4",
                        "--out", str(tmp_path / "x.docx"))
    assert code == 2 and "--format docx" in err
    code, _, err = _run(capsys, "checks", "--data-dir", str(root), "--council", "C4", "--format", "docx",
                        "--out", str(root / "資料.docx"))
    assert code == 2 and not (root / "資料.docx").exists()         # never into the data folder


async def test_watch_screen_from_home(demo_root):
    from kyogitai_tui.commands._common import load_data
    from kyogitai_tui.domain.catalog import default_catalog
    from kyogitai_tui.ui.app import KyogitaiApp
    from kyogitai_tui.ui.screens.watch import WatchScreen
    from kyogitai_tui.ui.widgets.forms import ChoiceDialog
    from ui_helpers import assert_unambiguous, screen_text

    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=TODAY, export_dir=demo_root.parent / "exports")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("f1")                      # not in the 80-column footer: in F1 help
            await pilot.pause()
            assert "形骸化の見守り" in screen_text(app) or "見守り" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("f8")
            await pilot.pause()
            assert isinstance(app.screen, WatchScreen)
            text = assert_unambiguous(app, "watch")
            assert "PN05" in text and "会合なし" in text and "南みほん里山支え合い会議" in text
            await pilot.press("f2")                      # 北みほん only: nothing to watch
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ChoiceDialog)
            await pilot.press("down", "down", "enter")   # すべて, C1, C2
            await pilot.pause()
            assert "見つかりませんでした" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, WatchScreen)


@pytest.mark.demo_today(date(2025, 9, 9))
async def test_prepare_screen_makes_the_checks_handout_the_next_material(demo_root, tmp_path):
    from textual.widgets import DataTable

    from kyogitai_tui.commands._common import load_data
    from kyogitai_tui.domain.catalog import default_catalog
    from kyogitai_tui.ui.app import KyogitaiApp
    from kyogitai_tui.ui.screens.prepare import PrepareScreen

    exports = tmp_path / "exports"
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=date(2025, 9, 16), export_dir=exports)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("down", "enter")            # 北みほん支え合い会議
            await pilot.pause()
            await pilot.press("enter")                    # 第3回 (the next meeting)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PrepareScreen)
            await pilot.press("f4")
            await pilot.pause()
            before = len(screen.session.record.materials)
            told, real = [], app.notify
            app.notify = lambda message, **kw: (told.append(str(message)), real(message, **kw))[1]
            await pilot.press("f6")
            await pilot.pause()
            await app.workers.wait_for_complete()
            for _ in range(3):
                await pilot.pause()
            mats = screen.session.record.materials
            assert len(mats) == before + 1
            assert mats[-1].label == f"資料{before + 1}" and "点検資料" in mats[-1].title
            rows = [str(c) for c in screen.query_one("#sec-materials", DataTable).get_row_at(before)]
            assert any("点検資料" in c for c in rows)
            assert any("書き出しました" in t for t in told)              # the notice says where
            app.saver.flush()
    (path,) = exports.rglob("資料*.docx")
    import docx
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == f"資料{before + 1}" and any("点検資料" in t for t in texts)
    cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "北みほん圏域 多職種連携会議" in cells                       # C1/C3 of the council's area
    with DataStore.open(demo_root) as again:
        rec = World.from_dataset(again.load_dataset()).meetings["M-C2-03"]
    assert [m.title for m in rec.materials][-1].startswith("点検資料")
