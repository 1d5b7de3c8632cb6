"""What a screen may ask of the app, as a typed protocol.

Screens and widgets reach the app as ``self.app``; they never import
``ui/app.py`` (the app imports the screens).  ``Host`` lists what they may
use, so a screen can be read - and type-checked with ``host(self)`` - without
the app module, and the notices shared by the app and the screens live here.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Protocol, cast

if TYPE_CHECKING:
    from kyogitai_tui.domain.world import World

READ_ONLY_EDIT = "読み取り専用で開いているため保存できません。もう一方の kyogitai を終了してから開き直してください。"
WORLD_CATCHING_UP = "保存した内容を反映しています。少し待ってから、もう一度押してください。"


class Host(Protocol):
    """The app as its screens see it (``KyogitaiApp`` implements it)."""

    world: Optional[World]
    today: date
    clock: Callable[[], datetime]
    catalog: Any
    saver: Any
    export_dir: Optional[Path]
    summary: Any                  # the home rows from summary.json while the World loads (or None)

    def label(self, list_name: str, code: Optional[str], default: str = "") -> str: ...

    def save(self, changes: Iterable) -> None: ...

    def apply_changes(self, changes: Iterable) -> None: ...

    def outside_edit_blocked(self) -> Optional[str]: ...

    def take_typed_ahead(self) -> str: ...

    def rebuild_world(self, session: Any = None) -> None: ...

    def open_meeting(self, meeting_id: str) -> None: ...

    def go_home(self) -> None: ...

    def load_world(self) -> None: ...


def host(widget: Any) -> Host:
    """``widget.app`` typed as the Host (for code that wants the checker's help)."""
    return cast(Host, widget.app)
