"""The two variants of the minutes and how a caller names them.

``PUBLIC`` (公開用) and ``INTERNAL`` (内部記録); what each may show of a resident
is decided in ``redaction``.  No Textual here.
"""
from __future__ import annotations

__all__ = ["VARIANTS", "VARIANT_LABELS", "VARIANT_MARK", "HANDLING_NOTE", "MinutesError", "normalize_variant"]

VARIANTS = ("PUBLIC", "INTERNAL")
VARIANT_LABELS = {"PUBLIC": "公開用", "INTERNAL": "内部記録"}
VARIANT_MARK = {"PUBLIC": "【公開用】", "INTERNAL": "【内部記録】"}
HANDLING_NOTE = "取扱注意（個人情報を含む）"


class MinutesError(ValueError):
    """A request the minutes cannot satisfy; ``message`` is Japanese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalize_variant(variant: str) -> str:
    """"public"/"PUBLIC"/"公開用" -> PUBLIC; "internal"/"内部記録" -> INTERNAL."""
    v = (variant or "").strip()
    aliases = {"PUBLIC": "PUBLIC", "公開用": "PUBLIC", "公開": "PUBLIC",
               "INTERNAL": "INTERNAL", "内部記録": "INTERNAL", "内部": "INTERNAL"}
    out = aliases.get(v.upper(), aliases.get(v))
    if out is None:
        raise MinutesError(
            f"議事録の種類「{variant}」は指定できません。public（公開用）か internal（内部記録）を指定してください。")
    return out
