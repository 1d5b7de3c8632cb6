"""Workspaces by agenda template.  ``workspace_for(session, item)`` picks one."""
from __future__ import annotations

from kyogitai_tui.ui.workspaces.base import NotesWorkspace, Workspace

# template code -> Workspace subclass; filled by the modules below.
WORKSPACES: dict[str, type[Workspace]] = {}


def register(*codes: str):
    def deco(cls: type[Workspace]) -> type[Workspace]:
        for code in codes:
            WORKSPACES[code] = cls
        return cls
    return deco


def workspace_for(session, item) -> Workspace:
    _load_all()
    cls = WORKSPACES.get(item.template or "", NotesWorkspace)
    return cls(session, item, classes="workspace")


_LOADED = False


def _load_all() -> None:
    """Import every workspace module once (each registers itself)."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(__path__):
        if mod.name != "base":
            importlib.import_module(f"{__name__}.{mod.name}")
