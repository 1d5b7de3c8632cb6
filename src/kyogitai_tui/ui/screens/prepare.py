"""Preparing a planned meeting: 基本 / 出欠 / 資料 / 議題, then F9 starts it.

The quorum (「構成員14名中13名出席・成立」) and the agenda's planned time against
the meeting's length stay in view whatever section is shown.  Every edit is
a MeetingSession operation saved at once.
"""
from __future__ import annotations

from typing import Optional

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Static

from kyogitai_tui.ui.widgets.plain import PlainStatic, PlainTable
from kyogitai_tui.domain.dates import jp_time, meeting_title, wareki_with_weekday
from kyogitai_tui.domain.meeting.prepare_view import agenda_rows
from kyogitai_tui.domain.meeting.roster import roster_rows, roster_summary
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.ui.screens.prepare_checks import ChecksWritten, PrepareChecksMixin
from kyogitai_tui.ui.screens.prepare_edits import PrepareEditsMixin
from kyogitai_tui.ui.session_ops import SessionOps
from kyogitai_tui.ui.widgets.forms import ChoiceDialog
from kyogitai_tui.ui.messages import SaveStateChanged, WorldChanged, show_save_state
from kyogitai_tui.ui.widgets.footer import KeyFooter

SECTIONS = (("basics", "基本", "F2"), ("roster", "出欠", "F3"),
            ("materials", "資料", "F4"), ("agenda", "議題", "F5"))
_SECTION_OF_ACTION = {
    "edit_basics": "basics", "add_guest": "roster", "observers": "roster",
    "add_material": "materials", "remove_material": "materials", "add_checks": "materials",
    "add_item": "agenda", "toggle_item": "agenda", "move_item": "agenda", "remove_item": "agenda",
}
_HINTS = {
    "basics": "Enter または F8 で開催日・時刻・会場・形式・会議時間・第n回を直します。",
    "roster": "Enter で出欠・立場・代理の氏名・時刻を変更。F8 で名簿にない出席者を追加、F12 で傍聴者の人数。",
    "materials": "Enter で題名を直す。F8 で資料を追加、F12 で削除（番号は詰めます）。F6 で点検資料（C1〜C4）を作ります。",
    "agenda": ("Enter で議題名・予定時間・使う/使わないを変更。F6/F7 で上下に移動、"
               "F8 で議題を追加、F12 で使う/使わないを切替、ctrl+r で追加した議題を削除。"),
}


def section_tabs(current: str) -> Text:
    """「 F2 基本   F3 出欠 ...」 with the shown section in reverse video (a styled
    Text: the tabs are a PlainStatic, which would print markup literally)."""
    out = Text()
    for i, (sec, label, key) in enumerate(SECTIONS):
        if i:
            out.append("  ")
        out.append(f" {key} {label} ", style="reverse bold" if sec == current else "")
    return out


ELLIPSIS = "⋯"     # U+22EF: one cell in every terminal (「…」 is East Asian Ambiguous)


def fit(text: str, width: int) -> Text:
    """A cell cut to ``width`` cells WITH 「⋯」 (never silently); the screen's
    hint line shows the whole value of the highlighted row."""
    text = text or ""
    if width <= 1 or cell_len(text) <= width:
        return Text(text, no_wrap=True)
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return Text("".join(out) + ELLIPSIS, no_wrap=True)


_ROSTER_FIXED = 14 + 8 + 9 + 12          # 立場, 出欠, 時刻, 代理 (roster_columns)


def roster_columns(table: DataTable) -> None:
    """Fixed widths where a value appears later (遅参の時刻, 代理の氏名)."""
    for label, width in (("氏名", None), ("立場", 14), ("出欠", 8), ("時刻", 9), ("代理", 12), ("所属", None)):
        table.add_column(label, width=width)


class PrepareScreen(PrepareChecksMixin, PrepareEditsMixin, SessionOps, Screen):
    BINDINGS = [
        Binding("f2", "section('basics')", "基本", id="prepare.basics", show=False,
                tooltip="開催日・会場など"),
        Binding("f3", "section('roster')", "出欠", id="prepare.roster", show=False,
                tooltip="出欠と立場・傍聴者"),
        Binding("f4", "section('materials')", "資料", id="prepare.materials", show=False,
                tooltip="配布資料"),
        Binding("f5", "section('agenda')", "議題", id="prepare.agenda", show=False,
                tooltip="議題と予定時間"),
        Binding("f8", "edit_basics", "基本を直す", id="prepare.basics_edit"),
        Binding("f8", "add_guest", "出席者を追加", id="prepare.guest_add",
                tooltip="名簿にない出席者（県社協のアドバイザーなど）を追加します"),
        Binding("f12", "observers", "傍聴者", id="prepare.observers", tooltip="傍聴者の人数を入力します"),
        # short labels on the 資料 tab: with F6 点検資料 the footer must still fit 80 columns
        Binding("f8", "add_material", "追加", id="prepare.material_add", tooltip="資料を追加します"),
        Binding("f12", "remove_material", "削除", id="prepare.material_remove", tooltip="選んだ資料を削除します"),
        Binding("f6", "add_checks", "点検資料", id="prepare.checks_add",
                tooltip="不足しているネットワークの点検（C1〜C4）を今のデータで行い、次の資料として Word に書き出します"),
        # F6/F7 are in the section's hint line and F1 help: the footer fits 80 columns
        Binding("f6", "move_item(-1)", "上へ", id="prepare.item_up", show=False, tooltip="議題を上へ移します"),
        Binding("f7", "move_item(1)", "下へ", id="prepare.item_down", show=False, tooltip="議題を下へ移します"),
        Binding("ctrl+up", "move_item(-1)", "上へ", id="prepare.item_up_ctrl", show=False),
        Binding("ctrl+down", "move_item(1)", "下へ", id="prepare.item_down_ctrl", show=False),
        Binding("f8", "add_item", "議題を追加", id="prepare.item_add"),
        Binding("f12", "toggle_item", "使う/使わない", id="prepare.item_toggle"),
        Binding("ctrl+r", "remove_item", "議題を削除", id="prepare.item_remove", show=False,
                tooltip="追加した議題を削除します（テンプレートの議題は使わない設定に）"),
        Binding("f9", "start", "会議を開始", id="prepare.start",
                tooltip="会議を開始し、議題の時間を計り始めます"),
        Binding("escape", "back", "戻る", id="prepare.back", tooltip="会議の一覧に戻ります（保存済み）"),
    ]

    DEFAULT_CSS = """
    PrepareScreen #title { height: auto; }
    PrepareScreen #status { height: auto; background: $boost; padding: 0 1; text-style: bold; }
    PrepareScreen #tabs { height: 1; padding: 0 1; }
    PrepareScreen ContentSwitcher { height: 1fr; }
    PrepareScreen DataTable { height: 1fr; }
    PrepareScreen #savebar { height: 1; padding: 0 1; color: $text-muted; }
    PrepareScreen #savebar.error { background: $error 40%; color: $text; }
    """

    def __init__(self, session: MeetingSession, section: str = "basics") -> None:
        super().__init__()
        self.session = session
        self.section = section
        self._full: dict[str, dict[str, str]] = {"basics": {}, "roster": {}}   # row -> whole text

    # ------------------------------------------------------------------
    # layout and rendering
    # ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PlainStatic("", id="title", classes="title-bar")
        yield PlainStatic("", id="status")
        yield PlainStatic("", id="tabs")
        with ContentSwitcher(initial=f"sec-{self.section}"):
            for name, _, _ in SECTIONS:
                yield PlainTable(id=f"sec-{name}", cursor_type="row", zebra_stripes=True)
        yield PlainStatic("", id="hint", classes="hint")
        yield PlainStatic("", id="savebar")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#title", Static).styles.height = "auto"   # wraps (app.tcss says 1 line)
        self.table("basics").add_columns("項目", "内容")
        roster_columns(self.table("roster"))
        self.table("materials").add_columns("番号", "題名", "区分")
        agenda = self.table("agenda")
        for label, width in (("使う", 4), ("番号", 4), ("議題", None), ("予定", 5), ("備考", None)):
            agenda.add_column(label, width=width)
        self.refresh_all()
        self.action_section(self.section)

    def table(self, name: str) -> DataTable:
        return self.query_one(f"#sec-{name}", DataTable)

    def label(self, list_name: str, code: str) -> str:
        return self.app.label(list_name, code, code)

    def status_text(self) -> str:
        s = self.session
        q = s.quorum()
        return (f"{roster_summary(q.text, proxies=q.proxies, observers=s.meeting.observers_count)}"
                f"    議題 {s.time_summary()}")

    def refresh_all(self) -> None:
        s = self.session
        m = s.meeting
        # what the screen is first; a long council name wraps rather than being cut at 80 columns
        self.query_one("#title", Static).update(
            f"会議の準備  {meeting_title(m.fiscal_year, m.seq_no)}  "
            f"{wareki_with_weekday(m.held_on)}  {s.council.name}")
        self.query_one("#status", Static).update(self.status_text())
        self.fill_basics()
        self.fill_roster()
        self.fill_materials()
        self.fill_agenda()

    def _refill(self, name: str, rows: list[tuple[str, tuple]]) -> None:
        table = self.table(name)
        keep = table.cursor_row
        table.clear()
        for key, values in rows:
            table.add_row(*values, key=key)
        if table.row_count:
            table.move_cursor(row=min(keep or 0, table.row_count - 1))

    def fill_basics(self) -> None:
        m = self.session.meeting
        world = self.session.world
        start = f"{m.start_time:%H:%M}（{jp_time(m.start_time)}）" if m.start_time else "未定（空欄）"
        room = self._width("basics") - (8 + 2) - 2 - 2      # 項目 column and the cells' padding
        venue = m.venue or "未定"
        self._full["basics"] = {"venue": f"会場: {venue}"} if cell_len(venue) > room else {}
        self._refill("basics", [
            ("title", ("会議", f"{meeting_title(m.fiscal_year, m.seq_no)}")),
            ("held_on", ("開催日", wareki_with_weekday(m.held_on))),
            ("start", ("開始", start)),
            ("minutes", ("予定時間", f"{m.planned_minutes}分")),
            ("venue", ("会場", fit(venue, room))),
            ("mode", ("開催形式", self.label("meeting_modes", m.mode))),
            ("chair", ("会長", world.person_name(m.chair_person_id) or "-")),
            ("recorder", ("記録", world.person_name(m.recorder_person_id) or "-")),
        ])

    def fill_roster(self) -> None:
        s = self.session
        rows = roster_rows(s.world, s.meeting.council_id, s.record.attendance, label=self.label)
        name_w = max((cell_len(r.name) for r in rows), default=4)
        room = self._width("roster") - name_w - _ROSTER_FIXED - 2 * 6 - 2
        self._full["roster"] = full = {}
        for r in rows:
            if cell_len(r.org) > room:
                full[r.attendance_id] = f"{r.name}  所属: {r.org}"
        table = self.table("roster")
        name_col = table.ordered_columns[0]
        # the name column sized from the rows themselves (a row added later, e.g. a
        # 関係機関 with a long name, must not be cut to the old width)
        name_col.auto_width, name_col.width = False, max(name_w, cell_len("氏名"))
        self._refill("roster", [(r.attendance_id, (r.name, r.role_label, r.status_label,
                                                        r.time_text, r.proxy_name, fit(r.org, max(room, 8))))
                                for r in rows])

    def _width(self, name: str) -> int:
        width = self.table(name).size.width
        return width if width > 20 else self.app.size.width

    def on_resize(self, event) -> None:
        self.refresh_all()

    @on(DataTable.RowHighlighted)
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """A value cut with 「⋯」 is shown whole in the hint line."""
        key = event.row_key.value if event.row_key is not None else None
        full = self._full.get(self.section, {}).get(key or "")
        self.query_one("#hint", Static).update(full or _HINTS[self.section])

    def fill_materials(self) -> None:
        self._refill("materials", [(mt.id, (mt.label, mt.title, "内部のみ" if mt.internal_only else "配布"))
                                   for mt in self.session.record.materials])

    def fill_agenda(self) -> None:
        s = self.session
        rows = []
        for r in agenda_rows(s.agenda, world=s.world, day=s.today):
            if r.item_id is None:
                rows.append((f"SEC:{r.section}", ("", "", f"【{r.title}】", "", "")))
            else:
                rows.append((r.item_id, (r.mark, r.number, r.title, r.minutes_text, r.note)))
        self._refill("agenda", rows)

    def selected(self, name: str) -> Optional[str]:
        table = self.table(name)
        if not table.row_count or table.cursor_row is None:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return None if key is None or key.startswith("SEC:") else key

    def select(self, name: str, key: str) -> None:
        table = self.table(name)
        try:
            table.move_cursor(row=table.get_row_index(key))
        except Exception:
            pass

    @on(SaveStateChanged)
    def show_save_state(self, message: SaveStateChanged) -> None:
        show_save_state(self.query_one("#savebar", Static), message)

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        if message.world is not None:
            self.refresh_all()

    # ------------------------------------------------------------------
    # changes
    # ------------------------------------------------------------------

    def apply(self, changes: list) -> None:
        if changes:
            self.app.save(changes)
            if any(ch.table == "meeting" for ch in changes):
                # the date or 第n回 may have moved the meeting among the others
                self.app.rebuild_world(self.session)
        self.refresh_all()

    # ------------------------------------------------------------------
    # sections
    # ------------------------------------------------------------------

    @on(ChecksWritten)
    def checks_written(self, message: ChecksWritten) -> None:
        self.app.notify(message.text, severity="error" if message.error else "information", timeout=10)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        wanted = _SECTION_OF_ACTION.get(action)
        if wanted is not None and wanted != self.section:
            return False
        return True

    def action_section(self, name: str) -> None:
        self.section = name
        self.query_one(ContentSwitcher).current = f"sec-{name}"
        self.query_one("#tabs", Static).update(section_tabs(name))
        self.query_one("#hint", Static).update(_HINTS[name])
        self.table(name).focus()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#sec-basics")
    def basics_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_edit_basics()

    @on(DataTable.RowSelected, "#sec-roster")
    def attendee_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.edit_attendance(event.row_key.value)

    @on(DataTable.RowSelected, "#sec-materials")
    def material_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.edit_material(event.row_key.value)

    @on(DataTable.RowSelected, "#sec-agenda")
    def agenda_item_chosen(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and not key.startswith("SEC:"):
            self.edit_item(key)

    # ------------------------------------------------------------------
    # start / back
    # ------------------------------------------------------------------

    def action_start(self) -> None:
        def done(code) -> None:
            if code != "start":
                return
            app = self.app
            app.session = self.session
            app.pop_screen()
            app.start_live()

        q = self.session.quorum()
        self.app.push_screen(ChoiceDialog(
            f"会議を開始します（{q.text}）。議題の時間を計り始めます。",
            [("start", "開始する"), ("cancel", "まだ準備を続ける")]), done)

    def action_back(self) -> None:
        self.app.pop_screen()
