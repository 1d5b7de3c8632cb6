"""F10 on the live screen: how to open the room's screen (``kyogitai view`` on
a projector, ``kyogitai serve`` for browsers) and, while serve runs, its URL
and how many browsers are connected (read from serve's status file,
``store/room_status.py``, every second)."""
from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any, Optional

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen

from kyogitai_tui.ui.widgets.plain import PlainStatic


class RoomStatusRead(Message):
    def __init__(self, status: Optional[dict]) -> None:
        super().__init__()
        self.status = status


def room_info_text(root: Optional[Path], status: Optional[dict[str, Any]]) -> str:
    """What the dialog says (plain text; tests read it)."""
    folder = f" --data-dir {shlex.quote(str(root))}" if root is not None else ""
    lines = ["会議室に映す表示（公開用の会議録に載る内容だけ・読み取り専用）", "",
             "■ プロジェクターに映す（このパソコンの別の端末で）",
             f"    kyogitai view{folder}", ""]
    if status:
        lines += ["■ ブラウザへ配信中",
                  f"    URL：{status.get('url', '')}",
                  f"    接続しているブラウザ：{int(status.get('clients') or 0)} 台"]
        if "token=" in str(status.get("url", "")):
            lines.append("    URL にはトークンが入っています。参加者にだけ伝えてください。")
    else:
        lines += ["■ ブラウザで見せる（オンライン参加者・別のパソコン）",
                  "  このパソコンのブラウザだけ:",
                  f"    kyogitai serve{folder}",
                  "  会議室のネットワークへ（トークン付きURLを表示）:",
                  f"    kyogitai serve{folder} --host 0.0.0.0",
                  "    接続しているブラウザ：0 台（配信していません）"]
    lines += ["", "対象者の仮名・番号、内部資料、個別事例の内容は表示されません。", "Esc または F10 で閉じます。"]
    return "\n".join(lines)


class RoomInfoScreen(ModalScreen):
    BINDINGS = [
        Binding("escape", "close", "閉じる", id="room_info.close"),
        Binding("f10", "close", "閉じる", id="room_info.close_f10", show=False),
    ]
    DEFAULT_CSS = """
    RoomInfoScreen { align: center middle; }
    RoomInfoScreen #room-info-body { width: 90%; max-width: 100; height: auto; max-height: 90%;
                                     border: thick $accent; background: $surface; padding: 1 2; }
    """

    def __init__(self, root: Optional[Path]) -> None:
        super().__init__()
        self.root = root
        self.status: Optional[dict] = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="room-info-body"):
            yield PlainStatic(room_info_text(self.root, None), id="room-info-text")

    def on_mount(self) -> None:
        self.read_status()
        self.set_interval(1.0, self.read_status)

    @work(thread=True, exclusive=True, group="room-status")
    def read_status(self) -> None:
        from kyogitai_tui.store.room_status import read_room_status

        self.post_message(RoomStatusRead(read_room_status(self.root) if self.root is not None else None))

    @on(RoomStatusRead)
    def _status(self, event: RoomStatusRead) -> None:
        self.status = event.status
        self.query_one("#room-info-text", PlainStatic).update(room_info_text(self.root, event.status))

    def action_close(self) -> None:
        self.dismiss()
