"""The kyogitai command as a user runs it from the shell: exit codes and
Japanese messages, never a traceback."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kyogitai_tui.config import catalog_dir


def run(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kyogitai_tui", *args],
        capture_output=True, text=True, timeout=timeout, env=full_env,
    )


def assert_no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "data"
    proc = run("demo-data", str(target), "--today", "2025-09-09")
    assert proc.returncode == 0, proc.stderr
    assert "書き出しました" in proc.stdout
    return target


def test_help_is_japanese():
    proc = run("--help")
    assert proc.returncode == 0
    assert "使い方" in proc.stdout
    assert "--demo" in proc.stdout and "デモ" in proc.stdout
    for sub in ("demo-data", "check"):
        sub_proc = run(sub, "--help")
        assert sub_proc.returncode == 0
        assert "使い方" in sub_proc.stdout


def test_demo_data_then_check_is_clean(demo_dir):
    proc = run("check", "--data-dir", str(demo_dir))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "問題は見つかりませんでした" in proc.stdout


def test_data_files_are_owner_only(demo_dir):
    for path in [demo_dir, *demo_dir.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        if path.is_dir():
            assert mode == 0o700, path
        else:
            assert mode == 0o600, path


def test_demo_data_refuses_non_empty_dir_without_force(demo_dir, tmp_path):
    target = tmp_path / "x"
    target.mkdir()
    (target / "memo.txt").write_text("大事なメモ", encoding="utf-8")
    proc = run("demo-data", str(target))
    assert proc.returncode == 2
    assert "--force" in proc.stderr and "空ではありません" in proc.stderr
    assert (target / "memo.txt").read_text(encoding="utf-8") == "大事なメモ"
    assert_no_traceback(proc)


def test_corrupt_file_is_named_by_check_and_refused_by_app(demo_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    meeting_files = sorted((data / "meetings").glob("*.json"))
    victim = meeting_files[0]
    victim.write_text('{"meeting": {"1": {"id": ', encoding="utf-8")
    before = victim.read_bytes()

    proc = run("check", "--data-dir", str(data))
    assert proc.returncode != 0
    assert victim.name in proc.stderr
    assert_no_traceback(proc)

    app = run("--data-dir", str(data), env={"TEXTUAL_PRESS": "ctrl+q"})
    assert app.returncode == 2
    assert victim.name in app.stderr
    assert_no_traceback(app)
    assert victim.read_bytes() == before


def test_newer_schema_is_refused_and_left_alone(demo_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    registry = data / "registry.json"
    doc = json.loads(registry.read_text(encoding="utf-8"))
    for row in doc["_meta"].values():
        row["schema_version"] = 999
    registry.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = registry.read_bytes()
    proc = run("check", "--data-dir", str(data))
    assert proc.returncode != 0
    assert "registry.json" in proc.stderr
    app = run("--data-dir", str(data), env={"TEXTUAL_PRESS": "ctrl+q"})
    assert app.returncode == 2 and "registry.json" in app.stderr
    assert registry.read_bytes() == before


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_bad_data_dir_gets_exit_2_and_a_clear_message(tmp_path, kind):
    path = tmp_path / "nowhere"
    if kind == "file":
        path.write_text("x", encoding="utf-8")
    for args in (("check", "--data-dir", str(path)), ("--data-dir", str(path))):
        proc = run(*args, env={"TEXTUAL_PRESS": "ctrl+q"})
        assert proc.returncode == 2, proc
        assert str(path) in proc.stderr
        assert ("見つかりません" in proc.stderr) or ("フォルダではありません" in proc.stderr)
        assert_no_traceback(proc)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_dir(tmp_path):
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        proc = run("demo-data", str(locked / "sub"))
        assert proc.returncode == 2 and "権限" in proc.stderr
    finally:
        locked.chmod(0o700)


def test_unwritable_dir_as_root_via_file_parent(tmp_path):
    # Even as root, a path under a regular file can never be written.
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    proc = run("demo-data", str(blocker / "sub"))
    assert proc.returncode == 2
    assert_no_traceback(proc)


def test_bad_today_is_explained():
    proc = run("--demo", "--today", "来週")
    assert proc.returncode == 2
    assert "年-月-日" in proc.stderr
    assert_no_traceback(proc)


def test_broken_catalog_is_named(tmp_path):
    broken = tmp_path / "catalog"
    shutil.copytree(catalog_dir(), broken)
    victim = sorted(broken.glob("*.json"))[0]
    victim.write_text("{ not json", encoding="utf-8")
    proc = run("check", "--data-dir", str(tmp_path), env={"KYOGITAI_CATALOG_DIR": str(broken)})
    assert proc.returncode == 2
    assert victim.name in proc.stderr
    assert_no_traceback(proc)


def test_demo_app_starts_and_quits_at_once():
    proc = run("--demo", "--today", "2025-09-09", env={"TEXTUAL_PRESS": "ctrl+q"})
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
