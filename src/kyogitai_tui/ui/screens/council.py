"""One council: its meetings (held, in progress, planned) and a new meeting.

Enter opens a meeting (planned -> prepare, in progress -> live, held -> its
summary); F2 creates the next meeting with 年度・第n回 suggested from its date;
F3 shows the council's ネットワーク図 (ui/screens/network_map.py).
"""
from __future__ import annotations

from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from kyogitai_tui.ui.widgets.plain import PlainStatic, PlainTable
from kyogitai_tui.domain.meeting.agenda import next_meeting_numbers
from kyogitai_tui.domain.dates import DateError, parse_date, wareki_with_weekday
from kyogitai_tui.domain.model.registry import council_tier_label
from kyogitai_tui.domain.meeting.prepare_view import (council_meeting_rows, default_meeting,
                                              meeting_numbers_text)
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.ui.widgets.forms import Field, FormDialog
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.footer import KeyFooter


class NewMeetingDialog(FormDialog):
    """The new-meeting form; shows 年度・第n回 as the date is typed."""

    def __init__(self, world, council_id: str, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.world = world
        self.council_id = council_id

    def on_mount(self) -> None:
        super().on_mount()
        title = self.query(".dialog-title").first()
        self.query_one(VerticalScroll).mount(PlainStatic("", id="suggest", classes="hint"), after=title)
        self._suggest(self.query_one("#field-held_on", Input).value)

    def suggestion(self, text: str) -> str:
        try:
            day = parse_date(text)
        except DateError:
            return "開催日を入れると、年度と第n回を表示します（例: 2025-10-21）。"
        fy, seq = next_meeting_numbers(self.world, self.council_id, day)
        return f"この日なら {meeting_numbers_text(fy, seq)}（{wareki_with_weekday(day)}）になります。"

    def _suggest(self, text: str) -> None:
        for w in self.query("#suggest"):
            w.update(self.suggestion(text))

    @on(Input.Changed, "#field-held_on")
    def date_typed(self, event: Input.Changed) -> None:
        self._suggest(event.value)


class CouncilScreen(Screen):
    BINDINGS = [
        Binding("f2", "new_meeting", "新しい会議", id="council.new",
                tooltip="次の会議を作ります（年度・第n回は開催日から自動で決まります）"),
        Binding("f3", "network_map", "ネットワーク図", id="council.map",
                tooltip="この協議体が見るネットワーク（圏域・事業者間・個別・他制度）を図にします"),
        Binding("f5", "reload", "表示を更新", id="council.reload", show=False,
                tooltip="会議の一覧を表示し直します"),
        Binding("escape", "back", "戻る", id="council.back", tooltip="協議体の一覧に戻ります"),
    ]

    DEFAULT_CSS = """
    CouncilScreen #meetings { height: 1fr; }
    """

    def __init__(self, council_id: str) -> None:
        super().__init__()
        self.council_id = council_id
        self._created: Optional[MeetingSession] = None

    def compose(self) -> ComposeResult:
        yield PlainStatic("", id="title", classes="title-bar")
        yield PlainStatic("", id="info", classes="hint")
        yield PlainTable(id="meetings", cursor_type="row", zebra_stripes=True)
        yield PlainStatic("Enter で開く（予定は準備、開催中は会議、開催済は記録）。F2 新しい会議、F3 ネットワーク図。Esc で戻る。",
                     classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#meetings", DataTable)
        table.add_columns("回", "日付", "開始", "状態", "議事録", "会場")
        self.refresh_view()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        if message.world is not None:
            self.refresh_view()

    @property
    def council(self):
        return self.app.world.councils[self.council_id]

    def refresh_view(self, select: Optional[str] = None) -> None:
        world = self.app.world
        if world is None or self.council_id not in world.councils:
            return
        council = self.council
        area = world.areas.get(council.area_id) if council.area_id else None
        self.query_one("#title", Static).update(
            f"{council.name}（{council_tier_label(council)}・{area.name if area else '市町村全域'}）  会議の一覧")
        members = world.members_of_council(self.council_id, self.app.today)
        self.query_one("#info", Static).update(
            f"構成員{len(members)}名・会議の予定時間{council.planned_minutes}分")
        table = self.query_one("#meetings", DataTable)
        current = select
        if current is None and table.row_count and table.cursor_row is not None:
            try:
                current = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            except Exception:
                current = None
        if current is None:
            current = default_meeting(world, self.council_id, self.app.today)
        table.clear()
        label = self.app.label
        for row in council_meeting_rows(world, self.council_id,
                                        label=lambda lst, code: label(lst, code, code)):
            table.add_row(row.title, row.date_text, row.time_text or "-", row.status_label,
                          row.minutes_label or "-", row.venue, key=row.meeting_id)
        if current is not None:
            try:
                table.move_cursor(row=table.get_row_index(current))
            except Exception:
                pass

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key is not None and event.row_key.value:
            self.app.open_meeting(event.row_key.value)

    def action_reload(self) -> None:
        self.refresh_view()

    def action_network_map(self) -> None:
        from kyogitai_tui.ui.screens.network_map import NetworkMapScreen

        self.app.push_screen(NetworkMapScreen(self.council_id))

    def action_back(self) -> None:
        self.app.pop_screen()

    # ------------------------------------------------------------------
    # new meeting
    # ------------------------------------------------------------------

    def _defaults(self) -> dict:
        """The 次回 set at the last meeting, else time, venue and mode as last time."""
        from kyogitai_tui.domain.meeting.prepare_view import new_meeting_defaults

        return new_meeting_defaults(self.app.world, self.council_id, self.app.today)

    def action_new_meeting(self) -> None:
        app = self.app
        d = self._defaults()
        modes = list(app.catalog.labels("meeting_modes").items())
        fields = [
            Field("held_on", "開催日", kind="date", value=d["held_on"], required=True),
            Field("start_time", "開始時刻", kind="time", value=d["start_time"]),
            Field("venue", "会場", value=d["venue"]),
            Field("mode", "開催形式", kind="choice", choices=modes, value=d["mode"]),
            Field("planned_minutes", "会議時間（分）", kind="int", value=self.council.planned_minutes),
        ]

        def submit(values: dict) -> Optional[str]:
            try:
                session, changes = MeetingSession.create_meeting(
                    app.ensure_dataset(), app.world, self.council_id,
                    held_on=values["held_on"], start_time=values["start_time"],
                    venue=values["venue"] or "", mode=values["mode"] or "IN_PERSON",
                    planned_minutes=values["planned_minutes"], now=app.clock, today=app.today)
            except SessionError as exc:
                return exc.message
            app.save(changes)
            app.session = session
            app.world = session.world
            self._created = session
            return None

        def done(values) -> None:
            session, self._created = self._created, None
            if values is None or session is None:
                return
            from kyogitai_tui.ui.screens.prepare import PrepareScreen

            self.refresh_view(select=session.meeting_id)
            m = session.meeting
            app.notify(f"{meeting_numbers_text(m.fiscal_year, m.seq_no)} を作りました。出欠と議題を準備します。")
            app.push_screen(PrepareScreen(session))

        app.push_screen(NewMeetingDialog(
            app.world, self.council_id, f"新しい会議（{self.council.name}）", fields, submit,
            note="年度と第n回は開催日から決まります。あとで「基本」で直せます。"), done)
