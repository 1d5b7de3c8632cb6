"""`kyogitai import-csv` / `kyogitai export-csv` from the shell (issue 6)."""
from __future__ import annotations

from datetime import date

import pytest

from kyogitai_tui.cli import main

from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore

TODAY = date(2025, 9, 16)
HEADER = "団体名,種別,活動範囲,圏域\r\n"
pytestmark = pytest.mark.demo_today(TODAY)  # demo_root: the demo written for that day


def names(root):
    with DataStore.open(root, read_only=True) as store:
        return {d["name"] for d in store.all("organizations")}


def test_import_applies_in_one_write_and_prints_counts(demo_root, tmp_path, capsys):
    f = tmp_path / "団体.csv"
    f.write_bytes((HEADER + "みほん見守りの会,ボランティア団体,日常生活圏域,北みほん圏域\r\n"
                   "架空配食サービス,民間企業（商店・移動販売・配達等）,市町村域,\r\n").encode("cp932"))
    code = main(["--today", "2025-09-16", "import-csv", "団体", str(f), "--data-dir", str(demo_root)])
    out = capsys.readouterr().out
    assert code == 0
    assert "追加 2件" in out and "2件追加" in out
    assert {"みほん見守りの会", "架空配食サービス"} <= names(demo_root)


def test_problems_are_listed_by_line_and_nothing_is_written(demo_root, tmp_path, capsys):
    before = (demo_root / "registry.json").read_bytes()
    f = tmp_path / "bad.csv"
    f.write_bytes((HEADER + "よい会,NPO,市町村域,\r\n" + ",NPO,市町村域,\r\n"
                   + "謎の会,宇宙団体,市町村域,\r\n").encode("utf-8-sig"))
    code = main(["import-csv", "organizations", str(f), "--data-dir", str(demo_root)])
    out = capsys.readouterr().out
    assert code == 1
    assert "3行目: 団体名" in out and "4行目: 種別" in out and "宇宙団体" in out
    assert "何も書き込みませんでした" in out
    assert (demo_root / "registry.json").read_bytes() == before


def test_dry_run_writes_nothing(demo_root, tmp_path, capsys):
    before = (demo_root / "registry.json").read_bytes()
    f = tmp_path / "ok.csv"
    f.write_bytes((HEADER + "よい会,NPO,市町村域,\r\n").encode("utf-8"))
    assert main(["import-csv", "団体", str(f), "--data-dir", str(demo_root), "--dry-run"]) == 0
    assert "追加 1件" in capsys.readouterr().out
    assert (demo_root / "registry.json").read_bytes() == before


def test_usage_errors_exit_2(demo_root, tmp_path, capsys):
    f = tmp_path / "ok.csv"
    f.write_bytes((HEADER + "よい会,NPO,市町村域,\r\n").encode("utf-8"))
    with pytest.raises(SystemExit) as exc:
        main(["import-csv", "会議", str(f), "--data-dir", str(demo_root)])
    assert exc.value.code == 2
    assert "会議" in capsys.readouterr().err
    assert main(["import-csv", "人", str(tmp_path / "ない.csv"), "--data-dir", str(demo_root)]) == 2
    assert "見つかりません" in capsys.readouterr().err
    assert main(["import-csv", "人", str(f), "--data-dir", str(tmp_path / "nodir")]) == 2


def test_unreadable_file_is_a_problem_not_a_crash(demo_root, tmp_path, capsys):
    f = tmp_path / "book.csv"
    f.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    assert main(["import-csv", "団体", str(f), "--data-dir", str(demo_root)]) == 1
    assert "Excel" in capsys.readouterr().err


def test_export_then_import_round_trips_and_template(demo_root, tmp_path, capsys):
    out = tmp_path / "nets.csv"
    assert main(["export-csv", "事業者間ネットワーク", "--out", str(out), "--data-dir", str(demo_root)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "構成団体" in data.decode("utf-8-sig")
    assert main(["export-csv", "事業者間ネットワーク", "--out", str(out), "--data-dir", str(demo_root)]) == 2
    capsys.readouterr()
    assert main(["import-csv", "provider_networks", str(out), "--data-dir", str(demo_root)]) == 0
    assert "変更なし 10件" in capsys.readouterr().out
    tpl = tmp_path / "tpl.csv"
    assert main(["export-csv", "人", "--template", "--out", str(tpl)]) == 0
    assert tpl.read_bytes().decode("utf-8-sig").startswith("ID,氏名,所属")
    with DataStore.open(demo_root, read_only=True) as store:
        w = World.from_dataset(store.load_dataset())
    assert len(w.provider_networks) == 10
