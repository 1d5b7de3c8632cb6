"""Multi-line rows whose indentation survives Textual's wrapping.

Textual strips leading spaces from wrapped lines (in Static and OptionList
alike), so a line indented with spaces in a domain text is turned into a
``rich.padding.Padding`` of that width.  ``bold_first`` makes the first line
a heading (the id and title of a row).
"""
from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.text import Text

from kyogitai_tui.domain.meeting.live_view import kinsoku_wrap


class Wrapped:
    """Text wrapped by the app with Japanese line-breaking rules (禁則) at the
    width it is given: no 「。」 or 「）」 at the start of a line."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    def __str__(self) -> str:
        return self.text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = kinsoku_wrap(self.text, options.max_width)
        yield Text("\n".join(lines), style=self.style, no_wrap=True, overflow="ignore")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(line) for line in self.text.split("\n")), default=0)
        return Measurement(min(2, widest), widest)


class WrappedRows(Group):
    """Lines of ``Wrapped`` text; ``str()`` gives the text as typed (for tests and search)."""

    def __str__(self) -> str:
        return "\n".join(str(r) for r in self.renderables)


def indented(text: str, *, bold_first: bool = False) -> Group:
    parts = []
    for n, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        body = Wrapped(stripped, style="bold" if bold_first and n == 0 else "")
        parts.append(Padding(body, (0, 0, 0, indent)) if indent else body)
    return WrappedRows(*parts)
