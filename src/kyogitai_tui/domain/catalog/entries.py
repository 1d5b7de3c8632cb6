"""Typed catalog entries: the error types, the entry classes and guidance triggers.

What ``Catalog`` hands out (see domain/catalog.py): an ``Entry`` per code of a
list (or a subclass with typed fields for the lists the app reasons about),
grouped in ``CodeList``; the rows of coverage.json as ``CoverageRow``; a guidance
rule's ``Trigger`` with its ``Condition``s.  ``CatalogError`` carries the
Japanese message the loader builds.

No Textual here (domain layer).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping


class CatalogError(Exception):
    """The catalog is missing or wrong.  ``message`` is Japanese and names the place."""

    def __init__(self, message: str, *, file: Path | None = None,
                 list_name: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.list_name = list_name
        self.code = code


class UnknownCodeError(CatalogError, KeyError):
    """A list or code asked for at run time is not in the catalog."""

    __str__ = Exception.__str__



def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    return value


_MISSING = object()


def _value_of(record: Any, name: str) -> Any:
    if isinstance(record, Mapping):
        value = record.get(name, _MISSING)
    else:
        value = getattr(record, name, _MISSING)
    return value.value if isinstance(value, Enum) else value


@dataclass(frozen=True)
class Condition:
    """One test of a trigger: ``field`` ``op`` ``value`` on a record."""
    field: str
    op: str            # equals | in | gte | lte
    value: Any

    def holds(self, record: Any) -> bool:
        actual = _value_of(record, self.field)
        if actual is _MISSING or actual is None:
            return False
        if self.op == "equals":
            return isinstance(actual, bool) == isinstance(self.value, bool) and actual == self.value
        if self.op == "in":
            return actual in self.value
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            return False
        return actual >= self.value if self.op == "gte" else actual <= self.value


@dataclass(frozen=True)
class Trigger:
    """When a guidance prompt applies: conditions on one kind of record."""
    entity: str
    mode: str          # all | any
    conditions: tuple[Condition, ...]

    def matches(self, record: Any) -> bool:
        """``record``: a mapping or an object with the fields named (derived
        fields such as ``months_since_last_met`` computed by the caller)."""
        test = all if self.mode == "all" else any
        return test(c.holds(record) for c in self.conditions)

    @classmethod
    def parse(cls, raw: Any) -> Trigger:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("entity"), str):
            raise ValueError("trigger（表示条件）には entity（対象の記録）が必要です。")
        for mode in ("all", "any"):
            if mode in raw:
                parts = raw[mode]
                if not isinstance(parts, list) or not parts:
                    raise ValueError(f"trigger の {mode} には条件のリストを書いてください。")
                return cls(raw["entity"], mode, tuple(_condition(p) for p in parts))
        return cls(raw["entity"], "all", (_condition(raw),))


def _condition(raw: Any) -> Condition:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("field"), str) or not raw["field"]:
        raise ValueError("trigger の条件に field（項目名）がありません。")
    ops = [op for op in ("equals", "in", "gte", "lte") if op in raw]
    if len(ops) != 1:
        raise ValueError(f"trigger の条件 \"{raw['field']}\" には equals・in・gte・lte のどれか一つを書いてください。")
    op, value = ops[0], raw[ops[0]]
    if op == "in" and not isinstance(value, list):
        raise ValueError(f"trigger の条件 \"{raw['field']}\" の in には値のリストを書いてください。")
    if op in ("gte", "lte") and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ValueError(f"trigger の条件 \"{raw['field']}\" の {op} には数値を書いてください。")
    return Condition(raw["field"], op, _freeze(value))


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One code of a list.  Fields beyond the common ones are in ``extra``
    (``entry.get("provider")``, ``entry["responsible_tier"]``)."""
    code: str
    label: str
    description: str = ""
    seed_ref: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), repr=False)

    def get(self, name: str, default: Any = None) -> Any:
        if name in self.extra:
            return self.extra[name]
        if name != "extra" and name in {f.name for f in fields(self)}:
            return getattr(self, name)
        return default

    def __getitem__(self, name: str) -> Any:
        value = self.get(name, _MISSING)
        if value is _MISSING:
            raise KeyError(name)
        return value


@dataclass(frozen=True, kw_only=True)
class NetworkFunction(Entry):
    """A function or purpose a provider network can serve (network_functions)."""
    group: str                       # FUNCTION (4-4(1)-1/-2) | PURPOSE (4-4(1))
    applies_to: tuple[str, ...]      # network_kinds codes


@dataclass(frozen=True, kw_only=True)
class GapCheck(Entry):
    """A check of what is missing in an area or a network (gap_checks)."""
    target: tuple[str, ...]          # network_kinds codes and/or "area"
    question: str
    method_marker: bool = False
    finding_kind: str | None = None
    evidence_sources: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DecisionType(Entry):
    """A kind of decision a council makes (decision_types)."""
    approach: str
    headline: bool
    with_administration: bool
    responsible_tiers: tuple[int, ...] = ()
    persuade_leader_trait: str | None = None
    guidance: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class GuidanceRule(Entry):
    """A guidebook prompt or hint shown when its trigger matches (guidance_rules)."""
    kind: str                        # guidance (G1-G7) | hint (H1)
    prompt: str
    trigger: Trigger
    suggested_decision: str | None = None

    @property
    def title(self) -> str:
        return self.label


@dataclass(frozen=True, kw_only=True)
class LinkedSystem(Entry):
    """A system a council works with, and its agenda template (linked_systems)."""
    target_users: tuple[str, ...]
    key_functions: tuple[str, ...]
    sc_role: str
    partner_role: str
    partner_org_types: tuple[str, ...]
    member_category: str
    agenda_template: str
    short_label: str = ""
    legal_basis: str = ""
    target_summary: str = ""
    key_functions_label: str = ""
    history: tuple[Mapping[str, str], ...] = ()   # {"period": "平成22年度", "text": ...}
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AgendaTemplate(Entry):
    """An agenda item's template: its section, time and workspace (agenda_templates)."""
    section: str
    default_minutes: int
    workspace: str
    linked_system: str | None = None
    network_kind: str | None = None

    @property
    def title(self) -> str:
        return self.label


@dataclass(frozen=True)
class CodeList:
    """One list of the catalog: its entries in file order, found by code."""
    name: str
    label: str
    file: Path
    entries: tuple[Entry, ...]
    description: str = ""
    seed_ref: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {e.code: e for e in self.entries})

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code  # type: ignore[attr-defined]

    def get(self, code: str) -> Entry | None:
        return self._by_code.get(code)  # type: ignore[attr-defined]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.entries)


@dataclass(frozen=True)
class CoverageHome:
    """Where one concept of the guidebook lives in the app (coverage.json)."""
    kind: str                 # catalog | entity | agenda | view | reference
    target: str               # list name, entity, template code, view name or note
    code: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class CoverageRow:
    """One concept of the guidebook and the places that hold it (coverage.json)."""
    seed_ref: str
    concept: str
    homes: tuple[CoverageHome, ...]

