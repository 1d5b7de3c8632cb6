"""What every register operation shares: ``RegistryError`` and ``raw_doc``."""
from __future__ import annotations

from typing import Any, Optional

__all__ = ["RegistryError", "raw_doc"]


class RegistryError(ValueError):
    """Values that cannot be saved.  ``message`` is one Japanese sentence,
    ``errors`` maps field names to Japanese messages."""

    def __init__(self, message: str, errors: Optional[dict] = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = dict(errors or {})


def raw_doc(world: Any, table: str, doc_id: str) -> Optional[dict]:
    """The stored registry document (without meeting updates folded in), or
    the folded record's document when a meeting created it."""
    for d in (getattr(world, "_dataset", {}) or {}).get("registry", {}).get(table, []) or []:
        if d.get("id") == doc_id:
            return dict(d)
    rec = getattr(world, table, {}).get(doc_id) if isinstance(getattr(world, table, None), dict) else None
    return rec.to_doc() if rec is not None else None
