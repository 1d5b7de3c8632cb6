"""The seed catalog: code lists with Japanese labels, loaded from data/catalog.

Codes are ASCII and stable (the domain and the data files store them); labels,
descriptions and prompts are Japanese and are shown to the coordinator.  Every
file is checked when it is loaded: any problem raises ``CatalogError`` whose
``message`` says, in Japanese, which file and which entry is wrong.

    cat = default_catalog()
    cat.label("decision_types", "FORM_NEW")      # "新しいネットワークの形成"
    cat.responsible_tier_for("AREA")             # 2
    [r for r in cat.guidance_rules if r.trigger.matches(record)]

No Textual here (domain layer).
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from kyogitai_tui import config

SCHEMA_VERSION = 1
COVERAGE_FILE = "coverage.json"
_FIX = "アプリを入れ直すか、ファイルを修正してください。"
_CODE_RE = re.compile(r"^[A-Za-z0-9_]+$")
_SEED_REF_RE = re.compile(r"^[0-9]+(-[0-9]+)*(\([0-9]+\))?(-[0-9]+)?$")

# Record kinds a guidance trigger or a coverage row may name (model.md 6.2).
KNOWN_ENTITIES = frozenset({
    "municipality", "daily_life_area", "person", "coordinator", "organization",
    "council", "council_member", "subject", "subject_sensitive", "consent_record",
    "individual_network", "individual_network_member", "need_item",
    "provider_network", "provider_network_member", "function_assessment",
    "gap_check", "gap_finding", "decision", "action_item", "action_progress",
    "meeting", "attendance", "material", "agenda_item", "statement", "minutes",
    "linked_system", "linkage_status", "guidance_rule",
})
# Coded record fields: a trigger comparing one of them must use codes of this list.
FIELD_LISTS = {
    ("need_item", "status"): "need_statuses",
    ("individual_network", "status"): "individual_statuses",
    ("individual_network", "formation_mode"): "formation_modes",
    ("individual_network", "initiator_type"): "initiator_types",
    ("decision", "type"): "decision_types",
    ("gap_finding", "network_or_service"): "network_or_service",
    ("gap_finding", "kind"): "gap_finding_kinds",
    ("gap_finding", "status"): "gap_finding_statuses",
    ("provider_network", "status"): "provider_network_statuses",
    ("provider_network", "kind"): "network_kinds",
    ("provider_network", "form"): "network_forms",
    ("provider_network", "coverage_level"): "coverage_levels",
    ("provider_network", "chien_npo_stage"): "chien_npo_stages",
    ("action_item", "status"): "action_item_statuses",
}
_FIELD_JA = {
    "code": "コード", "label": "表示名", "description": "説明", "seed_ref": "本書の該当箇所",
    "entries": "項目の一覧", "provider": "事業者間ネットワークか", "responsible_tier": "担当する層",
    "sub_list": "下位区分の一覧", "form": "かたち", "group": "区分", "applies_to": "対象の種別",
    "function": "対象の機能", "order": "並び順", "target": "チェックの対象", "question": "問いかけ",
    "finding_kind": "課題の区分", "evidence_sources": "聴取先", "method_marker": "進め方の目印",
    "approach": "進め方", "headline": "主要な決定か", "with_administration": "行政と協力",
    "responsible_tiers": "担当する層", "persuade_leader_trait": "働きかける相手",
    "guidance": "関係する留意事項", "open": "未完了か", "kind": "種類", "prompt": "表示文",
    "trigger": "表示条件", "suggested_decision": "勧める決定", "legal_basis": "法令上の根拠",
    "target_users": "利用者像", "key_functions": "主な機能", "history": "沿革", "notes": "補足",
    "sc_role": "SCの役割", "partner_role": "連携先の役割", "partner_org_types": "連携先の団体種別",
    "member_category": "構成員区分", "agenda_template": "議題テンプレート", "tier": "層",
    "functions": "担う機能", "number": "番号", "is_chien_default": "地縁組織の初期値",
    "legal_forms": "法人格", "linked_system": "連携制度", "section": "議題の区分",
    "default_minutes": "標準の時間（分）", "workspace": "作業画面", "network_kind": "ネットワークの種別",
    "free_text": "自由入力", "counts_for_quorum": "定足数に数えるか", "present": "出席扱いか",
}
_TYPE_JA = {str: "文字列", bool: " true か false ", int: "整数", list: "リスト [ ] ", dict: " { } の形"}


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


# ---------------------------------------------------------------- entries

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
    group: str                       # FUNCTION (4-4(1)-1/-2) | PURPOSE (4-4(1))
    applies_to: tuple[str, ...]      # network_kinds codes


@dataclass(frozen=True, kw_only=True)
class GapCheck(Entry):
    target: tuple[str, ...]          # network_kinds codes and/or "area"
    question: str
    method_marker: bool = False
    finding_kind: str | None = None
    evidence_sources: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DecisionType(Entry):
    approach: str
    headline: bool
    with_administration: bool
    responsible_tiers: tuple[int, ...] = ()
    persuade_leader_trait: str | None = None
    guidance: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class GuidanceRule(Entry):
    kind: str                        # guidance (G1-G7) | hint (H1)
    prompt: str
    trigger: Trigger
    suggested_decision: str | None = None

    @property
    def title(self) -> str:
        return self.label


@dataclass(frozen=True, kw_only=True)
class LinkedSystem(Entry):
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
    kind: str                 # catalog | entity | agenda | view | reference
    target: str               # list name, entity, template code, view name or note
    code: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class CoverageRow:
    seed_ref: str
    concept: str
    homes: tuple[CoverageHome, ...]


# ------------------------------------------------------------------ specs

@dataclass(frozen=True)
class _Spec:
    file: str
    cls: type[Entry] = Entry
    required: Mapping[str, type] = field(default_factory=dict)
    optional: Mapping[str, type] = field(default_factory=dict)
    refs: Mapping[str, str] = field(default_factory=dict)        # field -> list name
    choices: Mapping[str, tuple] = field(default_factory=dict)   # field -> allowed values


def _plain(file: str, *names: str) -> dict[str, _Spec]:
    return {n: _Spec(file) for n in names}


SPECS: dict[str, _Spec] = {
    "network_kinds": _Spec("networks.json", required={"provider": bool}),
    "coverage_levels": _Spec("networks.json", required={"responsible_tier": int},
                             choices={"responsible_tier": (1, 2)}),
    "network_forms": _Spec("networks.json", required={"sub_list": str}),
    "standing_subforms": _Spec("networks.json", required={"form": str}, refs={"form": "network_forms"}),
    "meeting_cadences": _Spec("networks.json", required={"form": str}, refs={"form": "network_forms"}),
    "network_functions": _Spec("networks.json", NetworkFunction,
                               required={"group": str, "applies_to": list},
                               refs={"applies_to": "network_kinds"},
                               choices={"group": ("FUNCTION", "PURPOSE")}),
    **_plain("networks.json", "function_ratings", "provider_network_statuses", "leader_traits"),
    "failure_causes": _Spec("networks.json", optional={"function": str}, refs={"function": "network_functions"}),
    "chien_npo_stages": _Spec("networks.json", required={"order": int}),
    "gap_checks": _Spec("gap_checks.json", GapCheck,
                        required={"target": list, "question": str, "seed_ref": str},
                        optional={"method_marker": bool, "finding_kind": str, "evidence_sources": list},
                        refs={"finding_kind": "gap_finding_kinds", "evidence_sources": "evidence_sources"}),
    **_plain("gap_checks.json", "gap_check_results", "evidence_sources", "gap_finding_kinds",
             "network_or_service"),
    "gap_finding_statuses": _Spec("gap_checks.json", required={"open": bool}),
    "decision_types": _Spec("decision_types.json", DecisionType,
                            required={"approach": str, "headline": bool, "with_administration": bool},
                            optional={"responsible_tiers": list, "persuade_leader_trait": str,
                                      "guidance": list},
                            refs={"persuade_leader_trait": "leader_traits", "guidance": "guidance_rules"}),
    "action_item_statuses": _Spec("decision_types.json", required={"open": bool}),
    "guidance_rules": _Spec("guidance_rules.json", GuidanceRule,
                            required={"kind": str, "prompt": str, "seed_ref": str, "trigger": dict},
                            optional={"suggested_decision": str},
                            refs={"suggested_decision": "decision_types"},
                            choices={"kind": ("guidance", "hint")}),
    "linked_systems": _Spec("linked_systems.json", LinkedSystem,
                            required={"target_users": list, "key_functions": list, "sc_role": str,
                                      "partner_role": str, "partner_org_types": list,
                                      "member_category": str, "agenda_template": str},
                            optional={"legal_basis": str, "history": list, "notes": list,
                                      "short_label": str, "target_summary": str,
                                      "key_functions_label": str},
                            refs={"partner_org_types": "org_types", "member_category": "member_categories",
                                  "agenda_template": "agenda_templates"}),
    "linkage_statuses": _Spec("linked_systems.json", required={"order": int}),
    "coordinator_functions": _Spec("coordinators.json", required={"number": int}),
    "coordinator_tiers": _Spec("coordinators.json", required={"tier": int, "functions": list},
                               refs={"functions": "coordinator_functions"}, choices={"tier": (1, 2, 3)}),
    **_plain("coordinators.json", "coordinator_affiliations"),
    "org_types": _Spec("organizations.json", required={"is_chien_default": bool, "legal_forms": list},
                       optional={"linked_system": str},
                       refs={"legal_forms": "legal_forms", "linked_system": "linked_systems"}),
    **_plain("organizations.json", "legal_forms"),
    **{n: _Spec("organizations.json", optional={"linked_system": str},
                refs={"linked_system": "linked_systems"})
       for n in ("service_categories", "member_categories")},
    "meeting_roles": _Spec("meetings.json", required={"counts_for_quorum": bool}),
    "attendance_statuses": _Spec("meetings.json", required={"present": bool}),
    "speaker_labels": _Spec("meetings.json", optional={"free_text": bool}),
    **_plain("meetings.json", "council_roles", "meeting_modes", "meeting_statuses", "minutes_variants",
             "minutes_confirm_methods", "agenda_visibility", "agenda_item_states", "readback_results"),
    "agenda_sections": _Spec("agenda.json", required={"order": int}),
    **_plain("agenda.json", "agenda_workspaces"),
    "agenda_templates": _Spec("agenda.json", AgendaTemplate,
                              required={"section": str, "default_minutes": int, "workspace": str},
                              optional={"linked_system": str, "network_kind": str},
                              refs={"section": "agenda_sections", "workspace": "agenda_workspaces",
                                    "linked_system": "linked_systems", "network_kind": "network_kinds"}),
    **_plain("individual_networks.json", "initiator_types", "formation_modes", "confirmed_items",
             "sharing_methods", "individual_statuses", "individual_member_kinds", "need_statuses",
             "escalation_targets", "promotion_routes"),
    **_plain("subjects.json", "age_bands", "households", "consent_statuses", "sexes", "area_bases",
             "disability_types"),
}
FILES: tuple[str, ...] = tuple(dict.fromkeys(s.file for s in SPECS.values())) + (COVERAGE_FILE,)
_EXTRA_TARGETS = {("gap_checks", "target"): ("area",)}


# ----------------------------------------------------------------- loader

class _Where:
    """Builds Japanese error messages that name the file and the entry."""

    def __init__(self, path: Path, list_name: str | None = None, code: str | None = None) -> None:
        self.path, self.list_name, self.code = path, list_name, code

    def at(self, list_name: str | None = None, code: str | None = None) -> _Where:
        return _Where(self.path, list_name or self.list_name, code)

    def error(self, text: str) -> CatalogError:
        if self.code is not None:
            place = f"カタログ {self.path} の項目 \"{self.code}\""
        elif self.list_name is not None:
            place = f"カタログ {self.path} の一覧 \"{self.list_name}\""
        else:
            place = f"カタログ {self.path}"
        return CatalogError(f"{place}{text}{_FIX}", file=self.path,
                            list_name=self.list_name, code=self.code)


def _field_ja(name: str) -> str:
    return f"{name}（{_FIELD_JA[name]}）" if name in _FIELD_JA else f"「{name}」"


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise CatalogError(f"カタログファイル {path} が見つかりません。アプリを入れ直すか、"
                           "ファイルを元に戻してください。", file=path)
    where = _Where(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise where.error(" が UTF-8 の文字として読めません。") from None
    except json.JSONDecodeError as exc:
        raise where.error(f" の {exc.lineno} 行目 {exc.colno} 文字目が JSON として読めません"
                          f"（{exc.msg}）。") from None
    if not isinstance(data, dict):
        raise where.error(" の中身が { } で囲まれた形になっていません。")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise where.error(f" の schema_version が {SCHEMA_VERSION} ではありません"
                          f"（{data.get('schema_version')!r}）。")
    return data


def _check_type(where: _Where, name: str, value: Any, kind: type, required: bool) -> None:
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        raise where.error(f" の {_field_ja(name)}は{_TYPE_JA[kind]}で書いてください。")
    if required and kind in (str, list) and not value:
        raise where.error(f" の {_field_ja(name)}が空です。")


def _check_entry(where: _Where, spec: _Spec, raw: Any, index: int, seen: set[str]) -> None:
    if not isinstance(raw, dict):
        raise where.error(f" の {index} 番目の項目が {{ }} の形になっていません。")
    code = raw.get("code")
    if not isinstance(code, str) or not code:
        raise where.error(f" の {index} 番目の項目に code（コード）がありません。")
    if not _CODE_RE.match(code):
        raise where.error(f" の {index} 番目の項目の code \"{code}\" は半角英数字と _ だけで書いてください。")
    if code in seen:
        raise where.at(code=code).error(" が同じ一覧に二度あります（コードの重複）。")
    seen.add(code)
    here = where.at(code=code)
    for name, kind in {"label": str, **spec.required}.items():
        if name not in raw or raw[name] is None or (kind is str and raw[name] == ""):
            raise here.error(f" に {_field_ja(name)}がありません。")
        _check_type(here, name, raw[name], kind, required=True)
    for name, kind in {"description": str, "seed_ref": str, **spec.optional}.items():
        if raw.get(name) is not None:
            _check_type(here, name, raw[name], kind, required=False)
    if raw.get("seed_ref") and not _SEED_REF_RE.match(raw["seed_ref"]):
        raise here.error(f" の seed_ref（本書の該当箇所）\"{raw['seed_ref']}\" が 4-3(4)-1 の形ではありません。")
    for name, allowed in spec.choices.items():
        if name in raw and raw[name] not in allowed:
            shown = "・".join(str(a) for a in allowed)
            raise here.error(f" の {_field_ja(name)}は {shown} のどれかにしてください（{raw[name]!r}）。")


def _check_refs(raw_lists: dict[str, tuple[_Where, list[dict]]]) -> None:
    codes = {name: {e["code"] for e in entries} for name, (_, entries) in raw_lists.items()}
    for name, (where, entries) in raw_lists.items():
        spec = SPECS[name]
        for raw in entries:
            here = where.at(code=raw["code"])
            for fname, target in spec.refs.items():
                values = raw.get(fname)
                values = values if isinstance(values, list) else [] if values in (None, "") else [values]
                allowed = codes[target] | set(_EXTRA_TARGETS.get((name, fname), ()))
                for v in values:
                    if not isinstance(v, str) or v not in allowed:
                        raise here.error(f" の {_field_ja(fname)}が \"{v}\" を指していますが、"
                                         f"一覧 {target} にその項目がありません。")
    _check_special(raw_lists, codes)


def _check_special(raw_lists: dict[str, tuple[_Where, list[dict]]], codes: dict[str, set[str]]) -> None:
    def each(name: str) -> Iterator[tuple[_Where, dict]]:
        where, entries = raw_lists[name]
        for raw in entries:
            yield where.at(code=raw["code"]), raw

    for here, raw in each("network_forms"):
        sub = raw["sub_list"]
        if sub not in raw_lists or any(e.get("form") != raw["code"] for e in raw_lists[sub][1]):
            raise here.error(f" の sub_list（下位区分の一覧）\"{sub}\" がないか、その項目の form がこの項目を指していません。")
    for here, raw in each("decision_types"):
        for t in raw.get("responsible_tiers", []):
            if t not in (1, 2):
                raise here.error(f" の responsible_tiers（担当する層）に 1 か 2 以外の値 {t!r} があります。")
    for here, raw in each("agenda_templates"):
        if raw["default_minutes"] <= 0:
            raise here.error(" の default_minutes（標準の時間（分））は 1 以上にしてください。")
    for here, raw in each("linked_systems"):
        template = next(e for e in raw_lists["agenda_templates"][1] if e["code"] == raw["agenda_template"])
        if template.get("linked_system") != raw["code"]:
            raise here.error(f" の議題テンプレート {template['code']} の linked_system がこの制度を指していません。")
        for item in raw.get("history", []):
            if not (isinstance(item, dict) and item.get("period") and item.get("text")):
                raise here.error(" の history（沿革）の各行には period と text を書いてください。")
    for here, raw in each("guidance_rules"):
        try:
            trigger = Trigger.parse(raw["trigger"])
        except ValueError as exc:
            raise here.error(f" の {exc}") from None
        if trigger.entity not in KNOWN_ENTITIES:
            raise here.error(f" の trigger（表示条件）の entity \"{trigger.entity}\" は知らない記録です。")
        for cond in trigger.conditions:
            target = FIELD_LISTS.get((trigger.entity, cond.field))
            values = cond.value if cond.op == "in" else (cond.value,) if cond.op == "equals" else ()
            for v in values if target else ():
                if v not in codes[target]:
                    raise here.error(f" の trigger（表示条件）の {cond.field} が \"{v}\" を指していますが、"
                                     f"一覧 {target} にその項目がありません。")


def _build(spec: _Spec, raw: dict[str, Any]) -> Entry:
    names = {f.name for f in fields(spec.cls)} - {"extra"}
    kwargs = {k: _freeze(v) for k, v in raw.items() if k in names and v is not None}
    if spec.cls is GuidanceRule:
        kwargs["trigger"] = Trigger.parse(raw["trigger"])
    extra = {k: _freeze(v) for k, v in raw.items() if k not in names}
    return spec.cls(**kwargs, extra=MappingProxyType(extra))


def _load_coverage(path: Path, lists: Mapping[str, CodeList]) -> tuple[CoverageRow, ...]:
    data = _read(path)
    where = _Where(path)
    rows = data.get("rows")
    if not isinstance(rows, list) or not rows:
        raise where.error(" に rows（対応表の行）がありません。")
    out = []
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not row.get("seed_ref") or not row.get("concept"):
            raise where.error(f" の {i} 行目に seed_ref と concept がありません。")
        here = where.at(code=f"{row['seed_ref']} {row['concept']}")
        homes = []
        for home in row.get("homes") or []:
            home = home if isinstance(home, dict) else {}
            kinds = [k for k in ("catalog", "entity", "agenda", "view", "reference") if home.get(k)]
            if len(kinds) != 1:
                raise here.error(" の homes の各要素には catalog・entity・agenda・view・reference のどれか一つを書いてください。")
            kind, target = kinds[0], home[kinds[0]]
            code, fname = home.get("code"), home.get("field")
            if kind == "catalog":
                if target not in lists:
                    raise here.error(f" が一覧 \"{target}\" を指していますが、そのような一覧はありません。")
                entries = [lists[target].get(code)] if code else list(lists[target])
                if code and entries[0] is None:
                    raise here.error(f" が一覧 {target} の \"{code}\" を指していますが、その項目はありません。")
                if fname and all(e.get(fname) in (None, "", ()) for e in entries):
                    raise here.error(f" が一覧 {target} の項目 {fname} を指していますが、値がありません。")
            elif kind == "agenda" and target not in lists["agenda_templates"]:
                raise here.error(f" が議題テンプレート \"{target}\" を指していますが、その項目はありません。")
            elif kind == "entity" and target not in KNOWN_ENTITIES:
                raise here.error(f" が知らない記録 \"{target}\" を指しています。")
            homes.append(CoverageHome(kind, target, code, fname))
        if not homes:
            raise here.error(" に homes（アプリでの置き場所）がありません。")
        out.append(CoverageRow(row["seed_ref"], row["concept"], tuple(homes)))
    return tuple(out)


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


# ---------------------------------------------------------------- catalog

@dataclass(frozen=True, eq=False)
class Catalog:
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
