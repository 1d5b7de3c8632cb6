"""``PgStore``: the store contract on a shared PostgreSQL database.

The same documents and the same promises as ``DataStore`` (the data folder),
for a municipality whose coordinators share one server
(``kyogitai --database postgresql://...``).  The tables are described in
pg_schema.py.  What differs, and why:

* **Atomic batches** are transactions: ``write_file`` / ``apply_batch`` /
  ``write_dataset`` land whole or not at all (``write_dataset`` even across
  every file, which the folder cannot do).
* **Locks** are per meeting, not per data folder: the first write to a
  meeting takes a session-level advisory lock on it (``lock_meeting``), held
  until the app closes; the server drops it when the connection dies, however
  the app dies.  Another app writing that meeting gets ``LockHeldError``
  naming who holds it; two councils' meetings run at the same time.
* **Row versions**: every document row carries ``version``.  The store
  remembers the version of each document it read; a change is written only
  if the row is still at that version.  Otherwise ``ConflictError`` says
  which fields now differ, and nothing is overwritten.
* **Who may see what** is the server's business (row-level security, see
  pg_schema.py): a coordinator's role simply reads fewer rows.
* **The server stopped** mid-meeting: every call raises
  ``ServerUnavailableError`` (a ``StoreError`` with a Japanese message);
  the app's saver keeps the edits in memory and retries, and the next call
  reconnects (and takes the meeting locks it held again).

All methods are thread-safe (one re-entrant lock around one connection).
"""
from __future__ import annotations

import json
import os
import threading
from datetime import datetime
from typing import Any, Iterable, Mapping

from kyogitai_tui.store.errors import (
    ConflictError,
    InvalidDataError,
    LockHeldError,
    NewerSchemaError,
    NotFoundError,
    ReadOnlyError,
    ServerUnavailableError,
    StoreError,
)
from kyogitai_tui.store.files import check_table_name, clean_document
from kyogitai_tui.store.layout import MEETINGS_DIR, REGISTRY_FILE, SENSITIVE_FILE, Dataset, Tables, check_meeting_id, \
    validate_dataset
from kyogitai_tui.store.lock import LockHolder, this_host
from kyogitai_tui.store.pg_schema import DDL, DDL_MARK
from kyogitai_tui.store.pg_summary import PgSummaryMixin, _encode
from kyogitai_tui.store.schema import SCHEMA_VERSION

URL_PREFIXES = ("postgresql://", "postgres://")
BACKUP_COUNT = 3

Op = tuple[str, "str | None", "Mapping[str, Any] | None"]


def is_database_url(location: Any) -> bool:
    return isinstance(location, str) and location.startswith(URL_PREFIXES)


def display_url(url: str) -> str:
    """The URL without its password (for messages and ``check``)."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(url)
    except Exception:
        return url.split("@")[-1]
    user = info.get("user")
    host = info.get("host") or "localhost"
    db = info.get("dbname") or ""
    return f"postgresql://{user + '@' if user else ''}{host}/{db}"


def file_label(scope: str, meeting_id: str) -> str:
    """The folder name of the same data (``registry.json``, ``meetings/M-1.json``):
    check reports and messages speak of the same things on both backends."""
    if scope == "meeting":
        return f"{MEETINGS_DIR}/{meeting_id}.json"
    return REGISTRY_FILE if scope == "registry" else SENSITIVE_FILE


def lock_key(meeting_id: str) -> str:
    return f"kyogitai-meeting:{meeting_id}"


def meeting_lock_message(meeting_id: str, holder: LockHolder) -> str:
    who = holder.describe()
    who = f"（{who}）" if who else ""
    return (f"会議 {meeting_id} は別の kyogitai{who}が進行中のため、この会議は読み取り専用です。"
            "変更するには、そちらの kyogitai でこの会議を閉じてもらってから開き直してください。")


def _changed_fields(theirs: Mapping[str, Any] | None, ours: Mapping[str, Any] | None) -> list[str]:
    theirs, ours = theirs or {}, ours or {}
    return sorted(k for k in set(theirs) | set(ours) if k != "id" and theirs.get(k) != ours.get(k))


def _server_detail(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


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


class PgStore(PgSummaryMixin):
    """Open with ``PgStore.open(url)``; the attributes and methods of ``DataStore``.

    ``root`` is ``None`` (there is no folder); ``location`` is the URL
    without its password.
    """

    backend = "postgresql"

    def __init__(self, url: str, *, read_only: bool) -> None:
        self.url = url
        self._location = display_url(url)
        self.root = None
        self.read_only = read_only
        self.lock_holder: LockHolder | None = None
        self.notice: str | None = None
        self._mutex = threading.RLock()
        self._conn = None
        self._closed = False
        self._versions: dict[tuple[str, str, str, str], int] = {}
        self._held: set[str] = set()          # meetings whose advisory lock we hold
        self._me = LockHolder.current()
        self._ro_reason = "変更するには、読み取り専用ではない指定で開き直してください。"

    # -- opening and closing -------------------------------------------------
    @classmethod
    def open(cls, url: str, *, read_only: bool = False, create: bool = False,
             fallback_read_only: bool = True, load: bool = True, **_ignored: Any) -> "PgStore":
        """Connect to ``url``.  Writable: creates the tables when missing (the
        schema of a new municipality), and the registry and sensitive rows.
        Read-only on a database without the tables: ``StoreError``."""
        store = cls(url, read_only=read_only)
        try:
            store._startup()
        except BaseException:
            store.close()
            raise
        return store

    def _startup(self) -> None:
        def run(conn):
            with conn.cursor() as cur:
                cur.execute("SELECT to_regclass('kyogitai_docs') IS NOT NULL")
                exists = cur.fetchone()[0]
                if exists and not self.read_only:
                    # set up by an older kyogitai: its owner brings functions and policies up to date
                    cur.execute("SELECT obj_description('kyogitai_docs'::regclass, 'pg_class'), "
                                "pg_has_role(current_user, (SELECT relowner FROM pg_class "
                                "WHERE oid = 'kyogitai_docs'::regclass), 'USAGE')")
                    mark, owner = cur.fetchone()
                    if mark != DDL_MARK and owner:
                        exists = False
                if not exists:
                    if self.read_only:
                        raise StoreError(f"データベース {self.location} に kyogitai のデータがありません。"
                                         "接続先を確かめるか、kyogitai migrate でデータを移してください。")
                    with conn.transaction():
                        cur.execute("SELECT pg_advisory_xact_lock(hashtextextended('kyogitai-schema', 0))")
                        cur.execute(DDL)
                        cur.execute(f"COMMENT ON TABLE kyogitai_docs IS '{DDL_MARK}'")
                cur.execute("SELECT max(schema_version) FROM kyogitai_files")
                newest = cur.fetchone()[0]
                if newest is not None and newest > SCHEMA_VERSION:
                    raise NewerSchemaError(self.location, newest, SCHEMA_VERSION)
                if not self.read_only:
                    with conn.transaction():
                        for scope in ("registry", "sensitive"):
                            cur.execute("INSERT INTO kyogitai_files (scope, meeting_id, schema_version) "
                                        "VALUES (%s, '', %s) ON CONFLICT DO NOTHING", (scope, SCHEMA_VERSION))
        self._run(run)

    def close(self) -> None:
        """Release the meeting locks (by closing the connection). Safe twice."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            conn, self._conn = self._conn, None
            if conn is not None:
                try:
                    if self._held:
                        with conn.cursor() as cur:   # at once: the server ends a closed session a moment later
                            cur.execute("DELETE FROM kyogitai_meeting_locks WHERE backend_pid = pg_backend_pid()")
                            cur.execute("SELECT pg_advisory_unlock_all()")
                    conn.close()
                except Exception:
                    pass
            self._held.clear()

    @property
    def location(self) -> str:
        """The URL without its password."""
        return self._location

    @property
    def read_only_message(self) -> str | None:
        if not self.read_only:
            return None
        return self.notice or "読み取り専用で開いています。変更は保存されません。"

    def reader(self) -> "PgStore":
        """A read-only handle on a connection of its own (the app's background
        read of every meeting: closing the app must not wait for it, nor must
        a save).  The row versions it reads are this store's."""
        other = PgStore(self.url, read_only=True)
        other._versions = self._versions
        return other

    def __enter__(self) -> "PgStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the connection --------------------------------------------------------
    def _connection(self):
        if self._conn is not None and not self._conn.closed:
            return self._conn
        import psycopg

        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5,
                                   application_name="kyogitai")
        except psycopg.OperationalError as exc:
            raise ServerUnavailableError(_server_detail(exc)) from None
        self._conn = conn
        lost = set(self._held)
        self._held.clear()
        for meeting_id in sorted(lost):   # back after an outage: take our meetings again
            try:
                self._take_lock(conn, meeting_id)
            except LockHeldError:
                pass
        return conn

    def _run(self, fn, *, writing: bool = False):
        import psycopg

        with self._mutex:
            if self._closed:
                raise StoreError("データはすでに閉じています。アプリを開き直してください。")
            if writing and self.read_only:
                raise ReadOnlyError(self._ro_reason)
            conn = self._connection()
            base = self._versions
            if writing:
                self._versions = _Staged(base)
            try:
                result = fn(conn)
                if writing:
                    self._versions.commit()      # fn returned: its transaction committed
                return result
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                try:
                    conn.close()
                except Exception:
                    pass
                self._conn = None
                raise ServerUnavailableError(_server_detail(exc)) from None
            except psycopg.errors.InsufficientPrivilege as exc:
                raise StoreError(
                    "データベースの権限がないため、この操作はできません（" + _server_detail(exc) + "）。"
                    "担当の圏域・協議体の外のデータです。必要なら管理者に kyogitai db grant で権限を頼んでください。"
                ) from None
            except psycopg.Error as exc:
                raise StoreError(f"データベースの操作に失敗しました（{_server_detail(exc)}）。"
                                 "入力は保存を待っています。") from None
            finally:
                self._versions = base

    # -- meeting locks -----------------------------------------------------------
    def _take_lock(self, conn, meeting_id: str) -> None:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (lock_key(meeting_id),))
            if not cur.fetchone()[0]:
                holder = self._holder_of(cur, meeting_id)
                raise LockHeldError(meeting_lock_message(meeting_id, holder), holder=holder)
            cur.execute(
                "INSERT INTO kyogitai_meeting_locks (meeting_id, backend_pid, who, host, since) "
                "VALUES (%s, pg_backend_pid(), %s, %s, %s) ON CONFLICT (meeting_id) DO UPDATE SET "
                "backend_pid = EXCLUDED.backend_pid, role_name = current_user, who = EXCLUDED.who, "
                "host = EXCLUDED.host, since = EXCLUDED.since",
                (meeting_id, self._who(conn), self._me.host, datetime.now().astimezone().isoformat(timespec="seconds")))
        self._held.add(meeting_id)

    def _who(self, conn) -> str:
        user = conn.info.user
        login = os.environ.get("USER") or os.environ.get("LOGNAME") or ""
        return f"{login}（{user}）" if login and login != user else user

    @staticmethod
    def _holder_of(cur, meeting_id: str) -> LockHolder:
        cur.execute("SELECT who, host, since FROM kyogitai_meeting_locks WHERE meeting_id = %s", (meeting_id,))
        row = cur.fetchone()
        if row is None:
            return LockHolder(None, None, None)
        return LockHolder(pid=None, host=row[1], since=row[2], who=row[0])

    def lock_meeting(self, meeting_id: str) -> LockHolder | None:
        """Take the lock of a meeting about to be run: ``None`` when this app
        may write it, else who holds it (the meeting is then read-only here)."""
        check_meeting_id(meeting_id)
        if self.read_only:
            return None
        if meeting_id in self._held:
            return None

        def run(conn):
            try:
                self._take_lock(conn, meeting_id)
            except LockHeldError as exc:
                return exc.holder
            return None
        return self._run(run)

    def release_meeting(self, meeting_id: str) -> None:
        """Let another app run this meeting (the app closed it)."""
        if meeting_id not in self._held:
            return

        def run(conn):
            with conn.cursor() as cur:
                cur.execute("DELETE FROM kyogitai_meeting_locks WHERE meeting_id = %s AND backend_pid = pg_backend_pid()",
                            (meeting_id,))
                cur.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (lock_key(meeting_id),))
            self._held.discard(meeting_id)
        self._run(run)

    # -- reading ------------------------------------------------------------------
    def _select(self, scope: str, meeting_id: str, table: str | None = None,
                doc_id: str | None = None) -> list[tuple[str, str, Any, int]]:
        sql = "SELECT tbl, id, doc, version FROM kyogitai_docs WHERE scope = %s AND meeting_id = %s"
        params: list[Any] = [scope, meeting_id]
        if table is not None:
            sql += " AND tbl = %s"
            params.append(table)
        if doc_id is not None:
            sql += " AND id = %s"
            params.append(doc_id)
        sql += " ORDER BY pos"

        def run(conn):
            with conn.cursor() as cur:
                cur.execute(sql, params)
                rows = cur.fetchall()
            for tbl, i, _doc, version in rows:
                self._versions[(scope, meeting_id, tbl, i)] = version
            return rows
        return self._run(run)

    def _file_tables(self, scope: str, meeting_id: str) -> list[str] | None:
        def run(conn):
            with conn.cursor() as cur:
                cur.execute("SELECT tables FROM kyogitai_files WHERE scope = %s AND meeting_id = %s",
                            (scope, meeting_id))
                row = cur.fetchone()
            return None if row is None else list(row[0])
        return self._run(run)

    def _tables(self, scope: str, meeting_id: str) -> Tables:
        names = self._file_tables(scope, meeting_id)
        if names is None:
            if scope == "meeting":
                raise NotFoundError(f"会議 {meeting_id} のデータがありません（{self.location}）。")
            names = []
        out: Tables = {n: [] for n in names}
        for tbl, _i, doc, _v in self._select(scope, meeting_id):
            out.setdefault(tbl, []).append(doc)
        return out

    def _require_meeting(self, meeting_id: str) -> None:
        check_meeting_id(meeting_id)
        if self._file_tables("meeting", meeting_id) is None:
            raise NotFoundError(f"会議 {meeting_id} のデータがありません（{self.location}）。")

    def all(self, table: str) -> list[dict[str, Any]]:
        return [r[2] for r in self._select("registry", "", table)]

    def get(self, table: str, doc_id: str) -> dict[str, Any] | None:
        rows = self._select("registry", "", table, doc_id)
        return rows[0][2] if rows else None

    def tables(self) -> Tables:
        return self._tables("registry", "")

    def sensitive_all(self, table: str) -> list[dict[str, Any]]:
        return [r[2] for r in self._select("sensitive", "", table)]

    def sensitive_get(self, table: str, doc_id: str) -> dict[str, Any] | None:
        rows = self._select("sensitive", "", table, doc_id)
        return rows[0][2] if rows else None

    def sensitive_tables(self) -> Tables:
        return self._tables("sensitive", "")

    def meeting_ids(self) -> list[str]:
        def run(conn):
            with conn.cursor() as cur:
                cur.execute("SELECT meeting_id FROM kyogitai_files WHERE scope = 'meeting' ORDER BY meeting_id")
                return [r[0] for r in cur.fetchall()]
        return sorted(self._run(run))

    def has_meeting(self, meeting_id: str) -> bool:
        check_meeting_id(meeting_id)
        return self._file_tables("meeting", meeting_id) is not None

    def meeting_all(self, meeting_id: str, table: str) -> list[dict[str, Any]]:
        self._require_meeting(meeting_id)
        return [r[2] for r in self._select("meeting", meeting_id, table)]

    def meeting_get(self, meeting_id: str, table: str, doc_id: str) -> dict[str, Any] | None:
        self._require_meeting(meeting_id)
        rows = self._select("meeting", meeting_id, table, doc_id)
        return rows[0][2] if rows else None

    def meeting_tables(self, meeting_id: str) -> Tables:
        check_meeting_id(meeting_id)
        return self._tables("meeting", meeting_id)

    def load_dataset(self, *, hand_over: bool = False) -> Dataset:
        """Everything this role may read, as one consistent snapshot."""
        def run(conn):
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cur.execute("SELECT scope, meeting_id, tables FROM kyogitai_files")
                files = {(s, m): {n: [] for n in t} for s, m, t in cur.fetchall()}
                cur.execute("SELECT scope, meeting_id, tbl, id, doc::text, version FROM kyogitai_docs "
                            "ORDER BY scope, meeting_id, pos")
                loads = json.loads
                versions = self._versions
                for scope, mid, tbl, i, text, version in cur:
                    tables = files.get((scope, mid))
                    if tables is None:
                        continue
                    docs = tables.get(tbl)
                    if docs is None:
                        docs = tables[tbl] = []
                    docs.append(loads(text))
                    key = (scope, mid, tbl, i)
                    if versions.get(key, 0) < version:     # never back (a save may have raced this read)
                        versions[key] = version
            return files
        files = self._run(run)
        return {
            "registry": files.get(("registry", ""), {}),
            "sensitive": files.get(("sensitive", ""), {}),
            "meetings": {m: t for (s, m), t in sorted(files.items()) if s == "meeting"},
        }

    def counts(self) -> dict[str, dict[str, int]]:
        data = self.load_dataset()
        out = {REGISTRY_FILE: {n: len(d) for n, d in data["registry"].items()},
               SENSITIVE_FILE: {n: len(d) for n, d in data["sensitive"].items()}}
        for mid, tables in data["meetings"].items():
            out[f"{MEETINGS_DIR}/{mid}.json"] = {n: len(d) for n, d in tables.items()}
        return out

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

    # -- summary -------------------------------------------------------------------
    def run_admin(self, fn):
        """Run ``fn(connection)`` (role set-up, store/pg_schema.py) with this
        store's error handling: the server's refusal is a ``StoreError``."""
        if self.read_only:
            raise ReadOnlyError(self._ro_reason)
        return self._run(fn, writing=True)

    # -- check -------------------------------------------------------------------
    def check_rows(self) -> list[tuple[str, str]]:
        """(file label, Japanese message) for rows whose document disagrees
        with its row (id), or whose subject's area is unknown (then only the
        owner of the tables can see it)."""
        def run(conn):
            with conn.cursor() as cur:
                cur.execute("SELECT scope, meeting_id, tbl, id FROM kyogitai_docs WHERE doc->>'id' IS DISTINCT FROM id")
                bad = [(file_label(s, m), f"表 {t} の文書 {i} の中の id が行の id と違います。") for s, m, t, i in cur]
                cur.execute("SELECT scope, meeting_id, tbl, id FROM kyogitai_docs WHERE area_id = ''")
                bad += [(file_label(s, m), f"表 {t} の {i} は、どの圏域の人の記録か分かりません"
                         "（本人の登録が見つかりません）。管理者だけが見られます。") for s, m, t, i in cur]
            return bad
        return self._run(run)


__all__ = ["PgStore", "display_url", "file_label", "is_database_url", "meeting_lock_message"]
