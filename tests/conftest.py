"""Shared fixtures and settings for the whole suite.

- ``demo``: the demo municipality's World at two reference dates (module-wide).
- ``demo_dataset`` / ``demo_world``: the demo's documents and their World,
  fresh for each test.
- ``demo_root``: a data folder holding the demo, fresh for each test (a copy of
  one written once per test process). ``demo_folder`` gives such copies to
  module-scoped fixtures.
- ``@pytest.mark.demo_today(date)`` on a test or module: the three above hold
  the demo written for that date instead of the demo's own (2025-09-09).
- Hypothesis profiles: ``ci`` (the normal run) and ``full``
  (``HYPOTHESIS_PROFILE=full python -m pytest -q``).
- Long tests run first, so that parallel workers finish together.
- The cyclic garbage collector leaves the modules loaded at collection alone
  (``gc.freeze``) and runs less often (see ``pytest_collection_finish``).
"""
from __future__ import annotations

import gc
import inspect
import os
import shutil
import socket
import sys
from datetime import date
from pathlib import Path

# Compiled modules are kept between runs even where the environment says not
# to write them beside the sources (PYTHONDONTWRITEBYTECODE): in a cache of
# the suite's own, so that each of the parallel workers does not rewrite the
# test modules' assertions and compile the app again (about 4 s of CPU per
# worker, every run), nor each `kyogitai` the tests start (70 ms and more
# each).  Python and pytest check each cached file against its source's size
# and time, as usual.
if sys.dont_write_bytecode and sys.pycache_prefix is None:
    sys.pycache_prefix = str(Path(__file__).resolve().parent.parent / ".pytest_cache" / "pycache")
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import pytest
from hypothesis import HealthCheck, settings


from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.world import World

# A reference date far from the demo's own: every planted fact must hold
# whatever day the demo is anchored to.
SHIFTED = date(2026, 11, 27)

# Property tests that state no example count of their own run this many in
# the normal run; the full profile runs ten times as many.
settings.register_profile("ci", max_examples=20, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("full", max_examples=200, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Long tests that are not Pilot walks (those are coroutines and go first anyway).
# The real app in tmux (test_tmux_*) goes first of all: a walk there is 30 s of
# waiting for the terminal, which the other workers' CPU work fills.
LONG_MODULES = {"test_benchmarks_smoke", "test_kill_harness", "test_kill_harness_pg", "test_minutes_property",
                "test_reliability_instances", "test_minutes_render"}


def _order(item) -> int:
    module = item.module.__name__.rsplit(".", 1)[-1]
    if module.startswith("test_tmux_"):
        return 0
    if inspect.iscoroutinefunction(getattr(item, "function", None)) or module in LONG_MODULES:
        return 1
    return 2


def pytest_collection_modifyitems(items):
    """The terminal walks, Pilot walks and the other long tests first: a
    worker that draws one near the end would otherwise run it alone while the
    others are done (at 2026-12-02 the tmux walk started at 188 s and ended
    the run at 221 s).  The order is the same in every worker (pytest-xdist
    requires it)."""
    items.sort(key=_order)


def pytest_collection_finish(session):
    """Everything imported so far (Textual, the app, the test modules) lives
    until the process ends: freeze it so that the collector does not walk it
    again at every full collection, and collect young objects less often.
    A Pilot walk makes millions of short-lived objects; with Python's default
    thresholds the collector took about a tenth of its time (6.2 s of a 57 s
    pair of walks, 2.0 s after this)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 1000)


def pytest_unconfigure(config):
    """At the end pytest collects garbage five times over, to report any
    exception raised while an object was deleted (unraisable exceptions).
    Each walk of a worker's heap took about 0.6 s.  One collection here,
    while pytest's hook still listens, reports the same exceptions; freezing
    what is left makes pytest's five walks cheap."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="module", params=["demo_today", "shifted"])
def demo(request):
    """(World of the demo municipality, its today), at the demo's reference
    date and at a shifted one."""
    today = DEMO_TODAY if request.param == "demo_today" else SHIFTED
    return World.from_dataset(load_demo(today)), today


def _demo_day(request) -> date:
    marker = request.node.get_closest_marker("demo_today")
    return marker.args[0] if marker else DEMO_TODAY


@pytest.fixture
def demo_dataset(request) -> dict:
    """The demo's documents, written for the demo's reference date (2025-09-09)
    or the date given by ``@pytest.mark.demo_today(date)``; fresh for each
    test, change them freely."""
    return load_demo(_demo_day(request))


@pytest.fixture
def demo_world(demo_dataset) -> World:
    """The World of ``demo_dataset`` (built from the same documents)."""
    return World.from_dataset(demo_dataset)


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory):
    """``demo_folder(dest, today=DEMO_TODAY) -> dest``: copy the demo's data
    folder to ``dest``. The demo is written once per test process and date
    (by ``kyogitai demo-data``, as a user would), then copied file by file
    with permissions and times kept."""
    written: dict[date, Path] = {}

    def copy(dest: Path, today: date = DEMO_TODAY) -> Path:
        if today not in written:
            from kyogitai_tui.cli import main

            source = tmp_path_factory.mktemp(f"demo-{today.isoformat()}") / "data"
            assert main(["demo-data", str(source), "--today", today.isoformat()]) == 0
            written[today] = source
        shutil.copytree(written[today], dest)
        return dest

    return copy


@pytest.fixture
def demo_root(request, tmp_path, demo_folder) -> Path:
    """A data folder holding the demo, written for the demo's reference date
    (2025-09-09) or the date given by ``@pytest.mark.demo_today(date)``; each
    test gets its own."""
    return demo_folder(tmp_path / "data", _demo_day(request))


# Privacy guards (tests/test_reliability_privacy.py, tests/test_ui_walk.py).

@pytest.fixture
def no_network(monkeypatch):
    """Every way to reach a network fails and is recorded (local socketpairs,
    which asyncio uses to wake itself, stay allowed)."""
    attempts: list[str] = []

    def refuse(what):
        def fail(*args, **kwargs):
            attempts.append(f"{what}{args[1:2] or args[:1]}")
            raise OSError(f"テスト中はネットワークを使えません: {what}")
        return fail

    real_init = socket.socket.__init__

    def init(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
            attempts.append(f"socket({family}, {type})")
            raise OSError("テスト中はネットワークを使えません: socket")
        real_init(self, family, type, proto, fileno)

    monkeypatch.setattr(socket.socket, "__init__", init)
    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


@pytest.fixture
def umask_zero():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)
