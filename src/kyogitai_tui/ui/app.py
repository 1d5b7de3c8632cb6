"""The Textual application: owns the store, the catalog and the current World.

Screens never touch the disk: they ask the app, which runs disk work in
thread workers and posts the results back as messages.
"""
from __future__ import annotations

from datetime import date

from textual.app import App
from textual.binding import Binding
from textual.message import Message

from kyogitai_tui.domain.world import World
from kyogitai_tui.ui.screens.help import HelpScreen
from kyogitai_tui.ui.screens.home import HomeScreen


class KyogitaiApp(App):
    TITLE = "kyogitai"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False

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

    def __init__(self, *, store, catalog, world: World | None = None, today: date | None = None) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.today = today or date.today()
        self.world: World | None = world

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        if self.world is None:
            self.load_world()

    def load_world(self) -> None:
        self.run_worker(self._load_world_thread, thread=True, exclusive=True, group="load")

    def _load_world_thread(self) -> None:
        from kyogitai_tui.store import StoreError

        try:
            world = World.from_dataset(self.store.load_dataset())
        except StoreError as exc:
            self.post_message(self.WorldLoaded(None, exc.message))
            return
        self.post_message(self.WorldLoaded(world))

    def on_kyogitai_app_world_loaded(self, message: WorldLoaded) -> None:
        self.world = message.world
        for screen in self.screen_stack:
            if hasattr(screen, "world_changed"):
                screen.world_changed(message.world, message.error)

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
        """(key display, description, tooltip) for every binding in force."""
        rows: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        sources = [self.screen, self]
        for source in sources:
            for binding in getattr(source, "BINDINGS", []):
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                if binding.key in seen:
                    continue
                seen.add(binding.key)
                rows.append((self.get_key_display(binding), binding.description, binding.tooltip))
        return rows
