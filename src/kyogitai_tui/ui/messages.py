"""What the app tells its screens, as Textual messages.

The app posts one of these to every screen in its stack; a screen that cares
handles it with ``@on(WorldChanged)`` / ``@on(SaveStateChanged)``, one that
does not simply ignores it.  They do not bubble: a screen's message never
comes back up to the app.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from textual.message import Message
from textual.widgets import Static

if TYPE_CHECKING:
    from kyogitai_tui.domain.world import World


class WorldChanged(Message, bubble=False):
    """The app holds a new World: read from disk (at start, F5 on the home
    screen) or rebuilt after a change.  ``world`` is None and ``error`` says
    why when the data could not be read."""

    def __init__(self, world: Optional[World], error: Optional[str] = None) -> None:
        super().__init__()
        self.world = world
        self.error = error


class SaveStateChanged(Message, bubble=False):
    """The writer thread finished a batch: ``error`` is the store's Japanese
    message while saving fails, ``pending`` the changes still waiting."""

    def __init__(self, error: Optional[str], pending: int) -> None:
        super().__init__()
        self.error = error
        self.pending = pending


def show_save_state(bar: Static, message: SaveStateChanged) -> None:
    """The save line of the prepare and live screens: 保存済み / 保存中 / the error."""
    bar.set_class(bool(message.error), "error")
    if message.error:
        bar.update(f"保存できていません: {message.error}")
    else:
        bar.update("保存済み" if not message.pending else f"保存中（{message.pending}件）")
