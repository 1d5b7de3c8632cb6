"""`kyogitai actions`: the demo's overdue items at a fixed date, CSV that
Excel and Python's csv module read with the Japanese intact, an aligned
table, and Japanese refusals (exit 2)."""
from __future__ import annotations

import re

import csv
import io
import json
from datetime import date

import pytest

from kyogitai_tui.cli import main


TODAY = date(2025, 9, 9)
# AI-05 was handed over to AI-07: not 超過 (its work goes on there)
OVERDUE = ["AI-01", "AI-08", "AI-12", "AI-04", "AI-06"]


@pytest.fixture(scope="module")
def root(tmp_path_factory, demo_folder):
    return demo_folder(tmp_path_factory.mktemp("actions") / "data", TODAY)


def _run(capsys, *args):
    code = main(["actions", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_overdue_json_lists_exactly_the_planted_items(root, capsys):
    code, out, err = _run(capsys, "--data-dir", str(root), "--overdue", "--format", "json",
                          "--today", "2025-09-09")
    assert code == 0, err
    items = json.loads(out)
    assert [i["id"] for i in items] == OVERDUE
    first = items[0]
    assert first["due_date"] == "2025-07-10" and first["due_wareki"] == "令和7年7月10日"
    assert first["status"] == "IN_PROGRESS" and first["status_label"] == "対応中"
    assert first["overdue"] is True and first["council_id"] == "C2"
    assert first["carry_over_count"] == 1 and first["origin"] == "第1回 決定事項No.1"
    assert {i["council_id"] for i in items} == {"C2", "C4"}


def test_filters_owner_council_due_within(root, capsys):
    code, out, _ = _run(capsys, "--data-dir", str(root), "--council", "C2", "--due-within", "1",
                        "--format", "json", "--today", "2025-09-09")
    assert code == 0
    assert [i["id"] for i in json.loads(out)] == ["AI-01", "AI-08", "AI-04", "AI-06", "AI-07"]
    code, out, _ = _run(capsys, "--data-dir", str(root), "--owner", "P05", "--format", "json",
                        "--today", "2025-09-09")
    assert [i["id"] for i in json.loads(out)] == ["AI-01", "AI-08", "AI-06"]


def test_csv_round_trips_with_japanese_and_a_bom(root, capsys):
    code = main(["actions", "--data-dir", str(root), "--format", "csv", "--today", "2025-09-09"])
    assert code == 0
    raw = capsys.readouterr().out.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["番号", "取組", "協議体", "担当"]
    by = {r[0]: r for r in rows[1:]}
    assert len(by) == 12
    assert by["AI-04"][1] == "NPO連絡会への移動支援NPO加入勧誘"
    assert by["AI-04"][3] == "見本 一郎（第1層生活支援コーディネーター）"
    # 期限 as an ISO date Excel sorts, the 和暦 beside it; a handed-over item is not 超過
    assert by["AI-01"][4:8] == ["2025-07-10", "令和7年7月10日", "対応中", "超過"]
    assert by["AI-07"][7] == "間近"
    assert by["AI-05"][6:8] == ["引継ぎ済", ""] and by["AI-05"][10] == "買い物同行 試行案・担い手募集チラシ作成"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[4]) for r in rows[1:] if r[4])
    assert not any(re.search(r"\b(D|GF)-\d", r[9]) for r in rows[1:])


def test_table_is_aligned_for_japanese(root, capsys):
    from kyogitai_tui.commands.actions import width

    code, out, _ = _run(capsys, "--data-dir", str(root), "--overdue", "--today", "2025-09-09")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("番号") and "5 件" in lines[-1]
    body = lines[:-1]
    # the 取組 column starts at the same cell in every row
    starts = []
    for line in body[1:]:
        title_at = max(line.find("多職種"), line.find("買い物"), line.find("Eさん"), line.find("ささえあい"),
                       line.find("NPO連絡会"), line.find("Fさん"))
        starts.append(width(line[:title_at]))
    assert len(set(starts)) == 1, body


@pytest.mark.parametrize("args, words", [
    (["--council", "C9"], "協議体「C9」は登録されていません"),
    (["--owner", "存在しない人"], "担当者「存在しない人」は見つかりません"),
    (["--today", "2025-13-01"], "日付として読めません"),
    (["--due-within", "七日"], "--due-within"),
    (["--format", "xml"], "--format"),
])
def test_bad_input_is_refused_in_japanese(root, capsys, args, words):
    code, out, err = _run(capsys, "--data-dir", str(root), *args)
    assert code == 2
    assert words in err and out == ""


def test_missing_data_dir(tmp_path, capsys):
    code, _, err = _run(capsys, "--data-dir", str(tmp_path / "nothing"))
    assert code == 2 and "見つかりません" in err


# -- --variant public: the list to send outside the council -------------------

def _resident_marks(root):
    from kyogitai_tui.commands._common import load_world
    from kyogitai_tui.store import DataStore

    with DataStore.open(root, read_only=True) as store:
        world = load_world(store)
    return [m for s in world.subjects.values() for m in (s.label, s.code) if m]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_public_variant_names_no_resident_and_internal_still_does(root, capsys, fmt):
    marks = _resident_marks(root)
    assert marks
    code, internal, err = _run(capsys, "--data-dir", str(root), "--format", fmt, "--today", "2025-09-09")
    assert code == 0, err
    assert any(m in internal for m in marks)              # the default is the coordinator's own list
    code, public, err = _run(capsys, "--data-dir", str(root), "--format", fmt, "--today", "2025-09-09",
                             "--variant", "public")
    assert code == 0, err
    assert not [m for m in marks if m in public]
    assert "個別の事例に関する取組（公開用では内容を省略）" in public
    assert public.count("AI-") == internal.count("AI-")   # no item dropped, only its wording


def test_an_unknown_variant_is_refused_in_japanese(root, capsys):
    with pytest.raises(SystemExit) as info:
        main(["actions", "--data-dir", str(root), "--variant", "secret"])
    assert info.value.code == 2
    assert "internal（内部用）か public" in capsys.readouterr().err
