"""The derived summaries (summary.json and its kin) on PostgreSQL: one
statement reads a part with the write generation it is checked against;
the search part's rows are kept one per table row (``kyogitai_summary_rows``)
so that ``kyogitai search`` fetches only its hits.  Mixed into ``PgStore``
(store/pg.py), whose ``_run`` runs each statement with the store's error
handling."""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from kyogitai_tui.store.errors import StoreError

_encode = json.JSONEncoder(ensure_ascii=False).encode


def _search_text(row: list) -> str:
    from kyogitai_tui.domain.reports.search import row_text

    return row_text(row)


# Summary parts whose rows are kept one per table row (kyogitai_summary_rows),
# with the text a search looks in: ``kyogitai search`` fetches only its hits.
SPLIT_PARTS = {"search": _search_text}


def _part_key(part: str) -> str:
    """The key a part is kept under: a split part under a name of its own
    (``search:rows``), so a kyogitai of before the split, sharing the server,
    never takes its row-less content for a whole one (it finds no current
    ``search`` and reads the data)."""
    return f"{part}:rows" if part in SPLIT_PARTS else part


class PgSummaryMixin:
    """``source_stamps``, ``read_summary`` and ``write_summary`` of the store contract."""

    def source_stamps(self) -> dict[str, list[int]]:
        def run(conn):
            with conn.cursor() as cur:
                cur.execute("SELECT generation FROM kyogitai_state")
                row = cur.fetchone()
            return {"generation": [row[0] if row else 0]}
        return self._run(run)

    def read_summary(self, part: str, version: int, stamps: dict[str, list[int]] | None = None,
                     *, containing: Iterable[str] | None = None) -> dict[str, Any] | None:
        """The summary part of this role while no write happened since it was
        built, in ONE statement (one snapshot: the part, its rows and the
        write generation it is checked against).  ``containing``: for a part
        whose rows are kept one per table row (``SPLIT_PARTS``), only the rows
        whose searchable text holds every one of these (normalised) words --
        a superset of what the domain's search keeps, in the same order, so
        its answer is the same; other parts ignore it."""
        split = part in SPLIT_PARTS
        terms = [t for t in (containing or ()) if t] if split else []
        where = "".join(" AND strpos(r.norm, %s) > 0" for _ in terms)
        # the rows table only for a split part: the home screen's read never
        # depends on it (a role granted by an older kyogitai may lack it)
        rows_sql = ("(SELECT '[' || coalesce(string_agg(r.row_json, ',' ORDER BY r.n), '') || ']' "
                    "FROM kyogitai_summary_rows r WHERE r.role_name = s.role_name "
                    f"AND r.part = s.part{where})") if split else "NULL"

        def run(conn):
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT s.version, s.stamps::text, (SELECT generation FROM kyogitai_state), s.content::text, "
                    f"{rows_sql} FROM kyogitai_summary s WHERE s.role_name = current_user AND s.part = %s",
                    (*terms, _part_key(part)))
                return cur.fetchone()
        try:
            row = self._run(run)
        except StoreError:
            return None
        if row is None or row[0] != version:
            return None
        now = stamps or {"generation": [row[2] if row[2] is not None else 0]}
        try:
            if json.loads(row[1]) != now:
                return None
            content = json.loads(row[3])
            if not isinstance(content, dict):
                return None
            if part in SPLIT_PARTS and "rows" not in content:
                content["rows"] = json.loads(row[4])
        except (TypeError, ValueError):
            return None
        return content

    def write_summary(self, parts: Mapping[str, Mapping[str, Any]], version: int,
                      stamps: dict[str, list[int]]) -> None:
        """The parts in one transaction; the rows of a ``SPLIT_PARTS`` part go
        to ``kyogitai_summary_rows`` (one statement for all of them), each with
        its searchable text, so a search fetches only the rows it shows."""
        import psycopg

        def run(conn):
            with conn.transaction(), conn.cursor() as cur:
                for part, content in parts.items():
                    content = dict(content)
                    text_of = SPLIT_PARTS.get(part)
                    rows = (content.pop("rows", None) or []) if text_of else None
                    cur.execute(
                        "INSERT INTO kyogitai_summary (part, version, stamps, content) VALUES (%s, %s, %s, %s) "
                        "ON CONFLICT (role_name, part) DO UPDATE SET version = EXCLUDED.version, "
                        "stamps = EXCLUDED.stamps, content = EXCLUDED.content",
                        (_part_key(part), version, json.dumps(stamps), _encode(content)))
                    if text_of is None:
                        continue
                    try:
                        with conn.transaction():
                            cur.execute("DELETE FROM kyogitai_summary_rows WHERE role_name = current_user "
                                        "AND part = %s", (_part_key(part),))
                            if rows:
                                self._insert_rows(cur, _part_key(part), [text_of(r) for r in rows],
                                                  [_encode(r) for r in rows])
                    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.UndefinedTable):
                        # a role granted by an older kyogitai: no search summary (the
                        # search reads the data), the other parts are kept
                        cur.execute("DELETE FROM kyogitai_summary WHERE role_name = current_user AND part = %s",
                                    (_part_key(part),))
        self._run(run, writing=True)

    @staticmethod
    def _insert_rows(cur, key: str, norms: list[str], encoded: list[str]) -> None:
        """Every row in one statement.  As one text of ``norm TAB json`` lines
        split by the server: a JSON text holds no raw tab or newline, and a
        normalised text none either (whitespace is dropped); psycopg's
        per-element array escaping cost 0.8 s at 33,000 rows.  Arrays when
        a text should ever hold one."""
        if any("\t" in n or "\n" in n for n in norms):
            cur.execute("INSERT INTO kyogitai_summary_rows (part, n, norm, row_json) "
                        "SELECT %s, n, norm, row_json FROM unnest(%s::int[], %s::text[], %s::text[]) "
                        "AS u(n, norm, row_json)", (key, list(range(len(norms))), norms, encoded))
            return
        payload = "\n".join(f"{n}\t{e}" for n, e in zip(norms, encoded))
        cur.execute("INSERT INTO kyogitai_summary_rows (part, n, norm, row_json) "
                    "SELECT %s, (n - 1)::int, split_part(line, E'\\t', 1), substr(line, strpos(line, E'\\t') + 1) "
                    "FROM unnest(string_to_array(%s, E'\\n')) WITH ORDINALITY AS u(line, n)", (key, payload))
