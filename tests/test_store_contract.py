"""The store contract, once, against both backends: the data folder
(``DataStore``) and a PostgreSQL database (``PgStore``).

Read, write a batch atomically, lock, check, backup: whatever the app
relies on must hold the same on both (docs/ARCHITECTURE.md, "The store
contract").  The PostgreSQL half runs against a throwaway cluster
(tests/pg_cluster.py) and skips, saying why, where the server is absent.
"""
from __future__ import annotations

import pytest

from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.store import InvalidDataError, NotFoundError, ReadOnlyError, StoreError
from kyogitai_tui.store.location import check_location, open_store

from pg_cluster import pg_cluster, pg_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.xdist_group("postgres")


@pytest.fixture(params=["folder", "postgresql"])
def location(request, tmp_path):
    """Where an empty store lives, for each backend."""
    if request.param == "folder":
        return tmp_path / "data"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(location):
    s = open_store(location, create=True)
    yield s
    s.close()


def reopen(location, **kw):
    return open_store(location, **kw)


MEETING = {"meeting": [{"id": "M-1", "council_id": "C2", "held_on": "2026-12-01", "status": "IN_PROGRESS"}],
           "statements": [], "attendance": [{"id": "AT-1", "meeting_id": "M-1", "person_id": "P1"}]}


def test_a_new_store_is_empty(store):
    assert store.tables() == {}
    assert store.sensitive_tables() == {}
    assert store.meeting_ids() == []
    assert store.load_dataset() == {"registry": {}, "sensitive": {}, "meetings": {}}


def test_registry_documents_keep_their_place_and_survive_a_reopen(location, store):
    store.upsert("persons", {"id": "P1", "display_name": "見本 一郎"})
    store.upsert("persons", {"id": "P2", "display_name": "見本 二郎", "age": 1.5})
    store.upsert("persons", {"id": "P1", "display_name": "見本 一郎（変更）"})   # replaced in place
    assert [d["id"] for d in store.all("persons")] == ["P1", "P2"]
    assert store.delete("persons", "P2") is True
    assert store.delete("persons", "P2") is False
    store.close()
    with reopen(location) as again:
        assert again.all("persons") == [{"id": "P1", "display_name": "見本 一郎（変更）"}]
        assert again.get("persons", "P9") is None


def test_a_batch_lands_whole_or_not_at_all(location, store):
    store.apply_batch([("areas", {"id": "AR1", "name": "北"})])
    with pytest.raises(InvalidDataError):
        store.write_file("registry", "", [("areas", None, {"id": "AR2", "name": "中央"}),
                                          ("areas", "AR1", None),
                                          ("areas", None, {"name": "id のない文書"})])
    store.close()
    with reopen(location) as again:
        assert again.all("areas") == [{"id": "AR1", "name": "北"}]


def test_meetings_are_created_written_and_deleted(store):
    store.create_meeting("M-1", MEETING)
    with pytest.raises(StoreError):
        store.create_meeting("M-1", MEETING)
    store.write_file("meeting", "M-1", [("statements", None, {"id": "ST-1", "text": "買い物が難しい"}),
                                        ("attendance", "AT-1", None)])
    assert store.meeting_tables("M-1") == {"meeting": MEETING["meeting"], "statements": [
        {"id": "ST-1", "text": "買い物が難しい"}], "attendance": []}
    assert store.has_meeting("M-1") and not store.has_meeting("M-2")
    with pytest.raises(NotFoundError):
        store.meeting_tables("M-2")
    with pytest.raises(NotFoundError):
        store.write_file("meeting", "M-2", [("statements", None, {"id": "ST-1"})])
    assert store.delete_meeting("M-1") is True
    assert store.meeting_ids() == []
    assert store.backups("meeting", "M-1")[0]["statements"] == [{"id": "ST-1", "text": "買い物が難しい"}]


def test_the_demo_comes_back_identical(location, store):
    demo = load_demo()
    demo["registry"]["empty_table"] = []
    store.write_dataset(demo)
    store.close()
    with reopen(location, read_only=True) as again:
        back = again.load_dataset()
    assert back == demo
    # key order too: the documents read back are the documents written
    first = demo["registry"]["councils"][0]
    assert list(back["registry"]["councils"][0]) == list(first)
    report = check_location(location)
    assert report.ok, [p.message for p in report]
    assert report.total_documents() == sum(len(d) for d in demo["registry"].values()) + sum(
        len(d) for d in demo["sensitive"].values()) + sum(
        len(d) for t in demo["meetings"].values() for d in t.values())


def test_read_only_refuses_every_write(location, store):
    store.upsert("areas", {"id": "AR1"})
    store.close()
    with reopen(location, read_only=True) as ro:
        assert ro.read_only and ro.read_only_message
        for write in (lambda: ro.upsert("areas", {"id": "AR2"}),
                      lambda: ro.create_meeting("M-1", MEETING),
                      lambda: ro.write_dataset({"registry": {}})):
            with pytest.raises(ReadOnlyError):
                write()
        assert ro.all("areas") == [{"id": "AR1"}]


def test_a_second_writer_cannot_write_the_meeting_the_first_runs(location, store):
    store.create_meeting("M-1", MEETING)
    assert store.lock_meeting("M-1") is None
    second = reopen(location)
    try:
        holder = second.lock_meeting("M-1")
        assert holder is not None
        with pytest.raises(StoreError):
            second.write_file("meeting", "M-1", [("statements", None, {"id": "ST-9", "text": "上書き"})])
        assert store.meeting_all("M-1", "statements") == []
    finally:
        second.close()


def test_summary_is_used_only_while_nothing_changed(store):
    stamps = store.source_stamps()
    store.write_summary({"home": {"rows": [1, 2]}}, 3, stamps)
    assert store.read_summary("home", 3) == {"rows": [1, 2]}
    assert store.read_summary("home", 4) is None
    store.upsert("areas", {"id": "AR1"})
    assert store.read_summary("home", 3) is None


def test_back_up_everything_keeps_what_was_there(store):
    store.upsert("areas", {"id": "AR1", "name": "北"})
    assert store.back_up_everything()
    store.upsert("areas", {"id": "AR1", "name": "変更"})
    assert store.backups("registry")[0]["areas"] == [{"id": "AR1", "name": "北"}]


def test_without_the_server_the_postgresql_tests_skip_saying_why(monkeypatch):
    """README's test command on a machine without PostgreSQL: the fixture
    skips with a Japanese reason instead of failing."""
    import pg_cluster as module

    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    monkeypatch.setattr(module.glob, "glob", lambda pattern: [])
    reason = module.pg_skip_reason()
    assert reason and "PostgreSQL" in reason and "飛ばしました" in reason


def test_both_backends_offer_the_whole_contract():
    """Every member of the ``Store`` protocol exists on both classes with the
    same parameters (a method added to one backend only fails here)."""
    import inspect

    from kyogitai_tui.store import DataStore
    from kyogitai_tui.store.location import Store
    from kyogitai_tui.store.pg import PgStore

    members = [n for n in vars(Store) if not n.startswith("_")] + list(Store.__annotations__)
    for cls in (DataStore, PgStore):
        for name in members:
            assert name in dir(cls) or name in ("read_only", "lock_holder", "notice"), (cls.__name__, name)
            want = getattr(Store, name, None)
            if inspect.isfunction(want):
                got = inspect.signature(getattr(cls, name)).parameters
                for param in inspect.signature(want).parameters:
                    assert param in got, (cls.__name__, name, param)
