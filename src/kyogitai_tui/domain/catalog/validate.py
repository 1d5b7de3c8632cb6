"""Checks of the catalog files against the specs, with Japanese error messages.

Every problem raises ``CatalogError`` whose message names the file, the list
and the entry (``_Where``) and says how to fix it.  The rules themselves are in
domain/catalog_specs.py; the loader that calls these checks is
domain/catalog.py.

No Textual here (domain layer).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator, Mapping

from kyogitai_tui.domain.catalog.entries import CatalogError, CodeList, CoverageHome, CoverageRow, Trigger
from kyogitai_tui.domain.catalog.specs import (
    _EXTRA_TARGETS, _FIELD_JA, FIELD_LISTS, KNOWN_ENTITIES, SCHEMA_VERSION, SPECS, _Spec,
)

_FIX = "アプリを入れ直すか、ファイルを修正してください。"
_CODE_RE = re.compile(r"^[A-Za-z0-9_]+$")
_SEED_REF_RE = re.compile(r"^[0-9]+(-[0-9]+)*(\([0-9]+\))?(-[0-9]+)?$")
_TYPE_JA = {str: "文字列", bool: " true か false ", int: "整数", list: "リスト [ ] ", dict: " { } の形"}


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

