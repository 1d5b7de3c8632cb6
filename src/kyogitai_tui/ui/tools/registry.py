"""F7 登録データ: the municipality's own records (団体・人・協議体・ネットワーク・対象者)."""
from __future__ import annotations


def open(app) -> None:  # noqa: A001 - the tools' entry point is called open
    from kyogitai_tui.ui.screens.registry import RegistryScreen

    app.push_screen(RegistryScreen())
