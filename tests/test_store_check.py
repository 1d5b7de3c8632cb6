"""check_data_dir: reports every problem, counts documents, never writes."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from kyogitai_tui.store import CheckReport, DataStore, Problem, check_data_dir


def dataset() -> dict:
    return {
        "registry": {"organizations": [{"id": "O1", "name": "社協"}, {"id": "O2", "name": "NPO"}]},
        "sensitive": {"subject_sensitive": [{"id": "R1"}]},
        "meetings": {
            "M-1": {"statements": [{"id": "S1", "org": "O1"}, {"id": "S2", "org": "O9"}]},
            "M-2": {"agenda": [{"id": "A01"}]},
        },
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "data"
    with DataStore.open(r, create=True) as s:
        s.write_dataset(dataset())
    return r


def state(root: Path) -> dict:
    return {p: (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else None) for p in root.rglob("*")}


def test_clean_directory(root):
    before = state(root)
    report = check_data_dir(root)
    assert isinstance(report, CheckReport) and isinstance(report, list)
    assert report == [] and report.ok
    assert report.files == 4
    assert report.counts == {
        "registry.json": {"organizations": 2},
        "sensitive.json": {"subject_sensitive": 1},
        "meetings/M-1.json": {"statements": 2},
        "meetings/M-2.json": {"agenda": 1},
    }
    assert report.summary() == "4 個のファイル（会議 2 件）、文書 6 件を確認しました。問題はありませんでした。"
    assert report.problems == []
    assert report.summary_lines() == [
        f"データフォルダ: {root}",
        "registry.json: 文書 2 件（organizations 2）",
        "sensitive.json: 文書 1 件（subject_sensitive 1）",
        "meetings/: 会議 2 件、文書 3 件",
        report.summary(),
    ]
    assert state(root) == before


def test_runs_while_the_app_holds_the_lock(root):
    with DataStore.open(root) as s:
        assert not s.read_only
        assert check_data_dir(root).ok


def test_reports_every_bad_file_and_never_writes(root):
    (root / "meetings" / "M-1.json").write_text("{broken", encoding="utf-8")
    (root / "meetings" / "M-2.json").write_text(json.dumps(
        {"_meta": {"1": {"schema_version": 9, "kind": "meeting", "app": "kyogitai-tui"}}}), encoding="utf-8")
    (root / "meetings" / "M-3.json").write_text(json.dumps({"statements": {}}), encoding="utf-8")
    (root / "meetings" / "bad name.json").write_text("{}", encoding="utf-8")
    (root / "meetings" / ".M-1.json.42.ab.kyogitai-tmp").write_text("{", encoding="utf-8")
    before = state(root)
    report = check_data_dir(root)
    assert state(root) == before
    by_path = {}
    for p in report:
        by_path.setdefault(p.path.name, []).append(p)
    assert "JSON の形式が壊れています" in by_path["M-1.json"][0].message
    assert "形式 9" in by_path["M-2.json"][0].message
    assert "_meta" in by_path["M-3.json"][0].message
    assert by_path["bad name.json"][0].level == "warning"
    assert by_path[".M-1.json.42.ab.kyogitai-tmp"][0].level == "warning"
    assert len(report.errors) == 3 and not report.ok
    assert set(report.counts) == {"registry.json", "sensitive.json"}
    assert "エラー 3 件" in report.summary()


def test_corrupt_file_problem_names_backup(root):
    with DataStore.open(root) as s:
        s.upsert("organizations", {"id": "O3"})  # backs up registry.json
    (root / "registry.json").write_text("{", encoding="utf-8")
    (problem,) = check_data_dir(root).errors
    assert str(root / "backups" / "registry.json.1") in problem.message


def test_duplicate_and_missing_ids(root):
    path = root / "meetings" / "M-2.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["agenda"] = {"1": {"id": "A01"}, "2": {"id": "A01"}, "3": {"title": "no id"}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    messages = [p.message for p in check_data_dir(root)]
    assert any("id A01 が重複" in m for m in messages)
    assert any("id のない文書" in m for m in messages)


def test_old_version_is_a_warning(root):
    path = root / "sensitive.json"
    path.write_text(json.dumps({"_meta": {"1": {"schema_version": 0, "kind": "sensitive", "app": "kyogitai-tui"}}}))
    os.chmod(path, 0o600)
    report = check_data_dir(root, migrations={0: lambda d: d})
    assert report.ok and [p.level for p in report] == ["warning"]
    assert "古い形式" in report[0].message
    assert json.loads(path.read_text())["_meta"]["1"]["schema_version"] == 0


def test_loose_permissions_are_reported(root):
    os.chmod(root / "registry.json", 0o644)
    (problem,) = check_data_dir(root)
    assert problem.level == "warning" and "chmod 600" in problem.message


@dataclass
class DomainProblem:  # what the domain layer might return, without importing the store
    path: str
    message: str


def test_validate_callback_gets_the_dataset(root):
    seen = {}

    def validate(ds):
        seen.update(ds)
        known = {o["id"] for o in ds["registry"]["organizations"]}
        out = []
        for mid, tables in ds["meetings"].items():
            for st in tables.get("statements", []):
                if st["org"] not in known:
                    out.append(DomainProblem(f"meetings/{mid}.json", f"発言 {st['id']} の団体 {st['org']} が見つかりません。"))
        return out + ["文字列の指摘"]

    report = check_data_dir(root, validate)
    assert seen == dataset()
    assert [p.message for p in report] == ["発言 S2 の団体 O9 が見つかりません。", "文字列の指摘"]
    assert report[0].path == Path("meetings/M-1.json")
    assert all(isinstance(p, Problem) for p in report)


def test_validate_crash_is_reported_not_raised(root):
    report = check_data_dir(root, lambda ds: 1 / 0)
    assert "ZeroDivisionError" in report[0].message


def test_missing_directory_and_registry(tmp_path):
    assert "見つからない" in check_data_dir(tmp_path / "nope")[0].message
    (tmp_path / "d").mkdir()
    assert "registry.json がありません" in check_data_dir(tmp_path / "d")[0].message
