"""F7 on the live screen: who is here, and the quorum as people come and go.

Enter on a person: 出席 / 欠席 / 遅参（いま到着） / 遅参（まだ来ていない） /
早退（いま退出） / 代理出席（氏名）.  Each change is saved at once through the
live screen's ``on_change`` (which also updates its top bar).
"""
from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from kyogitai_tui.ui.widgets.plain import PlainStatic, PlainTable
from kyogitai_tui.domain.meeting.roster import LIVE_CHOICES, live_choice_op, roster_rows, roster_summary
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.ui.screens.prepare import roster_columns
from kyogitai_tui.ui.session_ops import SessionOps
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, Field, FormDialog


class AttendanceDialog(SessionOps, ModalScreen):
    BINDINGS = [
        Binding("escape", "close", "閉じる", id="attendance.close"),
        Binding("f8", "add_guest", "出席者を追加", id="attendance.guest_add",
                tooltip="名簿にない出席者（アドバイザー・関係部署など）を追加します"),
    ]
    DEFAULT_CSS = """
    AttendanceDialog { align: center middle; }
    AttendanceDialog > Vertical { width: 110; max-width: 98%; height: 90%;
        background: $panel; padding: 1 2; }
    AttendanceDialog .dialog-title { text-style: bold; }
    AttendanceDialog #att-quorum { height: auto; background: $boost; padding: 0 1; text-style: bold; }
    AttendanceDialog DataTable { height: 1fr; }
    """

    def __init__(self, session: MeetingSession, on_change: Callable[[list], None]) -> None:
        super().__init__()
        self.session = session
        self.on_change = on_change

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainStatic("出欠（会議中）", classes="dialog-title")
            yield PlainStatic("", id="att-quorum")
            yield PlainTable(id="att-roster", cursor_type="row", zebra_stripes=True)
            yield PlainStatic("Enter で出欠を変更（遅参の到着・早退はいまの時刻で記録）。"
                         "F8 で出席者を追加。Esc で閉じる。", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one("#att-roster", DataTable)
        roster_columns(table)
        self.refresh_view()
        table.focus()

    def refresh_view(self) -> None:
        s = self.session
        q = s.quorum()
        self.query_one("#att-quorum", Static).update(
            roster_summary(q.text, proxies=q.proxies, observers=s.meeting.observers_count))
        table = self.query_one("#att-roster", DataTable)
        keep = table.cursor_row
        table.clear()
        at = s.now().time() if s.meeting.status == "IN_PROGRESS" else None
        for r in roster_rows(s.world, s.meeting.council_id, s.record.attendance, at=at,
                             label=lambda lst, code: self.app.label(lst, code, code)):
            table.add_row(r.name, r.role_label, r.status_label, r.time_text, r.proxy_name, r.org,
                          key=r.attendance_id)
        if table.row_count:
            table.move_cursor(row=min(keep or 0, table.row_count - 1))

    def apply(self, changes: list) -> None:
        if changes:
            self.on_change(changes)
        self.refresh_view()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key is None or not event.row_key.value:
            return
        aid = event.row_key.value
        row = self.session.attendance_row(aid)
        name = next((r.name for r in roster_rows(self.session.world, self.session.meeting.council_id,
                                                 [row])), "")

        def chosen(code) -> None:
            if code is None:
                return
            if code == "PROXY":
                self.app.push_screen(FormDialog(
                    f"代理出席: {name}", [Field("name", "代理の氏名", value=row.proxy_name, required=True)],
                    lambda v: self.try_op(lambda: live_choice_op(self.session, aid, "PROXY", v["name"]))))
                return
            problem = self.try_op(lambda: live_choice_op(self.session, aid, code))
            if problem:
                self.app.notify(problem, severity="error", timeout=8)

        self.app.push_screen(ChoiceDialog(f"{name} の出欠", LIVE_CHOICES), chosen)

    def action_add_guest(self) -> None:
        s = self.session
        fields = [
            Field("name", "氏名", required=True),
            Field("org", "所属"),
            Field("role", "会議での立場", kind="choice", value="ADVISOR",
                  choices=list(self.app.catalog.labels("meeting_roles").items())),
        ]
        self.app.push_screen(FormDialog(
            "名簿にない出席者を追加", fields,
            lambda v: self.try_op(lambda: s.add_guest(v["name"], org_name=v["org"],
                                                    role=v["role"] or "ADVISOR"))))

    def action_close(self) -> None:
        self.dismiss(None)
