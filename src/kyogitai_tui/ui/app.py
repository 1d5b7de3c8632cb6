"""The Textual application: owns the store, the catalog and the current World.

Screens never touch the disk: they ask the app, which runs disk work in
thread workers and posts the results back as messages.
"""
from __future__ import annotations

import asyncio
import threading
import time
from datetime import date, datetime
from typing import TYPE_CHECKING, Callable

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.scrollbar import ScrollBar, ScrollBarRender

from kyogitai_tui.config import default_export_dir
from kyogitai_tui.ui.home import HomeScreen
from kyogitai_tui.ui.host import READ_ONLY_EDIT, WORLD_CATCHING_UP
from kyogitai_tui.ui.messages import SaveStateChanged, WorldChanged
from kyogitai_tui.ui.saver import Saver
from kyogitai_tui.ui.screens.help import HelpScreen
from kyogitai_tui.ui.widgets.plain import type_into_focused

if TYPE_CHECKING:  # the World's modules load in the background, after the first screen
    from kyogitai_tui.domain.world import World


class _PlainScrollBarRender(ScrollBarRender):
    """Scrollbars in whole cells: the default thumb ends use block characters
    (East Asian Ambiguous), which a Japanese terminal may draw two cells wide."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


ScrollBar.renderer = _PlainScrollBarRender


class KyogitaiApp(App):
    TITLE = "kyogitai"
    SAVE_RETRY_SECONDS = 5.0
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False

    TYPED_AHEAD_SECONDS = 2.0
    BINDINGS = [
        Binding("ctrl+q", "quit", "終了", id="app.quit", priority=True,
                tooltip="アプリを終了します（入力はすべて保存済みです）"),
        Binding("f1", "help", "ヘルプ", id="app.help",
                tooltip="キー操作の一覧を表示します"),
    ]

    class WorldLoaded(Message):
        def __init__(self, world: World | None, error: str | None = None) -> None:
            super().__init__()
            self.world = world
            self.error = error

    class SaveResult(Message):
        def __init__(self, error: str | None, pending: int) -> None:
            super().__init__()
            self.error = error
            self.pending = pending

    class WorldRebuilt(Message):
        def __init__(self, world: World, generation: int) -> None:
            super().__init__()
            self.world = world
            self.generation = generation

    def __init__(self, *, store, catalog, world: World | None = None, today: date | None = None,
                 dataset: dict | None = None, clock: Callable[[], datetime] | None = None,
                 export_dir=None, summary=None,
                 after_first_paint: Callable[[], None] | None = None) -> None:
        super().__init__()
        # Called once the first screen has been drawn (the shell's start
        # path hands over its start-up settings here: commands/_app.py).
        self._after_first_paint = after_first_paint
        self.store = store
        # The home screen's rows while the World loads (domain/reports/summary.py).
        self.summary = summary
        self.catalog = catalog
        if clock is None and today is not None:
            # --today fixes the date; the time of day still runs (timers count).
            clock = lambda: datetime.combine(today, datetime.now().time())  # noqa: E731
        self.clock = clock or datetime.now
        self.today = today or self.clock().date()
        self.world: World | None = world
        self.dataset: dict | None = dataset
        self.saver = Saver(store, self._save_result_from_thread)
        self.last_save_error: str | None = None
        # characters no widget took: (read at, kept at, character); see on_key
        self._typed_ahead: list[tuple[float, float, str]] = []
        self._command_key_read_at = 0.0
        self._quit_unsaved = False
        self.export_dir = export_dir or default_export_dir()
        self._generation = 0
        self._world_loading = False

    # With a current summary the home screen needs no history: the World is
    # read once the app has been idle this long after its first screen, or at
    # once when the user leaves the home screen (push_screen), whichever comes
    # first.  A coordinator never waits for it at start, and a start that only
    # looks at the home screen never pays for reading every meeting.
    WORLD_LOAD_DELAY = 0.4

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        self.call_after_refresh(self._first_screen_drawn)
        if self.world is not None:
            self.tell_load_problems(self.world)
            self.resume_meeting_in_progress()

    def _first_screen_drawn(self) -> None:
        # The delay counts from the first screen, not from the mount: on a
        # busy machine drawing it may itself take longer than the delay.
        if self.world is None:
            self.set_timer(self.WORLD_LOAD_DELAY, self._load_world_if_needed)
        if self._after_first_paint is not None:
            self._after_first_paint()

    def tell_load_problems(self, world: World | None) -> None:
        """Records the World could not read (a hand-edited wrong type...) are
        left out of every screen and left untouched on disk: say so."""
        if world is not None and world.problems:
            self.notify(f"データの一部を読み込めませんでした（{len(world.problems)} 件）。{world.problems[0]}。"
                        "読み込めなかった記録は表示せず、ファイルにも手を加えていません。"
                        "kyogitai check で、ファイルとバックアップを確かめてください。",
                        severity="error", timeout=60)

    # ------------------------------------------------------------------
    # labels, saving, World rebuilds
    # ------------------------------------------------------------------

    def label(self, list_name: str, code: str | None, default: str = "") -> str:
        return self.catalog.label_or_code(list_name, code, default)

    def save(self, changes) -> None:
        """Queue changes for the writer thread (returns at once)."""
        if getattr(self.store, "read_only", False):
            self.notify("読み取り専用で開いているため保存できません。", severity="error")
            return
        self.saver.save(changes)

    def _save_result_from_thread(self, error: str | None, pending: int) -> None:
        # post_message is thread-safe and does not wait: call_from_thread would
        # block the writer until the UI thread answers, and at ctrl+q the UI
        # thread is waiting for the writer (a 10-second stall before exit).
        self.post_message(self.SaveResult(error, pending))

    def tell_screens(self, make_message: Callable[[], Message]) -> None:
        """Post a fresh message to every screen in the stack; the screens that
        care handle it with ``@on`` (ui/messages.py)."""
        for screen in self.screen_stack:
            screen.post_message(make_message())

    async def on_event(self, event: events.Event) -> None:
        # when the last key that is not a character (Enter, F2 ...) was read
        # from the terminal: characters typed ahead count from there (on_key)
        if isinstance(event, events.Key) and not event.is_forwarded and not event.is_printable:
            self._command_key_read_at = event.time
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A key no widget took reaches the app last.  A character typed right
        after a key that opens a form (F2 on a register list, Enter on a
        step) was read while the list still had the focus: into the form's
        field if the form is open by now, else kept for the form that is
        opening (``take_typed_ahead``), in order, instead of lost."""
        if type_into_focused(self.screen, event) or not (event.is_printable and event.character):
            return
        if any(read_at < self._command_key_read_at for read_at, _, _ in self._typed_ahead):
            self._typed_ahead.clear()       # typed before a later Enter/F-key: not for the form it opens
        self._typed_ahead.append((event.time, time.monotonic(), event.character))

    def take_typed_ahead(self) -> str:
        """The characters no widget took since the last key that is not a
        character, typed in the last ``TYPED_AHEAD_SECONDS`` (a form that has
        just opened puts them in its first field); then forgotten."""
        now = time.monotonic()
        text = "".join(ch for read_at, kept_at, ch in self._typed_ahead
                       if read_at > self._command_key_read_at and now - kept_at <= self.TYPED_AHEAD_SECONDS)
        self._typed_ahead.clear()
        return text

    @on(SaveResult)
    def save_result(self, message: SaveResult) -> None:
        previous, self.last_save_error = self.last_save_error, message.error
        self.tell_screens(lambda: SaveStateChanged(message.error, message.pending))
        if message.error:
            if message.error != previous:
                self.notify(message.error, severity="error", timeout=10)
            # keep trying on our own: the user may type nothing more for a while
            self.set_timer(self.SAVE_RETRY_SECONDS, self.saver.retry)

    def apply_changes(self, changes) -> None:
        """Registry / sensitive changes made outside a meeting (registers,
        follow-up): into the in-memory dataset, to the writer thread, and a
        World rebuild; screens hear of it through ``WorldChanged``."""
        from kyogitai_tui.domain.changes import apply_to_dataset

        changes = list(changes)
        if not changes:
            return
        if getattr(self.store, "read_only", False):
            self.notify("読み取り専用で開いているため保存できません。", severity="error")
            return
        apply_to_dataset(self.ensure_dataset(), changes)
        self.save(changes)
        self._outdated_world = (self.world, time.monotonic())
        self.rebuild_world(None)

    def outside_edit_blocked(self) -> str | None:
        """Why an edit outside a meeting cannot be computed now, or None: the
        data is read-only, or the World still lacks the last such change (an
        edit computed on it could reuse the id the last one took)."""
        if getattr(self.store, "read_only", False):
            return READ_ONLY_EDIT
        outdated = getattr(self, "_outdated_world", None)
        if outdated is not None and outdated[0] is self.world and time.monotonic() - outdated[1] < 5:
            return WORLD_CATCHING_UP
        return None

    def rebuild_world(self, session=None) -> None:
        """Rebuild the World from a snapshot in a thread; the session adopts it."""
        from kyogitai_tui.domain.changes import dataset_snapshot

        self._generation += 1
        session = session or getattr(self, "session", None)
        snapshot = session.snapshot() if session is not None else dataset_snapshot(self.ensure_dataset())
        self._build_world(snapshot, self._generation)

    @work(thread=True, group="rebuild")
    def _build_world(self, snapshot: dict, generation: int) -> None:
        from kyogitai_tui.domain.world import World

        self.post_message(self.WorldRebuilt(World.from_dataset(snapshot), generation))

    @on(WorldRebuilt)
    def world_rebuilt(self, message: WorldRebuilt) -> None:
        if message.generation != self._generation:
            return  # a newer rebuild is on its way
        session = getattr(self, "session", None)
        if session is not None:
            session.adopt_world(message.world)
        self.world = message.world
        self.tell_screens(lambda: WorldChanged(message.world))

    def go_home(self) -> None:
        """Back to the home screen (the list of councils), closing the screens above it."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    # ------------------------------------------------------------------
    # meetings
    # ------------------------------------------------------------------

    def ensure_dataset(self) -> dict:
        if self.dataset is None:
            self.dataset = self.store.load_dataset()
        return self.dataset

    def open_meeting(self, meeting_id: str) -> None:
        """Planned -> prepare; in progress -> live; held -> its summary."""
        from kyogitai_tui.domain.meeting.session import MeetingSession

        world = self.world
        record = world.meetings[meeting_id]
        status = record.meeting.status
        if status in ("PLANNED", "IN_PROGRESS") and getattr(self.store, "read_only", False):
            self.notify("読み取り専用で開いているため、会議の準備や進行はできません。"
                        "もう一方の kyogitai を終了してから、開き直してください。",
                        severity="error", timeout=10)
            return
        if status in ("PLANNED", "IN_PROGRESS") and self.meeting_held_elsewhere(meeting_id, tell=True):
            from kyogitai_tui.ui.screens.past import PastMeetingScreen

            self.push_screen(PastMeetingScreen(meeting_id))   # read-only: another app runs it
            return
        if status in ("PLANNED", "IN_PROGRESS"):
            current = getattr(self, "session", None)
            if current is None or current.meeting_id != meeting_id:
                self.session = MeetingSession(self.ensure_dataset(), world, meeting_id,
                                              now=self.clock, today=self.today)
            if status == "PLANNED":
                from kyogitai_tui.ui.screens.prepare import PrepareScreen

                self.save(self.session.prepare())
                self.push_screen(PrepareScreen(self.session))
            else:
                self.start_live()
        else:
            from kyogitai_tui.ui.screens.past import PastMeetingScreen

            self.push_screen(PastMeetingScreen(meeting_id))

    def meeting_held_elsewhere(self, meeting_id: str, *, tell: bool = False) -> bool:
        """On a shared database each meeting has its own lock (store.lock_meeting):
        take it, or say who runs the meeting (then it is read-only here).  A
        server that cannot be reached now is no refusal: the edits wait in
        memory and the lock is taken with the first save that reaches it."""
        from kyogitai_tui.store import StoreError
        from kyogitai_tui.store.pg import meeting_lock_message

        lock = getattr(self.store, "lock_meeting", None)
        if lock is None or getattr(self.store, "read_only", False):
            return False
        try:
            holder = lock(meeting_id)
        except StoreError as exc:
            if tell:
                self.notify(exc.message, severity="warning", timeout=10)
            return False
        if holder is not None and tell:
            self.notify(meeting_lock_message(self._meeting_name(meeting_id), holder), severity="warning", timeout=30)
        return holder is not None

    def _meeting_name(self, meeting_id: str) -> str:
        """「北みほん支え合い会議 第3回」 for a message (the id when unknown)."""
        record = self.world.meetings.get(meeting_id) if self.world is not None else None
        council = self.world.councils.get(record.meeting.council_id) if record is not None else None
        if council is None:
            return meeting_id
        return f"{council.name} 第{record.meeting.seq_no}回"

    def start_live(self) -> None:
        from kyogitai_tui.domain.changes import SessionError
        from kyogitai_tui.ui.screens.live import LiveScreen

        try:
            self.save(self.session.start())
        except SessionError as exc:
            self.notify(exc.message, severity="error")
            return
        self.push_screen(LiveScreen(self.session))

    def resume_meeting_in_progress(self) -> None:
        """Starting again reopens a meeting in progress at the item where it was."""
        if self.world is None:
            return
        running = [r for r in self.world.meetings.values() if r.meeting.status == "IN_PROGRESS"
                   and not self.meeting_held_elsewhere(r.id, tell=True)]
        if running:
            self.open_meeting(running[-1].id)

    async def action_quit(self) -> None:
        """ctrl+q: everything typed is already queued; wait for the writer, then exit.
        If saving still fails, the first ctrl+q only says so (what is unsaved would
        be lost); a second one quits anyway."""
        # Wait in a thread so the event loop keeps handling the writer's
        # reports and the screen stays alive while the disk catches up.
        if not await asyncio.to_thread(self.saver.flush) and not self._quit_unsaved:
            self._quit_unsaved = True
            self.notify(f"保存できていない入力が {self.saver.pending} 件あります（{self.last_save_error or ''}）。"
                        "原因を取り除いてから ctrl+q を押すと、保存して終了します。"
                        "このまま終了するときも、もう一度 ctrl+q を押してください。",
                        severity="error", timeout=30)
            return
        await asyncio.to_thread(self.saver.close)
        self.exit()

    def push_screen(self, screen, *args, **kwargs):
        """Leaving the home screen needs the World: start reading it now."""
        if len(self.screen_stack) > 1:     # not the home screen itself (pushed on the default one)
            self._load_world_if_needed()
        return super().push_screen(screen, *args, **kwargs)

    def _load_world_if_needed(self) -> None:
        if self.world is None and not self._world_loading:
            self.load_world()

    def load_world(self) -> None:
        """Read every meeting in a daemon thread, after the first screen is
        drawn: ctrl+q never waits for it (a Textual thread worker runs in the
        event loop's executor, which the exit waits for)."""
        self._world_loading = True
        threading.Thread(target=self._load_world_thread, name="kyogitai-load", daemon=True).start()

    def _load_world_thread(self) -> None:
        from kyogitai_tui.domain.world import World
        from kyogitai_tui.store import DataStore, StoreError

        try:
            root = getattr(self.store, "root", None)
            if root is not None and not getattr(self.store, "read_only", False):
                # a handle of its own: closing the app's store at exit must
                # not wait for this read to end
                with DataStore.open(root, read_only=True) as reader:
                    dataset = reader.load_dataset(hand_over=True)
            elif getattr(self.store, "backend", "") == "postgresql" and not self.store.read_only:
                with self.store.reader() as reader:      # its own connection, as above
                    dataset = reader.load_dataset(hand_over=True)
            else:
                dataset = self.store.load_dataset()
            world = World.from_dataset(dataset)
            self.dataset = dataset
        except StoreError as exc:
            self.post_message(self.WorldLoaded(None, exc.message))
            return
        self.post_message(self.WorldLoaded(world))

    def on_kyogitai_app_world_loaded(self, message: WorldLoaded) -> None:
        self._world_loading = False
        self.world = message.world
        self.tell_load_problems(message.world)
        self.tell_screens(lambda: WorldChanged(message.world, message.error))
        self.resume_meeting_in_progress()

    @property
    def read_only_notice(self) -> str | None:
        if getattr(self.store, "read_only", False):
            return getattr(self.store, "read_only_message", None) or "読み取り専用で開いています。"
        return None

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self._all_bindings()))

    def _all_bindings(self) -> list[tuple[str, str, str]]:
        """(key display, description, tooltip) for every binding in force on
        the current screen (its focused widget, the screen, the app), as the
        screen itself would dispatch them: a section's own F8 is the one shown."""
        rows: list[tuple[str, str, str]] = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            # Ours all carry an id and a Japanese description; Textual's own
            # widget bindings (English, arrow glyphs) are left out.
            if not binding.id or not binding.description or not active.enabled:
                continue
            rows.append((self.get_key_display(binding), binding.description, binding.tooltip))
        return rows
