"""One TinyDB-format data file of the data directory (registry, sensitive, or a meeting).

``StoreFile`` puts together the atomic storage, the ``_meta`` check and
migrations, the once-per-session backup, and id-addressed operations on
the file's tables. Documents go in and come out as deep copies (plain
``dict``), so callers can never mutate the cache behind the store's back.

Writing is state, not a replay: ``write_ops`` applies any number of
upserts and deletes to a new version of the file's data in memory and
writes that version in ONE atomic write (a meeting's prepare + start, 33
documents, is one write, not 33).  The file keeps TinyDB's layout (a table
per key, documents under numeric keys, a new document under the highest
key + 1), so TinyDB itself can still open it; TinyDB's own query layer and
cache are not used (the parsed data is the only copy the store keeps).
"""
from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Mapping

from kyogitai_tui.store.backup import newest_good_backup, rotate_in
from kyogitai_tui.store.errors import CorruptFileError, InvalidDataError, NewerSchemaError, ReadOnlyError
from kyogitai_tui.store.schema import META_TABLE, SCHEMA_VERSION, Migration, meta_table, upgrade
from kyogitai_tui.store.storage import AtomicJSONStorage


_NESTED = (dict, list)


def clone(value: Any) -> Any:
    """Deep copy of JSON data (dicts, lists, scalars); much faster than copy.deepcopy.
    Scalars are not passed through a call (start-up copies 150,000 values at --scale 42)."""
    kind = type(value)
    if kind is dict:
        return {k: clone(v) if type(v) in _NESTED else v for k, v in value.items()}
    if kind is list:
        return [clone(v) if type(v) in _NESTED else v for v in value]
    return value


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_document(doc: Any) -> dict[str, Any]:
    """Validate a document and return a private JSON-normalised copy of it."""
    if not isinstance(doc, Mapping):
        raise InvalidDataError(f"保存しようとしたデータが文書（dict）ではありません: {type(doc).__name__}")
    doc_id = doc.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        raise InvalidDataError(f"文書に文字列の \"id\" がありません: {str(dict(doc))[:80]}")
    try:
        text = json.dumps(dict(doc), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidDataError(f"文書 {doc_id} を JSON にできません（{exc}）") from exc
    # A lone surrogate (never valid Unicode; e.g. undecodable bytes pasted in)
    # cannot be written as UTF-8 and would fail every later save of the file:
    # it is stored as U+FFFD instead. Everything else is kept exactly.
    return json.loads(_LONE_SURROGATE.sub("\ufffd", text))


def check_table_name(table: Any) -> str:
    if not isinstance(table, str) or not table or table == META_TABLE:
        raise InvalidDataError(f"表の名前 {table!r} は使えません")
    return table


def _find_key(table: Mapping[str, Any] | None, doc_id: str) -> str | None:
    if table:
        for key, doc in table.items():
            if doc.get("id") == doc_id:
                return key
    return None


def _check_shape(data: dict[str, Any], path: Path) -> None:
    """TinyDB's own invariants: numeric document keys, documents are objects."""
    for table in data.values():
        for key, doc in table.items():
            if not key.isdigit() or not isinstance(doc, dict):
                raise CorruptFileError(path, "文書の番号または中身が正しくありません")


class StoreFile:
    """A TinyDB file at ``root/relative`` of the given ``kind``.

    Reading validates ``_meta`` and applies migrations (an older file is
    rewritten at the current version when writable, after being backed up;
    read-only, it is migrated in memory only). A file newer than the app, or
    corrupt, raises and is left untouched.
    """

    def __init__(
        self,
        root: Path,
        relative: str,
        kind: str,
        *,
        read_only: bool = False,
        read_only_reason: str | None = None,
        schema_version: int = SCHEMA_VERSION,
        migrations: Mapping[int, Migration] | None = None,
    ) -> None:
        self.root = root
        self.relative = PurePosixPath(relative)
        self.path = root / relative
        self.kind = kind
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self.schema_version = schema_version
        self.migrations = migrations
        self.backed_up = False
        self.storage = AtomicJSONStorage(
            self.path,
            read_only=read_only,
            watch=read_only,
            parse_error=self._corrupt,
            before_write=self._before_write,
        )
        self._validated: dict[str, Any] | None = None

    # -- loading -----------------------------------------------------------
    def _corrupt(self, path: Path, reason: str) -> CorruptFileError:
        return CorruptFileError(path, reason, backup=self._good_backup())

    def _good_backup(self) -> Path | None:
        return newest_good_backup(
            self.root, self.relative, self.kind,
            app_version=self.schema_version, migrations=self.migrations,
        )

    def raw(self) -> dict[str, Any] | None:
        """The validated raw TinyDB data (cached), or ``None`` if the file is missing."""
        data = self.storage.read()
        if data is None or data is self._validated:
            return data
        try:
            upgraded, from_version = upgrade(
                data, self.path, self.kind,
                app_version=self.schema_version, migrations=self.migrations,
            )
            _check_shape(upgraded, self.path)
        except (CorruptFileError, NewerSchemaError) as exc:
            self.storage.invalidate()
            raise exc.with_backup(self._good_backup()) from None
        except BaseException:
            self.storage.invalidate()
            raise
        if upgraded is not data:  # migrated
            if self.read_only:
                self.storage.prime(upgraded)
            else:
                self.storage.write(upgraded)  # backs up the old version first
        self._validated = upgraded
        return upgraded

    def load(self) -> bool:
        """Validate now (instead of on first use). True if the file exists."""
        return self.raw() is not None

    def exists(self) -> bool:
        return self.path.is_file()

    # -- reading -----------------------------------------------------------
    def all(self, table: str) -> list[dict[str, Any]]:
        data = self.raw() or {}
        return [clone(doc) for doc in data.get(table, {}).values()]

    def get(self, table: str, doc_id: str) -> dict[str, Any] | None:
        data = self.raw() or {}
        docs = data.get(table)
        key = _find_key(docs, doc_id)
        return clone(docs[key]) if key is not None else None

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every domain table (``_meta`` left out), documents copied."""
        data = self.raw() or {}
        return {
            name: [clone(doc) for doc in docs.values()]
            for name, docs in data.items()
            if name != META_TABLE
        }

    def hand_over_tables(self) -> dict[str, list[dict[str, Any]]]:
        """Like ``tables`` but without copying: the parsed documents are given
        away and this file forgets them (the next use reads the file again).
        Start-up reads everything once; copying 20,000 documents only to keep
        a second copy nobody reads cost ~20 ms and ~15 MB at --scale 42."""
        data = self.raw() or {}
        out = {name: list(docs.values()) for name, docs in data.items() if name != META_TABLE}
        self.storage.invalidate()
        self._validated = None
        return out

    def counts(self) -> dict[str, int]:
        data = self.raw() or {}
        return {name: len(docs) for name, docs in data.items() if name != META_TABLE}

    # -- writing -----------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(self.read_only_reason)

    def _before_write(self, _path: Path) -> None:
        if not self.backed_up:
            rotate_in(self.root, self.relative)
            self.backed_up = True

    def upsert(self, table: str, doc: Mapping[str, Any]) -> None:
        """Insert ``doc``, or replace the document with the same ``"id"`` (one write)."""
        self.write_ops([(table, None, doc)])

    def delete(self, table: str, doc_id: str) -> bool:
        """Remove the document with this ``"id"``. False if there was none (nothing written)."""
        self._check_writable()
        check_table_name(table)
        data = self.raw()
        if _find_key(data.get(table) if data else None, doc_id) is None:
            return False
        self.write_ops([(table, doc_id, None)])
        return True

    def write_ops(self, ops: Iterable[tuple[str, str | None, Mapping[str, Any] | None]],
                  *, create: Mapping[str, list[Mapping[str, Any]]] | None = None) -> None:
        """Apply ``ops`` in order and write the result in ONE atomic write.

        Each op is ``(table, doc_id, doc)``: ``doc`` upserts it (by its
        ``"id"``), ``doc is None`` deletes ``doc_id``.  ``create``: the file's
        whole tables to start from instead of what is on disk (a new meeting,
        or one written again from scratch).  All the ops land or none: on any
        error (bad document, full disk) the file and this object's data are
        as before.
        """
        self._check_writable()
        ops = [(check_table_name(t), i, clean_document(d) if d is not None else None) for t, i, d in ops]
        if create is not None:
            if self.exists():
                self.raw()  # refuse to overwrite a corrupt or newer-version file
            base: dict[str, Any] = {META_TABLE: meta_table(self.kind, self.schema_version)}
            for name, docs in create.items():
                check_table_name(name)
                base[name] = {str(i): clean_document(d) for i, d in enumerate(docs, start=1)}
        else:
            base = self.raw() or {META_TABLE: meta_table(self.kind, self.schema_version)}
        data = dict(base)            # a new version: tables touched are copied, the rest shared
        keys: dict[str, dict[str, str]] = {}   # table -> id -> key, built on first touch
        next_key: dict[str, int] = {}
        for table, doc_id, doc in ops:
            if table not in keys:
                data[table] = dict(data.get(table) or {})
                keys[table] = {d.get("id"): k for k, d in data[table].items()}
                next_key[table] = max((int(k) for k in data[table]), default=0) + 1
            docs, ids = data[table], keys[table]
            if doc is None:
                key = ids.pop(doc_id, None)
                if key is not None:
                    del docs[key]
                continue
            key = ids.get(doc["id"])
            if key is None:  # TinyDB's rule for a new document: the highest key + 1
                key = str(next_key[table])
                next_key[table] += 1
                ids[doc["id"]] = key
            docs[key] = doc
        self.storage.write(data)
        self._validated = data

    def replace_all(self, tables: Mapping[str, list[Mapping[str, Any]]], *, cleaned: bool = False) -> None:
        """Write the whole file at once (one atomic write): ``_meta`` plus ``tables``."""
        self._check_writable()
        if self.exists():
            self.raw()  # refuse to overwrite a newer-version file; migrate/validate first
        data: dict[str, Any] = {META_TABLE: meta_table(self.kind, self.schema_version)}
        for name, docs in tables.items():
            check_table_name(name)
            items = docs if cleaned else [clean_document(d) for d in docs]
            data[name] = {str(i): doc for i, doc in enumerate(items, start=1)}
        self.storage.write(data)
        self._validated = data

    def close(self) -> None:
        self.storage.close()
        self._validated = None
