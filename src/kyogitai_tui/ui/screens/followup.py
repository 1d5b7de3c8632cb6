"""取組の追跡: every action item of every council, overdue first.

A free-text Input (Japanese IME on) plus F-keys for the other filters, a
DataTable showing one page (at most ``PAGE_SIZE`` rows; PageDown / PageUp
turn pages, so 10,000 items never build a 10,000-row table), a per-council
summary (F7) and Enter for the detail.  Rows, filters and the summary come
from domain/followup.py; this screen only shows them.
"""
from __future__ import annotations

from typing import Optional

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from kyogitai_tui.domain.meeting.report_view import carried_so_far_text
from kyogitai_tui.ui.widgets.plain import PlainStatic, PlainTable, focus_now, type_into_focused
from kyogitai_tui.domain.followup import rows as fu
from kyogitai_tui.domain.dates import wareki_with_weekday
from kyogitai_tui.domain.meeting.live_view import fit_cells
from kyogitai_tui.domain.followup.overview import short_council_name
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.footer import KeyFooter

PAGE_SIZE = 200
STATUS_CHOICES = [(c, fu.status_label(c)) for c in fu.STATUS_CODES] + [("SUPERSEDED", fu.SUPERSEDED_LABEL)]


def row_cells(r: fu.FollowupRow) -> tuple:
    mark = r.mark
    styled = Text(mark, style="bold red" if mark == "超過" else "bold yellow")
    # narrow cells so that every column shows at 120 columns; the highlighted
    # row is shown in full under the table
    return (r.id, styled, r.due_wareki or "なし", r.status_label, fit_cells(r.title, 24),
            fit_cells(r.owner, 12), carried_so_far_text(r.carry_over_count), fit_cells(short_council_name(r.council), 12),
            fit_cells(r.origin, 14))


def row_detail(r: fu.FollowupRow, public: bool = False) -> str:
    mark = f"【{r.mark}】" if r.mark else ""
    more = "F9 で通常の表示に戻すと Enter で詳しく" if public else "Enter で詳しく（経過・変更）"
    return (f"{r.id} {mark}{r.title}\n担当 {r.owner or 'なし'}　期限 {r.due_wareki or 'なし'}"
            f"　状態 {r.status_label}　{carried_so_far_text(r.carry_over_count)}\n"
            f"出どころ {r.council} {r.origin}　{more}")


BUILD_IN_THREAD_FROM = 2000   # action items; below this the rows build in a few ms


class FollowupScreen(Screen):
    # the footer shows what fits 80 columns; F3 担当, F4 協議体, F6 期限が近い, F7 集計,
    # F8 解除 and ctrl+f 検索 are in F1 help and named on the count line (PageUp/PageDown
    # too, when there is more than one page)
    BINDINGS = [
        Binding("f2", "status", "状態", id="followup.status", tooltip="状態で絞り込みます（複数可）"),
        Binding("f3", "owner", "担当", id="followup.owner", show=False, tooltip="担当者で絞り込みます"),
        Binding("f4", "council", "協議体", id="followup.council", show=False, tooltip="協議体で絞り込みます"),
        Binding("f5", "overdue", "超過のみ", id="followup.overdue",
                tooltip="期限を過ぎた未完了の取組だけにします（もう一度で戻す）"),
        Binding("f6", "due_within", "期限が近い", id="followup.due_within", show=False,
                tooltip="期限まで N 日以内（超過を含む）の未完了の取組だけにします"),
        Binding("f7", "summary", "集計", id="followup.summary", show=False,
                tooltip="協議体ごとの状態別件数・担当者別の超過・前回以降に終わった取組"),
        Binding("f8", "clear", "解除", id="followup.clear", show=False, tooltip="絞り込みをすべて解除します"),
        Binding("f9", "public", "公開用表示", id="followup.public",
                tooltip="対象者（住民）の名前・番号を出さない表示に切り替えます（投影・協議体の外で見せるとき。もう一度で戻す）"),
        Binding("ctrl+f", "search", "検索", id="followup.search", show=False, tooltip="ことばの絞り込み欄へ移ります"),
        Binding("escape", "back", "戻る", id="followup.back", tooltip="協議体の一覧に戻ります"),
        Binding("pagedown", "page(1)", "次の200件", id="followup.next_page", priority=True, show=False),
        Binding("pageup", "page(-1)", "前の200件", id="followup.prev_page", priority=True, show=False),
    ]
    DEFAULT_CSS = """
    FollowupScreen #fu-filter-row { height: 1; }
    FollowupScreen #fu-search { width: 40; }
    FollowupScreen #fu-filter { width: 1fr; padding: 0 1; color: $text-muted; }
    FollowupScreen #fu-count { height: auto; padding: 0 1; }
    FollowupScreen #fu-table { height: 1fr; }
    FollowupScreen #fu-detail { height: auto; max-height: 4; padding: 0 1; }
    FollowupScreen #fu-summary-box { height: auto; max-height: 45%; display: none; background: $panel; }
    FollowupScreen #fu-summary-box.shown { display: block; }
    FollowupScreen #fu-summary { height: auto; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.filter = fu.FollowupFilter()
        self.all_rows: list[fu.FollowupRow] = []
        self.rows: list[fu.FollowupRow] = []
        self.page = 0
        self.public = False      # F9: the rows as they may leave the council (no resident)
        self._world = None

    def compose(self) -> ComposeResult:
        yield PlainStatic("取組の追跡（すべての協議体）", id="fu-title", classes="title-bar")
        with Horizontal(id="fu-filter-row"):
            yield Input(placeholder="ことばで絞り込み（例: 買い物、AI-01）", id="fu-search", compact=True,
                        select_on_focus=False)
            yield PlainStatic("", id="fu-filter")
        yield PlainStatic("", id="fu-count")
        table = PlainTable(id="fu-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield PlainStatic("", id="fu-detail", classes="hint")
        with VerticalScroll(id="fu-summary-box"):
            yield PlainStatic("", id="fu-summary", markup=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#fu-table", DataTable)
        table.add_columns("番号", "状況", "期限", "状態", "取組", "担当", "継続", "協議体", "出どころ")
        self.reload()
        table.focus()

    # data ---------------------------------------------------------------

    def reload(self) -> None:
        """Rows from the app's World (again after a change), filter kept."""
        world = self.app.world
        self._world = world
        marker = "  【公開用表示：対象者は出しません】" if self.public else ""
        self.query_one("#fu-title", Static).update(
            f"取組の追跡（すべての協議体）{marker}  今日: {wareki_with_weekday(self.app.today)}")
        if world is not None and fu.item_count(world) > BUILD_IN_THREAD_FROM:
            # thousands of items: build the rows off the UI thread (~0.2 s at
            # 10,000), the list as it was stays on screen meanwhile
            self.query_one("#fu-count", Static).update("取組を読み込んでいます...")
            self.build_rows(world, self.app.today)
            return
        self.show_rows(world, fu.build_rows(world, self.app.today) if world is not None else [])

    class RowsBuilt(Message):
        """The rows of one World, built off the UI thread."""

        def __init__(self, world, rows: list) -> None:
            super().__init__()
            self.world = world
            self.rows = rows

    @work(thread=True, exclusive=True, group="followup-rows")
    def build_rows(self, world, today) -> None:
        rows = fu.build_rows(world, today)
        if not get_current_worker().is_cancelled:
            self.post_message(self.RowsBuilt(world, rows))

    @on(RowsBuilt)
    def rows_built(self, message: RowsBuilt) -> None:
        self.show_rows(message.world, message.rows)

    def show_rows(self, world, rows: list) -> None:
        if world is not self._world:
            return            # a newer World is on its way
        self.all_rows = rows
        self.refilter(keep_page=True)
        if self.query_one("#fu-summary-box").has_class("shown"):
            self.show_summary()

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if self.app.world is not self._world:
            self.reload()

    def source_rows(self) -> list:
        """All rows, or in 公開用表示 the rows with every resident replaced
        (before filtering, so that typed words cannot find a hidden name)."""
        if self.public and self._world is not None:
            return fu.public_rows(self._world, self.all_rows)
        return self.all_rows

    def refilter(self, keep_page: bool = False) -> None:
        self.rows = fu.apply_filter(self.source_rows(), self.filter, self.app.today)
        pages = max(1, -(-len(self.rows) // PAGE_SIZE))
        self.page = min(self.page, pages - 1) if keep_page else 0
        self.query_one("#fu-filter", Static).update(self.filter.describe(self._world))
        self.show_page()

    def show_page(self, keep_id: Optional[str] = None) -> None:
        table = self.query_one("#fu-table", DataTable)
        if keep_id is None and table.row_count and table.cursor_row is not None:
            try:
                keep_id = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            except Exception:
                keep_id = None
        start = self.page * PAGE_SIZE
        page = self.rows[start:start + PAGE_SIZE]
        table.clear()
        self.query_one("#fu-detail", Static).update("")
        for r in page:
            table.add_row(*row_cells(r), key=r.id)
        ids = [r.id for r in page]
        if keep_id in ids:
            table.move_cursor(row=ids.index(keep_id))
        total, n = len(self.all_rows), len(self.rows)
        if n:
            where = f"{start + 1:,}-{start + len(page):,} 件"
            more = "  PageDown で次の200件" if start + len(page) < n else ""
            text = f"全 {total:,} 件中 {n:,} 件が該当  {where}を表示{more}  F3担当 F4協議体 F6期限 F7集計 F8解除"
        elif total:
            text = f"全 {total:,} 件中、該当する取組はありません。F8 で絞り込みを解除できます。"
        else:
            text = "取組はまだありません。会議で決めた取組がここに並びます。"
        self.query_one("#fu-count", Static).update(text)

    def current_id(self) -> Optional[str]:
        table = self.query_one("#fu-table", DataTable)
        if not table.row_count or table.cursor_row is None:
            return None
        return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value

    # filters ------------------------------------------------------------

    def _set(self, **changes) -> None:
        from dataclasses import replace

        self.filter = replace(self.filter, **changes)
        self.refilter()

    @on(Input.Changed, "#fu-search")
    def words_typed(self, event: Input.Changed) -> None:
        self._set(text=event.value)

    @on(Input.Submitted, "#fu-search")
    def words_done(self, event: Input.Submitted) -> None:
        self.query_one("#fu-table", DataTable).focus()

    def action_search(self) -> None:
        focus_now(self.query_one("#fu-search", Input))

    def on_key(self, event) -> None:
        """Typing while the list has the cursor goes to the word filter (no
        need to know ctrl+f first)."""
        table = self.query_one("#fu-table", DataTable)
        if self.focused is table and event.is_printable and event.character and event.character != " ":
            focus_now(self.query_one("#fu-search", Input))
            type_into_focused(self, event)

    def action_status(self) -> None:
        from kyogitai_tui.ui.widgets.forms import ChoiceDialog

        def done(codes) -> None:
            if codes is not None:
                self._set(statuses=frozenset(codes))
        self.app.push_screen(ChoiceDialog("状態で絞り込む（何も選ばなければすべて）", STATUS_CHOICES,
                                          selected=sorted(self.filter.statuses), multiple=True), done)

    def action_owner(self) -> None:
        from kyogitai_tui.ui.widgets.forms import ChoiceDialog

        world = self.app.world
        owners = sorted({p for r in self.all_rows for p in r.owner_person_ids},
                        key=lambda p: (world.person_name(p), p))
        choices = [("", "すべての担当者")] + [(p, world.person_name(p) or p) for p in owners]

        def done(code) -> None:
            if code is not None:
                self._set(owner=code)
        self.app.push_screen(ChoiceDialog("担当者で絞り込む", choices, selected=self.filter.owner), done)

    def action_council(self) -> None:
        from kyogitai_tui.ui.widgets.forms import ChoiceDialog

        world = self.app.world
        councils = sorted(world.councils.values(), key=lambda c: (c.tier, c.id))
        choices = [("", "すべての協議体")] + [(c.id, c.name) for c in councils]

        def done(code) -> None:
            if code is not None:
                self._set(council_id=code)
        self.app.push_screen(ChoiceDialog("協議体で絞り込む", choices, selected=self.filter.council_id), done)

    def action_overdue(self) -> None:
        self._set(overdue=not self.filter.overdue)

    def action_due_within(self) -> None:
        from kyogitai_tui.ui.widgets.forms import Field, FormDialog

        def submit(values) -> Optional[str]:
            self._set(due_within=values["days"])
            return None
        self.app.push_screen(FormDialog(
            "期限が近い取組", [Field("days", "何日以内", kind="int", value=self.filter.due_within,
                                  placeholder=f"{fu.DUE_SOON_DAYS}")],
            submit, note="今日から何日以内に期限が来る取組を出すか（超過を含む）。空にすると解除します。"))

    def action_clear(self) -> None:
        self.query_one("#fu-search", Input).value = ""
        self.filter = fu.FollowupFilter()
        self.refilter()

    def action_page(self, delta: int) -> None:
        pages = max(1, -(-len(self.rows) // PAGE_SIZE))
        new = min(max(0, self.page + delta), pages - 1)
        if new != self.page:
            self.page = new
            self.show_page(keep_id="")
            self.query_one("#fu-table", DataTable).move_cursor(row=0)

    # summary, detail -------------------------------------------------------

    def show_summary(self) -> None:
        lines = []
        for s in fu.council_summaries(self.app.world, self.app.today):
            counts = "・".join(f"{k}{v}" for k, v in s.by_status.items())
            over = "、".join(f"{k} {v}件" for k, v in s.overdue_by_owner.items()) or "なし"
            closed = "、".join(s.closed_since_last) or "なし"   # ids only: no resident
            lines.append(escape(f"{s.council}（前回 {s.last_meeting}）\n"
                                f"  {counts}\n  超過の担当: {over}\n  前回以降に終わった取組: {closed}")
                         .replace(escape(s.council), f"[b]{escape(s.council)}[/b]", 1))
        self.query_one("#fu-summary", Static).update("\n".join(lines) or "取組はまだありません。")

    def action_summary(self) -> None:
        box = self.query_one("#fu-summary-box")
        box.toggle_class("shown")
        if box.has_class("shown"):
            self.show_summary()

    @on(DataTable.RowHighlighted, "#fu-table")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        row = next((r for r in self.rows if r.id == key), None)
        self.query_one("#fu-detail", Static).update(row_detail(row, self.public) if row else "")

    @on(DataTable.RowSelected, "#fu-table")
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        if self.public:
            self.app.notify("公開用表示では詳細（経過・出どころ）を開きません。F9 で通常の表示に戻してから開いてください。",
                            severity="warning")
            return
        if event.row_key is not None and event.row_key.value:
            self.open_detail(event.row_key.value)

    def action_public(self) -> None:
        self.public = not self.public
        title = "取組の追跡（すべての協議体）"
        if self.public:
            title += "  【公開用表示：対象者は出しません】"
        self.query_one("#fu-title", Static).update(f"{title}  今日: {wareki_with_weekday(self.app.today)}")
        self.refilter(keep_page=True)
        if self.query_one("#fu-summary-box").has_class("shown"):
            self.show_summary()

    def open_detail(self, action_id: str) -> None:
        from kyogitai_tui.ui.screens.followup_detail import FollowupDetailScreen

        self.app.push_screen(FollowupDetailScreen(action_id))

    def action_back(self) -> None:
        self.app.pop_screen()
