"""形骸化の見守り (home F8): networks silent for months, decisions past their
review date, findings without a decision for two meetings, each with where
to act -- the same rows as ``kyogitai watch`` (domain/guidebook/watch.py),
residents redacted.  F2 narrows to a council, F3 changes the months."""
from __future__ import annotations

from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from kyogitai_tui.domain.guidebook import watch as w
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.forms import ChoiceDialog
from kyogitai_tui.ui.widgets.plain import PlainStatic, PlainTable
from kyogitai_tui.ui.widgets.footer import KeyFooter

COLUMNS = ("区分", "番号", "対象", "状況")
_SHORT = {"SILENT": "会合なし", "REVIEW": "見直し日超過", "UNDECIDED": "決定なし"}
MONTH_CHOICES = [("3", "3か月"), ("6", "6か月（標準）"), ("9", "9か月"), ("12", "12か月")]


def short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "..."


class WatchScreen(Screen):
    BINDINGS = [
        Binding("f2", "council", "協議体", id="watch.council", tooltip="協議体で絞り込みます（もう一度選ぶと全体）"),
        Binding("f3", "months", "月数", id="watch.months", tooltip="会合がないとみなす月数を変えます"),
        Binding("escape", "back", "戻る", id="watch.back", tooltip="協議体の一覧に戻ります"),
    ]

    DEFAULT_CSS = """
    WatchScreen #watch { height: 1fr; }
    WatchScreen #watch-detail { height: auto; max-height: 6; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.council_id: Optional[str] = None
        self.months = w.DEFAULT_MONTHS
        self.rows: list[w.WatchRow] = []

    def compose(self) -> ComposeResult:
        yield PlainStatic("形骸化の見守り", id="watch-title", classes="title-bar")
        yield PlainStatic("", id="watch-filter", classes="hint")
        yield PlainTable(id="watch", cursor_type="row", zebra_stripes=True)
        yield PlainStatic("", id="watch-detail", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#watch", DataTable).add_columns(*COLUMNS)
        self.refresh_rows()
        self.query_one("#watch", DataTable).focus()

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        world = self.app.world
        rows = w.watch(world, today=self.app.today, council_id=self.council_id, months=self.months) \
            if world is not None else []
        self.rows = w.public_rows(world, rows) if world is not None else []
        table = self.query_one("#watch", DataTable)
        table.clear()
        for r in self.rows:
            table.add_row(_SHORT[r.kind], r.target_id, short(r.title, 22), short(r.detail, 26), key=r.target_id)
        scope = world.councils[self.council_id].name if world is not None and self.council_id else "すべての協議体"
        self.query_one("#watch-filter", Static).update(
            f"{scope}・会合なし{self.months}か月以上　{len(self.rows)}件。F2 協議体・F3 月数。")
        if self.rows:
            self._show(self.rows[0])
        else:
            self.query_one("#watch-detail", Static).update(
                "形骸化の兆しは見つかりませんでした。会合が開かれたら、登録データ（F7）で「最後の会合」を更新してください。")

    def _show(self, row: w.WatchRow) -> None:
        self.query_one("#watch-detail", Static).update(
            f"{row.kind_label}：{row.target_id} {row.title}\n{row.detail}\nどこで対応するか：{row.where}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = self.query_one("#watch", DataTable)
        if self.rows and table.cursor_row is not None:
            self._show(self.rows[min(table.cursor_row, len(self.rows) - 1)])

    def action_council(self) -> None:
        world = self.app.world
        if world is None:
            return
        choices = [("", "すべての協議体")] + [(c.id, c.name) for c in world.councils.values()
                                             if c.retired_on is None]

        def chosen(code: Optional[str]) -> None:
            if code is not None:
                self.council_id = code or None
                self.refresh_rows()

        self.app.push_screen(ChoiceDialog("協議体で絞り込む", choices, selected=self.council_id or ""), chosen)

    def action_months(self) -> None:
        def chosen(code: Optional[str]) -> None:
            if code:
                self.months = int(code)
                self.refresh_rows()

        self.app.push_screen(ChoiceDialog("会合がないとみなす月数", MONTH_CHOICES, selected=str(self.months)), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()
