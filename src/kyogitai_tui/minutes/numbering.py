"""The municipal numbering of minutes: 1 → (1) → ①.

    section_no(3)   -> "3"
    paren_no(2)     -> "(2)"
    circled_no(5)   -> "⑤"      (① … ㊿; beyond 50 falls back to "(51)")

Word and the Markdown reader lay out ① themselves, so these characters are
fine in the exported minutes (not in the TUI: Rich counts East Asian ambiguous-width characters such as ① as one cell, so screens use (1) instead).
"""
from __future__ import annotations

__all__ = ["section_no", "paren_no", "circled_no"]


def section_no(n: int) -> str:
    """Top level: 「1」「2」… (half-width, as in published minutes)."""
    return str(n)


def paren_no(n: int) -> str:
    """Second level: 「(1)」「(2)」…"""
    return f"({n})"


def circled_no(n: int) -> str:
    """Third level: ①…⑳ (U+2460), ㉑…㉟ (U+3251), ㊱…㊿ (U+32B1); then 「(n)」."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return f"({n})"
