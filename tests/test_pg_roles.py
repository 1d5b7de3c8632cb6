"""Who may see what, enforced by the database: each coordinator's role is
set up with ``kyogitai db grant`` and then used with the plain driver
(psycopg, no kyogitai code in between), as anyone with the password could.

- a 第2層 coordinator reads and writes their own council's meetings and
  their own area's subjects, individual networks (members, needs), consent
  records and 要配慮 rows -- nothing of another area or council;
- a 第1層 coordinator reads every council's meetings, writes only their
  own council's, and reads no subject of an area not theirs.
"""
from __future__ import annotations

import psycopg
import pytest

from kyogitai_tui.cli import main
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.store.pg import PgStore

from pg_cluster import pg_cluster, pg_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.xdist_group("postgres")


@pytest.fixture
def city(pg_cluster, pg_url, capsys):
    """The demo on the server and three roles: 北 (第2層, AR1, C2), 中央
    (第2層, AR2, C3) and 市 (第1層, C1, no area); returns (dataset, url_of)."""
    dataset = load_demo()
    with PgStore.open(pg_url) as store:
        store.write_dataset(dataset)
    dbname = pg_url.split("@/")[1].split("?")[0]
    tag = dbname[-6:]
    roles = {"kita": f"sc_kita_{tag}", "chuo": f"sc_chuo_{tag}", "city": f"sc_city_{tag}"}
    assert main(["db", "grant", roles["kita"], "--tier", "2", "--area", "AR1", "--council", "C2", "--database", pg_url]) == 0
    assert main(["db", "grant", roles["chuo"], "--tier", "2", "--area", "AR2", "--council", "C3", "--database", pg_url]) == 0
    assert main(["db", "grant", roles["city"], "--tier", "1", "--council", "C1", "--database", pg_url]) == 0
    capsys.readouterr()
    return dataset, (lambda who: pg_cluster.url(dbname, user=roles[who])), roles


def about_area(dataset, area):
    """Ids, per table, of the rows about the subjects of ``area`` (from the data itself)."""
    reg = dataset["registry"]
    subjects = {s["id"] for s in reg["subjects"] if s.get("area_id") == area}
    networks = {n["id"] for n in reg["individual_networks"] if n.get("subject_id") in subjects}
    return {
        "subjects": subjects,
        "consent_records": {c["id"] for c in reg["consent_records"] if c.get("subject_id") in subjects},
        "individual_networks": networks,
        "individual_network_members": {m["id"] for m in reg["individual_network_members"] if m["network_id"] in networks},
        "need_items": {m["id"] for m in reg["need_items"] if m["network_id"] in networks},
        "subject_sensitive": {s["id"] for s in dataset["sensitive"].get("subject_sensitive", []) if s["subject_id"] in subjects},
    }


def council_meetings(dataset, councils):
    return {mid for mid, t in dataset["meetings"].items() if t["meeting"][0]["council_id"] in councils}


def rows(url, sql, params=()):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def seen(url):
    """What a role reads: per subject table the ids, and the meetings."""
    out: dict[str, set] = {}
    for tbl, i in rows(url, "SELECT tbl, id FROM kyogitai_docs WHERE tbl IN ('subjects', 'consent_records', "
                            "'individual_networks', 'individual_network_members', 'need_items', 'subject_sensitive')"):
        out.setdefault(tbl, set()).add(i)
    out["meetings"] = {r[0] for r in rows(url, "SELECT DISTINCT meeting_id FROM kyogitai_docs WHERE scope = 'meeting'")}
    return out


def test_a_tier2_coordinator_reads_only_their_area_and_council(city):
    dataset, url_of, _ = city
    own, other = about_area(dataset, "AR1"), about_area(dataset, "AR2")
    assert own["subjects"] and other["subjects"] and own["individual_network_members"]
    got = seen(url_of("kita"))
    for table, ids in own.items():
        assert got.get(table, set()) == ids, table
    assert got["meetings"] == council_meetings(dataset, {"C2"}) != set()
    # shared register rows stay readable
    assert rows(url_of("kita"), "SELECT count(*) FROM kyogitai_docs WHERE tbl = 'organizations'")[0][0] == len(
        dataset["registry"]["organizations"])


def test_a_tier1_coordinator_reads_every_meeting_but_no_subject(city):
    dataset, url_of, _ = city
    got = seen(url_of("city"))
    assert got["meetings"] == set(dataset["meetings"])
    for table in ("subjects", "consent_records", "individual_networks", "individual_network_members",
                  "need_items", "subject_sensitive"):
        assert got.get(table, set()) == set(), table


def test_writes_outside_ones_own_area_or_council_are_refused_by_the_server(city):
    dataset, url_of, _ = city
    north_meeting = sorted(council_meetings(dataset, {"C2"}))[0]
    centre_subject = sorted(about_area(dataset, "AR2")["subjects"])[0]
    kita, city_url = url_of("kita"), url_of("city")
    with psycopg.connect(kita, autocommit=True) as conn:
        # another area's subject: invisible, so an update touches nothing
        assert conn.execute("UPDATE kyogitai_docs SET doc = '{\"id\": \"x\"}' WHERE tbl = 'subjects' AND id = %s",
                            (centre_subject,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO kyogitai_docs (scope, meeting_id, tbl, id, doc) VALUES "
                         "('registry', '', 'subjects', 'R-NEW', '{\"id\": \"R-NEW\", \"area_id\": \"AR2\"}')")
        # a subject of one's own area moved into another: refused (the row would leave the role's reach)
        own_subject = sorted(about_area(dataset, "AR1")["subjects"])[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE kyogitai_docs SET doc = json_build_object('id', id, 'area_id', 'AR2') "
                         "WHERE tbl = 'subjects' AND id = %s", (own_subject,))
        # one's own meeting: allowed
        conn.execute("INSERT INTO kyogitai_docs (scope, meeting_id, tbl, id, doc) VALUES "
                     "('meeting', %s, 'statements', 'ST-KITA', '{\"id\": \"ST-KITA\"}')", (north_meeting,))
    with psycopg.connect(city_url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO kyogitai_docs (scope, meeting_id, tbl, id, doc) VALUES "
                         "('meeting', %s, 'statements', 'ST-CITY', '{\"id\": \"ST-CITY\"}')", (north_meeting,))
        assert conn.execute("DELETE FROM kyogitai_docs WHERE scope = 'meeting' AND meeting_id = %s",
                            (north_meeting,)).rowcount == 0
        # backups hold every area: not for a coordinator's role
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM kyogitai_backups")


def test_the_app_as_a_coordinator_sees_their_part_and_saves_in_it(city):
    dataset, url_of, _ = city
    own = about_area(dataset, "AR1")
    with PgStore.open(url_of("kita")) as store:
        data = store.load_dataset()
        assert {s["id"] for s in data["registry"]["subjects"]} == own["subjects"]
        assert set(data["meetings"]) == council_meetings(dataset, {"C2"})
        mid = sorted(data["meetings"])[-1]
        store.write_file("meeting", mid, [("statements", None, {"id": "ST-APP", "text": "北の発言"})])
        centre = sorted(council_meetings(dataset, {"C3"}))[0]
        with pytest.raises(Exception) as caught:
            store.write_file("meeting", centre, [("statements", None, {"id": "ST-NO", "text": "よその会議"})])
        assert "権限" in str(caught.value) or "ありません" in str(caught.value)
    with PgStore.open(url_of("chuo"), read_only=True) as other:
        assert other.load_dataset()["meetings"].keys() == council_meetings(dataset, {"C3"})


def test_a_subject_moved_to_another_area_takes_its_rows_along(city):
    dataset, url_of, roles = city
    own = about_area(dataset, "AR1")
    moved = next(n["subject_id"] for n in dataset["registry"]["individual_networks"]
                 if n["subject_id"] in own["subjects"])
    with PgStore.open(url_of("kita").replace(roles["kita"] + "@", "postgres@")) as admin:
        admin.load_dataset()
        doc = admin.get("subjects", moved)
        admin.upsert("subjects", {**doc, "area_id": "AR2"})
    kita, chuo = seen(url_of("kita")), seen(url_of("chuo"))
    networks = {n["id"] for n in dataset["registry"]["individual_networks"] if n["subject_id"] == moved}
    assert moved not in kita["subjects"] and moved in chuo["subjects"]
    assert not networks & kita["individual_networks"] and networks <= chuo["individual_networks"]


def test_revoke_takes_everything_away(city, capsys):
    dataset, url_of, roles = city
    admin_url = url_of("kita").replace(roles["kita"] + "@", "postgres@")
    assert main(["db", "revoke", roles["kita"], "--database", admin_url]) == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(url_of("kita"), "SELECT count(*) FROM kyogitai_docs")


def test_a_meetings_change_to_a_subjects_record_follows_the_subjects_area(city):
    """A meeting may record a change to an individual network (``network_updates``):
    that row is about the subject, so a 第1層 coordinator reading the meeting
    does not see it unless the subject's area is theirs; the app's World built
    from what the role reads has no half-read record."""
    from kyogitai_tui.domain.world import World

    dataset, url_of, _ = city
    about_subjects = [(mid, d["id"]) for mid, t in dataset["meetings"].items()
                      for d in t.get("network_updates", []) if d["entity"] == "individual_networks"]
    assert about_subjects
    visible = {r[0] for r in rows(url_of("city"), "SELECT id FROM kyogitai_docs WHERE tbl = 'network_updates'")}
    assert not visible & {i for _m, i in about_subjects}
    assert visible            # the other network updates (provider networks) stay readable
    with PgStore.open(url_of("city"), read_only=True) as store:
        assert World.from_dataset(store.load_dataset()).problems == []
    own_networks = about_area(dataset, "AR1")["individual_networks"]
    kita = {r[0] for r in rows(url_of("kita"), "SELECT doc->>'entity_id' FROM kyogitai_docs WHERE tbl = 'network_updates' "
                                               "AND doc->>'entity' = 'individual_networks'")}
    assert kita and kita <= own_networks


def test_a_database_set_up_by_an_older_kyogitai_gets_the_current_rules(city):
    """The owner opening the database brings functions and policies up to
    date (here: a policy an older version did not have, and rows placed by
    older rules); a coordinator's role opening it changes nothing."""
    dataset, url_of, roles = city
    admin = url_of("kita").replace(roles["kita"] + "@", "postgres@")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("COMMENT ON TABLE kyogitai_docs IS 'kyogitai-ddl 1'")
        conn.execute("DROP POLICY kyogitai_read ON kyogitai_docs")
        conn.execute("ALTER TABLE kyogitai_docs DISABLE TRIGGER kyogitai_docs_place")
        conn.execute("UPDATE kyogitai_docs SET area_id = NULL WHERE tbl = 'network_updates'")
        conn.execute("ALTER TABLE kyogitai_docs ENABLE TRIGGER kyogitai_docs_place")
    PgStore.open(url_of("kita")).close()                 # not the owner: nothing happens
    assert seen(url_of("kita"))["meetings"] == set()     # (no read policy: nothing readable)
    PgStore.open(admin).close()
    assert seen(url_of("kita"))["meetings"] == council_meetings(dataset, {"C2"})
    assert not {r[0] for r in rows(url_of("city"), "SELECT id FROM kyogitai_docs WHERE tbl = 'network_updates' "
                                                    "AND doc->>'entity' = 'individual_networks'")}


def test_an_id_taken_by_another_areas_subject_is_refused_not_overwritten(city):
    dataset, url_of, roles = city
    centre_subject = sorted(about_area(dataset, "AR2")["subjects"])[0]
    with PgStore.open(url_of("kita")) as store:
        store.load_dataset()
        with pytest.raises(Exception) as caught:
            store.upsert("subjects", {"id": centre_subject, "label": "Zさん", "area_id": "AR1"})
        assert "見る権限のない記録" in str(caught.value) and "上書きはしていません" in str(caught.value)
    admin = url_of("kita").replace(roles["kita"] + "@", "postgres@")
    with PgStore.open(admin, read_only=True) as owner:
        assert owner.get("subjects", centre_subject)["area_id"] == "AR2"
