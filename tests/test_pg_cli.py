"""``--database`` on the shell and ``kyogitai migrate``, against a real
PostgreSQL server (tests/pg_cluster.py): what a municipality's
administrator does to move from one laptop's folder to the shared server
and back."""
from __future__ import annotations

import json

import pytest

from kyogitai_tui.cli import main
from kyogitai_tui.store.location import check_location, open_store

from pg_cluster import pg_cluster, pg_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.xdist_group("postgres")


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def folder_files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*.json")) if "backups" not in p.parts and not p.name.startswith("summary")}


def test_migrate_round_trip_keeps_every_byte(capsys, tmp_path, pg_url, demo_root):
    code, out, err = run(capsys, "migrate", "--from", str(demo_root), "--to", pg_url)
    assert code == 0, err
    assert "文書" in out and "元と同じ" in out
    assert check_location(pg_url).ok
    back = tmp_path / "back"
    code, out, err = run(capsys, "migrate", "--from", pg_url, "--to", str(back))
    assert code == 0, err
    assert folder_files(back) == folder_files(demo_root)
    assert check_location(back).ok


def test_migrate_refuses_a_non_empty_target_without_force(capsys, tmp_path, pg_url, demo_root):
    assert run(capsys, "migrate", "--from", str(demo_root), "--to", pg_url)[0] == 0
    with open_store(pg_url) as store:
        store.upsert("areas", {"id": "AR9", "name": "あとから足した圏域"})
    code, out, err = run(capsys, "migrate", "--from", str(demo_root), "--to", pg_url)
    assert code == 2 and "空ではありません" in err and "--force" in err
    with open_store(pg_url, read_only=True) as store:
        assert store.get("areas", "AR9") is not None       # nothing touched
    code, out, err = run(capsys, "migrate", "--from", str(demo_root), "--to", pg_url, "--force")
    assert code == 0, err
    with open_store(pg_url, read_only=True) as store:
        assert store.get("areas", "AR9") is None
        assert store.backups("registry")[0]["areas"][-1]["id"] == "AR9"   # what was replaced is kept
    # and the other way: a folder that holds data
    code, out, err = run(capsys, "migrate", "--from", pg_url, "--to", str(demo_root))
    assert code == 2 and "空ではありません" in err


def test_shell_commands_read_the_database(capsys, monkeypatch, tmp_path, pg_url, demo_root):
    assert run(capsys, "migrate", "--from", str(demo_root), "--to", pg_url)[0] == 0
    folder = run(capsys, "search", "見守り", "--data-dir", str(demo_root), "--format", "json")
    database = run(capsys, "search", "見守り", "--database", pg_url, "--format", "json")
    assert folder[0] == database[0] == 0
    assert json.loads(database[1]) == json.loads(folder[1]) != []
    monkeypatch.setenv("KYOGITAI_DATABASE", pg_url)
    assert run(capsys, "actions", "--overdue")[1] == run(capsys, "actions", "--overdue", "--data-dir", str(demo_root))[1]
    code, out, err = run(capsys, "check")
    assert code == 0 and "問題は見つかりませんでした" in out
    csv = tmp_path / "orgs.csv"
    assert run(capsys, "export-csv", "organizations", "--out", str(csv))[0] == 0
    assert "みほん市" in csv.read_text(encoding="utf-8-sig")


def test_import_csv_writes_into_the_database(capsys, tmp_path, pg_url):
    assert run(capsys, "demo-data", "--database", pg_url)[0] == 0
    csv = tmp_path / "orgs.csv"
    assert run(capsys, "export-csv", "organizations", "--out", str(csv), "--database", pg_url)[0] == 0
    text = csv.read_text(encoding="utf-8-sig")
    csv.write_text(text.replace("みほん市 高齢福祉課", "みほん市 長寿福祉課"), encoding="utf-8-sig")
    code, out, err = run(capsys, "import-csv", "organizations", str(csv), "--database", pg_url)
    assert code == 0, err + out
    with open_store(pg_url, read_only=True) as store:
        assert any(o["name"] == "みほん市 長寿福祉課" for o in store.all("organizations"))


@pytest.mark.parametrize("argv, says", [
    (["check", "--database", "mysql://somewhere/db"], "postgresql://"),
    (["search", "x", "--database", "postgresql://nobody@/nodb?host=/nonexistent-kyogitai"], "データベースのサーバーにつながりません"),
    (["migrate", "--from", "/nonexistent-kyogitai", "--to", "postgresql://x@/y?host=/nonexistent-kyogitai"], "見つかりません"),
])
def test_bad_database_input_is_a_japanese_message_and_exit_2(capsys, argv, says):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert says in err
    assert "Traceback" not in err + out


def test_data_dir_and_database_together_are_refused(capsys, tmp_path, pg_url):
    code, out, err = run(capsys, "search", "x", "--data-dir", str(tmp_path), "--database", pg_url)
    assert code == 2 and "同時に指定できません" in err


def test_minutes_and_annual_report_are_the_same_from_either_backend(capsys, tmp_path, pg_url, demo_root):
    assert run(capsys, "migrate", "--from", str(demo_root), "--to", pg_url)[0] == 0
    outputs = {}
    for name, where in (("folder", ["--data-dir", str(demo_root)]), ("database", ["--database", pg_url])):
        out = tmp_path / name
        out.mkdir()
        code, _o, err = run(capsys, "export-minutes", *where, "--meeting", "latest", "--variant", "public",
                            "--format", "md", "--out", str(out / "m.md"))
        assert code == 0, err
        code, _o, err = run(capsys, "report", "--fiscal-year", "2025", "--format", "csv",
                            "--out", str(out / "r.csv"), *where)
        assert code == 0, err
        outputs[name] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert outputs["folder"] == outputs["database"] and len(outputs["folder"]) == 2
