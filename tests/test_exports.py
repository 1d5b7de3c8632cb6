"""Every file that leaves the data folder leaves safely: one writer (atomic,
0600, a unique temp name), never inside the data folder, never over a device,
fifo or folder, never over a file without --force; demo-data leaves a first
backup.  The shell tests run the real command in a subprocess."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kyogitai_tui.store.exports import ExportError, write_export

DEMO_TODAY = "2025-09-09"


def run(*args: str, umask: int | None = None) -> subprocess.CompletedProcess:
    def pre():
        if umask is not None:
            os.umask(umask)
    return subprocess.run([sys.executable, "-m", "kyogitai_tui", *args], capture_output=True, text=True,
                          timeout=120, preexec_fn=pre)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("exports") / "data"
    proc = run("demo-data", str(target), "--today", DEMO_TODAY)
    assert proc.returncode == 0, proc.stderr
    return target


# ---------------------------------------------------------------- the writer

def test_written_owner_only_even_under_umask_0_and_never_through_a_fixed_temp_name(tmp_path):
    old = os.umask(0)
    try:
        squatter = tmp_path / "list.csv.tmp"       # a fixed temp name someone else owns
        squatter.write_bytes(b"not mine")
        out = write_export(tmp_path / "list.csv", b"a,b\r\n")
    finally:
        os.umask(old)
    assert out.read_bytes() == b"a,b\r\n" and _mode(out) == 0o600
    assert squatter.read_bytes() == b"not mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.csv", "list.csv.tmp"]


def test_never_replaces_without_force_and_replaces_with_it(tmp_path):
    target = tmp_path / "m.md"
    target.write_bytes(b"old")
    with pytest.raises(ExportError) as ei:
        write_export(target, b"new")
    assert ei.value.reason == "EXISTS" and "--force" in ei.value.message
    assert target.read_bytes() == b"old"
    write_export(target, b"new", force=True)
    assert target.read_bytes() == b"new" and _mode(target) == 0o600


def test_refuses_inside_the_data_folder_even_through_a_symlink_and_with_force(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    registry = root / "registry.json"
    registry.write_bytes(b"{}")
    link = tmp_path / "shortcut"
    link.symlink_to(root)
    for out in (registry, root / "new.csv", link / "registry.json", root / "backups" / ".." / "x.csv"):
        with pytest.raises(ExportError) as ei:
            write_export(out, b"x", force=True, data_root=root)
        assert ei.value.reason == "IN_DATA" and "データのフォルダ" in ei.value.message, out
    assert registry.read_bytes() == b"{}" and sorted(p.name for p in root.iterdir()) == ["registry.json"]


def test_refuses_a_fifo_a_folder_and_a_dangling_link_even_with_force(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(ExportError) as ei:
        write_export(fifo, b"x", force=True)
    assert ei.value.reason == "NOT_REGULAR" and "普通のファイルではありません" in ei.value.message
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    with pytest.raises(ExportError) as ei:
        write_export(dangling, b"x", force=True)
    assert ei.value.reason == "NOT_REGULAR" and not (tmp_path / "nowhere").exists()
    (tmp_path / "folder").mkdir()
    with pytest.raises(ExportError) as ei:
        write_export(tmp_path / "folder", b"x", force=True)
    assert ei.value.reason == "IS_DIR"


# ---------------------------------------------------------------- from the shell

def test_export_minutes_refuses_to_overwrite_the_registry(data):
    before = _snapshot(data)
    proc = run("export-minutes", "--data-dir", str(data), "--meeting", "M-C2-02", "--variant", "public",
               "--format", "md", "--out", str(data / "registry.json"), "--force")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "データのフォルダ" in proc.stderr and "Traceback" not in proc.stderr
    assert _snapshot(data) == before


@pytest.mark.parametrize("command", [
    ["report", "--fiscal-year", "2025", "--format", "csv"],
    ["export-csv", "団体"],
    ["export-csv", "人", "--template"],
])
def test_every_export_command_refuses_the_data_folder_and_special_files(data, command, tmp_path):
    before = _snapshot(data)
    proc = run(*command, "--data-dir", str(data), "--out", str(data / "meetings" / "M-C2-02.json"), "--force")
    assert proc.returncode == 2 and "データのフォルダ" in proc.stderr, proc.stderr
    # A fifo stands for every special file (never /dev/null: a broken rule would replace it).
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = run(*command, "--data-dir", str(data), "--out", str(fifo), "--force")
    assert proc.returncode == 2 and "普通のファイルではありません" in proc.stderr, proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert "Traceback" not in proc.stderr
    assert _snapshot(data) == before


def test_export_csv_is_owner_only_and_keeps_an_existing_file(data, tmp_path):
    out = tmp_path / "団体.csv"
    proc = run("export-csv", "団体", "--data-dir", str(data), "--out", str(out), umask=0)
    assert proc.returncode == 0, proc.stderr
    assert _mode(out) == 0o600 and sorted(p.name for p in tmp_path.iterdir()) == ["団体.csv"]
    out.write_bytes(b"mine")
    proc = run("export-csv", "団体", "--data-dir", str(data), "--out", str(out))
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert out.read_bytes() == b"mine"


def test_demo_data_leaves_a_first_backup_of_every_file(data):
    backups = data / "backups"
    # the summary files (store/summary.py) are derived data, rebuilt from these: no backup
    files = [p.relative_to(data) for p in data.rglob("*.json")
             if backups not in p.parents and not p.name.startswith("summary")]
    assert files
    for rel in files:
        copy = backups / rel.parent / f"{rel.name}.1"
        assert copy.read_bytes() == (data / rel).read_bytes(), rel
        assert _mode(copy) == 0o600
