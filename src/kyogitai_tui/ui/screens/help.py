"""F1: every key binding in force, with its Japanese description."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from kyogitai_tui.ui.widgets.plain import PlainStatic


class HelpScreen(ModalScreen):
    BINDINGS = [
        Binding("escape", "close", "閉じる", id="help.close"),
        Binding("f1", "close", "閉じる", id="help.close_f1", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        lines = ["[b]キー操作の一覧[/b]", ""]
        for key, desc, tip in self.rows:
            line = f"  {key:<10} {desc}"
            if tip:
                line += f"  ー {tip}"
            lines.append(line)
        lines += ["", "日本語入力がオンのままでも、ctrl と F キーの操作は使えます。",
                  "入力した内容はその場で保存されます。ctrl+q でいつでも終了できます。",
                  "", "Esc または F1 で閉じます。"]
        with VerticalScroll(id="help-body"):
            yield PlainStatic("\n".join(lines), markup=True, id="help-text")

    def action_close(self) -> None:
        self.dismiss()
