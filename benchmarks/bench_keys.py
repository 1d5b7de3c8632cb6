"""Key press to repaint on the live meeting screen, at demo and large scale.

What is timed: from pressing a key in a headless Textual app (Pilot) until the
first screen update that follows it is handed to the terminal driver
(``App._display``): the key's handlers, the save handed to the writer thread,
the layout and the render.  Pilot's own waiting (tens of ms per press even in
an empty app) is not counted.  The live screen's one-second clock is paused
while measuring so that its repaint is not mistaken for the key's.
Keys: typing a character into the statement line, Enter to record a statement
(saved through the store), F5 (item done, next item), F4 (previous item), and
down/up in the agenda list.

    python benchmarks/bench_keys.py            # demo and --scale 42 (20,727 documents)
    python benchmarks/bench_keys.py --scale 42 --rounds 5

Target (issue 3): p95 <= 50 ms at the largest scale.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kyogitai_tui.commands._common import load_for_start
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import DEMO_TODAY, generate_scaled, load_demo
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import count_docs
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp


def _pick_meeting(world) -> str:
    """The upcoming meeting of the council with the most history."""
    best = None
    for council_id in world.councils:
        recs = world.meetings_of(council_id)
        planned = [r for r in recs if r.meeting.status == "PLANNED"]
        if planned and (best is None or len(recs) > best[0]):
            best = (len(recs), planned[0].id)
    if best is None:
        raise SystemExit("予定の会議が見つかりません")
    return best[1]


async def _measure(root: Path, rounds: int, walk: bool = True) -> dict[str, list[float]]:
    store = DataStore.open(root)
    dataset, world = load_for_start(store)  # as `kyogitai` does: read without GC passes, then frozen
    today = DEMO_TODAY
    app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset, today=today,
                      export_dir=root / "exports")
    times: dict[str, list[float]] = {}
    stamps: list[float] = []
    original = app._display

    def spy(screen, renderable):
        if renderable is not None:
            stamps.append(time.perf_counter())
        return original(screen, renderable)

    app._display = spy

    async def press(pilot, label: str, key: str) -> None:
        await pilot.pause()
        mark = len(stamps)
        t0 = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        if len(stamps) > mark:
            times.setdefault(label, []).append((stamps[mark] - t0) * 1000)

    async with app.run_test(size=(120, 40)) as pilot:
        mid = _pick_meeting(app.world)
        app.session = MeetingSession(app.dataset, app.world, mid, now=app.clock, today=today)
        app.start_live()
        await pilot.pause()
        app.screen.ticker.pause()
        for _ in range(rounds):
            await press(pilot, "F2 (to the statement line)", "f2")
            for ch in "abcdefghij":
                await press(pilot, "type a character", ch)
            await press(pilot, "Enter (record a statement)", "enter")
            await press(pilot, "F5 (done, next item)", "f5")
            await press(pilot, "F4 (previous item)", "f4")
            app.screen.query_one("#agenda-list").focus()
            await press(pilot, "down in the agenda", "down")
            await press(pilot, "up in the agenda", "up")
        # typing right after a change that rebuilds the World in a thread
        a02 = next((a for a in app.session.agenda if a.carried_action_ids), None)
        if a02 is not None and walk:
            for _ in range(rounds):
                app.screen.run_op(lambda: app.session.update_action(a02.carried_action_ids[0],
                                                                    status="IN_PROGRESS", note="x"))
                app.screen.query_one("#statement-input").focus()
                for ch in "abcde":
                    await press(pilot, "type while the World is rebuilt", ch)
        # then walk every item once: each workspace is built on arrival
        app.screen.query_one("#statement-input").focus()
        while walk and app.session.current_item() is not None:
            await press(pilot, "F5 into each item (its workspace built)", "f5")
        app.saver.flush()
        await pilot.press("ctrl+q")
    store.close()
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def run(scale: int | None, rounds: int, walk: bool = True) -> tuple[int, dict[str, list[float]]]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-keys-", dir=os.getcwd()))
    try:
        dataset = generate_scaled(scale, today=DEMO_TODAY) if scale else load_demo(DEMO_TODAY)
        root = tmp / "data"
        with DataStore.open(root, create=True) as store:
            store.write_dataset(dataset)
        times = asyncio.run(_measure(root, rounds, walk))
        return count_docs(dataset), times
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def summarise(docs: int, times: dict[str, list[float]]) -> dict:
    every = [t for values in times.values() for t in values]
    return {"docs": docs, "n": len(every), "median_ms": statistics.median(every), "p95_ms": _p95(every),
            "per_key": {label: {"n": len(v), "median_ms": statistics.median(v), "p95_ms": _p95(v)}
                        for label, v in times.items()}}


def measure(scale: int | None = None, rounds: int = 5, walk: bool = True) -> dict:
    """Key press to repaint on the live screen: {"docs", "n", "median_ms",
    "p95_ms", "per_key": {label: {"n", "median_ms", "p95_ms"}}}.
    ``walk=False`` leaves out the typing during a World rebuild and the walk
    through every item (for a smoke test)."""
    docs, times = run(scale, rounds, walk)
    return summarise(docs, times)


async def _measure_bare(rounds: int) -> dict[str, list[float]]:
    """The floor: the same timing in benchmarks/bare_app.py (a DataTable of 200 rows)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bare_app import BareApp

    app = BareApp()
    times: dict[str, list[float]] = {}
    stamps: list[float] = []
    original = app._display

    def spy(screen, renderable):
        if renderable is not None:
            stamps.append(time.perf_counter())
        return original(screen, renderable)

    app._display = spy
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(rounds):
            for key in ["down"] * 5 + ["up"] * 5 + ["pagedown", "pageup"]:
                await pilot.pause()
                mark = len(stamps)
                t0 = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                if len(stamps) > mark:
                    times.setdefault(f"bare DataTable {key}", []).append((stamps[mark] - t0) * 1000)
    return times


def measure_bare(rounds: int = 5) -> dict:
    """The floor: arrows and page keys in a bare Textual DataTable of 200 rows."""
    return summarise(0, asyncio.run(_measure_bare(rounds)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=None, help="only this scale (default: demo and 42)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--demo", action="store_true", help="only the demo")
    ap.add_argument("--bare", action="store_true", help="only the bare Textual app (the floor)")
    ap.add_argument("--json", action="store_true", help="print one JSON object (for benchmarks/harness.py)")
    ap.add_argument("--no-walk", action="store_true", help="leave out the World-rebuild typing and the walk through every item")
    args = ap.parse_args(argv)
    if args.json:
        import json

        res = measure_bare(args.rounds) if args.bare else measure(None if args.demo else args.scale, args.rounds,
                                                                 walk=not args.no_walk)
        print(json.dumps(res))
        return 0
    scales = [None] if args.demo else [args.scale] if args.scale else [None, 42]
    print(f"# key press to repaint - Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, 120x40")
    print()
    print("| data | docs | key | n | median (ms) | p95 (ms) |")
    print("|---|---:|---|---:|---:|---:|")
    worst = {}
    for scale in scales:
        res = measure(scale, args.rounds)
        name = "demo" if scale is None else f"--scale {scale}"
        for label, r in res["per_key"].items():
            print(f"| {name} | {res['docs']:,} | {label} | {r['n']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} |")
        print(f"| {name} | {res['docs']:,} | all keys | {res['n']} | {res['median_ms']:.1f} | {res['p95_ms']:.1f} |")
        worst[name] = res["p95_ms"]
    bare = measure_bare(args.rounds)
    print(f"| bare Textual app | 0 | arrows, page keys in a DataTable | {bare['n']} | {bare['median_ms']:.1f} | {bare['p95_ms']:.1f} |")
    largest = list(worst)[-1]
    verdict = "OK" if worst[largest] <= 50 else "NOT MET"
    print()
    print(f"target: p95 <= 50 ms at the largest scale ({largest}): {worst[largest]:.1f} ms {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
