"""``kyogitai serve``: the room's screen in web browsers (textual-serve).

Each browser that opens the page gets its own ``kyogitai view`` process (run
by textual-serve's ``AppService``), drawn in the page by xterm.js.  On top of
textual-serve's ``Server`` this adds:

  * **nothing from the internet**: the page is our own template
    (``web/index.html``), which loads only the script, style and font that the
    textual-serve package installs (its own template asks a font service for
    Roboto Mono; ours serves the font from /static/);
  * **a token off loopback**: on any address other than loopback every request
    -- the page, the static files, the websocket -- must carry the random token
    (``?token=`` once; the page then sets a cookie for the rest) or is refused
    with 403 and a Japanese line saying what to do;
  * the page's addresses are built from the address the browser used, so
    binding 0.0.0.0 works;
  * **the status file** (``store/room_status.py``): the URL and how many
    browsers are connected, for the live screen's F10;
  * **one reading per save**: serve follows the data folder itself
    (``follow``) and writes the redacted view to a small file that every
    browser's view reads (``source.SharedRoomSource``).
"""
from __future__ import annotations

import asyncio
import hmac
import ipaddress
import os
import secrets
import shlex
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from kyogitai_tui.store.room_status import remove_room_status, room_view_path, write_room_status, write_room_view
from kyogitai_tui.ui.room.source import RoomSource

WEB = Path(__file__).resolve().parent / "web"
POLL_SECONDS = 0.25
COOKIE = "kyogitai_room"
REFUSED = ("この表示を開くには、kyogitai serve が表示したトークン付きのURL（…?token=…）を使ってください。\n"
           "Use the URL with ?token=... printed by kyogitai serve.\n")


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def reachable_address(host: str) -> str:
    """The address to put in the URL others type: the host itself, or for
    0.0.0.0 / :: this machine's address on its main network (no packet is sent)."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))          # TEST-NET: only picks the outgoing interface
            return s.getsockname()[0]
    except OSError:
        return socket.gethostname()


def view_command(shared: Path) -> str:
    parts = [sys.executable, "-m", "kyogitai_tui", "view", "--shared-view", str(shared)]
    return " ".join(shlex.quote(p) for p in parts)


class RoomServer(Server):
    def __init__(self, root: Path, meeting_id: Optional[str], host: str, port: int,
                 token: Optional[str] = None, *, out: Any = None, catalog: Any = None) -> None:
        super().__init__(view_command(room_view_path(root)), host=host, port=port,
                         title="協議体 会議の表示", templates_path=WEB)
        self.source = RoomSource(root, meeting_id, catalog=catalog)
        self.follower: Optional[asyncio.Task] = None
        # textual-serve's own static files (script, style, font), installed with it
        import textual_serve

        self.statics_path = Path(textual_serve.__file__).resolve().parent / "static"
        self.root = root
        self.loopback = is_loopback(host)
        self.token = token if token is not None else (None if self.loopback else secrets.token_urlsafe(24))
        self.clients = 0
        self.out = out or sys.stdout
        shown = reachable_address(host) if not self.loopback else ("127.0.0.1" if host == "localhost" else host)
        if ":" in shown:
            shown = f"[{shown}]"
        self.url = f"http://{shown}:{port}/" + (f"?token={self.token}" if self.token else "")

    # ---- the token ----------------------------------------------------------
    def allowed(self, request: web.Request) -> bool:
        if self.token is None:
            return True
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        return hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8"))

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()

        @web.middleware
        async def guard(request: web.Request, handler):
            if not self.allowed(request):
                return web.Response(status=403, text=REFUSED, content_type="text/plain", charset="utf-8")
            response = await handler(request)
            if self.token and request.query.get("token") and isinstance(response, web.Response):
                response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
            return response

        app.middlewares.append(guard)
        return app

    # ---- the page: addresses as the browser reached us ------------------
    @aiohttp_jinja2.template("index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        base = f"{request.host}"
        font = request.query.get("fontsize", "20")
        return {
            "font_size": int(font) if font.isdigit() and 8 <= int(font) <= 64 else 20,
            "app_websocket_url": f"ws://{base}/ws",
            "config": {"static": {"url": f"http://{base}/static/"}},
            "application": {"name": self.title},
        }

    # ---- browsers connected ---------------------------------------------------
    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        self.clients += 1
        self.write_status()
        try:
            return await super().handle_websocket(request)
        finally:
            self.clients -= 1
            self.write_status()

    def write_status(self) -> None:
        try:
            write_room_status(self.root, {"pid": os.getpid(), "url": self.url, "host": self.host,
                                          "port": self.port, "clients": self.clients,
                                          "since": datetime.now().isoformat(timespec="seconds")})
        except Exception:      # the count is a convenience; serving goes on without it
            pass

    async def on_startup(self, app: web.Application) -> None:
        self.share(self.source.poll())
        self.write_status()
        self.follower = asyncio.create_task(self.follow())
        print(self.start_message(), file=self.out, flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        if self.follower is not None:
            self.follower.cancel()
        remove_room_status(self.root)

    async def follow(self) -> None:
        """Read the data folder once per change (as ``kyogitai view`` does, in a
        thread) and hand the new view to every browser's view through the file."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                view = await asyncio.to_thread(self.source.poll)
            except Exception:          # never stop serving over one bad reading
                continue
            self.share(view)

    def share(self, view) -> None:
        if view is None:
            return
        from kyogitai_tui.minutes.room import view_to_doc

        try:
            write_room_view(self.root, view_to_doc(view))
        except Exception:
            pass

    def start_message(self) -> str:
        lines = [f"会議の表示を配信しています（{self.host} のポート {self.port}）。",
                 f"ブラウザで開くURL：{self.url}"]
        if self.loopback:
            lines.append("このパソコンの中からだけ開けます（ほかの機器からは開けません）。"
                         "ほかの機器に見せるには --host に このパソコンのアドレスか 0.0.0.0 を指定してください。")
        else:
            where = "このパソコンのすべてのネットワーク" if self.host in ("0.0.0.0", "::") else f"アドレス {self.host}"
            lines.append(f"{where}から、同じネットワークにつながった機器が開けます。"
                         "トークン付きのURLを知らない人は開けません（拒否されます）。URLは参加者にだけ伝えてください。")
        lines.append("表示は公開用の会議録に載る内容だけです。終了するには ctrl+c を押します。")
        return "\n".join(lines)

    def initialize_logging(self) -> None:
        """textual-serve logs each request in English: only warnings here."""
        import logging

        logging.basicConfig(level="WARNING", format="%(message)s")
