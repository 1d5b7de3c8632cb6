"""DataStore: API, layout, round trip, permissions, per-meeting writes, read-only."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from kyogitai_tui.store import (
    DataStore,
    InvalidDataError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
)
from kyogitai_tui.store import storage as storage_mod


def sample_dataset() -> dict:
    return {
        "registry": {
            "municipality": [{"id": "MU", "name": "みほん市", "note": "架空の市"}],
            "organizations": [
                {"id": "O01", "name": "みほん市社会福祉協議会", "kinds": ["地区社協"]},
                {"id": "O05", "name": "NPO法人 ささえあい北", "members": [{"role": "代表"}]},
            ],
        },
        "sensitive": {"subject_sensitive": [{"id": "R01", "label": "Aさん", "flags": ["認知症"]}]},
        "meetings": {
            "M-2025-03": {
                "agenda": [{"id": "A01", "title": "前回議事録の確認", "planned_min": 5}],
                "statements": [{"id": "S1", "speaker": "委員", "text": "移動支援の団体はまだ入っていない…"}],
            },
            "M-2025-04": {"statements": []},
        },
    }


@pytest.fixture
def store(tmp_path: Path):
    s = DataStore.open(tmp_path / "data", create=True)
    yield s
    s.close()


def test_new_directory_layout_and_meta(store):
    root = store.root
    assert sorted(p.name for p in root.iterdir()) == [".lock", "backups", "meetings", "registry.json", "sensitive.json"]
    for name, kind in (("registry.json", "registry"), ("sensitive.json", "sensitive")):
        data = json.loads((root / name).read_text(encoding="utf-8"))
        assert data == {"_meta": {"1": {"schema_version": 1, "kind": kind, "app": "kyogitai-tui"}}}
    store.create_meeting("M-1")
    data = json.loads((root / "meetings" / "M-1.json").read_text(encoding="utf-8"))
    assert data["_meta"]["1"]["kind"] == "meeting"


def test_permissions_are_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        with DataStore.open(tmp_path / "a" / "data", create=True) as s:
            s.write_dataset(sample_dataset())
        with DataStore.open(tmp_path / "a" / "data") as s:
            s.upsert("organizations", {"id": "O09", "name": "追加"})  # first write this session: backup
            s.meeting_upsert("M-2025-03", "statements", {"id": "S2"})
            root = s.root
            paths = [root, *root.rglob("*")]
    finally:
        os.umask(old)
    assert any("backups" in p.parts and p.is_file() for p in paths)
    for p in paths:
        mode = stat.S_IMODE(os.stat(p).st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), (p, oct(mode))


def test_registry_crud(store):
    store.upsert("organizations", {"id": "O05", "name": "旧名", "extra": 1})
    store.upsert("organizations", {"id": "O06", "name": "別団体"})
    store.upsert("organizations", {"id": "O05", "name": "新名"})  # replaces, extra field gone
    assert store.get("organizations", "O05") == {"id": "O05", "name": "新名"}
    assert [d["id"] for d in store.all("organizations")] == ["O05", "O06"]
    assert store.delete("organizations", "O06") is True
    assert store.delete("organizations", "O06") is False
    assert store.get("organizations", "O06") is None
    assert store.all("no_such_table") == []
    assert store.tables() == {"organizations": [{"id": "O05", "name": "新名"}]}


def test_returned_documents_are_copies(store):
    store.upsert("organizations", {"id": "O1", "tags": ["a"]})
    doc = store.get("organizations", "O1")
    doc["tags"].append("b")
    store.all("organizations")[0]["tags"].append("c")
    assert store.get("organizations", "O1") == {"id": "O1", "tags": ["a"]}
    given = {"id": "O2", "tags": ["x"]}
    store.upsert("organizations", given)
    given["tags"].append("y")
    assert store.get("organizations", "O2")["tags"] == ["x"]


def test_sensitive_is_a_separate_file(store):
    store.sensitive_upsert("subject_sensitive", {"id": "R01", "flags": ["認知症"]})
    assert store.sensitive_get("subject_sensitive", "R01")["flags"] == ["認知症"]
    assert store.all("subject_sensitive") == []
    assert "認知症" not in (store.root / "registry.json").read_text(encoding="utf-8")
    assert "認知症" in (store.root / "sensitive.json").read_text(encoding="utf-8")
    assert store.sensitive_tables() == {"subject_sensitive": [{"id": "R01", "flags": ["認知症"]}]}
    assert store.sensitive_delete("subject_sensitive", "R01") is True


def test_meetings(store):
    store.create_meeting("M-2025-03", {"agenda": [{"id": "A01", "title": "前回議事録"}]})
    with pytest.raises(StoreError):
        store.create_meeting("M-2025-03")
    store.meeting_upsert("M-2025-03", "statements", {"id": "S1", "text": "発言"})
    store.meeting_upsert("M-2025-03", "statements", {"id": "S1", "text": "訂正した発言"})
    assert store.meeting_all("M-2025-03", "statements") == [{"id": "S1", "text": "訂正した発言"}]
    assert store.meeting_get("M-2025-03", "agenda", "A01")["title"] == "前回議事録"
    assert store.meeting_ids() == ["M-2025-03"]
    assert store.has_meeting("M-2025-03") and not store.has_meeting("M-9")
    assert set(store.meeting_tables("M-2025-03")) == {"agenda", "statements"}
    assert store.meeting_delete("M-2025-03", "statements", "S1") is True
    with pytest.raises(NotFoundError) as info:
        store.meeting_upsert("M-9", "statements", {"id": "S1"})
    assert "M-9" in info.value.message
    store.create_meeting("M-2025-03", {"agenda": []}, replace=True)
    assert store.meeting_tables("M-2025-03") == {"agenda": []}
    assert store.delete_meeting("M-2025-03") is True
    assert store.meeting_ids() == []
    assert (store.root / "backups" / "meetings" / "M-2025-03.json.1").is_file()


@pytest.mark.parametrize("bad", ["../registry", "a/b", "", ".", "..", "会議1", "M 1", "M.1", None, "x" * 101])
def test_meeting_ids_are_restricted(store, bad):
    with pytest.raises(InvalidDataError):
        store.create_meeting(bad)
    with pytest.raises(InvalidDataError):
        store.meeting_all(bad, "t")


@pytest.mark.parametrize("doc", [{"name": "no id"}, {"id": 5}, {"id": ""}, ["id"], {"id": "x", "v": {1, 2}},
                                 {"id": "x", "v": float("nan")}])
def test_bad_documents_are_refused(store, doc):
    with pytest.raises(InvalidDataError):
        store.upsert("t", doc)


def test_meta_table_is_reserved(store):
    with pytest.raises(InvalidDataError):
        store.upsert("_meta", {"id": "x"})


def test_round_trip_dataset_with_japanese(tmp_path):
    ds = sample_dataset()
    with DataStore.open(tmp_path / "d", create=True) as s:
        s.write_dataset(ds)
    with DataStore.open(tmp_path / "d") as s:
        assert s.load_dataset() == ds
        assert s.counts()["meetings/M-2025-03.json"] == {"agenda": 1, "statements": 1}
    raw = (tmp_path / "d" / "meetings" / "M-2025-03.json").read_text(encoding="utf-8")
    assert "移動支援の団体はまだ入っていない…" in raw


def test_write_dataset_validates_before_writing(store):
    ds = sample_dataset()
    ds["registry"]["organizations"].append({"id": "O01", "name": "重複"})
    with pytest.raises(InvalidDataError):
        store.write_dataset(ds)
    assert store.meeting_ids() == []  # nothing was written
    ds = sample_dataset()
    ds["meetings"]["../x"] = {}
    with pytest.raises(InvalidDataError):
        store.write_dataset(ds)


def test_clear_all(store):
    store.write_dataset(sample_dataset())
    store.clear_all()
    assert store.load_dataset() == {"registry": {}, "sensitive": {}, "meetings": {}}
    assert (store.root / "backups" / "meetings" / "M-2025-03.json.1").is_file()


def test_write_dataset_prune(store):
    store.create_meeting("OLD")
    store.write_dataset(sample_dataset())
    assert store.meeting_ids() == ["M-2025-03", "M-2025-04", "OLD"]
    store.write_dataset(sample_dataset(), prune_meetings=True)
    assert store.meeting_ids() == ["M-2025-03", "M-2025-04"]


def test_upsert_during_meeting_touches_only_that_meeting_file(store, monkeypatch):
    store.write_dataset(sample_dataset())
    store.meeting_upsert("M-2025-03", "statements", {"id": "S0"})  # first write: backup taken
    before = {p: p.stat().st_mtime_ns for p in store.root.rglob("*.json*")}
    written = []
    real = storage_mod.atomic_write_bytes
    monkeypatch.setattr(storage_mod, "atomic_write_bytes", lambda path, data: written.append(path) or real(path, data))
    store.meeting_upsert("M-2025-03", "statements", {"id": "S2", "text": "次回までに声をかけます"})
    assert written == [store.root / "meetings" / "M-2025-03.json"]
    changed = [p for p in store.root.rglob("*.json*") if p.stat().st_mtime_ns != before.get(p)]
    assert changed == [store.root / "meetings" / "M-2025-03.json"]


def test_backup_once_per_file_per_session(tmp_path):
    root = tmp_path / "d"
    with DataStore.open(root, create=True) as s:
        s.upsert("t", {"id": "1", "v": "初版"})
    with DataStore.open(root) as s:
        s.upsert("t", {"id": "1", "v": "第2版"})
        s.upsert("t", {"id": "1", "v": "第3版"})
    backups = root / "backups"
    assert "初版" in (backups / "registry.json.1").read_text(encoding="utf-8")
    assert not (backups / "registry.json.2").exists()
    for version in ("第4版", "第5版", "第6版", "第7版"):
        with DataStore.open(root) as s:
            s.upsert("t", {"id": "1", "v": version})
    names = sorted(p.name for p in backups.iterdir() if p.is_file())
    assert names == ["registry.json.1", "registry.json.2", "registry.json.3"]
    assert "第6版" in (backups / "registry.json.1").read_text(encoding="utf-8")
    assert "第4版" in (backups / "registry.json.3").read_text(encoding="utf-8")


def test_read_only_open_refuses_writes(tmp_path):
    root = tmp_path / "d"
    with DataStore.open(root, create=True) as s:
        s.write_dataset(sample_dataset())
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    with DataStore.open(root, read_only=True) as s:
        assert s.read_only and s.lock_holder is None
        assert s.read_only_message == "読み取り専用で開いています。変更は保存されません。"
        assert s.get("organizations", "O01")["name"] == "みほん市社会福祉協議会"
        for call in (lambda: s.upsert("organizations", {"id": "x"}),
                     lambda: s.meeting_upsert("M-2025-03", "statements", {"id": "x"}),
                     lambda: s.sensitive_upsert("subject_sensitive", {"id": "x"}),
                     lambda: s.create_meeting("M-new"),
                     lambda: s.write_dataset(sample_dataset())):
            with pytest.raises(ReadOnlyError) as info:
                call()
            assert "読み取り専用" in info.value.message
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_open_errors_name_the_path(tmp_path):
    with pytest.raises(StoreError) as info:
        DataStore.open(tmp_path / "missing")
    assert str(tmp_path / "missing") in info.value.message
    assert not (tmp_path / "missing").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError) as info:
        DataStore.open(tmp_path / "file")
    assert "フォルダではありません" in info.value.message
    other = tmp_path / "docs"
    other.mkdir()
    (other / "letter.txt").write_text("x")
    with pytest.raises(StoreError) as info:
        DataStore.open(other)
    assert "registry.json がありません" in info.value.message
    assert sorted(p.name for p in other.iterdir()) == ["letter.txt"]


def test_unwritable_root(tmp_path, monkeypatch):
    root = tmp_path / "d"
    DataStore.open(root, create=True).close()
    os.chmod(root, 0o500)
    if os.geteuid() == 0:  # root ignores permissions: make access() answer as for a user
        from kyogitai_tui.store import datastore

        monkeypatch.setattr(datastore.os, "access", lambda path, mode: not (mode & os.W_OK))
    try:
        with pytest.raises(StoreError) as info:
            DataStore.open(root)
        assert str(root) in info.value.message and "書き込めません" in info.value.message
        with DataStore.open(root, read_only=True) as s:
            assert s.all("t") == []
    finally:
        os.chmod(root, 0o700)


def test_empty_existing_directory_is_initialised(tmp_path):
    root = tmp_path / "d"
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    with DataStore.open(root) as s:
        assert s.meeting_ids() == []
    assert (root / "registry.json").is_file()
    assert stat.S_IMODE(os.stat(root).st_mode) == 0o700


def test_closed_store_refuses(tmp_path):
    s = DataStore.open(tmp_path / "d", create=True)
    s.close()
    s.close()
    with pytest.raises(StoreError):
        s.all("t")


def test_stale_temp_files_are_cleaned_on_writable_open(tmp_path):
    root = tmp_path / "d"
    DataStore.open(root, create=True).close()
    stale = [root / ".registry.json.999.abcd.kyogitai-tmp", root / "meetings" / ".M-1.json.999.abcd.kyogitai-tmp"]
    for p in stale:
        p.write_text('{"half": ')
    with DataStore.open(root, read_only=True) as s:  # ignored, not removed, by a reader
        assert s.meeting_ids() == []
    assert all(p.exists() for p in stale)
    with DataStore.open(root) as s:
        assert s.meeting_ids() == []
    assert not any(p.exists() for p in stale)


def test_disk_full_through_the_store(store, monkeypatch):
    import errno

    from kyogitai_tui.store import DiskFullError

    store.create_meeting("M-1", {"statements": [{"id": "S1"}]})
    path = store.root / "meetings" / "M-1.json"
    before = path.read_bytes()

    def enospc(*_a):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage_mod, "write_all", enospc)
    with pytest.raises(DiskFullError) as info:
        store.meeting_upsert("M-1", "statements", {"id": "S2"})
    monkeypatch.undo()
    assert info.value.message.startswith("ディスクの空き容量が足りないため保存できませんでした。")
    assert path.read_bytes() == before
    assert [d["id"] for d in store.meeting_all("M-1", "statements")] == ["S1"]
    store.meeting_upsert("M-1", "statements", {"id": "S2"})  # works again once space is back
    assert [d["id"] for d in store.meeting_all("M-1", "statements")] == ["S1", "S2"]


def test_concurrent_upserts_from_worker_threads(store):
    import threading

    store.create_meeting("M-1")
    errors = []

    def worker(w):
        try:
            for i in range(25):
                store.meeting_upsert("M-1", "statements", {"id": f"S{w}-{i}", "text": "並行"})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.meeting_all("M-1", "statements")) == 100
    on_disk = json.loads((store.root / "meetings" / "M-1.json").read_text(encoding="utf-8"))
    assert len(on_disk["statements"]) == 100


def test_store_never_imports_textual():
    import subprocess
    import sys

    code = ("import sys; import kyogitai_tui.store, kyogitai_tui.store.check; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    src = str(Path(__file__).resolve().parents[1] / "src")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": src})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_hand_over_gives_the_documents_away_and_later_writes_read_the_files_again(tmp_path):
    """Start-up takes the parsed documents without a copy; what the app then
    does to them in memory never reaches the disk behind its back, and the
    store's next reads and writes see exactly what is on disk."""
    root = tmp_path / "data"
    with DataStore.open(root, create=True) as store:
        store.write_dataset(sample_dataset())
    with DataStore.open(root) as store:
        expected = store.load_dataset()
        given = store.load_dataset(hand_over=True)
        assert given == expected
        mid = next(iter(given["meetings"]))
        table = next(t for t, rows in given["meetings"][mid].items() if rows)
        doc = given["meetings"][mid][table][0]
        doc["changed_in_memory_only"] = True                 # the app's own copy
        given["registry"].setdefault("organizations", []).clear()
        store.meeting_upsert(mid, table, {"id": "NEW-1", "text": "会議中の追加"})
        store.upsert("organizations", {"id": "ORG-NEW", "name": "新しい団体"})
        assert all("changed_in_memory_only" not in d for d in store.meeting_all(mid, table))
        assert {d["id"] for d in store.all("organizations")} >= {"ORG-NEW"}
    with DataStore.open(root) as store:
        on_disk = store.load_dataset()
    rows = on_disk["meetings"][mid][table]
    assert {d["id"] for d in rows} == {d["id"] for d in expected["meetings"][mid][table]} | {"NEW-1"}
    assert all("changed_in_memory_only" not in d for d in rows)
    orgs = {d["id"] for d in on_disk["registry"]["organizations"]}
    assert orgs == {d["id"] for d in expected["registry"].get("organizations", [])} | {"ORG-NEW"}
