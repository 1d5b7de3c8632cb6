"""Multi-line rows whose indentation survives Textual's wrapping.

Textual strips leading spaces from wrapped lines (in Static and OptionList
alike), so a line indented with spaces in a domain text is turned into a
``rich.padding.Padding`` of that width.  ``bold_first`` makes the first line
a heading (the id and title of a row).
"""
from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text


def indented(text: str, *, bold_first: bool = False) -> Group:
    parts = []
    for n, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        body = Text(stripped, style="bold" if bold_first and n == 0 else "")
        parts.append(Padding(body, (0, 0, 0, indent)) if indent else body)
    return Group(*parts)
