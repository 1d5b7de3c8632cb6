"""``DataStore``: the app's only gateway to disk.

Layout of a data directory (created 0700, files 0600)::

    <root>/registry.json           reference data (municipality, organizations, ...)
    <root>/sensitive.json          subject_sensitive rows only; never exported
    <root>/meetings/<id>.json      everything recorded in/for one meeting
    <root>/summary*.json           what must be fast, rebuilt when stale (see summary.py)
    <root>/backups/...             rotating backups (see backup.py)
    <root>/.lock                   single-writer lock (see lock.py)

A single edit during a meeting rewrites only that meeting's file, so its
cost does not grow with history; a batch of edits to one file (``write_file``)
is one atomic write of the file's new state. All methods are thread-safe (one re-entrant
lock), so Textual thread workers may call them concurrently. Documents are
plain JSON dicts with a string ``"id"``; they are returned as copies.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Mapping

from kyogitai_tui.store.backup import rotate_in
from kyogitai_tui.store.errors import (
    LockHeldError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
)
from kyogitai_tui.store.files import StoreFile
from kyogitai_tui.store.layout import (
    BACKUPS_DIR,
    MEETINGS_DIR,
    REGISTRY_FILE,
    SENSITIVE_FILE,
    Dataset,
    Tables,
    check_meeting_id,
    meeting_ids_on_disk,
    prepare_root,
    validate_dataset,
)
from kyogitai_tui.store.lock import DataLock, LockHolder
from kyogitai_tui.store.schema import SCHEMA_VERSION, Migration
from kyogitai_tui.store.storage import ensure_private_dir, remove_stale_temp_files

def lock_message(holder: LockHolder) -> str:
    who = holder.describe()
    who = f"（{who}）" if who else ""
    return (
        f"このデータは別の kyogitai{who}が使用中のため、読み取り専用で開きました。"
        "変更するには、そちらの kyogitai を終了してから開き直してください。"
    )


class DataStore:
    """Open with ``DataStore.open(root)``; close with ``close()`` or ``with``.

    Attributes: ``root``; ``read_only``; ``lock_holder`` (a ``LockHolder``
    when another live process holds the directory, else ``None``);
    ``notice`` (Japanese message for the user when opened read-only because
    of that lock, else ``None``).
    """

    def __init__(
        self,
        root: Path,
        *,
        read_only: bool,
        lock: DataLock | None,
        lock_holder: LockHolder | None = None,
        schema_version: int = SCHEMA_VERSION,
        migrations: Mapping[int, Migration] | None = None,
    ) -> None:
        self.root = root
        self.read_only = read_only
        self.lock_holder = lock_holder
        self.notice = lock_message(lock_holder) if lock_holder is not None else None
        self._lock = lock
        self._mutex = threading.RLock()
        self._closed = False
        self._schema_version = schema_version
        self._migrations = migrations
        if lock_holder is not None:
            self._ro_reason = "変更するには、ほかの kyogitai を終了してから開き直してください。"
        else:
            self._ro_reason = "変更するには、読み取り専用ではない指定で開き直してください。"
        self._registry = self._file(REGISTRY_FILE, "registry")
        self._sensitive = self._file(SENSITIVE_FILE, "sensitive")
        self._meetings: dict[str, StoreFile] = {}

    # -- opening and closing -------------------------------------------------
    @classmethod
    def open(
        cls,
        root: Path | str,
        *,
        read_only: bool = False,
        create: bool = False,
        fallback_read_only: bool = True,
        schema_version: int = SCHEMA_VERSION,
        migrations: Mapping[int, Migration] | None = None,
        load: bool = True,
    ) -> "DataStore":
        """Open the data directory ``root``.

        - missing ``root``: created (0700) if ``create`` else ``StoreError``;
          not a directory, not writable, or a non-empty directory without
          ``registry.json``: ``StoreError`` naming the path.
        - unless ``read_only``, takes the single-writer lock; if another live
          kyogitai holds it, opens read-only (``read_only``, ``lock_holder``,
          ``notice`` set) or, with ``fallback_read_only=False``, raises
          ``LockHeldError``. A stale lock is taken over.
        - writable: removes temp files left by a killed writer, creates the
          missing skeleton, and loads ``registry.json`` and ``sensitive.json``
          (validating and migrating them). Meeting files load on first use.
        - ``schema_version`` / ``migrations`` override the module defaults
          (for tests of the migration path).
        - ``load=False``: registry.json and sensitive.json are read on first
          use instead of now (the app's start from a current summary, whose
          stamps say the files are as they were when last read whole).
        Errors: ``StoreError`` and subclasses (``CorruptFileError``,
        ``NewerSchemaError``, ``MigrationError``, ``LockHeldError``).
        """
        root = Path(root).expanduser().absolute()
        prepare_root(root, create=create and not read_only)
        lock: DataLock | None = None
        holder: LockHolder | None = None
        if not read_only:
            if not os.access(root, os.W_OK | os.X_OK):
                raise StoreError(
                    f"データフォルダ {root} に書き込めません。フォルダの権限を確認するか、"
                    "読み取り専用で開いてください。",
                    path=root,
                )
            lock = DataLock(root)
            try:
                holder = lock.acquire()
            except OSError as exc:
                raise StoreError(
                    f"データフォルダ {root} のロックファイルを作れませんでした（{exc.strerror}）。",
                    path=root,
                ) from exc
            if holder is not None:
                if not fallback_read_only:
                    raise LockHeldError(lock_message(holder).replace(
                        "読み取り専用で開きました", "開けませんでした"), path=root, holder=holder)
                lock, read_only = None, True
        store = cls(root, read_only=read_only, lock=lock, lock_holder=holder,
                    schema_version=schema_version, migrations=migrations)
        try:
            store._startup(load)
        except BaseException:
            store.close()
            raise
        return store

    def _startup(self, load: bool = True) -> None:
        if not self.read_only:
            if not self._registry.exists():  # becoming a data dir: owner-only, like one we create
                try:
                    os.chmod(self.root, 0o700)
                except OSError:
                    pass
            for sub in (MEETINGS_DIR, BACKUPS_DIR, f"{BACKUPS_DIR}/{MEETINGS_DIR}"):
                ensure_private_dir(self.root / sub)
            for sub in ("", MEETINGS_DIR, BACKUPS_DIR, f"{BACKUPS_DIR}/{MEETINGS_DIR}"):
                remove_stale_temp_files(self.root / sub)
            for f in (self._registry, self._sensitive):
                if not f.exists():
                    f.replace_all({})
        if load:
            self._registry.load()
            self._sensitive.load()

    def close(self) -> None:
        """Release the lock and drop caches. Safe to call twice."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            for f in [self._registry, self._sensitive, *self._meetings.values()]:
                f.close()
            if self._lock is not None:
                self._lock.release()

    @property
    def read_only_message(self) -> str | None:
        """Japanese line for the UI when read-only (the lock notice if any), else None."""
        if not self.read_only:
            return None
        return self.notice or "読み取り専用で開いています。変更は保存されません。"

    def __enter__(self) -> "DataStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ------------------------------------------------------------
    def _file(self, relative: str, kind: str) -> StoreFile:
        return StoreFile(
            self.root, relative, kind,
            read_only=self.read_only, read_only_reason=self._ro_reason,
            schema_version=self._schema_version, migrations=self._migrations,
        )

    def _open_check(self, writing: bool = False) -> None:
        if self._closed:
            raise StoreError("データはすでに閉じています。アプリを開き直してください。")
        if writing and self.read_only:
            raise ReadOnlyError(self._ro_reason)

    def _meeting(self, meeting_id: str, *, must_exist: bool = True) -> StoreFile:
        check_meeting_id(meeting_id)
        f = self._meetings.get(meeting_id)
        if f is None:
            f = self._file(f"{MEETINGS_DIR}/{meeting_id}.json", "meeting")
            self._meetings[meeting_id] = f
        if must_exist and not f.exists():
            raise NotFoundError(f"会議 {meeting_id} のデータがありません（{f.path}）。", path=f.path)
        return f

    # -- registry ---------------------------------------------------------
    def all(self, table: str) -> list[dict[str, Any]]:
        with self._mutex:
            self._open_check()
            return self._registry.all(table)

    def get(self, table: str, doc_id: str) -> dict[str, Any] | None:
        with self._mutex:
            self._open_check()
            return self._registry.get(table, doc_id)

    def upsert(self, table: str, doc: Mapping[str, Any]) -> None:
        """Insert or replace (by ``"id"``) a registry document; one durable write."""
        with self._mutex:
            self._open_check(writing=True)
            self._registry.upsert(table, doc)

    def delete(self, table: str, doc_id: str) -> bool:
        with self._mutex:
            self._open_check(writing=True)
            return self._registry.delete(table, doc_id)

    def tables(self) -> Tables:
        """Every registry table."""
        with self._mutex:
            self._open_check()
            return self._registry.tables()

    # -- sensitive ----------------------------------------------------------
    def sensitive_all(self, table: str) -> list[dict[str, Any]]:
        with self._mutex:
            self._open_check()
            return self._sensitive.all(table)

    def sensitive_get(self, table: str, doc_id: str) -> dict[str, Any] | None:
        with self._mutex:
            self._open_check()
            return self._sensitive.get(table, doc_id)

    def sensitive_upsert(self, table: str, doc: Mapping[str, Any]) -> None:
        with self._mutex:
            self._open_check(writing=True)
            self._sensitive.upsert(table, doc)

    def sensitive_delete(self, table: str, doc_id: str) -> bool:
        with self._mutex:
            self._open_check(writing=True)
            return self._sensitive.delete(table, doc_id)

    def sensitive_tables(self) -> Tables:
        with self._mutex:
            self._open_check()
            return self._sensitive.tables()

    # -- meetings -----------------------------------------------------------
    def meeting_ids(self) -> list[str]:
        """Ids of the meetings on disk, sorted."""
        with self._mutex:
            self._open_check()
            return sorted(meeting_ids_on_disk(self.root))

    def has_meeting(self, meeting_id: str) -> bool:
        with self._mutex:
            self._open_check()
            return self._meeting(meeting_id, must_exist=False).exists()

    def create_meeting(self, meeting_id: str, tables: Mapping[str, list] | None = None,
                       *, replace: bool = False) -> None:
        """Create the meeting's file with ``tables`` in one write.

        An existing meeting raises ``StoreError`` unless ``replace``.
        """
        with self._mutex:
            self._open_check(writing=True)
            f = self._meeting(meeting_id, must_exist=False)
            if f.exists() and not replace:
                raise StoreError(f"会議 {meeting_id} はすでにあります（{f.path}）。", path=f.path)
            f.replace_all(dict(tables or {}))

    def delete_meeting(self, meeting_id: str) -> bool:
        """Remove a meeting's file (it is backed up first). False if there was none."""
        with self._mutex:
            self._open_check(writing=True)
            f = self._meeting(meeting_id, must_exist=False)
            if not f.exists():
                return False
            f.raw()  # refuse if corrupt / newer
            rotate_in(self.root, f.relative)  # always keep what is being deleted
            try:
                os.unlink(f.path)
            except OSError as exc:
                raise StoreError(f"会議 {meeting_id} のファイルを削除できませんでした（{exc.strerror}）。",
                                 path=f.path) from exc
            f.close()
            del self._meetings[meeting_id]
            return True

    def meeting_all(self, meeting_id: str, table: str) -> list[dict[str, Any]]:
        with self._mutex:
            self._open_check()
            return self._meeting(meeting_id).all(table)

    def meeting_get(self, meeting_id: str, table: str, doc_id: str) -> dict[str, Any] | None:
        with self._mutex:
            self._open_check()
            return self._meeting(meeting_id).get(table, doc_id)

    def meeting_upsert(self, meeting_id: str, table: str, doc: Mapping[str, Any]) -> None:
        """Insert or replace one document; rewrites only this meeting's file."""
        with self._mutex:
            self._open_check(writing=True)
            self._meeting(meeting_id).upsert(table, doc)

    def meeting_delete(self, meeting_id: str, table: str, doc_id: str) -> bool:
        with self._mutex:
            self._open_check(writing=True)
            return self._meeting(meeting_id).delete(table, doc_id)

    def meeting_tables(self, meeting_id: str) -> Tables:
        with self._mutex:
            self._open_check()
            return self._meeting(meeting_id).tables()

    # -- batches ------------------------------------------------------------
    def write_file(self, scope: str, meeting_id: str, ops: list[tuple[str, str | None, Mapping[str, Any] | None]],
                   *, create: Mapping[str, list] | None = None) -> None:
        """Every change of one file in ONE atomic write: all of them land or none.

        ``scope`` is ``"registry"``, ``"sensitive"`` or ``"meeting"`` (the file
        of ``meeting_id``).  ``ops``: ``(table, doc_id, doc)``, ``doc`` to
        upsert it, ``None`` to delete ``doc_id``.  ``create``: the meeting's
        whole tables to start from (a new meeting file, or one replaced)."""
        with self._mutex:
            self._open_check(writing=True)
            if scope == "meeting":
                f = self._meeting(meeting_id, must_exist=create is None)
            elif scope in ("registry", "sensitive"):
                if create is not None:
                    raise StoreError(f"{scope} のファイルは作り直せません。")
                f = self._sensitive if scope == "sensitive" else self._registry
            else:
                raise StoreError(f"保存先の種類 {scope!r} が正しくありません。")
            f.write_ops(ops, create=create)

    def apply_batch(self, upserts: list[tuple[str, Mapping[str, Any]]],
                    deletes: list[tuple[str, str]] = (), *, sensitive: bool = False) -> None:
        """Many registry (or sensitive) writes and deletes in ONE atomic write:
        after a crash either all of them are on disk or none (CSV imports).
        The deletes are applied before the upserts."""
        ops = [(t, i, None) for t, i in deletes] + [(t, None, d) for t, d in upserts]
        self.write_file("sensitive" if sensitive else "registry", "", ops)

    # -- summary ------------------------------------------------------------
    def source_stamps(self) -> dict[str, list[int]]:
        """The stamps of the data files now (take them BEFORE reading the data a summary is built from)."""
        from kyogitai_tui.store.summary import source_stamps

        return source_stamps(self.root)

    def read_summary(self, part: str, version: int) -> dict[str, Any] | None:
        """A summary part still matching the files on disk, else None (see summary.py)."""
        from kyogitai_tui.store.summary import read_summary

        return read_summary(self.root, part, version)

    def write_summary(self, parts: Mapping[str, Mapping[str, Any]], version: int,
                      stamps: dict[str, list[int]]) -> None:
        """Durably write summary parts (``{part: content}``) built from the
        data whose ``stamps`` were taken before it was read."""
        from kyogitai_tui.store.summary import write_summary

        with self._mutex:
            self._open_check(writing=True)
            for part, content in parts.items():
                write_summary(self.root, part, version, dict(content), stamps)

    # -- the store contract's meeting lock and backups (see store/location.py) --
    backend = "folder"

    @property
    def location(self) -> str:
        return str(self.root)

    def lock_meeting(self, meeting_id: str) -> LockHolder | None:
        """``None`` when this store may write the meeting, else who holds it.
        A folder has one lock for everything: taken at open, so a meeting is
        writable exactly when the folder is."""
        check_meeting_id(meeting_id)
        return self.lock_holder if self.read_only else None

    def reader(self) -> "DataStore":
        """A read-only handle of its own on the same folder (no lock)."""
        return DataStore.open(self.root, read_only=True)

    def release_meeting(self, meeting_id: str) -> None:
        """Nothing to do: the folder's lock is released by ``close``."""

    def backups(self, scope: str, meeting_id: str = "") -> list[Tables]:
        """The kept backups of one file (``backups/...``), newest first, as tables."""
        from kyogitai_tui.store.backup import backup_paths
        from kyogitai_tui.store.schema import META_TABLE
        from kyogitai_tui.store.storage import AtomicJSONStorage

        relative = {"registry": REGISTRY_FILE, "sensitive": SENSITIVE_FILE}.get(
            scope, f"{MEETINGS_DIR}/{meeting_id}.json")
        out = []
        for path in backup_paths(self.root, relative):
            if path.is_file():
                data = AtomicJSONStorage(path, read_only=True).read() or {}
                out.append({n: list(d.values()) for n, d in data.items() if n != META_TABLE})
        return out

    # -- bulk ---------------------------------------------------------------
    def write_dataset(self, dataset: Mapping[str, Any], *, prune_meetings: bool = False) -> None:
        """Write a whole dataset: each file replaced in one atomic write.

        ``registry`` and ``sensitive`` replace those files; every meeting in
        ``meetings`` replaces (or creates) its file; other meetings on disk
        are kept unless ``prune_meetings``. The dataset is validated before
        anything is written. Atomic per file, not across files.
        """
        with self._mutex:
            self._open_check(writing=True)
            clean = validate_dataset(dataset)
            for meeting_id, tables in clean["meetings"].items():
                self._meeting(meeting_id, must_exist=False).replace_all(tables, cleaned=True)
            if prune_meetings:
                for meeting_id in meeting_ids_on_disk(self.root) - set(clean["meetings"]):
                    self.delete_meeting(meeting_id)
            self._sensitive.replace_all(clean["sensitive"], cleaned=True)
            self._registry.replace_all(clean["registry"], cleaned=True)

    def back_up_everything(self) -> list[Path]:
        """Back up every data file as it is now (``backup.rotate_in``), so that a
        folder fresh from ``demo-data`` already has a backup to go back to."""
        with self._mutex:
            self._open_check(writing=True)
            relatives = [REGISTRY_FILE, SENSITIVE_FILE] + [
                f"{MEETINGS_DIR}/{mid}.json" for mid in sorted(meeting_ids_on_disk(self.root))]
            return [p for p in (rotate_in(self.root, r) for r in relatives) if p is not None]

    def clear_all(self) -> None:
        """Empty the registry and sensitive files and delete every meeting (each backed up)."""
        self.write_dataset({"registry": {}, "sensitive": {}, "meetings": {}}, prune_meetings=True)

    def load_dataset(self, *, hand_over: bool = False) -> Dataset:
        """Everything on disk as a dataset (copies).  ``hand_over``: the parsed
        documents themselves, which the store then forgets (start-up: one copy
        in memory instead of two; a later write reads its file again)."""
        with self._mutex:
            self._open_check()
            take = (lambda f: f.hand_over_tables()) if hand_over else (lambda f: f.tables())
            return {
                "registry": take(self._registry),
                "sensitive": take(self._sensitive),
                "meetings": {mid: take(self._meeting(mid)) for mid in sorted(meeting_ids_on_disk(self.root))},
            }

    def counts(self) -> dict[str, dict[str, int]]:
        """Documents per table per file, keyed by path relative to ``root``."""
        with self._mutex:
            self._open_check()
            out = {REGISTRY_FILE: self._registry.counts(), SENSITIVE_FILE: self._sensitive.counts()}
            for mid in sorted(meeting_ids_on_disk(self.root)):
                out[f"{MEETINGS_DIR}/{mid}.json"] = self._meeting(mid).counts()
            return out
