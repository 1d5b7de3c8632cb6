"""What an operation hands to the saver: ``Change`` (one document to write or
delete, in which file), and ``SessionError`` (bad input, with a Japanese message).

Every operation of the domain -- a meeting's session, a register edit, a
follow-up note -- returns a list of ``Change``; nothing in the domain writes.
The saver (ui/saver.py) groups them per file and the store writes each file's
new state in one atomic write.  This module imports nothing of the project.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

__all__ = ["Change", "SessionError", "require_text", "registry_change", "sensitive_change",
           "apply_to_dataset", "dataset_snapshot"]


class SessionError(ValueError):
    """Bad input from the user; ``message`` is Japanese and says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def require_text(text: str, what: str) -> str:
    """``text`` stripped; empty is refused with 「<what>を入力してください。」."""
    text = (text or "").strip()
    if not text:
        raise SessionError(f"{what}を入力してください。")
    return text


@dataclass(frozen=True)
class Change:
    """One document to write (``doc``) or delete (``doc is None``).

    ``scope`` says which file: ``"meeting"`` (the file of ``meeting_id``),
    ``"registry"`` or ``"sensitive"`` (``meeting_id`` is then ""). Build
    the latter two with ``registry_change`` / ``sensitive_change``."""
    meeting_id: str
    table: str
    doc_id: str
    doc: Optional[dict]
    create: Optional[dict] = None   # whole tables, when the meeting file is new
    scope: str = "meeting"


def registry_change(table: str, doc_id: str, doc: Optional[dict]) -> Change:
    """A registry document to write (or delete when ``doc`` is None)."""
    return Change("", table, doc_id, doc, scope="registry")


def sensitive_change(table: str, doc_id: str, doc: Optional[dict]) -> Change:
    """A sensitive.json document to write (or delete when ``doc`` is None)."""
    return Change("", table, doc_id, doc, scope="sensitive")


def apply_to_dataset(dataset: dict, changes: Iterable[Change]) -> None:
    """Apply registry / sensitive changes to an in-memory dataset (the same
    documents the saver writes), so the app's World can be rebuilt at once.
    Meeting-scoped changes are the session's business and are refused here."""
    for ch in changes:
        if ch.scope not in ("registry", "sensitive"):
            raise ValueError(f"apply_to_dataset: {ch.scope} changes belong to a MeetingSession")
        rows = dataset.setdefault(ch.scope, {}).setdefault(ch.table, [])
        rows[:] = [d for d in rows if d.get("id") != ch.doc_id]
        if ch.doc is not None:
            rows.append(dict(ch.doc))


def dataset_snapshot(ds: dict) -> dict:
    """A copy of a dataset's lists, safe to read from another thread."""
    return {
        "registry": {t: list(rows) for t, rows in ds.get("registry", {}).items()},
        "sensitive": {t: list(rows) for t, rows in ds.get("sensitive", {}).items()},
        "meetings": {mid: {t: list(rows) for t, rows in tables.items()}
                     for mid, tables in ds.get("meetings", {}).items()},
    }
