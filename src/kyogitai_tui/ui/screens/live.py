"""The live meeting: agenda with timers on the left, the item's workspace and
its statements on the right, attendance and quorum always in view.

Every key a facilitator needs during the meeting is an F-key or ctrl-key, so
it works while Japanese input is on.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static


from kyogitai_tui.domain.dates import meeting_title
from kyogitai_tui.domain.meeting.live_view import hanging, sidebar_entry
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.meeting.statements import NAMED_SPEAKERS, SPEAKER_ORDER
from kyogitai_tui.ui.session_ops import SessionOps
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, Field, FormDialog
from kyogitai_tui.ui.workspaces import Workspace, workspace_for
from kyogitai_tui.ui.widgets.plain import PlainOption, PlainStatic, focus_now, show_text
from kyogitai_tui.ui.widgets.rows import Wrapped
from kyogitai_tui.ui.messages import SaveStateChanged, WorldChanged, show_save_state
from kyogitai_tui.ui.widgets.footer import KeyFooter

SECTION_LABEL = {"REPORT": "報告事項", "DISCUSSION": "協議事項", "OTHER": "その他"}
# Changes to these tables alter state that other items read across meetings.
_WORLD_TABLES = {"action_progress", "network_updates", "function_assessments", "linkage_statuses",
                 "gap_findings", "finding_updates", "decisions", "action_items", "gap_checks"}


SUMMARY_ROW = "SUMMARY"   # the item's 要旨 in the statements list / as the "speaker"


class LiveScreen(SessionOps, Screen):
    BINDINGS = [
        Binding("f2", "focus_input", "発言", id="live.statement", priority=True,
                tooltip="発言の入力欄へ移ります（Enter で記録）"),
        Binding("f3", "pick_speaker", "発言者", id="live.speaker", priority=True, show=False,
                tooltip="発言者の区分（会長・委員・SC・事務局・部署名など）を選びます"),
        Binding("f4", "prev_item", "前の議題", id="live.prev", priority=True, show=False,
                tooltip="ひとつ前の議題に戻ります（時間は止めて保存）"),
        Binding("f5", "next_item", "済・次へ", id="live.next", priority=True,
                tooltip="この議題を済にして次の議題へ進みます"),
        Binding("f6", "focus_workspace", "作業欄", id="live.workspace", priority=True, show=False,
                tooltip="議題の作業欄（ネットワーク・取組・課題など）へ移ります"),
        Binding("f7", "attendance", "出欠", id="live.attendance", priority=True,
                tooltip="遅参・早退・代理出席などの出欠を変更します"),
        Binding("f9", "readback", "確認・閉会", id="live.readback", priority=True,
                tooltip="決定事項と取組を読み上げて確認し、閉会します"),
        Binding("ctrl+p", "jump", "移動", id="live.jump", priority=True,
                tooltip="議題・ネットワーク・課題・取組へ移動します"),
        Binding("f8", "workspace_key('f8')", "作業欄の登録", id="live.ws_primary", show=False, priority=True,
                tooltip="入力中でも、議題の作業欄の F8（確定・登録など）を行います"),
        Binding("f12", "workspace_key('f12')", "作業欄の操作", id="live.ws_secondary", show=False, priority=True,
                tooltip="入力中でも、議題の作業欄の F12 を行います"),
        Binding("f10", "room_info", "投影・配信", id="live.room", priority=True, show=False,
                tooltip="会議室に映す表示（kyogitai view / serve）の開き方と、接続しているブラウザの数を表示します"),
        Binding("escape", "back", "一覧へ", id="live.back", show=False,
                tooltip="会議を開いたまま協議体の一覧に戻ります"),
    ]

    DEFAULT_CSS = """
    LiveScreen #topbar { height: 1; background: $primary; color: $text; padding: 0 1; }
    LiveScreen #savebar { height: 1; padding: 0 1; color: $text-muted; }
    LiveScreen #savebar.error { background: $error 40%; color: $text; }
    LiveScreen #sidebar { width: 30%; min-width: 26; max-width: 32; background: $panel; }
    LiveScreen #agenda-list { height: 1fr; border: none; background: $panel; padding: 0; }
    LiveScreen #main { width: 1fr; }
    LiveScreen #statements { height: 8; border: none; background: $surface-darken-1; }
    LiveScreen #input-row { height: 1; }
    LiveScreen #speaker { width: auto; min-width: 8; background: $accent 40%; padding: 0 1; }
    LiveScreen #statement-input { width: 1fr; }
    """

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session
        self._sidebar_current = None     # the item the agenda column last scrolled to
        self.speaker = "MEMBER"
        self.department = ""
        self._typed_speakers: list[tuple[str, str]] = []   # names typed in F3, kept at the list's end
        self._shown_item: Optional[str] = None
        self._ws = None

    # ------------------------------------------------------------------
    # layout
    # ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PlainStatic("", id="topbar")
        with Horizontal():
            with Vertical(id="sidebar"):
                yield OptionList(id="agenda-list")
            with Vertical(id="main"):
                yield Vertical(id="workspace-slot")
                yield OptionList(id="statements")
                with Horizontal(id="input-row"):
                    yield PlainStatic("", id="speaker")
                    yield Input(placeholder=self._placeholder(), id="statement-input", compact=True)
        yield PlainStatic("", id="savebar")
        yield KeyFooter()

    def _placeholder(self) -> str:
        """The statement line's hint, whole at any width (F-keys are in the footer and F1)."""
        if self.app.size.width >= 110:
            return "発言を入力して Enter（F3 発言者・F4 前の議題・F6 作業欄）"
        return "発言を入力して Enter（F3 発言者）"

    def on_mount(self) -> None:
        self.refresh_all()
        self.ticker = self.set_interval(1.0, self.tick)
        self.query_one("#statement-input", Input).focus()

    # ------------------------------------------------------------------
    # rendering
    # ------------------------------------------------------------------

    def top_text(self) -> str:
        s = self.session
        m = s.meeting
        council = s.council
        clock = s.now().strftime("%H:%M")
        q = s.quorum()
        return f"{council.name}  {meeting_title(m.fiscal_year, m.seq_no)}  {clock}  {q.text}"

    def show_top(self) -> None:
        """The top line, redrawn only when its text changes (the clock shows
        minutes; the tick comes every second, and each redraw of a Static
        lays the whole screen out again)."""
        show_text(self.query_one("#topbar", Static), self.top_text())

    def item_prompt(self, item, number: str) -> Text:
        s = self.session
        entry = sidebar_entry(item, number, s.elapsed(item), item.id == s.meeting.current_agenda_item_id)
        width = self._sidebar_cells()
        current = item.id == s.meeting.current_agenda_item_id
        if self._compact_agenda() and not current and not entry.overrun:
            # a short terminal (80x24): one line an item, so 協議事項 and その他 stay in view
            # whole titles, wrapped under themselves (never cut with 「..」)
            state = entry.head[1:].split(" ", 1)[0]
            head = f" {state}{number} "
            return Text(hanging(head, entry.title, width))
        text = Text(entry.head)
        if entry.overrun:
            text.stylize("bold reverse")
            text.append(f"\n  超過{entry.overrun_text}", style="bold reverse")
        text.append("\n" + hanging("  ", entry.title, width))
        return text

    def _compact_agenda(self) -> bool:
        """Two lines an item do not fit the agenda column: one line each
        (the item under discussion keeps its timer line)."""
        lines = 2 * len(self.session.enabled_agenda()) + 3
        return self.app.size.height - 3 < lines

    def _sidebar_cells(self) -> int:
        """Cells a title may use in the agenda column (as laid out by the CSS)."""
        laid_out = self.query_one("#agenda-list", OptionList).content_region.width
        if laid_out:
            return laid_out - 2
        return max(26, min(32, int(self.app.size.width * 0.3))) - 2

    def on_resize(self) -> None:
        self.query_one("#statement-input", Input).placeholder = self._placeholder()
        self.call_after_refresh(self.refresh_sidebar)

    def refresh_sidebar(self) -> None:
        ol = self.query_one("#agenda-list", OptionList)
        highlighted = ol.highlighted
        counters: dict[str, int] = {}
        section = None
        options = []
        for item in self.session.enabled_agenda():
            if item.section != section:
                section = item.section
                options.append(PlainOption(f"[{SECTION_LABEL.get(section, section)}]", disabled=True))
            counters[section] = counters.get(section, 0) + 1
            options.append(PlainOption(self.item_prompt(item, f"({counters[section]})"), id=item.id))
        ol.set_options(options)
        current = self.session.meeting.current_agenda_item_id
        if current and current != self._sidebar_current:
            # the meeting moved on: the column follows it (a 協議事項 below the
            # wrapped 報告事項 at 80x24 comes into view)
            self._sidebar_current = current
            try:
                ol.highlighted = ol.get_option_index(current)
            except Exception:   # no such option (disabled item)
                pass
        elif highlighted is not None and highlighted < ol.option_count:
            ol.highlighted = highlighted

    def tick(self) -> None:
        self.show_top()
        cur = self.session.current_item()
        if cur is None:
            return
        ol = self.query_one("#agenda-list", OptionList)
        number = None
        counters: dict[str, int] = {}
        for item in self.session.enabled_agenda():
            counters[item.section] = counters.get(item.section, 0) + 1
            if item.id == cur.id:
                number = f"({counters[item.section]})"
        if number is not None:
            try:
                ol.replace_option_prompt(cur.id, self.item_prompt(cur, number))
            except Exception:  # option list rebuilt meanwhile
                pass

    def refresh_statements(self) -> None:
        ol = self.query_one("#statements", OptionList)
        cur = self.session.current_item()
        if cur is None:
            ol.clear_options()
            return
        # each 要旨 entry is a row like a statement (Enter: 直す・消す)
        options = [PlainOption(Wrapped(f"[要旨] {line}"), id=f"{SUMMARY_ROW}:{i}")
                   for i, line in enumerate(self.session.summary_lines(cur.id))]
        for st in self.session.statements(cur.id):
            who = st.department if st.speaker_label in NAMED_SPEAKERS else self.app.label("speaker_labels", st.speaker_label)
            options.append(PlainOption(Wrapped(f"[{who}] {st.text}"), id=st.id))
        # one replacement, not one update of the list per row (an empty
        # set_options would leave the old height: clear_options)
        if options:
            ol.set_options(options)
        else:
            ol.clear_options()
        if ol.option_count:
            summaries = len(self.session.summary_lines(cur.id))
            # typing 要旨: keep the newest 要旨 in view (they come first), else the newest statement
            ol.highlighted = summaries - 1 if self.speaker == SUMMARY_ROW and summaries else ol.option_count - 1

    def refresh_speaker(self) -> None:
        if self.speaker == SUMMARY_ROW:
            who = "要旨"
        else:
            who = self.department if self.speaker in NAMED_SPEAKERS else self.app.label("speaker_labels", self.speaker)
        self.query_one("#speaker", Static).update(f"[{who}]")

    def show_workspace(self, force: bool = False) -> None:
        cur = self.session.current_item()
        slot = self.query_one("#workspace-slot", Vertical)
        key = cur.id if cur else None
        if not force and key == self._shown_item and self._ws is not None:
            if isinstance(self._ws, Workspace):
                self._ws.item = cur
                self._ws.refresh_view()
            return
        self._shown_item = key
        if self._ws is not None:
            self._ws.remove()
        if cur is None:
            self._ws = PlainStatic("すべての議題が済みました。F9 で確認（読み上げ）と閉会へ進みます。")
        else:
            self._ws = workspace_for(self.session, cur)
        slot.mount(self._ws)

    def refresh_all(self) -> None:
        self.show_top()
        self.refresh_sidebar()
        self.show_workspace()
        self.refresh_statements()
        self.refresh_speaker()

    @on(SaveStateChanged)
    def show_save_state(self, message: SaveStateChanged) -> None:
        show_save_state(self.query_one("#savebar", Static), message)

    # ------------------------------------------------------------------
    # changes
    # ------------------------------------------------------------------

    def apply(self, changes: list) -> None:
        self.after_change(changes)

    def after_change(self, changes: list) -> None:
        if not changes:
            return
        self.app.save(changes)
        if any(ch.table in _WORLD_TABLES for ch in changes):
            self.app.rebuild_world(self.session)
        self.refresh_all()

    @on(WorldChanged)
    def world_changed(self, message: WorldChanged) -> None:
        """The app rebuilt the World (cross-meeting views may have changed)."""
        if message.world is not None:
            self.show_workspace()

    # ------------------------------------------------------------------
    # events and actions
    # ------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#agenda-list")
    def agenda_item_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.run_op(lambda: self.session.goto(event.option.id))
            self.show_workspace(force=True)

    @on(OptionList.OptionSelected, "#statements")
    def statement_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.edit_statement(event.option.id)

    @on(Input.Submitted, "#statement-input")
    def statement_typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        cur = self.session.current_item()
        if cur is None:
            self.app.notify("議題が選ばれていません。左の議題一覧から選んでください。", severity="warning")
            return
        if self.speaker == SUMMARY_ROW:
            op = lambda: self.session.append_summary(cur.id, text)  # noqa: E731
        else:
            op = lambda: self.session.add_statement(cur.id, self.speaker, text,  # noqa: E731
                                                    department=self.department)
        if self.run_op(op):
            event.input.value = ""

    def edit_statement(self, statement_id: str) -> None:
        """Enter on a row of the log: correct or delete a statement or a 要旨
        entry (the earlier wording is kept in the history; refused once the
        minutes are 確定)."""
        cur = self.session.current_item()
        what = [("EDIT", "直す"), ("DELETE", "消す")]
        if statement_id.startswith(SUMMARY_ROW) and cur is not None:
            index = int(statement_id.split(":", 1)[1]) if ":" in statement_id else 0
            lines = self.session.summary_lines(cur.id)
            if index >= len(lines):
                return

            def op_summary(values: dict) -> list:
                if values["what"] == "DELETE":
                    return self.session.delete_summary_line(cur.id, index)
                return self.session.edit_summary_line(cur.id, index, values["text"])

            self.app.push_screen(FormDialog(
                "要旨を直す", [Field("text", "要旨", value=lines[index], required=True),
                               Field("what", "操作", kind="choice", choices=what, value="EDIT", required=True)],
                self.submitter(op_summary), note="「消す」を選んで保存すると、この要旨を消します（前の文は履歴に残ります）。"))
            return
        st = next((s for s in self.session.record.statements if s.id == statement_id), None)
        if st is None:
            return
        speakers = [(code, self.app.label("speaker_labels", code)) for code in SPEAKER_ORDER]

        def op(values: dict) -> list:
            if values["what"] == "DELETE":
                return self.session.delete_statement(statement_id)
            return self.session.edit_statement(statement_id, values["text"], speaker_label=values["speaker"],
                                               department=values["department"] or "")

        self.app.push_screen(FormDialog(
            "発言を直す",
            [Field("text", "発言", value=st.text, required=True),
             Field("speaker", "発言者", kind="choice", choices=speakers, value=st.speaker_label, required=True),
             Field("department", "部署名・機関名（部署・関係機関のとき）", value=st.department or None),
             Field("what", "操作", kind="choice", choices=what, value="EDIT", required=True)],
            self.submitter(op),
            note="発言や発言者を直して保存します。「消す」を選ぶと議事録から外します（前の文は履歴に残ります）。"))

    def action_focus_input(self) -> None:
        focus_now(self.query_one("#statement-input", Input))

    def action_focus_workspace(self) -> None:
        ws = self._ws
        if ws is not None:
            focusables = [w for w in ws.query("*") if w.focusable]
            focus_now(focusables[0] if focusables else ws)

    def action_pick_speaker(self) -> None:
        from kyogitai_tui.domain.meeting.roster import NAMED_PREFIX, speaker_choices, speaker_of_choice

        typed = self._typed_speakers
        choices = speaker_choices(self.session.record.attendance, self.app.label,
                                  summary_code=SUMMARY_ROW, typed=typed)

        def use(speaker: str, name: str) -> None:
            self.speaker, self.department = speaker, name
            if name and (speaker, name) not in typed:
                typed.append((speaker, name))      # offered at the END of the list next time
            self.refresh_speaker()
            self.action_focus_input()

        def done(code) -> None:
            if code is None:
                return
            speaker, name = speaker_of_choice(code)
            prefix = next((p for p in NAMED_PREFIX if code == p), None)
            if prefix is not None:
                _speaker, what, example = NAMED_PREFIX[prefix]

                def got(values) -> None:
                    if values:
                        use(speaker, values["dept"])
                self.app.push_screen(FormDialog(what, [Field("dept", what, required=True,
                                                             placeholder=example)],
                                                lambda v: None), got)
                return
            use(speaker, name)

        self.app.push_screen(ChoiceDialog("発言者", choices), done)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """F8/F12 are the screen's (priority: read as the key arrives, so a
        form they open gets the text typed right after them) except while
        the focus is inside the workspace: there the workspace's own
        bindings take them and the footer names what they do."""
        if action == "workspace_key" and self._ws is not None and self.focused is not None \
                and self._ws in self.focused.ancestors_with_self:
            return False
        return True

    async def action_workspace_key(self, key: str) -> None:
        """F8/F12 pressed outside the workspace (e.g. while typing a statement):
        do what the workspace binds to that key."""
        ws = self._ws
        action = ws.action_for_key(key) if isinstance(ws, Workspace) else None
        if action is not None:
            await ws.run_action(action)

    def action_prev_item(self) -> None:
        self.run_op(lambda: self.session.step(-1))

    def action_next_item(self) -> None:
        self.run_op(self.session.finish_current)

    def action_attendance(self) -> None:
        from kyogitai_tui.ui.screens.attendance import AttendanceDialog

        self.app.push_screen(AttendanceDialog(self.session, on_change=self.after_change))

    def action_readback(self) -> None:
        from kyogitai_tui.ui.screens.readback import ReadbackScreen

        self.app.push_screen(ReadbackScreen(self.session))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_room_info(self) -> None:
        from kyogitai_tui.ui.screens.room_info import RoomInfoScreen

        root = getattr(getattr(self.app, "store", None), "root", None)
        self.app.push_screen(RoomInfoScreen(Path(root) if root is not None else None))

    def action_jump(self) -> None:
        from kyogitai_tui.domain.meeting.jump import jump_targets
        from kyogitai_tui.ui.jump import JumpDialog

        def done(target) -> None:
            if target is not None:
                self.jump_to(target.item_id)

        self.app.push_screen(JumpDialog(jump_targets(self.session)), done)

    def jump_to(self, item_id: str) -> None:
        """From the ctrl+p dialog: open that agenda item."""
        if self.run_op(lambda: self.session.goto(item_id)):
            self.show_workspace(force=True)
