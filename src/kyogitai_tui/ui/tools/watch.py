"""Home F8: the 形骸化 watch (ui/screens/watch.py)."""
from __future__ import annotations


def open(app) -> None:  # noqa: A001 - the tool interface
    from kyogitai_tui.ui.screens.watch import WatchScreen

    app.push_screen(WatchScreen())
