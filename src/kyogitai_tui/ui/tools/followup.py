"""Home tool F2: 取組の追跡 (the follow-up of every council's action items)."""
from __future__ import annotations


def open(app) -> None:  # noqa: A001 - the tool protocol's name
    from kyogitai_tui.ui.screens.followup import FollowupScreen

    app.push_screen(FollowupScreen())
