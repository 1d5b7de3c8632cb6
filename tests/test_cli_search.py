"""``kyogitai search`` from the shell: an aligned table, json with stable
keys, exit 1 when nothing is found, Japanese messages, the data untouched."""
from __future__ import annotations

import json
from datetime import date

import pytest

from kyogitai_tui.cli import main

from kyogitai_tui.commands.search import _cell_width

TODAY = date(2025, 9, 9)


def _snapshot(root):
    return {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_table_shows_origin_aligned_in_terminal_cells(demo_root, capsys):
    before = _snapshot(demo_root)
    code = main(["search", "ＮＰＯ", "買い物", "--data-dir", str(demo_root)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    header, rows, count = out[0], out[1:-1], out[-1]
    assert header.split() == ["種類", "協議体", "日付", "回", "議題", "抜粋"]
    assert count == "2 件見つかりました。"
    assert rows[0].split()[:5] == ["決定", "北みほん支え合い会議", "令和7年7月15日", "第2回",
                                   "不足しているネットワーク機能・サービス"]
    assert "買い物同行" in rows[0] and rows[1].startswith("発言")
    # the 抜粋 column starts at the same terminal cell on every line
    starts = {_cell_width(line[:line.index(key)]) for line, key in
              zip([header] + rows, ["抜粋", "北台地区で", "NPOとサロン"])}
    assert len(starts) == 1
    assert _snapshot(demo_root) == before           # searching writes nothing


def test_half_width_query_and_limit(demo_root, capsys):
    assert main(["search", "ﾂﾅｷﾞの会", "--data-dir", str(demo_root), "--limit", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 + 2 + 1
    assert "つなぎの会" in out[1]
    assert "うち 2 件を表示" in out[-1]


def test_json_has_stable_english_keys_across_councils(demo_root, capsys):
    assert main(["search", "npo", "--format", "json", "--limit", "0", "--data-dir", str(demo_root)]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert len(docs) >= 10
    for d in docs:
        assert set(d) == {"kind", "council_id", "council", "meeting_id", "date", "date_wareki",
                          "fiscal_year", "seq", "agenda_item", "text", "snippet", "entity_id"}
        assert "NPO" in d["text"]
    assert {d["council_id"] for d in docs} >= {"C1", "C2"}
    first = docs[0]
    assert (first["council_id"], first["meeting_id"], first["date"], first["date_wareki"], first["seq"]) == (
        "C1", "M-C1-01", "2025-08-26", "令和7年8月26日", 1)
    assert [d["date"] for d in docs] == sorted((d["date"] for d in docs), reverse=True)


def test_nothing_found_exits_1_with_a_japanese_line(demo_root, capsys):
    assert main(["search", "火星の探査", "--data-dir", str(demo_root)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "「火星の探査」を含む会議の記録は見つかりませんでした" in err
    assert main(["search", "火星", "--format", "json", "--data-dir", str(demo_root)]) == 1
    assert json.loads(capsys.readouterr().out) == []


def test_problems_end_in_japanese_and_exit_2(tmp_path, demo_root, capsys):
    assert main(["search", "NPO", "--data-dir", str(tmp_path / "nothing")]) == 2
    assert "見つかりません" in capsys.readouterr().err
    assert main(["search", "\u3000", "--data-dir", str(demo_root)]) == 2
    assert "探すことばが空です" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["search", "NPO", "--format", "csv", "--data-dir", str(demo_root)])
    assert exc.value.code == 2
    assert "table（表）か json" in capsys.readouterr().err


def test_help_documents_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = capsys.readouterr().out
    assert "終了コード: 0 = 見つかった、1 = 見つからなかった" in out
    assert "entity_id" in out
