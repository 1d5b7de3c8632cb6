"""閉会: end time, the next meeting (date, time, venue, topics), then the
meeting becomes 開催済 and the minutes can be written in both variants."""
from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static

from kyogitai_tui.domain.meeting import discussion_view as dv
from kyogitai_tui.domain.dates import DateError, hhmm, meeting_title, parse_date, parse_time
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.domain.world import World
from kyogitai_tui.ui.screens.minutes_offer import EXPORT_BINDINGS, MinutesExportScreen, export_dir_of
from kyogitai_tui.ui.host import host
from kyogitai_tui.ui.widgets.plain import PlainStatic
from kyogitai_tui.ui.widgets.footer import KeyFooter

FIELDS = (
    ("end", "終了時刻", "15:50"),
    ("next_date", "次回の開催日", "2025-11-18（空欄なら未定）"),
    ("next_time", "次回の時刻", "14:00"),
    ("next_venue", "次回の会場", "北みほん地区会館"),
    ("next_topics", "次回の議題", "ニーズ調査の報告、移動支援"),
    ("notes", "経緯・特記事項", "台風のため1週間延期して開催"),
    ("sent", "会議録事前送付", "はい（前回の会議録を通知に同封）"),
)
_YES = {"はい", "済", "送付", "送付済", "同封", "あり", "yes", "y", "1"}


class CloseScreen(MinutesExportScreen):
    BINDINGS = [
        Binding("f9", "close_meeting", "閉会する", id="close.close",
                tooltip="入力した内容で閉会し、会議を開催済にします"),
        *EXPORT_BINDINGS,
        Binding("f5", "home", "一覧へ", id="close.home", tooltip="協議体の一覧に戻ります"),
        Binding("escape", "back", "戻る", id="close.back",
                tooltip="閉会前は読み上げ確認に戻ります。閉会後は一覧に戻ります"),
    ]

    DEFAULT_CSS = """
    CloseScreen #close-top { height: 1; background: $primary; color: $text; padding: 0 1; }
    CloseScreen #close-body { height: 1fr; padding: 1 2; }
    CloseScreen .form-row { height: 1; margin-bottom: 1; }
    CloseScreen .form-label { width: 16; }
    CloseScreen Input { width: 1fr; }
    CloseScreen #close-summary { height: auto; margin-bottom: 1; }
    CloseScreen #close-state { height: auto; text-style: bold; }
    CloseScreen #export-state { height: auto; margin-top: 1; }
    CloseScreen .failed { background: $error 30%; }
    """

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session
        self.meeting_id = session.meeting_id
        self._snapshot: Optional[dict] = None
        self.last_export_paths: list = []

    @property
    def closed(self) -> bool:
        return self.session.meeting.status not in ("PLANNED", "IN_PROGRESS")

    def compose(self) -> ComposeResult:
        s = self.session
        m = s.meeting
        yield PlainStatic(f"閉会  {s.council.name}  {meeting_title(m.fiscal_year, m.seq_no)}", id="close-top")
        with VerticalScroll(id="close-body"):
            yield PlainStatic("", id="close-summary")
            clock = s.now().time().replace(second=0, microsecond=0)
            # a clock before the start (another day, a wrong clock) is not offered as the end
            end_default = "" if s.end_time_problem(clock) else s.now().strftime("%H:%M")
            values = {
                "notes": str((m.extra or {}).get("notes") or ""),
                "sent": "はい" if (m.extra or {}).get("minutes_sent_with_notice") else "",
                "end": hhmm(m.end_time) if m.end_time else end_default,
                "next_date": m.next_plan_date.isoformat() if m.next_plan_date else "",
                "next_time": hhmm(m.next_plan_time) if m.next_plan_time else hhmm(m.start_time),
                "next_venue": m.next_plan_venue or m.venue,
                "next_topics": m.next_plan_topics,
            }
            for name, label, example in FIELDS:
                with Horizontal(classes="form-row"):
                    yield PlainStatic(label, classes="form-label")
                    yield Input(values[name], placeholder=f"例: {example}", id=f"close-{name}", compact=True)
            yield PlainStatic("", id="close-state")
            yield PlainStatic("", id="export-state")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_state()
        self.query_one("#close-end", Input).focus()

    def refresh_state(self) -> None:
        s = self.session
        targets = s.readback_targets()
        self.query_one("#close-summary", Static).update(
            f"決定事項 {len(s.record.decisions)}件・取組 {len(s.record.action_items)}件\n"
            f"読み上げ確認 {dv.readback_counts(s.record, targets)}")
        state = self.query_one("#close-state", Static)
        if self.closed:
            state.update(f"閉会しました（開催済）。次回：{dv.next_plan_text(s.meeting)}\n"
                         "会議録の書き出し：F2で公開用、F3で内部記録（Word）、F4で両方をMarkdownで。F5で一覧へ。")
            for inp in self.query(Input):
                inp.disabled = True
        elif not self._value("end"):
            state.update("終了時刻を入力してから F9 で閉会します（時計の時刻が開始より前のため入れていません）。")
        else:
            state.update("F9で閉会します。次回の開催日が未定なら、空欄のまま閉会できます。")
        self.query_one("#export-state", Static).update(
            f"会議録の書き出し先：{export_dir_of(self.app)}" if self.closed else "")

    def check_action(self, action: str, parameters: tuple) -> Optional[bool]:
        """Before closing the exports and 一覧へ are hidden (the footer fits 80
        columns, and the state line says they come after F9); after, F9 is hidden."""
        if action == "close_meeting":
            return not self.closed
        if action in ("export", "home"):
            return self.closed
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # closing ------------------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#close-{name}", Input).value.strip()

    def read_form(self) -> dict:
        """The typed values, parsed; ValueError with a Japanese message."""
        out: dict = {}
        try:
            if not self._value("end"):
                raise ValueError("終了時刻を入力してください（例: 15:30）。")
            out["end_time"] = parse_time(self._value("end"))
            out["next_date"] = parse_date(self._value("next_date")) if self._value("next_date") else None
            out["next_time"] = parse_time(self._value("next_time")) if self._value("next_time") else None
        except DateError as exc:
            raise ValueError(str(exc)) from None
        if out["next_date"] is None:
            out["next_time"] = None          # 未定: a time alone means nothing
        out["next_venue"] = self._value("next_venue")
        out["next_topics"] = self._value("next_topics")
        return out

    def action_close_meeting(self) -> None:
        if self.closed:
            self.app.notify("この会議はすでに閉会しています。")
            return
        state = self.query_one("#close-state", Static)
        try:
            values = self.read_form()
            notes, sent = self._value("notes"), self._value("sent").lower() in _YES
            problem = self.session.end_time_problem(values["end_time"])
            if problem:
                raise ValueError(problem)
            changes = self.session.set_notes(notes=notes, minutes_sent_with_notice=sent)
            changes += self.session.close(**values)
        except ValueError as exc:
            message = exc.message if isinstance(exc, SessionError) else str(exc)
            state.set_class(True, "failed")
            state.update(message)
            self.app.notify(message, severity="error", timeout=8)
            return
        state.set_class(False, "failed")
        self.app.save(changes)
        self._snapshot = self.session.snapshot()
        self.app.rebuild_world(self.session)
        self.refresh_state()
        self.refresh_bindings()
        self.app.notify("閉会しました。会議は開催済になりました。")

    # minutes ------------------------------------------------------------

    def can_export(self) -> Optional[str]:
        if not self.closed:
            return "先に F9 で閉会してから会議録を書き出してください。"
        return None

    def export_world(self) -> World:
        return World.from_dataset(self._snapshot or self.session.snapshot())

    def show_export(self, text: str, error: bool = False) -> None:
        box = self.query_one("#export-state", Static)
        box.set_class(error, "failed")
        box.update(text)
        box.scroll_visible()

    # leaving ------------------------------------------------------------

    def action_home(self) -> None:
        if not self.closed:
            self.app.notify("閉会前です。F9 で閉会するか、Esc で読み上げ確認に戻ってください。", severity="warning")
            return
        # The close already rebuilt the World (app.rebuild_world); Home redraws
        # from it on resume and again when that rebuild lands - no re-read of the disk.
        host(self).go_home()

    def action_back(self) -> None:
        if self.closed:
            self.action_home()
        else:
            self.app.pop_screen()
