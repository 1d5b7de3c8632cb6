"""Turning form or CSV values into typed register values, with Japanese errors.

``coerce(world, catalog, kind, values)`` -> (typed values, {field: message}).
Accepts what a form gives (date, int, list, bool) and what a CSV cell gives
(text): dates as 2025-09-16, 2025/9/16 or 和暦 (令和7年9月16日, R7.9.16,
令和元年...), choices as code or Japanese label, lists separated by 「;」
or line breaks.  No Textual.
"""
from __future__ import annotations

import re
import unicodedata
import weakref
from datetime import date
from typing import Any, Optional

from kyogitai_tui.domain.registry.specs import FieldSpec, fields, norm_text, records

__all__ = ["parse_any_date", "split_list", "parse_bool", "parse_quorum", "coerce", "QUORUM_HELP"]

_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988, "S": 1925}
_ERA_RE = re.compile(r"^(令和|平成|昭和|R|H|S)(元|\d+)[年.\-/](\d+)[月.\-/](\d+)日?$", re.I)
_ISO_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_ERA_END = {"平成": date(2019, 4, 30), "昭和": date(1989, 1, 7)}
QUORUM_HELP = "「過半数」「半数以上」または人数（例: 5）で入力してください。"


def _bad_date(text: str, why: str = "") -> ValueError:
    return ValueError(f"「{text}」は日付として読めません{why}。2025-09-16 や 令和7年9月16日 のように入力してください。")


def parse_any_date(value: Any) -> Optional[date]:
    """A date from a date, ISO text or 和暦 text; None for empty; ValueError
    (Japanese) otherwise."""
    if value is None or isinstance(value, date):
        return value
    raw = str(value)
    text = "".join(unicodedata.normalize("NFKC", raw).split())
    if not text:
        return None
    m = _ISO_RE.match(text)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _ERA_RE.match(text)
        if m:
            era = m[1].upper() if len(m[1]) == 1 else m[1]
            era = {"R": "令和", "H": "平成", "S": "昭和"}.get(era, era)
            n = 1 if m[2] == "元" else int(m[2])
            if n < 1:
                raise _bad_date(raw, f"（{era}{n}年はありません）")
            d = date(_ERAS[era] + n, int(m[3]), int(m[4]))
            if era in _ERA_END and d > _ERA_END[era]:
                raise _bad_date(raw, f"（{era}はこの日より前に終わっています）")
            return d
    except ValueError as exc:
        if str(exc).startswith("「"):
            raise
        raise _bad_date(raw, "（その日はありません）") from None
    raise _bad_date(raw)


def split_list(value: Any) -> list[str]:
    """A list from a list or from text separated by 「;」「；」 or line breaks
    (not 、 or ・: names and labels contain them)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = unicodedata.normalize("NFKC", str(value))
    return [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]


_TRUE = {"1", "true", "yes", "y", "はい", "する", "あり", "有", "〇", "o", "x"}
_FALSE = {"0", "false", "no", "n", "いいえ", "しない", "なし", "無", "-", ""}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    t = norm_text(value)
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError(f"「{value}」は「はい」か「いいえ」で入力してください。")


def parse_quorum(value: Any) -> str:
    """MAJORITY | HALF | COUNT:n from a code, a Japanese word or a number."""
    t = norm_text(value)
    if t in ("", "majority", "過半数"):
        return "MAJORITY"
    if t in ("half", "半数", "半数以上"):
        return "HALF"
    m = re.fullmatch(r"(?:count:)?(\d+)(?:人|名)?(?:以上)?", t)
    if m and int(m[1]) >= 1:
        return f"COUNT:{int(m[1])}"
    raise ValueError(f"定足数「{value}」は読めません。{QUORUM_HELP}")


_LOOKUPS: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def _lookup(world: Any, catalog: Any, spec: FieldSpec) -> tuple[set, dict, dict, dict]:
    """(active codes, normalised code/label -> code, every id -> True,
    normalised name -> [ids]) for a field, built once per World (a World is
    rebuilt after every change, so the cache never goes stale)."""
    from kyogitai_tui.domain.registry.specs import choices
    try:
        per_world = _LOOKUPS.setdefault(world, {})
    except TypeError:           # not weak-referenceable: no cache
        per_world = {}
    key = (id(catalog), spec.name, spec.kind, spec.choices_list, spec.ref_kind, spec.fixed)
    found = per_world.get(key)
    if found is None:
        pairs = choices(world, catalog, spec)
        codes = {code for code, _ in pairs}
        by_norm: dict = {}
        for code, label in pairs:
            by_norm.setdefault(norm_text(label), code)
        for code, _label in pairs:
            by_norm[norm_text(code)] = code
        every: dict = {}
        names: dict = {}
        if spec.ref_kind:
            name_attr = "display_name" if spec.ref_kind == "persons" else "name"
            for rid, r in records(world, spec.ref_kind, include_retired=True).items():
                every[rid] = True
                names.setdefault(norm_text(getattr(r, name_attr, "")), []).append(rid)
        found = per_world[key] = (codes, by_norm, every, names)
    return found


def _choice(world: Any, catalog: Any, spec: FieldSpec, value: Any) -> str:
    """The code of a choice/reference given as code, label, id or name."""
    codes, by_norm, every, names = _lookup(world, catalog, spec)
    text = str(value).strip()
    if text in codes:
        return text
    t = norm_text(text)
    if t in by_norm:
        return by_norm[t]
    if spec.ref_kind:   # a retired record is still a known id (checked later)
        if text in every:
            return text
        same = names.get(t, [])
        if len(same) == 1:
            return same[0]
        if len(same) > 1:
            raise ValueError(f"「{text}」は同じ名前が{len(same)}件あります。IDで指定してください（{'、'.join(same)}）。")
        raise ValueError(f"「{text}」は登録されていません。一覧から選ぶか、先に登録してください。")
    allowed = allowed_text(world, catalog, spec)
    raise ValueError(f"「{text}」は「{spec.label}」の選択肢にありません。"
                     f"{f'選べるもの：{allowed}。' if allowed else ''}")


def allowed_text(world: Any, catalog: Any, spec: FieldSpec, limit: int = 30) -> str:
    """The labels a choice field takes, 「a、b、c」 (for import errors and the
    templates' 選択肢 row); a long list ends with 「…ほかn件」."""
    from kyogitai_tui.domain.registry.specs import choices
    labels = [label for _code, label in choices(world, catalog, spec)]
    if len(labels) > limit:
        return "、".join(labels[:limit]) + f"…ほか{len(labels) - limit}件"
    return "、".join(labels)


def check_text(text: str) -> str:
    """A register's text as typed, or ValueError (Japanese) for control
    characters (NUL, escape sequences...): they cannot be seen on screen,
    break Excel's CSV and the Word file, and are never meant."""
    bad = sorted({ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n"})
    if bad:
        shown = "、".join(f"U+{ord(ch):04X}" for ch in bad[:3])
        raise ValueError(f"目に見えない制御文字（{shown}）が含まれています。"
                         "その文字を消してから保存してください（貼り付けた文字に含まれていることがあります）。")
    return text


def coerce(world: Any, catalog: Any, kind: str, values: dict) -> tuple[dict, dict]:
    """Typed values for the kind's fields present in ``values`` (absent fields
    stay absent) and {field: Japanese message} for those that cannot be read."""
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in fields(kind):
        if spec.name not in values:
            continue
        v = values[spec.name]
        try:
            if spec.name == "quorum_rule":
                out[spec.name] = parse_quorum(v)
            elif spec.kind == "text":
                out[spec.name] = "" if v is None else check_text(str(v).strip())
            elif spec.kind == "int":
                if v is None or str(v).strip() == "":
                    out[spec.name] = None
                else:
                    t = unicodedata.normalize("NFKC", str(v)).strip().replace(",", "")
                    if not t.isdigit():
                        raise ValueError(f"「{v}」は数字で入力してください（例: 10）。")
                    out[spec.name] = int(t)
            elif spec.kind == "date":
                out[spec.name] = parse_any_date(v)
            elif spec.kind == "bool":
                out[spec.name] = parse_bool(v)
            elif spec.kind in ("choice", "ref"):
                empty = v is None or (isinstance(v, str) and not v.strip())
                out[spec.name] = None if empty else _choice(world, catalog, spec, v)
            elif spec.kind in ("multi", "refs"):
                codes = [_choice(world, catalog, spec, x) for x in split_list(v)]
                out[spec.name] = list(dict.fromkeys(codes))
            else:
                out[spec.name] = v
        except ValueError as exc:
            errors[spec.name] = str(exc)
    return out, errors
