"""The ``Doc`` base of every domain record: typed dataclass <-> plain JSON document.

Dates, datetimes and times are ISO strings on disk and ``date`` / ``datetime``
/ ``time`` objects here; unknown keys are kept in ``extra``.  The records
themselves are in model_registry (registry.json, sensitive.json) and
model_meeting (meetings/<id>.json); import them from domain.model.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime, time
from typing import Any, ClassVar

__all__ = ["Doc"]


def _unwrap_optional(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _to_json(value: Any) -> Any:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    return value


_ISO = {date: ("日付", "2025-09-16"), datetime: ("日時", "2025-09-16T14:00:00"), time: ("時刻", "14:00")}
_KINDS = {str: "文字列", int: "整数", float: "数値", bool: "true / false", list: "一覧（[...]）"}


def _wrong_type(tp: Any, value: Any) -> bool:
    """A hand-edited value of the wrong JSON type (a number where text belongs...)."""
    if tp is str:
        return not isinstance(value, str)
    if tp is bool:
        return not isinstance(value, bool)
    if tp in (int, float):  # a float in an int field is tolerated: it still sorts and adds
        return not isinstance(value, (int, float)) or isinstance(value, bool)
    return False


def _from_json(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    tp = _unwrap_optional(tp)
    if _wrong_type(tp, value):
        raise TypeError(f"{_KINDS[tp]}のはずが {str(value)[:40]!r} になっています")
    if tp in _ISO:
        if isinstance(value, tp):
            return value
        kind, example = _ISO[tp]
        try:
            return tp.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError(f"{kind}（{example} の形）のはずが {str(value)[:40]!r} になっています") from None
    origin = typing.get_origin(tp)
    if origin is list:
        if not isinstance(value, list):
            raise TypeError(f"{_KINDS[list]}のはずが {str(value)[:40]!r} になっています")
        (inner,) = typing.get_args(tp) or (Any,)
        return [_from_json(inner, v) for v in value]
    return value


def _converter(tp: Any):
    """What ``_from_json(tp, value)`` does to a non-None value, as one function
    worked out once per field; None for a plain scalar field (checked inline
    in ``from_doc``) or an untyped one."""
    tp = _unwrap_optional(tp)
    if tp in _ISO:
        kind, example = _ISO[tp]
        fromiso = tp.fromisoformat

        def iso(value: Any) -> Any:
            if type(value) is str:
                try:
                    return fromiso(value)
                except ValueError:
                    pass
            elif isinstance(value, tp):
                return value
            raise ValueError(f"{kind}（{example} の形）のはずが {str(value)[:40]!r} になっています")
        return iso
    if typing.get_origin(tp) is list:
        (inner,) = typing.get_args(tp) or (Any,)
        inner = _unwrap_optional(inner)
        if inner is str:
            def str_list(value: Any) -> list:
                if isinstance(value, list) and all(type(v) is str for v in value):
                    return list(value)
                return _from_json(tp, value)  # raises with the reason
            return str_list
        return lambda value: _from_json(tp, value)
    return None


_SCALARS = (str, int, float, bool)
_MISSING = object()


class Doc:
    """Mixin: ``from_doc`` / ``to_doc`` for the dataclasses below.

    Unknown keys in a document are kept in ``extra`` so that a newer minor
    field never gets lost by an older reader that rewrites the document.
    """

    table: ClassVar[str] = ""

    @classmethod
    def _hints(cls) -> dict[str, Any]:
        cache = cls.__dict__.get("_hint_cache")
        if cache is None:
            cache = typing.get_type_hints(cls)
            setattr(cls, "_hint_cache", cache)
        return cache

    @classmethod
    def _plan(cls) -> tuple[dict[str, Any], dict[str, Any], bool]:
        """({scalar field: its type or None}, {field: converter}, has ``extra``),
        worked out once per class: reading 20,000 documents at start-up must
        not ask the typing module the same questions 20,000 times."""
        plan = cls.__dict__.get("_plan_cache")
        if plan is None:
            hints = cls._hints()
            names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
            scalars: dict[str, Any] = {}
            convs: dict[str, Any] = {}
            for n in names:
                if n == "extra":
                    continue
                conv = _converter(hints[n])
                if conv is not None:
                    convs[n] = conv
                else:
                    tp = _unwrap_optional(hints[n])
                    scalars[n] = tp if tp in _SCALARS else None
            plan = (scalars, convs, "extra" in names)
            setattr(cls, "_plan_cache", plan)
        return plan

    @classmethod
    def from_doc(cls, doc: dict[str, Any]):
        scalars, convs, has_extra = cls.__dict__.get("_plan_cache") or cls._plan()
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        missing = _MISSING
        for key, value in doc.items():
            tp = scalars.get(key, missing)
            if tp is not missing:
                # the common case (right type) costs one identity test
                if value is not None and tp is not None and type(value) is not tp and _wrong_type(tp, value):
                    raise ValueError(f"項目 {key} の値が正しくありません"
                                     f"（{_KINDS[tp]}のはずが {str(value)[:40]!r} になっています）")
                kwargs[key] = value
            elif key in convs:
                if value is None:
                    kwargs[key] = None
                    continue
                try:
                    kwargs[key] = convs[key](value)
                except (TypeError, ValueError) as exc:  # named, for the loader's problem list
                    raise ValueError(f"項目 {key} の値が正しくありません（{exc}）") from None
            else:
                extra[key] = value
        obj = cls(**kwargs)
        if extra and has_extra:
            obj.extra = extra  # type: ignore[attr-defined]
        return obj

    def to_doc(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if f.name == "extra":
                continue
            out[f.name] = _to_json(getattr(self, f.name))
        out.update(getattr(self, "extra", {}) or {})
        return out
