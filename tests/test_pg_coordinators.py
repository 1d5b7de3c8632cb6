"""Several coordinators on one PostgreSQL database at once: a lock per
meeting (two councils' meetings run together, a second app on the same
meeting is read-only and told who runs it) and row versions (two people
editing one register entry: the second is told what changed, nothing is
overwritten)."""
from __future__ import annotations

import threading

import pytest

from kyogitai_tui.domain.changes import registry_change
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.store import LockHeldError, StoreError
from kyogitai_tui.store.errors import ConflictError
from kyogitai_tui.store.pg import PgStore
from kyogitai_tui.ui.saver import Saver

from pg_cluster import pg_cluster, pg_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.xdist_group("postgres")


@pytest.fixture
def demo_db(pg_url):
    with PgStore.open(pg_url) as store:
        store.write_dataset(load_demo())
    return pg_url


def test_two_meetings_run_at_once_and_no_edit_is_lost(demo_db):
    a, b = PgStore.open(demo_db), PgStore.open(demo_db)
    try:
        assert a.lock_meeting("M-C2-02") is None
        assert b.lock_meeting("M-C3-02") is None      # another council's meeting: not blocked

        def type_in(store, meeting_id, tag):
            for n in range(40):
                store.write_file("meeting", meeting_id, [
                    ("statements", None, {"id": f"ST-{tag}-{n}", "meeting_id": meeting_id, "text": f"{tag} の発言 {n}"})])
        threads = [threading.Thread(target=type_in, args=(a, "M-C2-02", "北")),
                   threading.Thread(target=type_in, args=(b, "M-C3-02", "中央"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        a.close()
        b.close()
    with PgStore.open(demo_db, read_only=True) as check:
        north = {s["id"] for s in check.meeting_all("M-C2-02", "statements")}
        centre = {s["id"] for s in check.meeting_all("M-C3-02", "statements")}
    assert {f"ST-北-{n}" for n in range(40)} <= north
    assert {f"ST-中央-{n}" for n in range(40)} <= centre


def test_a_second_app_on_the_same_meeting_is_told_who_runs_it(demo_db):
    first, second = PgStore.open(demo_db), PgStore.open(demo_db)
    try:
        assert first.lock_meeting("M-C2-02") is None
        holder = second.lock_meeting("M-C2-02")
        assert holder is not None and holder.who and holder.host
        with pytest.raises(LockHeldError) as caught:
            second.write_file("meeting", "M-C2-02", [("statements", None, {"id": "ST-X", "text": "二人目"})])
        assert "進行中" in caught.value.message and holder.who in caught.value.message
        assert all(s["id"] != "ST-X" for s in first.meeting_all("M-C2-02", "statements"))
        first.close()        # the first coordinator closes the app: the meeting is free
        assert second.lock_meeting("M-C2-02") is None
        second.write_file("meeting", "M-C2-02", [("statements", None, {"id": "ST-X", "text": "二人目"})])
    finally:
        first.close()
        second.close()


def test_two_people_editing_one_entry_the_second_is_told_and_nothing_is_overwritten(demo_db):
    a, b = PgStore.open(demo_db), PgStore.open(demo_db)
    try:
        a.load_dataset()
        b.load_dataset()
        org = a.get("organizations", "O01")
        a.upsert("organizations", {**org, "name": "みほん市 長寿福祉課", "phone": "0000-11-2222"})
        with pytest.raises(ConflictError) as caught:
            b.upsert("organizations", {**org, "notes": "協議体の事務局（担当 2 名）"})
        message = caught.value.message
        assert "O01" in message and "name" in message and "phone" in message and "上書きはしていません" in message
        saved = a.get("organizations", "O01")
        assert saved["name"] == "みほん市 長寿福祉課" and saved["notes"] == org["notes"]
        # deleting what someone else changed is refused too
        with pytest.raises(ConflictError):
            b.write_file("registry", "", [("organizations", "O01", None)])
        assert a.get("organizations", "O01") is not None
        # once b has read the new version, its edit goes through
        fresh = b.get("organizations", "O01")
        b.upsert("organizations", {**fresh, "notes": "協議体の事務局（担当 2 名）"})
        assert a.get("organizations", "O01")["name"] == "みほん市 長寿福祉課"
    finally:
        a.close()
        b.close()


def test_the_same_change_arriving_twice_is_no_conflict(demo_db):
    """A save whose answer the server lost is retried: the row already holds
    exactly that change, which is not someone else's edit."""
    a, b = PgStore.open(demo_db), PgStore.open(demo_db)
    try:
        a.load_dataset()
        b.load_dataset()
        org = a.get("organizations", "O02")
        same = {**org, "name": "同じ変更"}
        a.upsert("organizations", same)
        b.upsert("organizations", same)
    finally:
        a.close()
        b.close()


def test_the_app_saver_keeps_a_conflicting_edit_and_says_what_changed(demo_db):
    a, b = PgStore.open(demo_db), PgStore.open(demo_db)
    results = []
    saver = Saver(b, lambda error, pending: results.append((error, pending)))
    try:
        a.load_dataset()
        b.load_dataset()
        org = a.get("persons", "P01")
        a.upsert("persons", {**org, "title": "第1層コーディネーター（統括）"})
        saver.save([registry_change("persons", "P01", {**org, "display_name": "見本 一朗"})])
        saver.flush()
        error, pending = results[-1]
        assert pending == 1 and "title" in error and "上書きはしていません" in error
        assert [ch.doc_id for ch in saver.unsaved] == ["P01"]
        assert a.get("persons", "P01")["display_name"] == org["display_name"]
    finally:
        saver.close()
        a.close()
        b.close()


def test_read_only_and_meeting_lock_errors_are_store_errors(demo_db):
    with PgStore.open(demo_db, read_only=True) as ro:
        with pytest.raises(StoreError):
            ro.write_file("meeting", "M-C2-02", [("statements", None, {"id": "ST-Y"})])


def test_a_refused_batch_leaves_nothing_behind_and_its_retry_after_a_fresh_read_lands(demo_db):
    a, b = PgStore.open(demo_db), PgStore.open(demo_db)
    try:
        a.load_dataset()
        b.load_dataset()
        o3, o4 = b.get("organizations", "O03"), b.get("organizations", "O04")
        a.upsert("organizations", {**a.get("organizations", "O04"), "notes": "A が先に直した"})
        batch = [("organizations", None, {**o3, "notes": "B の一括 1"}), ("organizations", None, {**o4, "notes": "B の一括 2"})]
        with pytest.raises(ConflictError):
            b.write_file("registry", "", batch)
        assert a.get("organizations", "O03").get("notes") == o3.get("notes")          # all or nothing
        fresh = b.get("organizations", "O04")
        b.write_file("registry", "", [batch[0], ("organizations", None, {**fresh, "notes": "B の一括 2"})])
        assert a.get("organizations", "O03")["notes"] == "B の一括 1"
        assert a.get("organizations", "O04")["notes"] == "B の一括 2"
    finally:
        a.close()
        b.close()
