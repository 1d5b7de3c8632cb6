"""Home F4: the 地域課題台帳 (ui/screens/ledger.py)."""
from __future__ import annotations


def open(app) -> None:  # noqa: A001 - the tool interface
    from kyogitai_tui.ui.screens.ledger import LedgerScreen

    app.push_screen(LedgerScreen())
