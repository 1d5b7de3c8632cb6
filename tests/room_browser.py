"""A headless Debian chromium driven over the DevTools protocol (aiohttp's
websocket client: no extra dependency), for the room-view tests and benchmark.

The page draws the terminal with xterm.js on a canvas, and textual-serve keeps
the xterm ``Terminal`` in a closure.  A script added before the page loads
catches it when the page assigns ``this.terminal = new Terminal(...)``, so the
test reads the screen the way a person sees it: the rows of the terminal's
buffer.  Every request the page makes is recorded (``requests``), and any
host name other than the server's fails to resolve (``--host-resolver-rules``),
so a page that needed the internet would show it.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import subprocess
import tempfile
from typing import Optional

import aiohttp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(v) {
    Object.defineProperty(this, 'terminal', {value: v, writable: true, configurable: true, enumerable: true});
    if (v && v.buffer !== undefined) { window.__room_terminal = v; }
  },
});
"""
READ_SCREEN = """
(() => {
  const t = window.__room_terminal;
  if (!t) return '';
  const b = t.buffer.active, out = [];
  for (let i = 0; i < t.rows; i++) { const l = b.getLine(i); out.push(l ? l.translateToString(true) : ''); }
  return out.join('\\n');
})()
"""


class Browser:
    def __init__(self, debug_port: int, *, width: int = 1280, height: int = 800, nice: int = 0) -> None:
        self.debug_port = debug_port
        self.nice = nice
        self.size = (width, height)
        self.proc: Optional[subprocess.Popen] = None
        self.http: Optional[aiohttp.ClientSession] = None
        self.profile = tempfile.mkdtemp(prefix="kyogitai-chromium-")

    async def start(self, server_host: str) -> None:
        assert CHROMIUM is not None
        self.proc = subprocess.Popen(
            (["nice", "-n", str(self.nice)] if self.nice else []) + [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--disable-extensions", "--mute-audio",
             f"--user-data-dir={self.profile}", f"--remote-debugging-port={self.debug_port}",
             "--remote-allow-origins=*", f"--window-size={self.size[0]},{self.size[1]}",
             f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {server_host}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.http = aiohttp.ClientSession()
        # a cold chromium on a busy 2-core machine can take well over 10 s to listen
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while loop.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.proc.returncode} before it listened")
            try:
                async with self.http.get(f"http://127.0.0.1:{self.debug_port}/json/version") as r:
                    await r.json()
                    return
            except aiohttp.ClientError:
                await asyncio.sleep(0.2)
        raise RuntimeError("chromium did not start within 60 s")

    async def close(self) -> None:
        if self.http is not None:
            await self.http.close()
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    async def new_page(self) -> "Page":
        async with self.http.put(f"http://127.0.0.1:{self.debug_port}/json/new?about:blank") as r:
            target = json.loads(await r.text())
        ws = await self.http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
        page = Page(ws, target["id"])
        page.reader = asyncio.create_task(page.read_loop())
        await page.call("Network.enable")
        await page.call("Page.enable")
        await page.call("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)
        return page


class Page:
    def __init__(self, ws, target_id: str) -> None:
        self.ws = ws
        self.target_id = target_id
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future] = {}
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.reader: Optional[asyncio.Task] = None

    async def read_loop(self) -> None:
        async for msg in self.ws:
            data = json.loads(msg.data)
            if "id" in data and data["id"] in self.waiting:
                self.waiting.pop(data["id"]).set_result(data)
            elif data.get("method") == "Network.requestWillBeSent":
                self.requests.append(data["params"]["request"]["url"])
            elif data.get("method") == "Network.loadingFailed":
                self.failed.append(data["params"].get("errorText", ""))

    async def call(self, method: str, **params):
        i = next(self.ids)
        fut = asyncio.get_running_loop().create_future()
        self.waiting[i] = fut
        await self.ws.send_str(json.dumps({"id": i, "method": method, "params": params}))
        data = await asyncio.wait_for(fut, 20)
        if "error" in data:
            raise RuntimeError(f"{method}: {data['error']}")
        return data.get("result", {})

    async def goto(self, url: str) -> None:
        await self.call("Page.navigate", url=url)

    async def screen(self) -> str:
        result = await self.call("Runtime.evaluate", expression=READ_SCREEN, returnByValue=True)
        return result.get("result", {}).get("value", "") or ""

    async def wait_for(self, text: str, timeout: float = 20.0, step: float = 0.05) -> float:
        """Seconds until ``text`` is on the page's terminal; TimeoutError otherwise."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        while True:
            shown = await self.screen()
            if text in shown.replace(" ", "").replace("\n", "") or text in shown:
                return loop.time() - start
            if loop.time() - start > timeout:
                raise TimeoutError(f"{text!r} not on the page; it shows:\n{shown}")
            await asyncio.sleep(step)

    async def close(self) -> None:
        await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
