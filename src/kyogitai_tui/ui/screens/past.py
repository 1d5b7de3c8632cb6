"""A held meeting, read only: title, date, attendance, decisions, action
items with their current status, the readback, the next meeting; and the
same minutes exports as the close screen (F2 公開用, F3 内部記録, F4 Markdown)."""
from __future__ import annotations


from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from kyogitai_tui.domain.meeting import discussion_view as dv
from kyogitai_tui.ui.screens.minutes_offer import EXPORT_BINDINGS, MinutesExportScreen, export_dir_of
from kyogitai_tui.ui.widgets.rows import indented
from kyogitai_tui.ui.widgets.plain import PlainStatic
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.footer import KeyFooter


class PastMeetingScreen(MinutesExportScreen):
    BINDINGS = [
        *EXPORT_BINDINGS,
        Binding("escape", "back", "戻る", id="past.back", tooltip="協議体の一覧に戻ります"),
    ]

    DEFAULT_CSS = """
    PastMeetingScreen #past-top { height: 1; background: $primary; color: $text; padding: 0 1; }
    PastMeetingScreen #past-body { height: 1fr; padding: 0 2; }
    PastMeetingScreen #past-summary { height: auto; }
    PastMeetingScreen #export-state { height: auto; margin-top: 1; }
    PastMeetingScreen .failed { background: $error 30%; }
    """

    def __init__(self, meeting_id: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.last_export_paths: list = []
        self.summary_text = ""

    def compose(self) -> ComposeResult:
        yield PlainStatic("過去の会議（閲覧のみ）  会議録：F2 公開用・F3 内部記録（Word）・F4 Markdown",
                     id="past-top")
        with VerticalScroll(id="past-body"):
            yield PlainStatic("", id="past-summary")
            yield PlainStatic("", id="export-state")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_summary()
        self.query_one("#past-body").focus()

    def refresh_summary(self) -> None:
        world = self.app.world
        if world is None or self.meeting_id not in world.meetings:
            self.query_one("#past-summary", Static).update(f"会議「{self.meeting_id}」が見つかりません。")
            return
        text = "\n".join(dv.past_meeting_lines(world, self.app.catalog, self.meeting_id, self.app.today))
        self.summary_text = text
        self.query_one("#past-summary", Static).update(indented(text, bold_first=True))
        self.query_one("#export-state", Static).update(f"会議録の書き出し先：{export_dir_of(self.app)}")

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        self.refresh_summary()

    # minutes ------------------------------------------------------------

    def export_world(self):
        return self.app.world

    def show_export(self, text: str, error: bool = False) -> None:
        box = self.query_one("#export-state", Static)
        box.set_class(error, "failed")
        box.update(text)
        box.scroll_visible()

    def action_back(self) -> None:
        self.app.pop_screen()
