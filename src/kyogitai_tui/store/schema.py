"""Schema version of the data files, the ``_meta`` record, and migrations.

Every file holds a TinyDB table ``_meta`` with exactly one document::

    {"schema_version": 1, "kind": "registry" | "sensitive" | "meeting", "app": "kyogitai-tui"}

``MIGRATIONS`` maps a version ``v`` to a function that takes the whole raw
TinyDB data of a file at version ``v`` (``{table: {doc_id: doc}}``, ``_meta``
included) and returns it at version ``v + 1``; the ``schema_version`` in
``_meta`` is bumped by ``upgrade`` after each step, so a migration only
changes the domain tables. Functions receive a deep copy and may mutate it.

To change the file format: bump ``SCHEMA_VERSION``, add
``MIGRATIONS[old] = fn``, and add a test with a file at the old version.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable, Mapping

from kyogitai_tui.store.errors import CorruptFileError, MigrationError, NewerSchemaError

SCHEMA_VERSION = 1
APP_ID = "kyogitai-tui"
META_TABLE = "_meta"
KINDS = ("registry", "sensitive", "meeting")
KIND_LABELS = {"registry": "基本データ", "sensitive": "要配慮情報", "meeting": "会議"}

Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}


def make_meta(kind: str, version: int = SCHEMA_VERSION) -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"unknown file kind {kind!r}")
    return {"schema_version": version, "kind": kind, "app": APP_ID}


def meta_table(kind: str, version: int = SCHEMA_VERSION) -> dict[str, dict[str, Any]]:
    """The raw TinyDB table holding the single ``_meta`` document."""
    return {"1": make_meta(kind, version)}


def file_version(data: Mapping[str, Any] | None, path: Path, kind: str) -> int:
    """The ``schema_version`` recorded in ``data``; ``CorruptFileError`` if ``_meta`` is bad."""
    if data is None:
        raise CorruptFileError(path, "ファイルが空です")
    table = data.get(META_TABLE)
    if not isinstance(table, dict) or not table:
        raise CorruptFileError(path, "ファイルの管理情報（_meta）がありません")
    if len(table) != 1:
        raise CorruptFileError(path, "ファイルの管理情報（_meta）が複数あります")
    (meta,) = table.values()
    if not isinstance(meta, dict) or meta.get("app") != APP_ID:
        raise CorruptFileError(path, "kyogitai のファイルではありません（_meta が正しくありません）")
    version = meta.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise CorruptFileError(path, "ファイルの形式の番号（schema_version）が正しくありません")
    found = meta.get("kind")
    if found != kind:
        label = KIND_LABELS.get(found, str(found)) if isinstance(found, str) else str(found)
        raise CorruptFileError(
            path, f"ファイルの種類が違います（{KIND_LABELS[kind]}のはずが{label}）"
        )
    return version


def upgrade(
    data: dict[str, Any] | None,
    path: Path,
    kind: str,
    *,
    app_version: int = SCHEMA_VERSION,
    migrations: Mapping[int, Migration] | None = None,
) -> tuple[dict[str, Any], int]:
    """Validate ``data`` and bring it up to ``app_version``.

    Returns ``(data, from_version)``; ``data`` is the input object itself when
    no migration ran, else a new object. Raises ``CorruptFileError``,
    ``NewerSchemaError`` (file newer than the app) or ``MigrationError``.
    The file itself is never touched here.
    """
    version = file_version(data, path, kind)
    assert data is not None
    if version > app_version:
        raise NewerSchemaError(path, version, app_version)
    from_version = version
    if version == app_version:
        return data, from_version
    steps = MIGRATIONS if migrations is None else migrations
    current = data
    while version < app_version:
        step = steps.get(version)
        if step is None:
            raise MigrationError(path, from_version, f"形式 {version} から {version + 1} への更新手順がありません")
        try:
            current = step(copy.deepcopy(current))
        except Exception as exc:  # a migration bug must not look like corruption
            raise MigrationError(path, from_version, f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(current, dict) or not all(isinstance(t, dict) for t in current.values()):
            raise MigrationError(path, from_version, "更新後のデータの形が正しくありません")
        version += 1
        current[META_TABLE] = meta_table(kind, version)
    return current, from_version
