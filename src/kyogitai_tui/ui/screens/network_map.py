"""ネットワーク図 (seed 4-1): the networks one council looks after, as an
indented outline (``domain.network_map``).  Read only; reached with F3 from
the council screen.  Up/down move a cursor row by row (the screen may be
projected: the row being talked about is highlighted); Esc goes back.
"""
from __future__ import annotations


from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static


from kyogitai_tui.domain.meeting.network_map import MapLine, network_map
from kyogitai_tui.ui.widgets.plain import PlainOption, PlainStatic
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.footer import KeyFooter

INDENT = 2          # cells per depth
_STYLES = {"council": "bold", "section": "bold", "area": "bold", "provider": "bold",
           "individual": "bold", "linked": "bold", "gap": "bold", "warning": "bold"}


def _prompt(line: MapLine, colors: dict[str, str]) -> Group:
    """One row; the indent is a Padding so that it survives wrapping."""
    style = _STYLES.get(line.kind, "")
    color = colors.get(line.kind)
    if color:
        style = f"{style} {color}".strip()
    body = Text(line.text, style=style)
    indent = line.depth * INDENT
    return Group(Padding(body, (0, 0, 0, indent)) if indent else body)


class NetworkMapScreen(Screen):
    BINDINGS = [
        Binding("f5", "reload", "表示を更新", id="map.reload",
                tooltip="最新のデータでネットワーク図を描き直します"),
        Binding("escape", "back", "戻る", id="map.back", tooltip="協議体の画面に戻ります"),
    ]

    DEFAULT_CSS = """
    NetworkMapScreen #map { height: 1fr; padding: 0 1; }
    """

    def __init__(self, council_id: str) -> None:
        super().__init__()
        self.council_id = council_id
        self.lines: list[MapLine] = []

    def compose(self) -> ComposeResult:
        yield PlainStatic("", id="map-title", classes="title-bar")
        yield PlainStatic("上下キーで行を移動。要確認＝不足の点検（C1～C4）で問題あり。Esc で戻る。",
                     id="map-hint", classes="hint")
        yield OptionList(id="map")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#map", OptionList).focus()

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        self.refresh_view()

    def _colors(self) -> dict[str, str]:
        theme = self.app.current_theme
        warn = theme.warning or "yellow"
        err = theme.error or "red"
        accent = theme.accent or "cyan"
        return {"gap": err, "warning": warn, "section": accent}

    def refresh_view(self) -> None:
        app = self.app
        world = app.world
        council = world.councils.get(self.council_id) if world is not None else None
        name = council.name if council is not None else self.council_id
        self.query_one("#map-title", Static).update(f"ネットワーク図 {name}")
        if world is None:
            self.lines = []
        else:
            self.lines = network_map(world, self.council_id, today=app.today,
                                     catalog=app.catalog)
        ol = self.query_one("#map", OptionList)
        keep = ol.highlighted
        ol.clear_options()
        colors = self._colors()
        ol.add_options([PlainOption(_prompt(line, colors), id=f"line{i}")
                        for i, line in enumerate(self.lines)])
        if self.lines:
            ol.highlighted = min(keep or 0, len(self.lines) - 1)

    def map_text(self) -> str:
        """The outline as plain text (what the screen shows, indented)."""
        return "\n".join(" " * (line.depth * INDENT) + line.text for line in self.lines)

    def action_reload(self) -> None:
        self.refresh_view()

    def action_back(self) -> None:
        self.app.pop_screen()
