"""Writing the minutes to disk and the `export-minutes` command: atomic,
owner-only, never overwriting without --force, clear Japanese errors."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from docx import Document

from kyogitai_tui.cli import main
from kyogitai_tui.domain.demo import DEMO_TODAY
from kyogitai_tui.minutes import ExportError, export_both, export_minutes, resolve_meeting


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_export_docx_is_owner_only_and_readable(demo_world, tmp_path):
    out = export_minutes(demo_world, "M-C2-02", "PUBLIC", "docx", tmp_path / "m.docx", today=DEMO_TODAY)
    assert out == tmp_path / "m.docx"
    assert _mode(out) == 0o600
    doc = Document(str(out))
    assert doc.paragraphs[0].text.startswith("令和7年度 第2回 北みほん支え合い会議")
    assert [p.name for p in tmp_path.iterdir()] == ["m.docx"]      # no temp file left


def test_export_md_same_content(demo_world, tmp_path):
    out = export_minutes(demo_world, "M-C2-02", "internal", "md", tmp_path / "m.md", today=DEMO_TODAY)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("> 取扱注意（個人情報を含む）")
    assert "# 令和7年度 第2回 北みほん支え合い会議（第2層協議体） 会議録（要旨）" in text
    assert _mode(out) == 0o600


def test_refuses_to_overwrite_without_force(demo_world, tmp_path):
    target = tmp_path / "m.md"
    target.write_text("前の版", encoding="utf-8")
    with pytest.raises(ExportError) as ei:
        export_minutes(demo_world, "M-C2-01", "PUBLIC", "md", target)
    assert ei.value.reason == "EXISTS" and "--force" in ei.value.message
    assert target.read_text(encoding="utf-8") == "前の版"
    export_minutes(demo_world, "M-C2-01", "PUBLIC", "md", target, force=True)
    assert "会議録（要旨）" in target.read_text(encoding="utf-8")
    assert _mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.md"]


def test_folder_as_out_uses_the_suggested_name(demo_world, tmp_path):
    out = export_minutes(demo_world, "M-C2-02", "PUBLIC", "docx", tmp_path, today=DEMO_TODAY)
    assert out.name == "令和7年度第2回_北みほん支え合い会議_会議録_公開用.docx"
    paths = export_both(demo_world, "M-C2-01", tmp_path, "md")
    assert paths["PUBLIC"].name.endswith("_公開用.md") and paths["INTERNAL"].name.endswith("_内部記録.md")


def test_failed_write_leaves_old_file_and_no_temp(demo_world, tmp_path, monkeypatch):
    target = tmp_path / "m.docx"
    target.write_bytes(b"old")

    def boom(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(ExportError) as ei:
        export_minutes(demo_world, "M-C2-01", "PUBLIC", "docx", target, force=True)
    assert ei.value.reason == "DISK_FULL" and "ディスクの空き" in ei.value.message
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["m.docx"]


def test_missing_folder_and_folder_in_the_way(demo_world, tmp_path):
    with pytest.raises(ExportError, match="フォルダ .* が見つかりません") as ei:
        export_minutes(demo_world, "M-C2-01", "PUBLIC", "md", tmp_path / "nope" / "m.md")
    assert ei.value.reason == "NO_DIR"
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(ExportError) as ei:
        export_minutes(demo_world, "M-C2-01", "PUBLIC", "md", afile / "m.md")
    assert ei.value.reason == "NO_DIR"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder(demo_world, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    try:
        with pytest.raises(ExportError) as ei:
            export_minutes(demo_world, "M-C2-01", "PUBLIC", "md", ro / "m.md")
        assert ei.value.reason == "NOT_WRITABLE" and "書き込む権限がありません" in ei.value.message
    finally:
        ro.chmod(0o700)


def test_unwritable_folder_reported(demo_world, tmp_path, monkeypatch):
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == tmp_path else real(p, m))
    with pytest.raises(ExportError) as ei:
        export_minutes(demo_world, "M-C2-01", "PUBLIC", "md", tmp_path / "m.md")
    assert ei.value.reason == "NOT_WRITABLE" and f"フォルダ {tmp_path} に書き込む権限がありません" in ei.value.message


def test_resolve_meeting(demo_world):
    assert resolve_meeting(demo_world, "M-C2-01") == "M-C2-01"
    latest = resolve_meeting(demo_world, "latest")
    assert demo_world.meetings[latest].is_held
    held = [r.id for r in demo_world.meetings.values() if r.is_held]
    assert latest == held[-1]
    with pytest.raises(ExportError) as ei:
        resolve_meeting(demo_world, "M-9")
    assert ei.value.reason == "NOT_FOUND"
    assert "会議「M-9」が見つかりません" in ei.value.message and "M-C2-01" in ei.value.message


def test_bad_format_and_variant(demo_world, tmp_path):
    with pytest.raises(ExportError) as ei:
        export_minutes(demo_world, "M-C2-01", "PUBLIC", "pdf", tmp_path / "x.pdf")
    assert ei.value.reason == "BAD_FORMAT"
    with pytest.raises(ExportError) as ei:
        export_minutes(demo_world, "M-C2-01", "secret", "md", tmp_path / "x.md")
    assert ei.value.reason == "BAD_VARIANT"


# ---------------------------------------------------------------- the command

def run(argv: list[str]) -> int:
    return main(argv)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, demo_folder) -> Path:
    return demo_folder(tmp_path_factory.mktemp("data") / "demo")


def test_cli_exports_and_refuses_overwrite(data_dir, tmp_path, capsys):
    out = tmp_path / "pub.docx"
    argv = ["export-minutes", "--data-dir", str(data_dir), "--meeting", "M-C2-02",
            "--variant", "public", "--format", "docx", "--out", str(out)]
    assert run(argv) == 0
    assert "書き出しました" in capsys.readouterr().out
    assert _mode(out) == 0o600
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert "すでにあります" in err and "--force" in err and "Traceback" not in err
    assert run(argv + ["--force"]) == 0


def test_cli_latest_and_markdown(data_dir, tmp_path, capsys):
    assert run(["export-minutes", "--data-dir", str(data_dir), "--meeting", "latest", "--variant", "internal",
                "--format", "md", "--out", str(tmp_path)]) == 0
    (f,) = tmp_path.iterdir()
    assert f.name.endswith("_内部記録.md")
    assert f.read_text(encoding="utf-8").startswith("> 取扱注意（個人情報を含む）")


def test_cli_unknown_meeting(data_dir, tmp_path, capsys):
    assert run(["export-minutes", "--data-dir", str(data_dir), "--meeting", "M-NONE", "--variant", "public",
                "--format", "md", "--out", str(tmp_path / "x.md")]) == 2
    err = capsys.readouterr().err
    assert "会議「M-NONE」が見つかりません" in err and "latest" in err
    assert not (tmp_path / "x.md").exists()


def test_cli_missing_out_is_a_usage_error(data_dir, capsys):
    with pytest.raises(SystemExit) as ei:
        run(["export-minutes", "--data-dir", str(data_dir), "--meeting", "M-C2-01", "--variant", "public",
             "--format", "md"])
    assert ei.value.code == 2
    assert "指定が正しくありません" in capsys.readouterr().err


def test_cli_unwritable_path_and_missing_data_dir(data_dir, tmp_path, capsys):
    assert run(["export-minutes", "--data-dir", str(data_dir), "--meeting", "M-C2-01", "--variant", "public",
                "--format", "md", "--out", str(tmp_path / "no" / "x.md")]) == 2
    assert "が見つかりません" in capsys.readouterr().err
    assert run(["export-minutes", "--data-dir", str(tmp_path / "nodata"), "--meeting", "latest",
                "--variant", "public", "--format", "md", "--out", str(tmp_path / "x.md")]) == 2
    assert "データのフォルダ" in capsys.readouterr().err


def test_cli_bad_variant_is_japanese(data_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as ei:
        run(["export-minutes", "--data-dir", str(data_dir), "--meeting", "latest", "--variant", "secret",
             "--format", "md", "--out", str(tmp_path / "x.md")])
    assert ei.value.code == 2
    assert "public（公開用）か internal（内部記録）" in capsys.readouterr().err


def test_cli_does_not_write_into_the_data_dir(data_dir, tmp_path):
    before = {p: p.stat().st_mtime_ns for p in data_dir.rglob("*") if p.is_file()}
    run(["export-minutes", "--data-dir", str(data_dir), "--meeting", "M-C2-01", "--variant", "public",
         "--format", "md", "--out", str(tmp_path / "y.md")])
    after = {p: p.stat().st_mtime_ns for p in data_dir.rglob("*") if p.is_file()}
    assert before == after
