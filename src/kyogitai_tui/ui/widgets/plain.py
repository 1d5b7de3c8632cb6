"""Widgets for text people typed.

Textual reads a ``str`` as markup (tables, Static, OptionList): a name typed as 「[b]会」 loses its
brackets, and one typed with 「[/x]」 raises and ends the app whenever it is
drawn.  ``PlainTable`` turns every ``str`` cell into plain ``Text`` (a cell
that wants a style passes a ``Text``); ``PlainStatic`` is a Static whose
content is not markup unless ``markup=True`` is asked for (then escape what
was typed with ``textual.markup.escape``).
"""
from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable, Input, Static
from textual.widgets.option_list import Option


def _plain(cell):
    return Text(cell) if isinstance(cell, str) else cell


class PlainTable(DataTable):
    def add_row(self, *cells, **kwargs):
        return super().add_row(*(_plain(c) for c in cells), **kwargs)

    def update_cell(self, row_key, column_key, value, **kwargs):
        return super().update_cell(row_key, column_key, _plain(value), **kwargs)

    def update_cell_at(self, coordinate, value, **kwargs):
        return super().update_cell_at(coordinate, _plain(value), **kwargs)


class PlainStatic(Static):
    def __init__(self, content="", *, markup: bool = False, **kwargs) -> None:
        super().__init__(content, markup=markup, **kwargs)


def show_text(widget: Static, text: str) -> None:
    """``widget.update(text)`` only when the text differs from what it shows:
    each update lays the whole screen out again (a clock line ticking every
    second, a status line redrawn whenever a dialog closes)."""
    if str(widget.content) != text:
        widget.update(text)


class PlainOption(Option):
    """An OptionList entry whose ``str`` prompt is plain text (statements,
    names and CSV lines are shown as typed)."""

    def __init__(self, prompt, *args, **kwargs) -> None:
        super().__init__(_plain(prompt), *args, **kwargs)


def focus_now(widget) -> None:
    """Give ``widget`` the focus at once, for a key that moves the focus
    (F2 to the statement line, F6 to the workspace, a search key).

    ``Widget.focus()`` moves it a turn of the message queue later; the text an
    IME commits right after the key is already queued by then and would reach
    the widget that had the focus before (tests/test_ui_live.py)."""
    widget.screen.set_focus(widget)


def type_into_focused(screen, event) -> bool:
    """Put the character of key ``event`` into the text field that has the
    focus on ``screen``, as the field itself would take it, and stop the key.

    For keys no field took: the app's ``on_key`` (a character typed right
    after the key that opened a form, read before the form's field had the
    focus) and a list that hands typing to its search line.  True when the
    field took it."""
    field = screen.focused
    if isinstance(field, Input) and event.is_printable and event.character:
        if field.selection.is_empty:
            field.insert_text_at_cursor(event.character)
        else:
            field.replace(event.character, *field.selection)
        event.stop()
        event.prevent_default()
        return True
    return False
