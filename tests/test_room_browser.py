"""``kyogitai serve`` in a real browser (Debian's chromium, headless): while a
meeting runs in the facilitator's app, the page shows the current item and a
newly typed statement; off loopback every request without the token is
refused; the page loads nothing from anywhere but the server (every other
host name fails to resolve, and every request is listed); F10 in the app
counts the connected browser."""
from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import date, datetime

import aiohttp
import pytest

from kyogitai_tui.commands._common import load_data
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.store import DataStore
from kyogitai_tui.store.room_status import read_room_status
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.room.serve import is_loopback, reachable_address

from room_browser import CHROMIUM, Browser
from ui_helpers import type_statement

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium がありません（.ci/run が apt-get で入れます）"),
    pytest.mark.xdist_group("room_browser"),
]

PORT, DEBUG_PORT = 18120, 18121
CLOCK = lambda: datetime(2025, 9, 16, 14, 5)  # noqa: E731


def _address() -> str:
    ip = reachable_address("0.0.0.0")
    if is_loopback(ip) or not ip[0].isdigit():
        pytest.skip("このマシンにはループバック以外のIPv4アドレスがありません")
    return ip


def start_serve(root, host: str, port: int, runtime_dir) -> tuple[subprocess.Popen, str, str]:
    """``kyogitai serve`` as a user starts it; (process, the URL it printed)."""
    import os

    env = dict(os.environ, KYOGITAI_RUNTIME_DIR=str(runtime_dir))
    proc = subprocess.Popen([sys.executable, "-m", "kyogitai_tui", "serve", "--data-dir", str(root),
                             "--host", host, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines = [proc.stdout.readline() for _ in range(4)]
    url = next((line.split("：", 1)[1].strip() for line in lines if line.startswith("ブラウザで開くURL")), None)
    if url is None:
        proc.kill()
        raise AssertionError(f"kyogitai serve did not start: {''.join(lines)}{proc.stderr.read()}")
    import socket
    import time

    target = "127.0.0.1" if host == "0.0.0.0" else host
    for _ in range(100):                       # the message comes just before the port listens
        try:
            socket.create_connection((target, port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, url, "".join(lines)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def test_a_meeting_reaches_the_browser_and_no_token_is_refused(demo_root, tmp_path, monkeypatch):
    ip = _address()
    monkeypatch.setenv("KYOGITAI_RUNTIME_DIR", str(tmp_path / "run"))
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                          today=date(2025, 9, 16), clock=CLOCK)
        async with app.run_test(size=(120, 40)) as pilot:
            app.session = MeetingSession(app.dataset, app.world, "M-C2-03", now=app.clock, today=app.today)
            app.start_live()
            await pilot.pause()
            await asyncio.to_thread(app.saver.flush)

            serve, url, said = start_serve(demo_root, "0.0.0.0", PORT, tmp_path / "run")
            browser = Browser(DEBUG_PORT)
            try:
                assert "トークン付きのURLを知らない人は開けません" in said
                token = url.split("?token=", 1)[1]
                assert len(token) >= 20 and url.startswith(f"http://{ip}:{PORT}/")
                base = f"http://{ip}:{PORT}"
                async with aiohttp.ClientSession() as http:
                    for path in ("/", "/static/js/textual.js", "/ws", "/?token=wrong"):
                        async with http.get(base + path) as r:
                            assert r.status == 403, path
                            assert "トークン付きのURL" in await r.text()
                async with aiohttp.ClientSession() as http:
                    async with http.get(url) as r:
                        assert r.status == 200
                        page = await r.text()
                assert "googleapis" not in page and "https://" not in page

                await browser.start(ip)
                tab = await browser.new_page()
                await tab.goto(url)
                # the first connection starts `kyogitai view` in a new process, and
                # chromium draws its terminal: on a loaded 2-core machine (the suite
                # beside two busy processes) that took more than 30 s once
                await tab.wait_for("前回議事録の確認", timeout=90)
                await tab.wait_for("北みほん支え合い会議")

                # a statement typed in the app reaches the page
                await type_statement(pilot, app, "見守りの担い手を募集する。")
                await asyncio.to_thread(app.saver.flush)
                # how fast is benchmarks/bench_room.py's figure, not this test's
                await tab.wait_for("見守りの担い手を募集する。", timeout=30)

                # nothing from the internet: every request went to the server, none failed
                assert tab.requests and all(u.startswith(base + "/") for u in tab.requests), tab.requests
                assert tab.failed == []

                # F10 in the app: one browser connected
                status = read_room_status(demo_root)
                assert status is not None and status["clients"] == 1 and status["url"] == url
                await pilot.press("f10")
                await pilot.pause(1.2)
                text = str(app.screen.query_one("#room-info-text").content)
                assert "接続しているブラウザ：1 台" in text and url in text
                await tab.close()
            finally:
                try:
                    await browser.close()
                finally:
                    stop(serve)
        assert read_room_status(demo_root) is None      # serve cleaned up its status file


async def test_loopback_needs_no_token_and_says_so(demo_root, tmp_path):
    serve, url, said = start_serve(demo_root, "127.0.0.1", PORT + 2, tmp_path / "run")
    try:
        assert url == f"http://127.0.0.1:{PORT + 2}/"
        assert "このパソコンの中からだけ開けます" in said
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as r:
                assert r.status == 200
    finally:
        stop(serve)
