"""Schema version, migrations, corrupt files, newer files, backups named in errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kyogitai_tui.store import (
    CorruptFileError,
    DataStore,
    MigrationError,
    NewerSchemaError,
)
from kyogitai_tui.store import schema


def meta(kind: str, version: int = 1) -> dict:
    return {"1": {"schema_version": version, "kind": kind, "app": "kyogitai-tui"}}


def write_json(path: Path, data) -> bytes:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path.read_bytes()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "data"
    with DataStore.open(r, create=True) as s:
        s.upsert("organizations", {"id": "O1", "name": "社協"})
        s.create_meeting("M-2025-03", {"statements": [{"id": "S1", "text": "最初の発言"}]})
    return r


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != ".lock"}


# -- corrupt files -----------------------------------------------------------

@pytest.mark.parametrize(
    "content, reason",
    [
        (b'{"_meta": {"1": {', "JSON の形式が壊れています"),
        (b"", "ファイルが空です"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b"[1, 2]", "TinyDB のデータの形"),
        (json.dumps({"organizations": {}}).encode(), "_meta"),
        (json.dumps({"_meta": meta("meeting")}).encode(), "ファイルの種類が違います"),
        (json.dumps({"_meta": {"1": {"schema_version": "1", "kind": "registry", "app": "kyogitai-tui"}}}).encode(),
         "schema_version"),
        (json.dumps({"_meta": meta("registry"), "t": {"x": {"id": "a"}}}).encode(), "文書の番号"),
    ],
)
def test_corrupt_registry_is_refused_and_left_untouched(root, content, reason):
    path = root / "registry.json"
    path.write_bytes(content)
    before = snapshot(root)
    with pytest.raises(CorruptFileError) as info:
        DataStore.open(root)
    err = info.value
    assert err.path == path and reason in err.message
    assert err.message.startswith(f"ファイル {path} を読み込めませんでした（")
    assert "ファイルはそのままにしてあります。" in err.message
    assert snapshot(root) == before
    # the failed open released the lock
    path.write_bytes(json.dumps({"_meta": meta("registry")}).encode())
    with DataStore.open(root) as s:
        assert not s.read_only


def test_corrupt_meeting_names_newest_good_backup(root):
    with DataStore.open(root) as s:  # a new session: its first write backs up the good version
        s.meeting_upsert("M-2025-03", "statements", {"id": "S2", "text": "二つ目"})
    path = root / "meetings" / "M-2025-03.json"
    backup = root / "backups" / "meetings" / "M-2025-03.json.1"
    assert "最初の発言" in backup.read_text(encoding="utf-8")
    path.write_bytes(path.read_bytes()[:-20])  # truncated, as by a bad copy
    before = snapshot(root)
    with DataStore.open(root) as s:  # meetings load lazily: the registry is fine
        assert s.meeting_ids() == ["M-2025-03"]
        with pytest.raises(CorruptFileError) as info:
            s.meeting_all("M-2025-03", "statements")
        assert info.value.message == (
            f"ファイル {path} を読み込めませんでした（JSON の形式が壊れています）。"
            f"ファイルはそのままにしてあります。直前のバックアップ: {backup}"
        )
        assert info.value.backup == backup
        with pytest.raises(CorruptFileError):
            s.meeting_upsert("M-2025-03", "statements", {"id": "S3"})
        with pytest.raises(CorruptFileError):
            s.write_dataset({"meetings": {"M-2025-03": {}}})
        with pytest.raises(CorruptFileError):
            s.load_dataset()
        s.upsert("organizations", {"id": "O2"})  # other files keep working
    after = snapshot(root)
    meeting_files = [p for p in before if "M-2025-03" in p.name]
    assert len(meeting_files) == 2  # the file and its backup
    assert {p: after[p] for p in meeting_files} == {p: before[p] for p in meeting_files}


def test_corrupt_newest_backup_is_skipped(root):
    path = root / "registry.json"
    backups = root / "backups"
    backups.mkdir(exist_ok=True)
    (backups / "registry.json.1").write_text("garbage")
    good = backups / "registry.json.2"
    good.write_bytes(path.read_bytes())
    path.write_text("{")
    with pytest.raises(CorruptFileError) as info:
        DataStore.open(root)
    assert info.value.backup == good
    assert str(good) in info.value.message


def test_no_backup_says_so(root):
    path = root / "registry.json"
    path.write_text("{")
    with pytest.raises(CorruptFileError) as info:
        DataStore.open(root)
    assert info.value.backup is None
    assert "使えるバックアップは見つかりませんでした" in info.value.message


# -- newer files ---------------------------------------------------------------

def test_newer_registry_is_refused_bytes_unchanged(root):
    path = root / "registry.json"
    write_json(path, {"_meta": meta("registry", 2), "organizations": {"1": {"id": "O1"}}})
    before = snapshot(root)
    with pytest.raises(NewerSchemaError) as info:
        DataStore.open(root)
    msg = info.value.message
    assert str(path) in msg and "形式 2" in msg and "形式 1" in msg
    assert (info.value.file_version, info.value.app_version) == (2, 1)
    assert snapshot(root) == before
    with pytest.raises(NewerSchemaError):
        DataStore.open(root, read_only=True)
    assert snapshot(root) == before


def test_newer_meeting_is_never_rewritten(root):
    path = root / "meetings" / "M-2025-03.json"
    write_json(path, {"_meta": meta("meeting", 7), "statements": {}})
    before = snapshot(root)
    with DataStore.open(root) as s:
        for call in (lambda: s.meeting_all("M-2025-03", "statements"),
                     lambda: s.meeting_upsert("M-2025-03", "statements", {"id": "x"}),
                     lambda: s.create_meeting("M-2025-03", {}, replace=True),
                     lambda: s.delete_meeting("M-2025-03")):
            with pytest.raises(NewerSchemaError):
                call()
    assert snapshot(root) == before


# -- migrations ------------------------------------------------------------------

def rename_field(data: dict) -> dict:
    """Version 0 called the organisation's name "namae"."""
    for doc in data.get("organizations", {}).values():
        doc["name"] = doc.pop("namae")
    return data


def version0_registry(root: Path) -> bytes:
    return write_json(root / "registry.json", {
        "_meta": meta("registry", 0),
        "organizations": {"1": {"id": "O1", "namae": "みほん市社協"}},
    })


def test_migration_from_version_0(root, monkeypatch):
    monkeypatch.setitem(schema.MIGRATIONS, 0, rename_field)
    old = version0_registry(root)
    with DataStore.open(root) as s:
        assert s.get("organizations", "O1") == {"id": "O1", "name": "みほん市社協"}
    data = json.loads((root / "registry.json").read_text(encoding="utf-8"))
    assert data["_meta"] == meta("registry", 1)
    assert data["organizations"]["1"] == {"id": "O1", "name": "みほん市社協"}
    assert (root / "backups" / "registry.json.1").read_bytes() == old  # the old version is kept


def test_read_only_migrates_in_memory_only(root, monkeypatch):
    monkeypatch.setitem(schema.MIGRATIONS, 0, rename_field)
    old = version0_registry(root)
    with DataStore.open(root, read_only=True) as s:
        assert s.get("organizations", "O1")["name"] == "みほん市社協"
    assert (root / "registry.json").read_bytes() == old


def test_missing_migration_step_is_refused(root):
    old = version0_registry(root)
    with pytest.raises(MigrationError) as info:
        DataStore.open(root)
    assert "形式 0 から 1 への更新手順がありません" in info.value.message
    assert (root / "registry.json").read_bytes() == old


def test_failing_migration_is_refused(root):
    old = version0_registry(root)

    def broken(data):
        raise KeyError("nope")

    with pytest.raises(MigrationError):
        DataStore.open(root, migrations={0: broken})
    assert (root / "registry.json").read_bytes() == old


def test_chain_of_migrations_to_a_future_version(root):
    calls = []

    def to2(data):
        calls.append(1)
        for doc in data.get("statements", {}).values():
            doc["v2"] = True
        return data

    with DataStore.open(root, schema_version=2, migrations={1: to2}) as s:
        assert s.meeting_all("M-2025-03", "statements")[0]["v2"] is True
        s.meeting_upsert("M-2025-03", "statements", {"id": "S9"})
    data = json.loads((root / "meetings" / "M-2025-03.json").read_text(encoding="utf-8"))
    assert data["_meta"] == meta("meeting", 2)
    assert len(calls) == 3  # registry, sensitive and the meeting
    with pytest.raises(NewerSchemaError):  # and the version-1 app now refuses it
        DataStore.open(root).meeting_all("M-2025-03", "statements")
