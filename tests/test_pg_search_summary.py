"""``kyogitai search --database``: the server returns only the summary rows
that hold the words searched for (kyogitai_summary_rows), the answer is the
folder's, a summary older than the data is never used, and one
coordinator's rows are never another's (row-level security)."""
from __future__ import annotations

import json

import psycopg
import pytest

from kyogitai_tui.cli import main
from kyogitai_tui.domain.reports.search import query_terms, row_text
from kyogitai_tui.domain.reports.summary import SUMMARY_VERSION
from kyogitai_tui.store.pg import PgStore

from pg_cluster import pg_cluster, pg_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.xdist_group("postgres")

QUERIES = ("見守り", "ｻﾛﾝ", "NPO 買い物", "かいものどうこう", "存在しないことば")


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def served(capsys, pg_url, demo_root):
    """The demo migrated onto the server and its summary rebuilt (``check``)."""
    assert run(capsys, "migrate", "--from", str(demo_root), "--to", pg_url)[0] == 0
    code, out, err = run(capsys, "check", "--database", pg_url)
    assert code == 0, err
    return pg_url


def test_the_server_sends_only_the_rows_holding_every_word_and_the_answer_is_the_folders(capsys, served, demo_root):
    with PgStore.open(served, read_only=True) as store:
        whole = store.read_summary("search", SUMMARY_VERSION)
        assert whole is not None and len(whole["rows"]) > 100          # current, and kept row by row
        terms = query_terms("NPO 買い物")
        some = store.read_summary("search", SUMMARY_VERSION, containing=terms)
    with psycopg.connect(served) as conn:     # what a kyogitai of before the split reads as "search"
        old = conn.execute("SELECT content FROM kyogitai_summary WHERE part = 'search'").fetchall()
    assert all("rows" in content for (content,) in old)
    expected = [r for r in whole["rows"] if all(t in row_text(r) for t in terms)]
    assert some["rows"] == expected and 0 < len(expected) < len(whole["rows"]) // 10
    assert some["heads"] == whole["heads"] and some["titles"] == whole["titles"]
    for query in QUERIES:
        folder = run(capsys, "search", *query.split(), "--data-dir", str(demo_root), "--format", "json", "--limit", "0")
        database = run(capsys, "search", *query.split(), "--database", served, "--format", "json", "--limit", "0")
        assert database[0] == folder[0], query
        assert json.loads(database[1]) == json.loads(folder[1]), query


def test_a_summary_older_than_the_data_is_never_used(capsys, served):
    with PgStore.open(served) as store:
        mid = next(m for m in store.meeting_ids() if store.meeting_all(m, "statements"))
        said = dict(store.meeting_all(mid, "statements")[0], id="ST-NEW-1",
                    text="ゆうびんきょく前のベンチを直してほしいという声")
        store.meeting_upsert(mid, "statements", said)
        assert store.read_summary("search", SUMMARY_VERSION, containing=query_terms("ベンチ")) is None
    code, out, err = run(capsys, "search", "ベンチ", "--database", served, "--format", "json")
    assert code == 0, err
    assert "ST-NEW-1" in {hit["entity_id"] for hit in json.loads(out)}


def test_a_coordinator_never_reads_another_roles_search_rows(capsys, pg_cluster, served):
    dbname = served.split("@/")[1].split("?")[0]
    role = f"sc_kita_{dbname[-6:]}"
    assert run(capsys, "db", "grant", role, "--tier", "2", "--area", "AR1", "--council", "C2",
               "--database", served)[0] == 0
    mine = pg_cluster.url(dbname, user=role)
    with psycopg.connect(served) as conn:                       # the owner's rows are there
        assert conn.execute("SELECT count(*) FROM kyogitai_summary_rows").fetchone()[0] > 100
    with psycopg.connect(mine) as conn:                         # the plain driver, as the coordinator
        assert conn.execute("SELECT count(*) FROM kyogitai_summary_rows").fetchone()[0] == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO kyogitai_summary_rows (role_name, part, n, norm, row_json) "
                         "VALUES ('postgres', 'search', 99999, 'x', '[]')")
    # the coordinator's own summary: only what their role may read
    code, out, err = run(capsys, "check", "--database", mine)
    assert code == 0, err
    with PgStore.open(mine, read_only=True) as store:
        own = store.read_summary("search", SUMMARY_VERSION)
    assert own["rows"] and {own["heads"][r[0]][0] for r in own["rows"]} == {"C2"}    # their council only


def test_a_role_granted_by_an_older_kyogitai_still_finds_the_same(capsys, pg_cluster, served):
    dbname = served.split("@/")[1].split("?")[0]
    role = f"sc_old_{dbname[-6:]}"
    assert run(capsys, "db", "grant", role, "--tier", "2", "--area", "AR1", "--council", "C2",
               "--database", served)[0] == 0
    with psycopg.connect(served, autocommit=True) as conn:      # as before the rows table existed
        conn.execute(f'REVOKE ALL ON kyogitai_summary_rows FROM "{role}"')
    mine = pg_cluster.url(dbname, user=role)
    code, out, err = run(capsys, "check", "--database", mine)
    assert code == 0, err
    with PgStore.open(mine, read_only=True) as store:
        assert store.read_summary("home", SUMMARY_VERSION) is not None      # the start keeps its fast path
        assert store.read_summary("search", SUMMARY_VERSION) is None        # no half search summary
    code, out, err = run(capsys, "search", "見守り", "--database", mine, "--format", "json", "--limit", "0")
    assert code == 0, err
    assert json.loads(out) and {hit["council_id"] for hit in json.loads(out)} == {"C2"}


def test_search_rows_with_any_text_come_back_as_written(pg_url):
    """The rows go to the server as one text of lines (or as arrays when a
    searchable text holds a tab or a newline): either way they come back whole."""
    heads = [["C1", "みほん市", "M-1", "2025-04-01", 2025, 1]]
    plain = [[0, "発言", None, 0, "ST1", "見守り\\の\"話\"", "", None],
             [0, "発言", None, 0, "ST2", "タブ\tと\n改行", "", "たぶと改行"]]
    odd = plain + [[0, "発言", None, 0, "ST3", "x", "", "tab\there\nnewline"]]
    with PgStore.open(pg_url) as store:
        stamps = store.source_stamps()
        for rows in (plain, odd):
            store.write_summary({"search": {"heads": heads, "titles": ["-"], "rows": rows}}, SUMMARY_VERSION, stamps)
            assert store.read_summary("search", SUMMARY_VERSION)["rows"] == rows
            assert store.read_summary("search", SUMMARY_VERSION, containing=["\"話\""])["rows"] == rows[:1]
        assert store.read_summary("search", SUMMARY_VERSION, containing=["here\nnew"])["rows"] == odd[2:]
