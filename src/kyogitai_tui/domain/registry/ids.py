"""New ids for register records, like the existing ones (O33 after O32,
IN-007 after IN-006); ``IdPool`` hands out many during one CSV import.
Import these from registry_edit."""
from __future__ import annotations

import re
from typing import Any

from kyogitai_tui.domain.registry.specs import ID_PREFIX

__all__ = ["next_id", "IdPool"]


def _numbers(ids: Any, prefix: str) -> list[int]:
    pat = re.compile(re.escape(prefix) + r"(\d+)$")
    return [int(m[1]) for m in (pat.match(str(i)) for i in ids) if m]


def next_id(existing: Any, table: str) -> str:
    """A new id like the existing ones of ``table`` (O33 after O32...)."""
    prefix, width = ID_PREFIX.get(table, (table[:3].upper() + "-", 3))
    n = max(_numbers(existing, prefix), default=0) + 1
    new = f"{prefix}{n:0{width}d}"
    while new in existing:
        n += 1
        new = f"{prefix}{n:0{width}d}"
    return new


class IdPool:
    """Ids handed out during one batch (a CSV import): the existing ids are
    scanned once per table, then numbers count up.  Also a set of every id
    taken (``in``, ``add``), so it can be passed as ``save(reserve=...)``."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}
        self._taken: set = set()

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._taken

    def __iter__(self):
        return iter(self._taken)

    def add(self, doc_id: str) -> None:
        self._taken.add(doc_id)

    def take(self, existing: Any, table: str) -> str:
        prefix, width = ID_PREFIX.get(table, (table[:3].upper() + "-", 3))
        n = self._next.get(table)
        if n is None:
            n = max(_numbers(list(existing) + list(self._taken), prefix), default=0) + 1
        while f"{prefix}{n:0{width}d}" in existing or f"{prefix}{n:0{width}d}" in self._taken:
            n += 1
        new = f"{prefix}{n:0{width}d}"
        self._next[table] = n + 1
        self._taken.add(new)
        return new


def _new_id(existing: Any, table: str, reserve: Any) -> str:
    if isinstance(reserve, IdPool):
        return reserve.take(existing, table)
    new = next_id(set(existing) | set(reserve or ()), table)
    if reserve is not None:
        reserve.add(new)
    return new
