"""The seed catalog: code lists with Japanese labels, loaded from data/catalog.

Codes are ASCII and stable (the domain and the data files store them); labels,
descriptions and prompts are Japanese and are shown to the coordinator.  Every
file is checked when it is loaded: any problem raises ``CatalogError`` whose
``message`` says, in Japanese, which file and which entry is wrong.

    cat = default_catalog()
    cat.label("decision_types", "FORM_NEW")      # "新しいネットワークの形成"
    cat.responsible_tier_for("AREA")             # 2
    [r for r in cat.guidance_rules if r.trigger.matches(record)]

Module layout: the entry types are in catalog_entries, the rules each list
must follow (fields, references, Japanese field names) in catalog_specs, the
checks that apply them in catalog_validate; this module loads the files and
gives typed access (``Catalog``), and every name stays importable from here.

No Textual here (domain layer).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from kyogitai_tui import config

from kyogitai_tui.domain.catalog.entries import (  # noqa: F401  (re-exported)
    AgendaTemplate, CatalogError, CodeList, CoverageRow, DecisionType,
    Entry, GapCheck, GuidanceRule, LinkedSystem, NetworkFunction, Trigger, UnknownCodeError,
    _freeze,
)
from kyogitai_tui.domain.catalog.specs import (  # noqa: F401  (re-exported)
    COVERAGE_FILE, FILES, SPECS, _Spec,
)
from kyogitai_tui.domain.catalog.validate import _check_entry, _check_refs, _load_coverage, _read, _Where


@functools.lru_cache(maxsize=None)
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls)) - {"extra"}


def _build(spec: _Spec, raw: dict[str, Any]) -> Entry:
    names = _field_names(spec.cls)
    kwargs = {k: _freeze(v) for k, v in raw.items() if k in names and v is not None}
    if spec.cls is GuidanceRule:
        kwargs["trigger"] = Trigger.parse(raw["trigger"])
    extra = {k: _freeze(v) for k, v in raw.items() if k not in names}
    return spec.cls(**kwargs, extra=MappingProxyType(extra))


def load_catalog(path: Path | None = None) -> Catalog:
    """Load and check every catalog file in ``path`` (default: config.catalog_dir())."""
    directory = Path(path) if path is not None else config.catalog_dir()
    if not directory.is_dir():
        raise CatalogError(f"カタログのフォルダ {directory} が見つかりません。アプリを入れ直してください。",
                           file=directory)
    raw_lists: dict[str, tuple[_Where, list[dict]]] = {}
    meta: dict[str, dict[str, Any]] = {}
    for file in FILES[:-1]:
        fpath = directory / file
        data = _read(fpath)
        found = data.get("lists")
        if not isinstance(found, dict):
            raise _Where(fpath).error(" に lists（一覧のまとまり）がありません。")
        expected = [n for n, s in SPECS.items() if s.file == file]
        for name in found:
            if name not in expected:
                raise _Where(fpath, name).error(" はこのファイルに置く一覧ではありません。")
        for name in expected:
            where = _Where(fpath, name)
            body = found.get(name)
            if not isinstance(body, dict):
                raise where.error(" がありません。")
            entries = body.get("entries")
            if not isinstance(body.get("label"), str) or not body["label"]:
                raise where.error(" に label（表示名）がありません。")
            if not isinstance(entries, list) or not entries:
                raise where.error(" に entries（項目の一覧）がありません。")
            seen: set[str] = set()
            for i, raw in enumerate(entries, 1):
                _check_entry(where, SPECS[name], raw, i, seen)
            raw_lists[name] = (where, entries)
            meta[name] = body
    _check_refs(raw_lists)
    lists = {
        name: CodeList(name, meta[name]["label"], where.path,
                       tuple(_build(SPECS[name], raw) for raw in entries),
                       meta[name].get("description", ""), meta[name].get("seed_ref", ""))
        for name, (where, entries) in raw_lists.items()
    }
    coverage = _load_coverage(directory / COVERAGE_FILE, lists)
    return Catalog(directory, MappingProxyType(lists), coverage)


@functools.lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The catalog shipped with the app, loaded once."""
    return load_catalog()


def catalog_or_none() -> "Catalog | None":
    """The default catalog, or None when it cannot be loaded (the domain's
    rules then fall back to codes and built-in texts)."""
    try:
        return default_catalog()
    except CatalogError:
        return None


# ---------------------------------------------------------------- catalog

@dataclass(frozen=True, eq=False)
class Catalog:
    """Every code list of the catalog, typed, and the coverage rows (``default_catalog()``)."""
    directory: Path
    lists: Mapping[str, CodeList]
    coverage: tuple[CoverageRow, ...]

    def code_list(self, name: str) -> CodeList:
        try:
            return self.lists[name]
        except KeyError:
            raise UnknownCodeError(f"カタログに \"{name}\" という一覧はありません。",
                                   list_name=name) from None

    def codes(self, name: str) -> tuple[str, ...]:
        return self.code_list(name).codes

    def has(self, name: str, code: str) -> bool:
        return code in self.code_list(name)

    def entry(self, name: str, code: str) -> Entry:
        found = self.code_list(name).get(code)
        if found is None:
            raise UnknownCodeError(f"カタログの一覧 \"{name}\" に \"{code}\" という項目はありません。",
                                   list_name=name, code=code)
        return found

    def label(self, name: str, code: str, default: str | None = None) -> str:
        """Japanese label of ``code``; ``default`` (if given) for an unknown code."""
        if default is not None and not self.has(name, code):
            return default
        return self.entry(name, code).label

    def label_or_code(self, name: str, code: str | None, default: str = "") -> str:
        """For display: the label, else ``default``, else the code itself - an
        unknown list or code never fails a screen or an export."""
        if not code:
            return default
        lst = self.lists.get(name)
        entry = lst.get(code) if lst is not None else None
        return entry.label if entry is not None else (default or str(code))

    def labels(self, name: str) -> dict[str, str]:
        return {e.code: e.label for e in self.code_list(name)}

    def responsible_tier_for(self, coverage_code: str) -> int:
        """Coordinator tier that looks after a network of this coverage (4-4(2))."""
        return int(self.entry("coverage_levels", coverage_code)["responsible_tier"])

    def rules_for(self, entity: str) -> tuple[GuidanceRule, ...]:
        """Guidance rules and hints whose trigger looks at this kind of record."""
        return tuple(r for r in self.guidance_rules if r.trigger.entity == entity)

    def template_for(self, *, linked_system: str | None = None,
                     network_kind: str | None = None) -> AgendaTemplate | None:
        for t in self.agenda_templates:
            if (linked_system and t.linked_system == linked_system) or (
                    network_kind and t.network_kind == network_kind):
                return t
        return None

    def _typed(self, name: str) -> tuple[Any, ...]:
        return self.code_list(name).entries

    @property
    def decision_types(self) -> tuple[DecisionType, ...]:
        return self._typed("decision_types")

    @property
    def guidance_rules(self) -> tuple[GuidanceRule, ...]:
        return self._typed("guidance_rules")

    @property
    def agenda_templates(self) -> tuple[AgendaTemplate, ...]:
        return self._typed("agenda_templates")

    @property
    def linked_systems(self) -> tuple[LinkedSystem, ...]:
        return self._typed("linked_systems")

    @property
    def gap_checks(self) -> tuple[GapCheck, ...]:
        return self._typed("gap_checks")

    @property
    def network_functions(self) -> tuple[NetworkFunction, ...]:
        return self._typed("network_functions")

    @property
    def network_kinds(self) -> tuple[Entry, ...]:
        return self._typed("network_kinds")

    @property
    def org_types(self) -> tuple[Entry, ...]:
        return self._typed("org_types")

    @property
    def service_categories(self) -> tuple[Entry, ...]:
        return self._typed("service_categories")

    def functions_for(self, network_kind: str) -> tuple[NetworkFunction, ...]:
        """Assessable functions (not general purposes) of a provider-network kind."""
        return tuple(f for f in self.network_functions
                     if f.group == "FUNCTION" and network_kind in f.applies_to)
