"""The summary files: what must be fast, kept beside the data it summarises.

    <root>/summary.json          the home screen's rows (read at every start: small)
    <root>/summary-actions.json  every action item's row (``kyogitai actions``)
    <root>/summary-search.json   the search entries (``kyogitai search``)

Reading every meeting ever held costs seconds at ``--scale 200``; the home
screen and the shell commands ``search`` / ``actions`` read these instead.
What goes in them is the domain's business (``domain/reports/summary.py``);
the store only keeps them honest:

* each file carries the **stamps** (size, mtime_ns, inode) of the data files it was
  built from (``registry.json`` and every ``meetings/*.json``).  A summary is
  used only while every stamp still matches the files on disk -- a meeting
  file added, removed, edited by the app or by hand makes it stale, and a
  stale summary is never shown: the caller reads the data itself and builds
  a new one.  The stamps are taken *before* the data is read, so a file
  changed while the summary was being built leaves it stale, never wrong;
* it is written like every data file (temp file, fsync, rename, directory
  fsync, 0600) and only by the writer that holds the lock;
* it is derived data: a damaged, foreign or older-version summary is simply
  rebuilt (never an error), ``kyogitai check`` rebuilds it, and deleting it
  is always safe.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Optional

from kyogitai_tui.store.layout import MEETING_ID_RE, MEETINGS_DIR, REGISTRY_FILE
from kyogitai_tui.store.storage import atomic_write_bytes, is_temp_file

SUMMARY_FILES = {"home": "summary.json", "actions": "summary-actions.json", "search": "summary-search.json"}
SUMMARY_KIND = "kyogitai-summary"

Stamps = dict[str, list[int]]


def source_stamps(root: Path) -> Stamps:
    """(size, mtime_ns, inode) of registry.json and of every meeting file, by
    path relative to ``root``; a missing registry is simply absent.  The inode
    tells two saves apart even within one clock tick: each save is a new file
    renamed into place.

    Taken at every start (1,210 files at ``--scale 200``): the meeting files
    are stat'ed through the directory listing (``DirEntry.stat``, the same
    ``stat`` as ``os.stat``) rather than by building a ``Path`` for each, the
    same files ``meeting_ids_on_disk`` lists."""
    out: Stamps = {}
    try:
        st = os.stat(root / REGISTRY_FILE)
        out[REGISTRY_FILE] = [st.st_size, st.st_mtime_ns, st.st_ino]
    except FileNotFoundError:
        pass
    try:
        listing = os.scandir(root / MEETINGS_DIR)
    except FileNotFoundError:
        return out
    with listing:
        for entry in listing:
            name = entry.name
            if name.endswith(".json") and not is_temp_file(name) and MEETING_ID_RE.fullmatch(name[:-5]):
                try:
                    st = entry.stat()
                except FileNotFoundError:
                    continue
                out[f"{MEETINGS_DIR}/{name}"] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return out


def read_summary(root: Path, part: str, version: int, stamps: Optional[Stamps] = None) -> Optional[dict[str, Any]]:
    """The ``part`` summary's content if it is whole, of ``version`` and built
    from exactly the files now on disk (``stamps``, taken now when None);
    otherwise None (missing, damaged, older or stale: rebuild it)."""
    try:
        raw = (root / SUMMARY_FILES[part]).read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return None
    if (not isinstance(data, dict) or data.get("kind") != SUMMARY_KIND or data.get("part") != part
            or data.get("version") != version or not isinstance(data.get("content"), dict)):
        return None
    if data.get("stamps") != (stamps if stamps is not None else source_stamps(root)):
        return None
    return data["content"]


def write_summary(root: Path, part: str, version: int, content: dict[str, Any], stamps: Stamps) -> None:
    """Durably replace the ``part`` summary (``stamps``: those taken before the
    data it was built from was read).  Raises ``StoreError`` like any save."""
    payload = json.dumps({"kind": SUMMARY_KIND, "part": part, "version": version, "stamps": stamps,
                          "content": content}, ensure_ascii=False, separators=(",", ":"))
    atomic_write_bytes(root / SUMMARY_FILES[part], payload.encode("utf-8"))


def remove_summaries(root: Path) -> None:
    """Delete the summary files (tests; a user may do the same by hand)."""
    for name in SUMMARY_FILES.values():
        try:
            os.unlink(root / name)
        except FileNotFoundError:
            pass
