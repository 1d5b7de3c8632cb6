"""Search every meeting's records (domain/search.py) as the coordinator types.

The query runs ~150 ms after the last key (or at once on Enter) in a thread
worker, so typing never waits for it.  The table lists the hits newest
meeting first; the panel under it shows the highlighted hit in full with
its origin.  Enter (or F2) on a hit opens its meeting: a held meeting shows
its record (PastMeetingScreen), a planned one its preparation, one in
progress the live screen -- the same as opening it from the council.
"""
from __future__ import annotations

from typing import Optional

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from kyogitai_tui.ui.widgets.plain import PlainStatic, PlainTable, focus_now
from kyogitai_tui.domain.reports.search import Hit, Hits, SearchIndex, plain
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.footer import KeyFooter

LIMIT = 200
DEBOUNCE = 0.15
COLUMNS = ("種類", "協議体", "日付(和暦)", "回", "議題", "抜粋")


def column_cells(screen_width: int) -> tuple[int, int, int]:
    """(協議体, 議題, 抜粋) widths in cells: the 抜粋 gets what is left, so a
    row fits an 80- or 120-column terminal without scrolling sideways."""
    council, agenda = (14, 16) if screen_width >= 110 else (8, 10)
    fixed = 4 + council + 15 + 5 + agenda + 2 * 6 + 2      # kind, date, 回, cell padding, scrollbar
    return council, agenda, max(16, screen_width - fixed)


def clip(text: str, cells: int) -> str:
    """``text`` cut to ``cells`` terminal cells, ".." marking a cut."""
    text = plain(text)
    if cell_len(text) <= cells:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > cells - 2:
            break
        out += ch
    return out + ".."


class SearchScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "戻る", id="search.back", tooltip="ホームに戻ります"),
        Binding("f2", "open_hit", "会議を開く", id="search.open",
                tooltip="選んだ記録の会議を開きます（Enter でも開きます）"),
        Binding("f3", "focus_query", "入力へ", id="search.query",
                tooltip="探すことばの入力欄に戻ります"),
        Binding("down", "to_results", "結果へ", id="search.results", show=False,
                tooltip="入力欄から結果の一覧に移ります"),
    ]

    DEFAULT_CSS = """
    SearchScreen #search-query { margin: 0 1; }
    SearchScreen #search-results { height: 1fr; }
    SearchScreen #search-detail { height: auto; max-height: 9; padding: 0 1;
        background: $panel; }
    """

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.query_text = ""          # the query the table shows
        self.hits: Hits = Hits()
        self._timer = None
        self._asked = 0               # generation of the latest query asked

    def compose(self) -> ComposeResult:
        yield PlainStatic("会議の記録を検索（発言・要旨・課題・決定・取組）", id="search-title", classes="title-bar")
        yield PlainStatic("ことばを入力すると、すべての協議体・年度の会議から探します。全角・半角、"
                     "カタカナ・ひらがなは区別しません。空白で区切ると、すべてを含む記録だけ。",
                     id="search-hint", classes="hint")
        yield Input(value=self.initial, placeholder="例: 買い物、NPO 見守り", id="search-query", compact=True)
        yield PlainStatic("", id="search-count", classes="hint")
        table = PlainTable(id="search-results", cursor_type="row", zebra_stripes=True)
        yield table
        yield PlainStatic("", id="search-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#search-results", DataTable).add_columns(*COLUMNS)
        self.query_one("#search-query", Input).focus()
        self._show_count()
        self._show_detail(None)
        if self.initial:
            self.run_query(self.initial)

    # ------------------------------------------------------------------
    # querying
    # ------------------------------------------------------------------

    @on(Input.Changed, "#search-query")
    def query_typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        self._timer = self.set_timer(DEBOUNCE, lambda: self.run_query(value))

    @on(Input.Submitted, "#search-query")
    def query_done(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if event.value != self.query_text:
            self.run_query(event.value, then_focus=True)
        else:
            self.action_to_results()

    def run_query(self, query: str, then_focus: bool = False) -> None:
        """Search in a thread; only the latest query's result is shown."""
        world = self.app.world
        self._asked += 1
        asked = self._asked
        if world is None:
            self.query_one("#search-count", Static).update("データを読み込み中です。少し待ってから探してください。")
            return

        self.find_hits(world, query, asked, then_focus)

    class HitsFound(Message):
        """The hits of one query, found off the UI thread."""

        def __init__(self, asked: int, query: str, hits: Hits, then_focus: bool) -> None:
            super().__init__()
            self.asked = asked
            self.query = query
            self.hits = hits
            self.then_focus = then_focus

    @work(thread=True, exclusive=True, group="search")
    def find_hits(self, world, query: str, asked: int, then_focus: bool) -> None:
        hits = SearchIndex.for_world(world).search(query, limit=LIMIT)
        if not get_current_worker().is_cancelled:
            self.post_message(self.HitsFound(asked, query, hits, then_focus))

    @on(HitsFound)
    def hits_found(self, message: HitsFound) -> None:
        if message.asked != self._asked:
            return                      # a newer query is on its way
        self._show_hits(message.query, message.hits, message.then_focus)

    def _show_hits(self, query: str, hits: Hits, then_focus: bool) -> None:
        self.query_text = query
        self.hits = hits
        table = self.query_one("#search-results", DataTable)
        table.clear()
        council, agenda, snippet = column_cells(self.size.width or 120)
        for i, h in enumerate(hits):
            e = h.entry
            table.add_row(e.kind, clip(e.council_short, council), e.date_wareki, e.seq_label,
                          clip(e.agenda_item, agenda) if e.agenda_item else "-",
                          clip(h.snippet, snippet), key=str(i))
        self._show_count()
        self._show_detail(hits[0] if hits else None)
        if then_focus and hits:
            table.focus()

    def _show_count(self) -> None:
        hits, query = self.hits, self.query_text.strip()
        if not query:
            text = "探すことばを入力してください。"
        elif not hits.total:
            text = f"「{plain(query)}」を含む記録は見つかりません。ことばを短くするか、別のことばで探してください。"
        elif hits.total > len(hits):
            text = (f"「{plain(query)}」 {hits.total} 件（新しい会議から {len(hits)} 件を表示。"
                    "ことばを足すと絞り込めます）。Enter で会議を開きます。")
        else:
            text = f"「{plain(query)}」 {hits.total} 件。上下で選び、Enter で会議を開きます。"
        self.query_one("#search-count", Static).update(text)

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        """A new World (data changed or read again): what is typed, over the new data."""
        if message.world is not None:
            self.run_query(self.query_one("#search-query", Input).value)

    # ------------------------------------------------------------------
    # the highlighted hit
    # ------------------------------------------------------------------

    def current_hit(self) -> Optional[Hit]:
        table = self.query_one("#search-results", DataTable)
        if not self.hits or table.cursor_row is None or not (0 <= table.cursor_row < len(self.hits)):
            return None
        return self.hits[table.cursor_row]

    @on(DataTable.RowHighlighted, "#search-results")
    def hit_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(self.current_hit())

    def _show_detail(self, hit: Optional[Hit]) -> None:
        panel = self.query_one("#search-detail", Static)
        panel.display = hit is not None
        if hit is None:
            return
        e = hit.entry
        head = Text(f"{e.kind}  {plain(e.council)}  {e.meeting_label}（{e.date_wareki}）", style="bold")
        lines = [head]
        where = f"議題: {plain(e.agenda_item)}" if e.agenda_item else "議題: なし"
        lines.append(Text(f"{where}  [{e.entity_id}]"))
        if e.context:
            about = "取組" if e.kind == "取組" else "課題"
            lines.append(Text(f"{about}「{plain(e.context)}」について"))
        lines.append(Text(plain(e.text)))
        lines.append(Text("Enter または F2 でこの会議を開きます。F3 で入力欄へ、Esc で戻ります。", style="dim"))
        panel.update(Text("\n").join(lines))

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    @on(DataTable.RowSelected, "#search-results")
    def hit_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_open_hit()

    def action_open_hit(self) -> None:
        hit = self.current_hit()
        if hit is None:
            self.notify("開く記録を選んでください（上下キーで選べます）。", severity="warning")
            return
        world = self.app.world
        if not hit.entry.meeting_id and world is not None and world.action_state(hit.entry.entity_id):
            from kyogitai_tui.ui.screens.followup_detail import FollowupDetailScreen

            self.app.push_screen(FollowupDetailScreen(hit.entry.entity_id))   # a 会議外 note
            return
        if world is None or hit.entry.meeting_id not in world.meetings:
            self.notify("この会議はもうありません。F5 などで読み込み直してから探してください。", severity="error")
            return
        self.app.open_meeting(hit.entry.meeting_id)

    def action_focus_query(self) -> None:
        focus_now(self.query_one("#search-query", Input))

    def action_to_results(self) -> None:
        table = self.query_one("#search-results", DataTable)
        if table.row_count:
            table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
