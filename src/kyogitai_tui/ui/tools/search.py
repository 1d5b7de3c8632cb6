"""Home F3 / ctrl+p「会議の記録を検索」: the search screen (ui/screens/search.py)."""
from __future__ import annotations


def open(app, query: str = "") -> None:  # noqa: A001 - the tools' entry point is named open
    from kyogitai_tui.ui.screens.search import SearchScreen

    app.push_screen(SearchScreen(query))
