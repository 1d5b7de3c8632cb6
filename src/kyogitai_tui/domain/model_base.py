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


def _from_json(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    tp = _unwrap_optional(tp)
    if tp is date:
        return value if isinstance(value, date) else date.fromisoformat(value)
    if tp is datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if tp is time:
        return value if isinstance(value, time) else time.fromisoformat(value)
    origin = typing.get_origin(tp)
    if origin is list:
        (inner,) = typing.get_args(tp) or (Any,)
        return [_from_json(inner, v) for v in value]
    return value


def _converter(tp: Any):
    """The function ``_from_json(tp, value)`` amounts to for a non-None value,
    or None when it returns the value unchanged."""
    tp = _unwrap_optional(tp)
    if tp in (date, datetime, time):
        return lambda value: _from_json(tp, value)
    if typing.get_origin(tp) is list:
        (inner,) = typing.get_args(tp) or (Any,)
        if _converter(inner) is None:
            return list
        return lambda value: _from_json(tp, value)
    return None


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
    def _plan(cls) -> tuple[frozenset, dict[str, Any], bool]:
        """(fields taken as they are, {field: converter or None}, has ``extra``),
        worked out once per class: reading 20,000 documents at start-up must
        not ask the typing module the same questions 20,000 times."""
        plan = cls.__dict__.get("_plan_cache")
        if plan is None:
            hints = cls._hints()
            names = frozenset(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
            convs = {n: _converter(hints[n]) for n in names if n != "extra"}
            plain = frozenset(n for n, conv in convs.items() if conv is None)
            plan = (plain, convs, "extra" in names)
            setattr(cls, "_plan_cache", plan)
        return plan

    @classmethod
    def from_doc(cls, doc: dict[str, Any]):
        plain, convs, has_extra = cls.__dict__.get("_plan_cache") or cls._plan()
        if doc.keys() <= plain:  # nothing to convert, nothing extra: the common case
            return cls(**doc)
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in doc.items():
            if key in convs:
                conv = convs[key]
                kwargs[key] = value if conv is None or value is None else conv(value)
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
