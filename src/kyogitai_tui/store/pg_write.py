"""Writing on PostgreSQL: row-versioned changes, whole-file replacement,
meeting creation and deletion, and the kept backups.  Mixed into ``PgStore``
(store/pg.py), whose ``_run`` runs each transaction with the store's error
handling and reconnection, and whose ``_select`` / ``_tables`` read what a
write compares against.  A change is written only if its row is still at the
version this store read; otherwise ``ConflictError`` names the fields that now
differ, and nothing is overwritten."""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from kyogitai_tui.store.errors import (
    ConflictError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
)
from kyogitai_tui.store.files import check_table_name, clean_document
from kyogitai_tui.store.layout import MEETINGS_DIR, REGISTRY_FILE, SENSITIVE_FILE, Tables, check_meeting_id, validate_dataset
from kyogitai_tui.store.pg_summary import _encode
from kyogitai_tui.store.schema import SCHEMA_VERSION

BACKUP_COUNT = 3

Op = tuple[str, "str | None", "Mapping[str, Any] | None"]


def file_label(scope: str, meeting_id: str) -> str:
    """The folder name of the same data (``registry.json``, ``meetings/M-1.json``):
    check reports and messages speak of the same things on both backends."""
    if scope == "meeting":
        return f"{MEETINGS_DIR}/{meeting_id}.json"
    return REGISTRY_FILE if scope == "registry" else SENSITIVE_FILE


def _changed_fields(theirs: Mapping[str, Any] | None, ours: Mapping[str, Any] | None) -> list[str]:
    theirs, ours = theirs or {}, ours or {}
    return sorted(k for k in set(theirs) | set(ours) if k != "id" and theirs.get(k) != ours.get(k))


class _Staged:
    """The row versions a write transaction learns, kept apart until it
    commits: a transaction rolled back (a conflict, the server gone) leaves
    the versions this store knows as they were."""

    def __init__(self, base: dict) -> None:
        self.base, self.staged = base, {}

    def get(self, key, default=None):
        if key in self.staged:
            value = self.staged[key]
            return default if value is None else value
        return self.base.get(key, default)

    def __setitem__(self, key, value) -> None:
        self.staged[key] = value

    def __delitem__(self, key) -> None:
        self.staged[key] = None

    def pop(self, key, default=None):
        value = self.get(key, default)
        self.staged[key] = None
        return value

    def __iter__(self):
        return iter(set(self.base) | set(self.staged))

    def commit(self) -> None:
        for key, value in self.staged.items():
            if value is None:
                self.base.pop(key, None)
            else:
                self.base[key] = value


class PgWriteMixin:
    # -- writing -----------------------------------------------------------------
    def _bump(self, cur) -> None:
        cur.execute("UPDATE kyogitai_state SET generation = generation + 1")

    def _lock_file(self, cur, scope: str, meeting_id: str) -> list[str] | None:
        cur.execute("SELECT tables FROM kyogitai_files WHERE scope = %s AND meeting_id = %s FOR UPDATE",
                    (scope, meeting_id))
        row = cur.fetchone()
        return None if row is None else list(row[0])

    def _conflict(self, cur, scope: str, meeting_id: str, table: str, doc_id: str,
                  ours: Mapping[str, Any] | None, *, inserting: bool = False) -> int | None:
        """The row did not match the version we read: the version to take as
        ours when the row already holds exactly our change (a retry after the
        server lost its answer), else ``ConflictError``."""
        cur.execute("SELECT doc, version FROM kyogitai_docs WHERE scope = %s AND meeting_id = %s "
                    "AND tbl = %s AND id = %s", (scope, meeting_id, table, doc_id))
        row = cur.fetchone()
        if row is None:
            if ours is None:
                return 0   # deleted by someone else too: what we wanted
            if inserting:  # the id exists in a row this role may not read (another area's)
                raise StoreError(
                    f"{table} の番号 {doc_id} は、見る権限のない記録（ほかの圏域など）ですでに使われているため、"
                    "保存できませんでした。上書きはしていません。あなたの入力は保存を待っています。"
                    "管理者に連絡して、番号を変えて登録してください。")
            raise ConflictError(table, doc_id, [], deleted=True)
        if ours is not None and row[0] == ours:
            return row[1]
        raise ConflictError(table, doc_id, _changed_fields(row[0], ours))

    def _apply_ops(self, cur, scope: str, meeting_id: str, ops: list[tuple[str, str | None, dict | None]],
                   names: list[str]) -> list[str]:
        versions = self._versions
        for table, doc_id, doc in ops:
            if table not in names:
                names.append(table)
            if doc is None:
                key = (scope, meeting_id, table, doc_id)
                seen = versions.get(key)
                if seen is None:
                    cur.execute("DELETE FROM kyogitai_docs WHERE scope = %s AND meeting_id = %s AND tbl = %s "
                                "AND id = %s", key)
                else:
                    cur.execute("DELETE FROM kyogitai_docs WHERE scope = %s AND meeting_id = %s AND tbl = %s "
                                "AND id = %s AND version = %s RETURNING 1", (*key, seen))
                    if cur.fetchone() is None:
                        self._conflict(cur, scope, meeting_id, table, doc_id, None)
                versions.pop(key, None)
                continue
            key = (scope, meeting_id, table, doc["id"])
            text = _encode(doc)
            seen = versions.get(key)
            if seen is None:
                cur.execute("INSERT INTO kyogitai_docs (scope, meeting_id, tbl, id, doc) VALUES (%s, %s, %s, %s, %s) "
                            "ON CONFLICT DO NOTHING RETURNING version", (*key, text))
            else:
                cur.execute("UPDATE kyogitai_docs SET doc = %s, version = version + 1 WHERE scope = %s "
                            "AND meeting_id = %s AND tbl = %s AND id = %s AND version = %s RETURNING version",
                            (text, *key, seen))
            row = cur.fetchone()
            versions[key] = row[0] if row is not None else self._conflict(
                cur, scope, meeting_id, table, doc["id"], doc, inserting=seen is None)
        return names

    def _copy_docs(self, cur, scope: str, meeting_id: str, tables: Mapping[str, list[dict]]) -> None:
        # the meeting document first: the rows after it learn their council from the file row
        with cur.copy("COPY kyogitai_docs (scope, meeting_id, tbl, id, doc) FROM STDIN") as copy:
            for name, docs in tables.items():
                for doc in docs:
                    copy.write_row((scope, meeting_id, name, doc["id"], _encode(doc)))
        cur.execute("SELECT tbl, id, version FROM kyogitai_docs WHERE scope = %s AND meeting_id = %s",
                    (scope, meeting_id))
        for tbl, i, version in cur.fetchall():
            self._versions[(scope, meeting_id, tbl, i)] = version

    @staticmethod
    def _council_of(*sources: Mapping[str, Any] | None, ops: Iterable[Op] = ()) -> str | None:
        for source in sources:
            for doc in (source or {}).get("meeting") or []:
                if isinstance(doc, Mapping) and isinstance(doc.get("council_id"), str):
                    return doc["council_id"]
        for table, _i, doc in ops:
            if table == "meeting" and doc is not None and isinstance(doc.get("council_id"), str):
                return doc["council_id"]
        return None

    def _replace_file(self, cur, scope: str, meeting_id: str, tables: Mapping[str, list[dict]]) -> None:
        """Write a whole file (existing or not) in the current transaction."""
        council = self._council_of(tables) if scope == "meeting" else None
        cur.execute("DELETE FROM kyogitai_docs WHERE scope = %s AND meeting_id = %s", (scope, meeting_id))
        cur.execute("INSERT INTO kyogitai_files (scope, meeting_id, tables, council_id, schema_version) "
                    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (scope, meeting_id) DO UPDATE SET "
                    "tables = EXCLUDED.tables, council_id = EXCLUDED.council_id, "
                    "schema_version = EXCLUDED.schema_version",
                    (scope, meeting_id, json.dumps(list(tables)), council, SCHEMA_VERSION))
        for key in [k for k in self._versions if k[0] == scope and k[1] == meeting_id]:
            del self._versions[key]
        self._copy_docs(cur, scope, meeting_id, tables)

    def _write(self, scope: str, meeting_id: str, ops: list[Op], create: Mapping[str, list] | None) -> None:
        clean_ops = [(check_table_name(t), i, clean_document(d) if d is not None else None) for t, i, d in ops]
        clean_create = None
        if create is not None:
            clean_create = {check_table_name(n): [clean_document(d) for d in docs] for n, docs in create.items()}

        def run(conn):
            if scope == "meeting":
                if meeting_id not in self._held:
                    self._take_lock(conn, meeting_id)
            with conn.transaction(), conn.cursor() as cur:
                names = self._lock_file(cur, scope, meeting_id)
                if clean_create is not None:
                    self._replace_file(cur, scope, meeting_id, clean_create)
                    names = list(clean_create)
                elif names is None:
                    if scope == "meeting":
                        raise NotFoundError(f"会議 {meeting_id} のデータがありません（{self.location}）。")
                    names = []
                before = list(names)
                if clean_ops:
                    if scope == "meeting" and names == [] and clean_create is None:
                        pass
                    self._apply_ops(cur, scope, meeting_id, clean_ops, names)
                if names != before:
                    cur.execute("UPDATE kyogitai_files SET tables = %s WHERE scope = %s AND meeting_id = %s",
                                (json.dumps(names), scope, meeting_id))
                self._bump(cur)
        self._run(run, writing=True)

    def upsert(self, table: str, doc: Mapping[str, Any]) -> None:
        self._write("registry", "", [(table, None, doc)], None)

    def delete(self, table: str, doc_id: str) -> bool:
        if self.get(table, doc_id) is None:
            return False
        self._write("registry", "", [(table, doc_id, None)], None)
        return True

    def sensitive_upsert(self, table: str, doc: Mapping[str, Any]) -> None:
        self._write("sensitive", "", [(table, None, doc)], None)

    def sensitive_delete(self, table: str, doc_id: str) -> bool:
        if self.sensitive_get(table, doc_id) is None:
            return False
        self._write("sensitive", "", [(table, doc_id, None)], None)
        return True

    def create_meeting(self, meeting_id: str, tables: Mapping[str, list] | None = None,
                       *, replace: bool = False) -> None:
        check_meeting_id(meeting_id)
        if self.read_only:
            raise ReadOnlyError(self._ro_reason)
        if not replace and self.has_meeting(meeting_id):
            raise StoreError(f"会議 {meeting_id} はすでにあります（{self.location}）。")
        self._write("meeting", meeting_id, [], dict(tables or {}))

    def delete_meeting(self, meeting_id: str) -> bool:
        """Remove a meeting (a snapshot of it is kept in the backups first)."""
        check_meeting_id(meeting_id)
        if self.read_only:
            raise ReadOnlyError(self._ro_reason)
        if not self.has_meeting(meeting_id):
            return False
        tables = self.meeting_tables(meeting_id)

        def run(conn):
            if meeting_id not in self._held:
                self._take_lock(conn, meeting_id)
            with conn.transaction(), conn.cursor() as cur:
                self._snapshot(cur, "meeting", meeting_id, tables)
                cur.execute("DELETE FROM kyogitai_files WHERE scope = 'meeting' AND meeting_id = %s", (meeting_id,))
                self._bump(cur)
        self._run(run, writing=True)
        for key in [k for k in self._versions if k[0] == "meeting" and k[1] == meeting_id]:
            del self._versions[key]
        return True

    def meeting_upsert(self, meeting_id: str, table: str, doc: Mapping[str, Any]) -> None:
        check_meeting_id(meeting_id)
        self._write("meeting", meeting_id, [(table, None, doc)], None)

    def meeting_delete(self, meeting_id: str, table: str, doc_id: str) -> bool:
        if self.meeting_get(meeting_id, table, doc_id) is None:
            return False
        self._write("meeting", meeting_id, [(table, doc_id, None)], None)
        return True

    def write_file(self, scope: str, meeting_id: str, ops: list[Op],
                   *, create: Mapping[str, list] | None = None) -> None:
        """Every change of one "file" in ONE transaction (see ``DataStore.write_file``)."""
        if scope == "meeting":
            check_meeting_id(meeting_id)
        elif scope in ("registry", "sensitive"):
            if create is not None:
                raise StoreError(f"{scope} のファイルは作り直せません。")
            meeting_id = ""
        else:
            raise StoreError(f"保存先の種類 {scope!r} が正しくありません。")
        self._write(scope, meeting_id, list(ops), create)

    def apply_batch(self, upserts: list[tuple[str, Mapping[str, Any]]],
                    deletes: list[tuple[str, str]] = (), *, sensitive: bool = False) -> None:
        ops = [(t, i, None) for t, i in deletes] + [(t, None, d) for t, d in upserts]
        self.write_file("sensitive" if sensitive else "registry", "", ops)

    # -- bulk ----------------------------------------------------------------------
    def write_dataset(self, dataset: Mapping[str, Any], *, prune_meetings: bool = False) -> None:
        """A whole dataset in ONE transaction (every file, or nothing)."""
        if self.read_only:
            raise ReadOnlyError(self._ro_reason)
        clean = validate_dataset(dataset)

        def run(conn):
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT meeting_id FROM kyogitai_files WHERE scope = 'meeting'")
                existing = {r[0] for r in cur.fetchall()}
                if prune_meetings:
                    for mid in sorted(existing - set(clean["meetings"])):
                        self._snapshot(cur, "meeting", mid, None)
                        cur.execute("DELETE FROM kyogitai_files WHERE scope = 'meeting' AND meeting_id = %s", (mid,))
                        for key in [k for k in self._versions if k[0] == "meeting" and k[1] == mid]:
                            del self._versions[key]
                # what is replaced is kept, as the folder backs up each file it replaces
                cur.execute("SELECT DISTINCT scope, meeting_id FROM kyogitai_docs")
                for scope, mid in sorted(cur.fetchall()):
                    if scope != "meeting" or mid in clean["meetings"]:
                        self._snapshot(cur, scope, mid, None)
                self._replace_file(cur, "registry", "", clean["registry"])
                self._replace_file(cur, "sensitive", "", clean["sensitive"])
                for mid, tables in clean["meetings"].items():
                    self._replace_file(cur, "meeting", mid, tables)
                self._bump(cur)
        self._run(run, writing=True)

    def clear_all(self) -> None:
        self.write_dataset({"registry": {}, "sensitive": {}, "meetings": {}}, prune_meetings=True)

    # -- backups -------------------------------------------------------------------
    def _snapshot(self, cur, scope: str, meeting_id: str, tables: Mapping[str, list] | None) -> str | None:
        """Keep the file as it is now as backup 1 (2 and 3 shift; 4 is dropped);
        nothing when it equals backup 1."""
        if tables is None:
            cur.execute("SELECT tables FROM kyogitai_files WHERE scope = %s AND meeting_id = %s",
                        (scope, meeting_id))
            row = cur.fetchone()
            names = list(row[0]) if row else []
            cur.execute("SELECT tbl, doc::text FROM kyogitai_docs WHERE scope = %s AND meeting_id = %s ORDER BY pos",
                        (scope, meeting_id))
            tables = {n: [] for n in names}
            for tbl, text in cur.fetchall():
                tables.setdefault(tbl, []).append(json.loads(text))
        payload = json.dumps(tables, ensure_ascii=False)
        cur.execute("SELECT tables::text FROM kyogitai_backups WHERE scope = %s AND meeting_id = %s AND n = 1",
                    (scope, meeting_id))
        row = cur.fetchone()
        label = f"backup:{file_label(scope, meeting_id)}.1"
        if row is not None and json.loads(row[0]) == tables:
            return label
        cur.execute("DELETE FROM kyogitai_backups WHERE scope = %s AND meeting_id = %s AND n >= %s",
                    (scope, meeting_id, BACKUP_COUNT))
        cur.execute("UPDATE kyogitai_backups SET n = n + 1000 WHERE scope = %s AND meeting_id = %s",
                    (scope, meeting_id))
        cur.execute("UPDATE kyogitai_backups SET n = n - 999 WHERE scope = %s AND meeting_id = %s",
                    (scope, meeting_id))
        cur.execute("INSERT INTO kyogitai_backups (scope, meeting_id, n, tables) VALUES (%s, %s, 1, %s)",
                    (scope, meeting_id, payload))
        return label

    def back_up_everything(self) -> list[str]:
        """A snapshot of every file as it is now (kept in ``kyogitai_backups``,
        the three newest per file; readable by the owner only)."""
        data = self.load_dataset()

        def run(conn):
            with conn.transaction(), conn.cursor() as cur:
                out = [self._snapshot(cur, "registry", "", data["registry"]),
                       self._snapshot(cur, "sensitive", "", data["sensitive"])]
                for mid, tables in data["meetings"].items():
                    out.append(self._snapshot(cur, "meeting", mid, tables))
            return [o for o in out if o]
        return self._run(run, writing=True)

    def backups(self, scope: str, meeting_id: str = "") -> list[Tables]:
        """The kept snapshots of one file, newest first."""
        def run(conn):
            with conn.cursor() as cur:
                cur.execute("SELECT tables::text FROM kyogitai_backups WHERE scope = %s AND meeting_id = %s "
                            "ORDER BY n", (scope, meeting_id))
                return [json.loads(r[0]) for r in cur.fetchall()]
        return self._run(run)

