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
from typing import Any

from kyogitai_tui.store.errors import (
    LockHeldError,
    NewerSchemaError,
    NotFoundError,
    ReadOnlyError,
    ServerUnavailableError,
    StoreError,
)
from kyogitai_tui.store.layout import MEETINGS_DIR, REGISTRY_FILE, SENSITIVE_FILE, Dataset, Tables, check_meeting_id
from kyogitai_tui.store.lock import LockHolder
from kyogitai_tui.store.pg_schema import DDL, DDL_MARK
from kyogitai_tui.store.pg_summary import PgSummaryMixin
from kyogitai_tui.store.pg_write import PgWriteMixin, _Staged, file_label
from kyogitai_tui.store.schema import SCHEMA_VERSION

URL_PREFIXES = ("postgresql://", "postgres://")


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


def lock_key(meeting_id: str) -> str:
    return f"kyogitai-meeting:{meeting_id}"


def meeting_lock_message(meeting_id: str, holder: LockHolder) -> str:
    who = holder.describe()
    who = f"（{who}）" if who else ""
    return (f"会議 {meeting_id} は別の kyogitai{who}が進行中のため、この会議は読み取り専用です。"
            "変更するには、そちらの kyogitai でこの会議を閉じてもらってから開き直してください。")


def _server_detail(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


class PgStore(PgWriteMixin, PgSummaryMixin):
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
