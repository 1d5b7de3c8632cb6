"""The key footer of every screen: Textual's Footer, rebuilt only when what it
shows changes.

Textual's Footer removes and mounts all its keys whenever the screen's
bindings are updated - on every focus change, even when the keys shown stay
the same (moving from the statement box to the log in a meeting, or from one
field of a form to the next).  Each rebuild mounts and styles every key again:
in a walk through a whole meeting that was about a sixth of the app's CPU.
``KeyFooter`` compares what would be shown (key, label, enabled, tooltip,
group) with what is shown and rebuilds only when they differ.

Each key is also made with the footer's ``compact`` value already set: a
FooterKey starts compact and is then bound to the footer's (not compact), and
each of the two changes restyled the key - two restyles per key per rebuild."""
from __future__ import annotations

from textual.screen import Screen
from textual.app import ComposeResult
from textual.widgets import Footer


def shown_keys(screen: Screen, with_palette: bool) -> tuple:
    """What a Footer on ``screen`` draws, as a comparable value."""
    shown = []
    for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items():
        if binding.show or (with_palette and key == screen.app.COMMAND_PALETTE_BINDING):
            group = binding.group.description if binding.group is not None else None
            shown.append((key, binding.action, binding.description, screen.app.get_key_display(binding),
                          enabled, tooltip, group))
    return tuple(shown)


class KeyFooter(Footer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # FooterKey is not exported by textual.widgets: known by its CSS type name
            if type(widget).__name__ == "FooterKey":
                widget.set_reactive(type(widget).compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        drawn = self.is_attached and screen is self.screen and screen.app.app_focus
        if drawn:
            now = shown_keys(screen, self.show_command_palette and screen.app.ENABLE_COMMAND_PALETTE)
            if now == self._shown:
                return
            self._shown = now
        super().bindings_changed(screen)
