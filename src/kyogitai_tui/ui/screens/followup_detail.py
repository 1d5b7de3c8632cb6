"""One action item: where it came from (in full), where it stands, its
history (meetings and 会議外), and the changes made between meetings: status,
owner, due date (each with a note), supersede, skip the next meeting, a note.
Each change is a new history row (domain/followup_ops.py) saved through
``app.apply_changes``; the screen redraws when the World is rebuilt."""
from __future__ import annotations

from typing import Callable, Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from kyogitai_tui.ui.widgets.plain import PlainStatic, PlainTable
from kyogitai_tui.domain.followup import rows as fu
from kyogitai_tui.domain.followup import ops as ops
from kyogitai_tui.domain.dates import wareki
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.ui.widgets.forms import Field, FormDialog
from kyogitai_tui.ui.messages import WorldChanged
from kyogitai_tui.ui.widgets.footer import KeyFooter

OPEN_STATUS_CHOICES = [(c, fu.status_label(c)) for c in fu.STATUS_CODES]


class FollowupDetailScreen(Screen):
    BINDINGS = [
        Binding("f2", "status", "状態", id="followup_detail.status", tooltip="状態をメモ付きで変えます"),
        Binding("f3", "owner", "担当", id="followup_detail.owner", tooltip="担当者を変えます"),
        Binding("f4", "due", "期限", id="followup_detail.due", tooltip="期限を変えます"),
        Binding("f5", "supersede", "引継ぎ", id="followup_detail.supersede",
                tooltip="同じ協議体の別の取組に引き継ぎ、この取組を終えます"),
        Binding("f6", "skip", "次回見送り", id="followup_detail.skip",
                tooltip="次の会議の取組状況から一度だけ外します（その次の会議で戻ります）"),
        Binding("f7", "note", "経過メモ", id="followup_detail.note", tooltip="状態を変えずに経過を記録します"),
        Binding("escape", "back", "戻る", id="followup_detail.back", tooltip="取組の一覧に戻ります"),
    ]
    DEFAULT_CSS = """
    FollowupDetailScreen #fd-body { height: 1fr; padding: 0 1; }
    FollowupDetailScreen #fd-head { height: auto; }
    FollowupDetailScreen #fd-origin { height: auto; margin-top: 1; }
    FollowupDetailScreen #fd-history-title { height: 1; margin-top: 1; text-style: bold; }
    FollowupDetailScreen #fd-history { height: auto; max-height: 16; }
    """

    def __init__(self, action_id: str) -> None:
        super().__init__()
        self.action_id = action_id

    def compose(self) -> ComposeResult:
        yield PlainStatic(f"取組 {self.action_id}", id="fd-title", classes="title-bar")
        with VerticalScroll(id="fd-body"):
            yield PlainStatic("", id="fd-head", markup=True)      # typed text escaped
            yield PlainStatic("", id="fd-origin", markup=True)
            yield PlainStatic("経過", id="fd-history-title")
            yield PlainTable(id="fd-history", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#fd-history", DataTable)
        table.add_columns("日付", "会議", "内容", "状態", "メモ", "変更")
        self.refresh_view()
        table.focus()

    def state(self):
        return self.app.world.action_state(self.action_id) if self.app.world is not None else None

    def refresh_view(self) -> None:
        world, today = self.app.world, self.app.today
        s = self.state()
        if s is None:
            self.query_one("#fd-head", Static).update(f"取組「{self.action_id}」が見つかりません。")
            return
        self.query_one("#fd-title", Static).update(f"取組 {s.id}  {s.item.title}")
        status = fu.SUPERSEDED_LABEL if s.is_superseded else fu.status_label(s.status)
        days = s.days_until_due(today)
        mark = ""
        if s.is_overdue(today):
            mark = f"  [b red]超過[/]（{-days}日過ぎ）"
        elif s.is_open and days is not None and 0 <= days <= fu.DUE_SOON_DAYS:
            mark = f"  [b yellow]間近[/]（あと{days}日）"
        owner = escape(fu.owner_display(world, s.owner_person_ids or [], s.owner_text or "") or "なし")
        lines = [f"[b]{escape(s.item.title)}[/b]",
                 f"状態: {status}    持ち越し: {s.carry_over_count}回",
                 f"担当: {owner}",
                 f"期限: {wareki(s.due_date) if s.due_date else 'なし'}{mark}"]
        if s.superseded_by:
            lines.append(f"引継ぎ先: {s.superseded_by}" + ("" if s.is_superseded else "（引継ぎ予定）"))
        nxt = [world.meetings[m] for m in s.skip_meeting_ids if m in world.meetings]
        if nxt and s.is_open:
            lines.append("見送り: " + "、".join(f"第{r.meeting.seq_no}回の取組状況には出しません" for r in nxt))
        self.query_one("#fd-head", Static).update("\n".join(lines))
        origin = ["[b]出どころ[/b]"] + [f"  {k}: {escape(v)}" for k, v in fu.origin_lines(world, s)]
        self.query_one("#fd-origin", Static).update("\n".join(origin))
        table = self.query_one("#fd-history", DataTable)
        table.clear()
        for h in fu.history_rows(world, s):
            table.add_row(h.date_text, h.where, h.what, h.status_after, h.note, h.changes)

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        if message.world is not None:
            self.refresh_view()

    # changes --------------------------------------------------------------

    def _form(self, title: str, fields: list[Field], op: Callable[[dict], list], note: str = "") -> None:
        def submit(values: dict) -> Optional[str]:
            blocked = self.app.outside_edit_blocked()   # else a new row could reuse the last id
            if blocked:
                return blocked
            try:
                changes = op(values)
            except SessionError as exc:
                return exc.message
            self.app.apply_changes(changes)
            return None
        self.app.push_screen(FormDialog(title, fields, submit, note=note))

    def _note_field(self, required: bool = True) -> Field:
        return Field("note", "メモ", required=required, placeholder="経過や理由")

    def action_status(self) -> None:
        s = self.state()
        if s is None:
            return
        self._form(f"{s.id} の状態を変える",
                   [Field("status", "新しい状態", kind="choice", choices=OPEN_STATUS_CHOICES,
                          value=s.status, required=True), self._note_field()],
                   lambda v: ops.change_status(self.app.world, s.id, v["status"], v["note"], self.app.today),
                   note="変更は経過に残ります（前の記録は消えません）。")

    def action_owner(self) -> None:
        s = self.state()
        if s is None:
            return
        world = self.app.world
        persons = sorted(world.persons.values(), key=lambda p: (p.display_name, p.id))
        self._form(f"{s.id} の担当を変える",
                   [Field("persons", "担当者", kind="multi",
                          choices=[(p.id, p.display_name) for p in persons],
                          value=list(s.owner_person_ids or [])),
                    Field("text", "担当（自由記入）", value=s.owner_text or "",
                          placeholder="例: 事務局"),
                    self._note_field(required=False)],
                   lambda v: ops.change_owner(self.app.world, s.id, v["persons"] or [], v["text"],
                                              v["note"], self.app.today))

    def action_due(self) -> None:
        s = self.state()
        if s is None:
            return
        self._form(f"{s.id} の期限を変える",
                   [Field("due", "新しい期限", kind="date", value=s.due_date, required=True),
                    self._note_field(required=False)],
                   lambda v: ops.change_due(self.app.world, s.id, v["due"], v["note"], self.app.today),
                   note="2025-10-31 のように入力します。元の期限は経過に残ります。")

    def action_supersede(self) -> None:
        s = self.state()
        if s is None:
            return
        world = self.app.world
        others = [o for o in world.open_actions(s.council_id) if o.id != s.id]
        if not others:
            self.app.notify("同じ協議体に引き継げる未完了の取組がありません。", severity="warning")
            return
        self._form(f"{s.id} を別の取組に引き継ぐ",
                   [Field("new", "引継ぎ先の取組", kind="choice", required=True,
                          choices=[(o.id, f"{o.id} {o.item.title}") for o in others],
                          value=s.superseded_by if s.superseded_by in {o.id for o in others} else None),
                    self._note_field(required=False)],
                   lambda v: ops.supersede(self.app.world, s.id, v["new"], v["note"], self.app.today),
                   note="この取組は「引継ぎ済」になり、次の会議の取組状況から外れます。")

    def action_skip(self) -> None:
        s = self.state()
        if s is None:
            return
        nxt = self.app.world.next_meeting(s.council_id, self.app.today)
        which = f"第{nxt.meeting.seq_no}回（{wareki(nxt.held_on)}）" if nxt else "次の会議"
        self._form(f"{s.id} を{which}で見送る", [self._note_field()],
                   lambda v: ops.skip_next(self.app.world, s.id, v["note"], self.app.today),
                   note=f"{which}の取組状況に出しません。その次の会議では、また出てきます。")

    def action_note(self) -> None:
        s = self.state()
        if s is None:
            return
        self._form(f"{s.id} の経過を記録する", [self._note_field()],
                   lambda v: ops.add_note(self.app.world, s.id, v["note"], self.app.today))

    def action_back(self) -> None:
        self.app.pop_screen()
