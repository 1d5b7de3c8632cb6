"""ctrl+p on the live screen: type part of a name, pick, and the agenda item
that shows it opens.  Targets come from domain.jump; matching is a plain
substring match on the shown text (Japanese has no word boundaries to fuzz)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static


from kyogitai_tui.domain.meeting.jump import JumpTarget, filter_targets
from kyogitai_tui.ui.widgets.plain import PlainOption, PlainStatic, focus_now


class JumpDialog(ModalScreen):
    """Returns the chosen JumpTarget, or None on Esc."""

    BINDINGS = [
        Binding("escape", "cancel", "やめる", id="jump.cancel"),
        Binding("down", "move(1)", "次の候補", id="jump.down", show=False),
        Binding("up", "move(-1)", "前の候補", id="jump.up", show=False),
    ]
    DEFAULT_CSS = """
    JumpDialog { align: center top; }
    JumpDialog > Vertical { width: 90; max-width: 98%; height: auto; max-height: 80%;
        background: $panel; padding: 1 2; margin-top: 2; }
    JumpDialog Input { margin-bottom: 1; }
    JumpDialog OptionList { height: auto; max-height: 20; background: $panel; }
    """

    HINT = "移動先を入力（議題・ネットワーク・個別・課題・取組・決定）。上下で選び Enter、Esc でやめる。"
    PLACEHOLDER = "例: 多職種、Aさん、AI-01"

    def __init__(self, targets: list[JumpTarget], *, hint: str | None = None,
                 placeholder: str | None = None) -> None:
        super().__init__()
        self.targets = targets
        self.shown: list[JumpTarget] = []
        self.hint = hint or self.HINT
        self.placeholder = placeholder or self.PLACEHOLDER

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainStatic(self.hint, classes="hint")
            yield Input(placeholder=self.placeholder, id="jump-query", compact=True)
            yield OptionList(id="jump-list")
            yield PlainStatic("", id="jump-empty", classes="hint")

    def on_mount(self) -> None:
        self._fill("")
        focus_now(self.query_one("#jump-query", Input))

    def _fill(self, query: str) -> None:
        self.shown = filter_targets(self.targets, query)
        ol = self.query_one("#jump-list", OptionList)
        ol.clear_options()
        ol.add_options([PlainOption(t.text, id=str(i)) for i, t in enumerate(self.shown)])
        if self.shown:
            ol.highlighted = 0
        self.query_one("#jump-empty", Static).update("" if self.shown else "見つかりません。別のことばで探してください。")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        ol = self.query_one("#jump-list", OptionList)
        if ol.highlighted is not None and self.shown:
            self.dismiss(self.shown[ol.highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[int(event.option.id)])

    def action_move(self, delta: int) -> None:
        ol = self.query_one("#jump-list", OptionList)
        if not self.shown:
            return
        current = ol.highlighted or 0
        ol.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)
