"""Home: the councils of the data, each with its last and next meeting and
its open / overdue action items, and the keys of the tools (ui/tools/).

It sits beside screens/, not in it: it opens the tools, and the tools open
their screens, so screens/ never imports the tools (no circle).  A screen
that wants to come back here asks the app (``go_home``)."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from kyogitai_tui.ui.widgets.plain import PlainStatic, PlainTable
from kyogitai_tui.domain.dates import wareki_with_weekday
from kyogitai_tui.domain.followup.overview import council_overviews
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.tools import TOOLS, open_tool
from kyogitai_tui.ui.widgets.footer import KeyFooter


class HomeScreen(Screen):
    _rows: dict = {}

    BINDINGS = [
        Binding("f5", "reload", "再読込", id="home.reload", show=False,   # in F1 help: the footer fits 80 columns
                tooltip="データを読み込み直します"),
        Binding("enter", "open", "開く", id="home.open",
                tooltip="選んだ協議体の会議の一覧を開きます"),
        *[Binding(t.key, f"tool('{t.name}')", t.short, id=f"home.{t.name}", tooltip=t.help, show=t.footer)
          for t in TOOLS],
        Binding("ctrl+p", "menu", "メニュー", id="home.menu", show=False,   # in F1 help (80 columns)
                tooltip="機能と協議体を、ことばで探して開きます"),
    ]

    def compose(self) -> ComposeResult:
        yield PlainStatic("kyogitai  協議体の一覧", id="title", classes="title-bar")
        yield PlainStatic("", id="notice", classes="notice")
        yield PlainStatic("読み込み中です", id="status", classes="hint")
        table = PlainTable(id="councils", cursor_type="row", zebra_stripes=True)
        yield table
        yield PlainStatic("", id="detail", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#councils", DataTable)
        table.add_columns("協議体", "層", "前回", "次回", "未完了の取組")
        notice = self.app.read_only_notice
        widget = self.query_one("#notice", Static)
        widget.display = bool(notice)
        if notice:
            widget.update(notice)
        if self.app.world is not None:
            self.show_world(self.app.world, None)
        elif self.app.summary is not None:
            # the summary file's rows at once; the World replaces them when loaded
            summary = self.app.summary
            self._show(summary.municipality_name, summary.overviews(self.app.today))

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        """The World was read (at start, F5) or rebuilt (a meeting changed): redraw the rows."""
        self.show_world(message.world, message.error)

    def show_world(self, world, error: str | None) -> None:
        status = self.query_one("#status", Static)
        if error:
            status.set_class(True, "error")
            status.update(error)
            return
        if world is None:
            return
        self._show(world.municipality.name if world.municipality else "", council_overviews(world, self.app.today))
        self.offer_setup(world)

    _setup_offered = False

    def offer_setup(self, world) -> None:
        """An empty data folder: open はじめの設定 (once per start; F7 edits later)."""
        from kyogitai_tui.domain.registry.setup import setup_needed

        if self._setup_offered or self.app.read_only_notice or not setup_needed(world):
            return
        self._setup_offered = True
        from kyogitai_tui.ui.screens.setup import SetupScreen

        self.app.push_screen(SetupScreen())

    def _show(self, name: str, rows) -> None:
        """The councils' rows (from the World, or from the summary file at start-up)."""
        status = self.query_one("#status", Static)
        table = self.query_one("#councils", DataTable)
        today = self.app.today
        self.query_one("#title", Static).update(
            f"kyogitai  {name}  協議体の一覧    今日: {wareki_with_weekday(today)}"
        )
        self._rows = {r.council_id: r for r in rows}
        keep = None
        if table.row_count and table.cursor_row is not None:
            try:
                keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            except Exception:
                keep = None
        table.clear()
        for row in rows:
            table.add_row(
                row.name,
                self.tier_text(row),
                row.last_text,
                row.next_text,
                f"{row.open_actions}件（超過{row.overdue_actions}）",
                key=row.council_id,
            )
        ids = [r.council_id for r in rows]
        if keep in ids:  # the same council stays selected after a reload
            table.move_cursor(row=ids.index(keep))
        if rows:
            status.update(f"協議体 {len(rows)} 件。上下キーで選びます。")
        else:
            status.update("協議体がまだ登録されていません。デモを試すには kyogitai --demo で起動してください。")

    def tier_text(self, row) -> str:
        """「第1層」, or 「第1層・第2層」 for a council that is both (once the World is read)."""
        from kyogitai_tui.domain.model.registry import council_tier_label

        world = self.app.world
        council = world.councils.get(row.council_id) if world is not None else None
        return council_tier_label(council) if council is not None else f"第{row.tier}層"

    @on(DataTable.RowHighlighted, "#councils")
    def council_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self._rows.get(event.row_key.value) if event.row_key is not None else None
        if row:
            self.query_one("#detail", Static).update(
                f"{row.name}（{self.tier_text(row)}・{row.area_name}）\n"
                f"前回 {row.last_long}\n次回 {row.next_long}\n"
                f"未完了の取組 {row.open_actions}件（うち期限超過 {row.overdue_actions}件）"
            )

    def on_screen_resume(self) -> None:
        # a meeting created or held meanwhile changes 前回/次回: redraw, cursor kept
        if self.app.world is not None and self._rows:
            table = self.query_one("#councils", DataTable)
            row = table.cursor_row
            self.show_world(self.app.world, None)
            if row is not None and table.row_count:
                table.move_cursor(row=min(row, table.row_count - 1))

    @on(DataTable.RowSelected, "#councils")
    def council_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key is not None and event.row_key.value in self._rows:
            self.open_council(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one("#councils", DataTable)
        if table.row_count and table.cursor_row is not None:
            key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            if key in self._rows:
                self.open_council(key)

    def open_council(self, council_id: str) -> None:
        from kyogitai_tui.ui.screens.council import CouncilScreen

        self.app.push_screen(CouncilScreen(council_id))

    def action_tool(self, name: str) -> None:
        open_tool(self.app, name)

    def action_menu(self) -> None:
        from kyogitai_tui.domain.meeting.jump import JumpTarget
        from kyogitai_tui.ui.jump import JumpDialog

        targets = [JumpTarget("機能", t.title, f"tool:{t.name}") for t in TOOLS]
        targets += [JumpTarget("協議体", f"協議体 {r.name}", f"council:{cid}")
                    for cid, r in self._rows.items()]

        def chosen(target) -> None:
            if target is None:
                return
            kind, _, ident = target.item_id.partition(":")
            if kind == "tool":
                open_tool(self.app, ident)
            else:
                self.open_council(ident)

        self.app.push_screen(JumpDialog(targets, hint="開く機能か協議体を入力。上下で選び Enter、Esc でやめる。",
                                        placeholder="例: 取組、検索、北みほん"), chosen)

    def action_reload(self) -> None:
        self.app.load_world()
