"""地域課題台帳: every finding of every council with its state, filterable by
council, area, kind and state (F2-F5, F6 clears); Enter shows the life of a
finding.  Rows, filters and the 「要検討」 mark come from domain/ledger.py."""
from __future__ import annotations

from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from kyogitai_tui.ui.widgets.plain import PlainStatic, PlainTable
from kyogitai_tui.domain.reports.ledger import (
    LedgerFilter, LedgerRow, filter_choices, filter_rows, finding_life, ledger_rows,
)
from kyogitai_tui.ui.widgets.forms import ChoiceDialog
from kyogitai_tui.ui.widgets.rows import indented
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.footer import KeyFooter

# 状態 comes second so that it stays in view on an 80-column screen
COLUMNS = ("課題", "状態", "協議体", "圏域", "種類", "決定", "取組", "最終確認")
_TITLES = {"council": "協議体で絞り込む", "area": "圏域で絞り込む", "kind": "種類で絞り込む",
           "state": "状態で絞り込む"}
_FIELDS = {"council": "council_id", "area": "area_id", "kind": "kind", "state": "state"}


def short(text: str, n: int = 18) -> str:
    return text if len(text) <= n else text[: n - 1] + "..."


class LedgerScreen(Screen):
    BINDINGS = [
        Binding("f2", "filter('council')", "協議体", id="ledger.council", tooltip="協議体で絞り込みます"),
        Binding("f3", "filter('area')", "圏域", id="ledger.area", tooltip="日常生活圏域で絞り込みます"),
        Binding("f4", "filter('kind')", "種類", id="ledger.kind", tooltip="課題の種類で絞り込みます"),
        Binding("f5", "filter('state')", "状態", id="ledger.state",
                tooltip="状態（未解決・要検討・解消など）で絞り込みます"),
        Binding("f6", "clear", "絞り込み解除", id="ledger.clear", tooltip="絞り込みをすべて外します"),
        Binding("enter", "detail", "経過を見る", id="ledger.detail",
                tooltip="選んだ課題の経過（提起・決定・取組・確認）を表示します"),
        Binding("escape", "back", "戻る", id="ledger.back", tooltip="協議体の一覧に戻ります"),
    ]

    DEFAULT_CSS = """
    LedgerScreen #ledger { height: 1fr; }
    LedgerScreen #ledger-detail { height: auto; max-height: 6; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.flt = LedgerFilter()
        self.rows: list[LedgerRow] = []
        self.shown: list[LedgerRow] = []

    def compose(self) -> ComposeResult:
        yield PlainStatic("地域課題台帳", id="ledger-title", classes="title-bar")
        yield PlainStatic("", id="ledger-filter", classes="hint")
        yield PlainTable(id="ledger", cursor_type="row", zebra_stripes=True)
        yield PlainStatic("", id="ledger-detail", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#ledger", DataTable).add_columns(*COLUMNS)
        self.refresh_rows()
        self.query_one("#ledger", DataTable).focus()

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        world = self.app.world
        self.rows = ledger_rows(world, self.app.catalog) if world is not None else []
        self.shown = filter_rows(self.rows, self.flt)
        table = self.query_one("#ledger", DataTable)
        table.clear()
        for r in self.shown:
            table.add_row(short(r.description, 12), r.state_text, short(r.council_name, 6),
                          r.area_name or "-", r.kind_label, r.decisions_text, r.actions_text,
                          r.reviewed_short, key=r.id)
        stale = sum(1 for r in self.shown if r.stale)
        text = self.flt.describe(world, self.app.catalog) if world is not None else ""
        self.query_one("#ledger-filter", Static).update(
            f"{text}　{len(self.shown)}件（全{len(self.rows)}件、要検討{stale}件）。"
            "F2 協議体・F3 圏域・F4 種類・F5 状態で絞り込み、F6 解除。Enter で経過。")
        if not self.shown:
            self.query_one("#ledger-detail", Static).update(
                "該当する課題はありません。F6 で絞り込みを外せます。" if self.rows
                else "課題はまだ記録されていません。会議の「不足のチェック」で課題を記録すると、ここに載ります。")
        else:
            self._show_summary(self.shown[0])

    def _current(self) -> Optional[LedgerRow]:
        table = self.query_one("#ledger", DataTable)
        if not self.shown or table.cursor_row is None:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    def _show_summary(self, row: LedgerRow) -> None:
        text = (f"{row.id}  {row.description}\n{row.state_text}・{row.kind_label}　"
                f"提起 {row.raised_text}（{row.council_name}）　対応方針 {row.approach_label}　"
                f"決定 {row.decisions_text}　取組 {row.actions_text}")
        if row.stale:
            text += f"\n要検討: 提起から{row.meetings_since}回の会議で決定がありません。"
        self.query_one("#ledger-detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self._current()
        if row is not None:
            self._show_summary(row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        row = self._current()
        if row is not None:
            self.app.push_screen(FindingLifeScreen(row.id))

    def action_filter(self, which: str) -> None:
        world = self.app.world
        if world is None:
            return
        field = _FIELDS[which]

        def chosen(code: Optional[str]) -> None:
            if code is None:
                return
            values = {k: getattr(self.flt, k) for k in _FIELDS.values()}
            values[field] = code or None
            self.flt = LedgerFilter(**values)
            self.refresh_rows()

        self.app.push_screen(ChoiceDialog(_TITLES[which], filter_choices(world, self.app.catalog, which),
                                          selected=getattr(self.flt, field) or ""), chosen)

    def action_clear(self) -> None:
        self.flt = LedgerFilter()
        self.refresh_rows()

    def action_back(self) -> None:
        self.app.pop_screen()


class FindingLifeScreen(Screen):
    """One finding: raised, decisions, actions with their state, updates."""

    BINDINGS = [
        Binding("escape", "back", "戻る", id="life.back", tooltip="地域課題台帳に戻ります"),
    ]

    DEFAULT_CSS = """
    FindingLifeScreen #life-body { height: 1fr; padding: 0 2; }
    """

    def __init__(self, finding_id: str) -> None:
        super().__init__()
        self.finding_id = finding_id

    def compose(self) -> ComposeResult:
        yield PlainStatic("課題の経過", id="life-title", classes="title-bar")
        with VerticalScroll(id="life-body"):
            yield PlainStatic("", id="life-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_life()
        self.query_one("#life-body").focus()

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        self.refresh_life()

    def refresh_life(self) -> None:
        world = self.app.world
        rows = [r for r in ledger_rows(world, self.app.catalog) if r.id == self.finding_id] if world else []
        if not rows:
            self.query_one("#life-text", Static).update(f"課題「{self.finding_id}」が見つかりません。")
            return
        self.query_one("#life-title", Static).update(f"課題の経過  {rows[0].council_name}")
        self.query_one("#life-text", Static).update(
            indented("\n".join(finding_life(rows[0], world, self.app.catalog)), bold_first=True))

    def action_back(self) -> None:
        self.app.pop_screen()
