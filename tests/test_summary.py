"""The summary files: the home overview, ``actions`` and ``search`` answer from
them exactly what the full World answers, and a summary that no longer
matches the data on disk is never shown: it is rebuilt from the data.
"""
from __future__ import annotations

import json
from datetime import date

import pytest

from kyogitai_tui.cli import main
from kyogitai_tui.commands.demo_data import write_demo
from kyogitai_tui.domain.followup.overview import council_overviews
from kyogitai_tui.domain.followup.rows import build_rows
from kyogitai_tui.domain.reports.search import SearchIndex
from kyogitai_tui.domain.reports.summary import SUMMARY_VERSION, Summary, build_parts
from kyogitai_tui.store import DataStore
from kyogitai_tui.store.summary import SUMMARY_FILES, read_summary, source_stamps

TODAY = date(2025, 9, 9)
QUERIES = ["買い物", "ＮＰＯ 見守り", "ｻﾛﾝ", "AI-02", "ごみ", "認知症", "第2層"]


def _round_trip(world) -> Summary:
    """The parts as they come back from the JSON file."""
    return Summary.of_parts(json.loads(json.dumps(build_parts(world), ensure_ascii=False)))


def test_the_summary_answers_what_the_world_answers(demo):
    world, today = demo
    summary = _round_trip(world)
    assert summary.followup_rows(today) == build_rows(world, today)
    for later in (today.replace(day=1), date(today.year + 1, 3, 31)):   # overdue / due soon move with the day
        assert summary.followup_rows(later) == build_rows(world, later)
    assert summary.overviews(today) == council_overviews(world, today)
    full, stored = SearchIndex.for_world(world), summary.search_index()
    assert len(stored) == len(full) > 100
    for q in QUERIES:
        a, b = full.search(q, limit=None), stored.search(q, limit=None)
        assert [h.to_json() for h in a] == [h.to_json() for h in b] and a.total == b.total
    assert summary.municipality_name == world.municipality.name
    assert {p.id: p.display_name for p in summary.persons.values()} == \
        {p.id: p.display_name for p in world.persons.values()}


@pytest.fixture
def root(tmp_path):
    r = tmp_path / "data"
    write_demo(r, TODAY, None, force=False)
    return r


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_demo_data_writes_a_current_summary_and_the_commands_use_it(root, capsys, monkeypatch):
    for part in SUMMARY_FILES:
        assert read_summary(root, part, SUMMARY_VERSION) is not None
        assert (root / SUMMARY_FILES[part]).stat().st_mode & 0o777 == 0o600
    with_summary = [_cli(capsys, "search", q, "--format", "json", "--data-dir", str(root)) for q in QUERIES]
    actions = _cli(capsys, "actions", "--format", "json", "--today", "2025-09-09", "--data-dir", str(root))

    # the commands did not read a single meeting file
    import kyogitai_tui.commands._common as common
    monkeypatch.setattr(common, "read_world", lambda args: pytest.fail("read every meeting"))
    assert [_cli(capsys, "search", q, "--format", "json", "--data-dir", str(root)) for q in QUERIES] == with_summary
    assert _cli(capsys, "actions", "--format", "json", "--today", "2025-09-09", "--data-dir", str(root)) == actions
    monkeypatch.undo()

    # the same answers from the data itself once the summary is gone
    for name in SUMMARY_FILES.values():
        (root / name).unlink()
    assert [_cli(capsys, "search", q, "--format", "json", "--data-dir", str(root)) for q in QUERIES] == with_summary
    assert _cli(capsys, "actions", "--format", "json", "--today", "2025-09-09", "--data-dir", str(root)) == actions
    assert json.loads(actions[1]) and any(json.loads(o) for _c, o, _e in with_summary)


def test_a_stale_summary_never_shows_old_data(root, capsys):
    """A meeting edited after the summary was written (by hand, by another
    tool, or the app killed between its two writes): the new text is found
    and the removed one is not, although summary.json still lists it."""
    with DataStore.open(root) as store:
        mid = "M-C2-02"
        st = store.meeting_all(mid, "statements")[0]
        old_text = st["text"]
        store.meeting_upsert(mid, "statements", dict(st, text="ほかに無い言葉ぬばたま"))
    assert read_summary(root, "search", SUMMARY_VERSION) is None          # stale: refused
    assert "ぬばたま" not in (root / "summary-search.json").read_text(encoding="utf-8")
    code, out, _ = _cli(capsys, "search", "ぬばたま", "--data-dir", str(root))
    assert code == 0 and "ほかに無い言葉ぬばたま" in out
    code, out, _ = _cli(capsys, "search", old_text[:12], "--format", "json", "--limit", "0", "--data-dir", str(root))
    assert all(h["entity_id"] != st["id"] or h["text"] != old_text for h in json.loads(out or "[]"))


def test_a_hand_deleted_stamp_or_a_damaged_summary_is_rebuilt_by_check(root, capsys):
    path = root / "summary.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["stamps"]["meetings/M-C2-02.json"]                  # an entry deleted by hand
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (root / "summary-search.json").write_text("{壊れた", encoding="utf-8")
    assert read_summary(root, "home", SUMMARY_VERSION) is None
    assert read_summary(root, "search", SUMMARY_VERSION) is None
    code, out, _ = _cli(capsys, "search", "買い物", "--data-dir", str(root))   # still answers, from the data
    assert code == 0 and "件見つかりました" in out
    code, out, err = _cli(capsys, "check", "--data-dir", str(root))
    assert code == 0, err
    assert "要約ファイル" in out and "作り直しました" in out
    for part in SUMMARY_FILES:
        assert read_summary(root, part, SUMMARY_VERSION) is not None
    assert json.loads(path.read_text(encoding="utf-8"))["stamps"] == source_stamps(root)


def test_a_damaged_meeting_file_is_refused_with_its_name_despite_the_summary(root, capsys):
    bad = root / "meetings" / "M-C2-02.json"
    bad.write_bytes(bad.read_bytes()[:-40])
    for cmd in (["search", "買い物"], ["actions"]):
        code, out, err = _cli(capsys, *cmd, "--data-dir", str(root))
        assert code == 2 and "M-C2-02.json" in err and out == ""


def test_check_leaves_the_summary_alone_while_the_app_has_the_folder(root, capsys):
    (root / "summary.json").unlink()
    with DataStore.open(root):
        code, out, err = _cli(capsys, "check", "--data-dir", str(root))
    assert code == 0, err
    assert "使用中のため作り直しませんでした" in out
    assert not (root / "summary.json").exists()
