"""登録データ: the municipality's own records, kind by kind.

``RegistryScreen`` lists the kinds (domain/registry_specs.KINDS); Enter opens
``RegisterListScreen(kind)``: a search line and the records as a table
(columns and rows from registry_specs), retired records only when ctrl+r
asks for them.  F2 adds, Enter edits (ui/screens/registry_form.py), F8
retires or reactivates, F4 the members (registry_members.py), F6 consent,
F7 CSV (registry_csv.py).  Everything a test must check (search, which rows,
validation) lives in domain/registry_*; this module only shows and calls.
"""
from __future__ import annotations

from typing import Optional

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Static

from kyogitai_tui.ui.widgets.plain import PlainOption, PlainStatic, PlainTable, focus_now, show_text
from kyogitai_tui.domain.registry import edit as registry_edit
from kyogitai_tui.domain.registry import specs as registry_specs
from kyogitai_tui.ui.widgets.forms import ChoiceDialog
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.footer import KeyFooter

MEMBER_KINDS = ("councils", "provider_networks", "individual_networks")
CONSENT_KINDS = ("subjects", "individual_networks")
CSV_KINDS = ("organizations", "persons", "provider_networks", "municipality", "areas", "councils")
NAME_COL = 1   # the cells are ID, name, ...


def kind_title(kind: str) -> str:
    return registry_specs.KINDS.get(kind, kind)


class RegistryScreen(Screen):
    """The kinds of records; Enter opens one."""

    BINDINGS = [
        Binding("enter", "open", "開く", id="registry.open", tooltip="選んだ種類の一覧を開きます"),
        Binding("escape", "back", "戻る", id="registry.back", tooltip="協議体の一覧に戻ります"),
    ]
    DEFAULT_CSS = """
    RegistryScreen #kinds { height: 1fr; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        yield PlainStatic("登録データ  種類を選んでください", classes="title-bar")
        yield PlainStatic("上下キーで選び Enter で開きます。Esc で戻ります。", classes="hint")
        yield OptionList(*[PlainOption(title, id=kind) for kind, title in registry_specs.KINDS.items()], id="kinds")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#kinds", OptionList).focus()
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Each kind with how many records are in use."""
        world = self.app.world
        if world is None:
            return
        ol = self.query_one("#kinds", OptionList)
        for kind, title in registry_specs.KINDS.items():
            n = len(registry_specs.records(world, kind, include_retired=False))
            ol.replace_option_prompt(kind, Text(f"{title}  {n}件"))

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        self.refresh_counts()

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.push_screen(RegisterListScreen(event.option.id))

    def action_open(self) -> None:
        ol = self.query_one("#kinds", OptionList)
        if ol.highlighted is not None:
            self.app.push_screen(RegisterListScreen(ol.get_option_at_index(ol.highlighted).id))

    def action_back(self) -> None:
        self.app.pop_screen()


class RegisterListScreen(Screen):
    """One kind's records: search, add, edit, retire, members, consent, CSV."""

    BINDINGS = [
        Binding("f2", "add", "追加", id="register.add", tooltip="新しく登録します"),
        Binding("enter", "edit", "編集", id="register.edit", tooltip="選んだ行を修正します"),
        Binding("f8", "retire", "休止・再開", id="register.retire",
                tooltip="選んだ行を休止します（記録からは消えません）。休止中なら再開します"),
        Binding("f4", "members", "メンバー", id="register.members",
                tooltip="構成員・メンバーの追加・削除・代表の設定"),
        Binding("f3", "need", "必要な支援", id="register.need",
                tooltip="個別ネットワークに、必要な支援（充足・未充足・新規発生）を追加します"),
        Binding("f6", "consent", "同意", id="register.consent",
                tooltip="対象者の同意（未取得・取得済・撤回）を記録します"),
        Binding("f7", "csv", "CSV入出力", id="register.csv",
                tooltip="CSV ファイルから取り込む・CSV に書き出す・ひな形を作る"),
        Binding("ctrl+r", "toggle_retired", "休止中も表示", id="register.retired",
                tooltip="休止中（廃止）の登録も一覧に出す・出さないを切り替えます"),
        Binding("ctrl+f", "search", "検索", id="register.search", show=False,
                tooltip="検索欄に移ります"),
        Binding("escape", "back", "戻る", id="register.back", tooltip="種類の一覧に戻ります"),
    ]
    DEFAULT_CSS = """
    RegisterListScreen #search { width: 1fr; margin: 0 1; }
    RegisterListScreen #rows { height: 1fr; }
    """

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.include_retired = False
        self._retired: dict[str, bool] = {}
        self._shown_rows: Optional[tuple] = None     # what the table shows (id, cells, retired)
        self._select_after: Optional[str] = None

    def compose(self) -> ComposeResult:
        yield PlainStatic(f"登録データ: {kind_title(self.kind)}", id="title", classes="title-bar")
        yield Input(placeholder="検索（名前などの一部）", id="search", compact=True)
        yield PlainTable(id="rows", cursor_type="row", zebra_stripes=True)
        yield PlainStatic("", id="status", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#rows", DataTable)
        table.add_columns(*registry_specs.columns(self.kind))
        self.refresh_view()
        table.focus()

    # -- which keys this kind has ----------------------------------------

    def check_action(self, action: str, parameters: tuple) -> Optional[bool]:
        if action == "members":
            return self.kind in MEMBER_KINDS
        if action == "consent":
            return self.kind in CONSENT_KINDS
        if action == "csv":
            return self.kind in CSV_KINDS
        if action == "need":
            return self.kind == "individual_networks"
        return True

    # -- the rows ----------------------------------------------------------

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        """The World was rebuilt after a change, or read again from disk."""
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def current_id(self) -> Optional[str]:
        table = self.query_one("#rows", DataTable)
        if not table.row_count or table.cursor_row is None:
            return None
        try:
            return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        except Exception:
            return None

    def refresh_view(self, select: Optional[str] = None) -> None:
        world = self.app.world
        if world is None:
            return
        query = self.query_one("#search", Input).value
        rows = registry_specs.rows(world, self.kind, query, include_retired=self.include_retired)
        table = self.query_one("#rows", DataTable)
        keep = select or self._select_after or self.current_id()
        shown_rows = tuple((r.id, tuple(r.cells), r.retired) for r in rows)
        # a dialog closed without a change: the table stays as it is (cursor included)
        if shown_rows != self._shown_rows or keep != self.current_id():
            self._shown_rows = shown_rows
            self._fill(table, rows, keep)
        shown = "休止中を含む" if self.include_retired else "休止中は非表示（ctrl+r で表示）"
        found = f"{len(rows)}件" + (f"（「{query}」で絞り込み）" if query.strip() else "")
        if rows:
            status = f"{found}・{shown}。Enter 編集、F2 追加、F8 休止・再開。"
        elif query.strip():
            status = f"「{query}」に当てはまる登録はありません。{shown}。"
        else:
            status = f"まだ登録がありません。F2 で追加します。{shown}。"
        show_text(self.query_one("#status", Static), status)

    def _fill(self, table: DataTable, rows: list, keep: Optional[str]) -> None:
        table.clear()
        self._retired = {}
        for row in rows:
            cells = list(row.cells)
            if row.retired:
                cells[NAME_COL] = f"[休止] {cells[NAME_COL]}"
            table.add_row(*cells, key=row.id)
            self._retired[row.id] = row.retired
        ids = [r.id for r in rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
            if keep == self._select_after:
                self._select_after = None

    @on(Input.Changed, "#search")
    def words_typed(self, event: Input.Changed) -> None:
        self.refresh_view()

    @on(Input.Submitted, "#search")
    def words_done(self, event: Input.Submitted) -> None:
        self.query_one("#rows", DataTable).focus()

    @on(DataTable.RowSelected, "#rows")
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key is not None and event.row_key.value:
            self.edit(event.row_key.value)

    # -- actions -------------------------------------------------------------

    def action_search(self) -> None:
        focus_now(self.query_one("#search", Input))

    def action_toggle_retired(self) -> None:
        self.include_retired = not self.include_retired
        self.refresh_view()

    def action_add(self) -> None:
        from kyogitai_tui.ui.screens.registry_form import open_form

        open_form(self.app, self.kind, None, on_saved=self._saved)

    def action_edit(self) -> None:
        ident = self.current_id()
        if ident:
            self.edit(ident)

    def edit(self, ident: str) -> None:
        from kyogitai_tui.ui.screens.registry_form import open_form

        open_form(self.app, self.kind, ident, on_saved=self._saved)

    def _saved(self, ident: Optional[str]) -> None:
        """The record just saved is selected once the World is rebuilt."""
        self._select_after = ident

    def _need_row(self) -> Optional[str]:
        ident = self.current_id()
        if ident is None:
            self.app.notify("行を選んでから押してください。", severity="warning")
        return ident

    def action_retire(self) -> None:
        ident = self._need_row()
        if ident is None:
            return
        app = self.app
        name = self._row_name(ident)
        if self._retired.get(ident):
            self._run(lambda: registry_edit.reactivate(app.world, self.kind, ident, app.today),
                      f"「{name}」を再開しました。")
            return

        def chosen(code) -> None:
            if code == "retire":
                self._run(lambda: registry_edit.retire(app.world, self.kind, ident, app.today),
                          f"「{name}」を休止しました。過去の会議録には残ります。ctrl+r で表示、F8 で再開できます。")
        app.push_screen(ChoiceDialog(
            f"「{name}」を休止しますか（選択肢や新しい会議には出なくなります。過去の記録には残ります）",
            [("retire", "休止する"), ("cancel", "やめる")]), chosen)

    def _row_name(self, ident: str) -> str:
        table = self.query_one("#rows", DataTable)
        try:
            name = str(table.get_row(ident)[NAME_COL])
        except Exception:
            return ident
        return name.removeprefix("[休止] ")

    def _run(self, op, done_message: str) -> None:
        from kyogitai_tui.ui.screens.registry_form import apply, busy

        if busy(self.app):
            self.app.notify(busy(self.app), severity="warning")
            return
        try:
            changes = op()
        except registry_edit.RegistryError as exc:
            self.app.notify(exc.message, severity="error", timeout=8)
            return
        apply(self.app, changes)
        self.app.notify(done_message)

    def action_members(self) -> None:
        if self.kind not in MEMBER_KINDS:
            return
        ident = self._need_row()
        if ident is None:
            return
        from kyogitai_tui.ui.screens.registry_members import MembersScreen

        self.app.push_screen(MembersScreen(self.kind, ident, self._row_name(ident)))

    def action_consent(self) -> None:
        if self.kind not in CONSENT_KINDS:
            return
        ident = self._need_row()
        if ident is None:
            return
        from kyogitai_tui.ui.screens.registry_form import open_consent

        open_consent(self.app, self.kind, ident)

    def action_need(self) -> None:
        if self.kind != "individual_networks":
            return
        ident = self._need_row()
        if ident is None:
            return
        from kyogitai_tui.ui.screens.registry_form import open_need

        open_need(self.app, ident)

    def action_csv(self) -> None:
        if self.kind not in CSV_KINDS:
            return
        from kyogitai_tui.ui.screens.registry_csv import CsvScreen

        self.app.push_screen(CsvScreen(self.kind))

    def action_back(self) -> None:
        self.app.pop_screen()
