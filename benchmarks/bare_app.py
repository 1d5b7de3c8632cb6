"""The floor for cold start: a bare Textual app with the same kind of widgets
as kyogitai's home screen (a header, a table of 200 rows, a footer).

    TEXTUAL_PRESS=ctrl+q python benchmarks/bare_app.py     # quits once ready

Used by ``bench_start.py``; it reads no data and has no logic of its own.
"""
from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

ROWS = 200


class BareApp(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("No.", "name", "area", "status", "due")
        for i in range(ROWS):
            table.add_row(str(i + 1), f"row {i + 1}", f"area {i % 7}", "open" if i % 3 else "done", f"2025-09-{i % 28 + 1:02d}")


if __name__ == "__main__":
    BareApp().run()
