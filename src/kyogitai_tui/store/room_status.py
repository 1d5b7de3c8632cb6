"""The room view's status file: how the live screen learns, from another
process, where ``kyogitai serve`` is serving the room's screen and how many
browsers are connected.

It is not data and never lives in the data folder: one small JSON file per
data folder in the user's runtime folder (``platformdirs.user_runtime_dir``,
or ``KYOGITAI_RUNTIME_DIR``), named by a hash of the folder's path:

    {"pid": 1234, "url": "http://192.0.2.5:8400/?token=...", "host": "0.0.0.0",
     "port": 8400, "clients": 3, "since": "2025-09-16T14:00:00"}

Written atomically (temp file, rename), 0600 -- the URL carries the token.
Beside it, ``room-<hash>-view.json`` holds the room's view as serve computed
it (only the redacted strings of ``minutes.room.RoomView``); the browser views
read that instead of the data folder.
``serve`` writes it at start and whenever a browser connects or leaves, and
removes it when it stops; a file whose pid is no longer alive (serve was
killed) is read as absent.  No Textual here.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Optional

from kyogitai_tui.store.storage import DIR_MODE, atomic_write_bytes

__all__ = ["room_status_path", "write_room_status", "read_room_status", "remove_room_status",
           "room_view_path", "write_room_view"]


def _runtime_dir() -> Path:
    override = os.environ.get("KYOGITAI_RUNTIME_DIR")
    if override:
        return Path(override)
    import warnings

    import platformdirs

    with warnings.catch_warnings():      # no XDG_RUNTIME_DIR: platformdirs falls back, and warns
        warnings.simplefilter("ignore")
        return Path(platformdirs.user_runtime_dir("kyogitai-tui"))


def room_status_path(root: Path) -> Path:
    key = hashlib.sha256(str(Path(root).expanduser().absolute()).encode("utf-8")).hexdigest()[:16]
    return _runtime_dir() / f"room-{key}.json"


def room_view_path(root: Path) -> Path:
    """Where ``serve`` leaves the room's view (redacted strings only) for its browser views."""
    return room_status_path(root).with_name(room_status_path(root).stem + "-view.json")


def write_room_view(root: Path, doc: dict[str, Any]) -> None:
    path = room_view_path(root)
    path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    atomic_write_bytes(path, json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def write_room_status(root: Path, status: dict[str, Any]) -> None:
    path = room_status_path(root)
    path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    atomic_write_bytes(path, json.dumps(status, ensure_ascii=False).encode("utf-8"))


def _alive(pid: Any) -> bool:
    from kyogitai_tui.store.lock import pid_alive

    return isinstance(pid, int) and pid_alive(pid)


def read_room_status(root: Path) -> Optional[dict[str, Any]]:
    """The status of a running ``serve`` for this folder, else None."""
    try:
        data = json.loads(room_status_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not _alive(data.get("pid")):
        return None
    return data


def remove_room_status(root: Path) -> None:
    for path in (room_status_path(root), room_view_path(root)):
        try:
            path.unlink()
        except OSError:
            pass
