"""The workspace of one agenda item (the right-hand pane of the live screen).

A workspace shows what the room discusses under that item and offers its
operations.  It never writes: it calls ``self.apply(changes)`` with what a
``MeetingSession`` operation returned, and the live screen saves them (off
the UI thread) and refreshes what depends on them.
"""
from __future__ import annotations

from typing import Any, Optional

from textual.app import ComposeResult
from textual.binding import BindingsMap
from textual.containers import VerticalScroll

from kyogitai_tui.domain.model import AgendaItem
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.ui.session_ops import SessionOps
from kyogitai_tui.ui.widgets.plain import PlainStatic


class Workspace(SessionOps, VerticalScroll):
    """Base class.  Subclasses implement ``compose`` and ``refresh_view``."""

    DEFAULT_CSS = """
    Workspace { height: 1fr; padding: 0 1; }
    Workspace .ws-title { text-style: bold; }
    Workspace .ws-prompt { background: $warning 25%; height: auto; padding: 0 1; }
    """

    def __init__(self, session: MeetingSession, item: AgendaItem, **kw: Any) -> None:
        super().__init__(**kw)
        self.session = session
        self.item = item

    # helpers ----------------------------------------------------------

    @property
    def catalog(self):
        return self.app.catalog

    def label(self, list_name: str, code: Optional[str], default: str = "") -> str:
        return self.app.label(list_name, code, default)

    def choices(self, list_name: str) -> list[tuple[str, str]]:
        return list(self.catalog.labels(list_name).items())

    def apply(self, changes) -> None:
        """Hand the changes to the screen: saved at once, views refreshed."""
        self.screen.after_change(list(changes))

    def prompts_text(self) -> str:
        lines = []
        for p in self.session.prompts(self.item.template):
            about = f"（{p.about}）" if getattr(p, "about", "") else ""
            lines.append(f"留意 {p.rule}{about}: {p.text}")
        return "\n".join(lines)

    def action_for_key(self, key: str) -> Optional[str]:
        """The action this workspace binds to ``key`` (F8/F12), or None: the
        live screen runs it when the key is pressed outside the workspace.
        Read from the classes' ``BINDINGS`` as Textual merges them (the most
        derived class wins)."""
        for cls in type(self).__mro__:
            for binding in BindingsMap(cls.__dict__.get("BINDINGS", ())).key_to_bindings.get(key, ()):
                return binding.action
        return None

    # to override --------------------------------------------------------

    def refresh_view(self) -> None:
        """Re-render from the session (after any change)."""


class NotesWorkspace(Workspace):
    """Items without a workspace of their own (custom items, 次回開催について)."""

    def compose(self) -> ComposeResult:
        yield PlainStatic(self.item.title, classes="ws-title")
        yield PlainStatic("この議題では発言を記録します。F2 で発言を入力します。", classes="hint")
