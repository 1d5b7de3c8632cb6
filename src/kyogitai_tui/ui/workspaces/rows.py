"""A workspace that shows rows of text (from domain/report_view and
domain/linkage_view) in an OptionList: Enter on a row acts on it, F8 is the
workspace's main action and F12 its second one.

The rows say what they are about by their ``key`` (``action:AI-01``,
``fn:PN04:DIFF_MONITOR`` ...); the subclass turns a key into a dialog.  After
every change the rows are rebuilt and the highlighted row stays where it was,
so an edit shows "in place".
"""
from __future__ import annotations

from typing import Optional

from rich.text import Text

from kyogitai_tui.ui.widgets.rows import Wrapped, WrappedRows
from textual.app import ComposeResult
from textual.widgets import OptionList


from kyogitai_tui.domain.meeting.report_view import Row
from kyogitai_tui.ui.workspaces.base import Workspace
from kyogitai_tui.ui.widgets.plain import PlainOption, PlainStatic

STYLES = {
    "title": "bold",
    "prompt": "bold yellow",
    "hint": "bold cyan",
    "warning": "bold magenta",
    "bad": "bold #ff8080",
    "good": "bold green",
    "dim": "dim",
}
YES_NO = [("yes", "あり"), ("no", "なし")]


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def row_text(row: Row) -> WrappedRows:
    """The row's lines, each wrapped with Japanese line-breaking rules."""
    return WrappedRows(*(Wrapped(line.text, STYLES.get(line.style, "")) for line in row.lines))


class RowsWorkspace(Workspace):
    """Subclasses set ``HINT`` and implement ``rows``, ``open_row`` and the
    F8 / F12 actions (``action_primary`` / ``action_secondary``)."""

    DEFAULT_CSS = """
    RowsWorkspace { overflow-y: hidden; }
    RowsWorkspace .ws-head { height: auto; }
    RowsWorkspace OptionList.ws-rows { height: 1fr; border: none; padding: 0; background: $surface; }
    RowsWorkspace OptionList.ws-rows:focus { border: none; }
    """
    HINT = ""

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self._rows: list[Row] = []

    def compose(self) -> ComposeResult:
        head = Text(self.item.title, style="bold")
        if self.HINT:
            head.append("  " + self.HINT, style="dim")
        yield PlainStatic(head, classes="ws-head")
        yield OptionList(classes="ws-rows")

    def on_mount(self) -> None:
        self.refresh_view()

    # -- to override ------------------------------------------------------

    def rows(self) -> list[Row]:
        return []

    def open_row(self, key: str) -> None:
        """Enter on a row."""

    # -- helpers ----------------------------------------------------------

    @property
    def option_list(self) -> OptionList:
        return self.query_one("OptionList.ws-rows", OptionList)

    def current_key(self) -> Optional[str]:
        ol = self.option_list
        if ol.highlighted is None or not (0 <= ol.highlighted < len(self._rows)):
            return None
        return self._rows[ol.highlighted].key

    def refresh_view(self) -> None:
        try:
            ol = self.option_list
        except Exception:   # not composed yet
            return
        old_key = self.current_key()
        old_index = ol.highlighted
        self._rows = self.rows()
        ol.clear_options()
        ol.add_options([PlainOption(row_text(r)) for r in self._rows])
        if not self._rows:
            return
        keys = [r.key for r in self._rows]
        if old_index is not None and old_index < len(keys) and keys[old_index] == old_key:
            ol.highlighted = old_index
        elif old_key in keys:
            ol.highlighted = keys.index(old_key)
        elif old_index is not None:
            ol.highlighted = min(old_index, len(keys) - 1)
        else:
            ol.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._rows):
            self.open_row(self._rows[event.option_index].key)

    def action_primary(self) -> None:
        """F8."""

    def action_secondary(self) -> None:
        """F12."""
