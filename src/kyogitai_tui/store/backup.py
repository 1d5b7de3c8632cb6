"""Rotating backups of the data files.

Policy (chosen for cost: once per file per session, never per keystroke):
the first time the store is about to replace a file during a session, it
copies the file as it is on disk (the version it loaded and validated) to
``backups/<relative path>.1``, after shifting ``.1`` to ``.2`` and ``.2`` to
``.3`` (the old ``.3`` is dropped). If the file is byte-identical to ``.1``
nothing rotates, so opening and closing the app does not push out older
backups. A backup is written like any data file: temp file, fsync, rename,
mode 0600, under directories of mode 0700.

Layout: ``backups/registry.json.1``, ``backups/sensitive.json.1``,
``backups/meetings/<meeting_id>.json.1`` (newest = ``.1``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from kyogitai_tui.store.errors import StoreError
from kyogitai_tui.store.schema import SCHEMA_VERSION, Migration, upgrade
from kyogitai_tui.store.storage import AtomicJSONStorage, atomic_write_bytes, ensure_private_dir, translate_os_error

BACKUP_DIR = "backups"
BACKUP_COUNT = 3


def backup_path(root: Path, relative: Path | str, n: int) -> Path:
    rel = Path(relative)
    return root / BACKUP_DIR / rel.parent / f"{rel.name}.{n}"


def backup_paths(root: Path, relative: Path | str) -> list[Path]:
    """``.1`` (newest) to ``.BACKUP_COUNT``, whether or not they exist."""
    return [backup_path(root, relative, n) for n in range(1, BACKUP_COUNT + 1)]


def rotate_in(root: Path, relative: Path | str) -> Path | None:
    """Back up ``root/relative`` as it is now. Returns the new ``.1`` or ``None``.

    Nothing happens when the file does not exist or equals the newest backup.
    Raises ``StoreError`` (e.g. ``DiskFullError``) if the copy cannot be made;
    the data file itself is never touched.
    """
    source = root / relative
    try:
        payload = source.read_bytes()
    except FileNotFoundError:
        return None
    paths = backup_paths(root, relative)
    newest = paths[0]
    try:
        if newest.stat().st_size == len(payload) and newest.read_bytes() == payload:
            return newest
    except FileNotFoundError:
        pass
    ensure_private_dir(newest.parent)
    try:
        for older, younger in zip(reversed(paths[1:]), reversed(paths[:-1])):
            if younger.exists():
                os.replace(younger, older)
    except OSError as exc:
        raise translate_os_error(exc, newest) from exc
    atomic_write_bytes(newest, payload)  # also fsyncs the directory
    return newest


def newest_good_backup(
    root: Path,
    relative: Path | str,
    kind: str,
    *,
    app_version: int = SCHEMA_VERSION,
    migrations: Mapping[int, Migration] | None = None,
) -> Path | None:
    """The newest backup of ``relative`` that parses and has a usable ``_meta``."""
    for path in backup_paths(root, relative):
        if not path.is_file():
            continue
        try:
            data: Any = AtomicJSONStorage(path, read_only=True).read()
            upgrade(data, path, kind, app_version=app_version, migrations=migrations)
        except StoreError:
            continue
        return path
    return None


__all__ = [
    "BACKUP_COUNT",
    "BACKUP_DIR",
    "backup_path",
    "backup_paths",
    "newest_good_backup",
    "rotate_in",
]
