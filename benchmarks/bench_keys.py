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

from kyogitai_tui.cli import load_data
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import DEMO_TODAY, generate_scaled, load_demo
from kyogitai_tui.domain.session import MeetingSession
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


async def _measure(root: Path, rounds: int) -> dict[str, list[float]]:
    store = DataStore.open(root)
    dataset, world = load_data(store)
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
        if a02 is not None:
            for _ in range(rounds):
                app.screen.run_op(lambda: app.session.update_action(a02.carried_action_ids[0],
                                                                    status="IN_PROGRESS", note="x"))
                app.screen.query_one("#statement-input").focus()
                for ch in "abcde":
                    await press(pilot, "type while the World is rebuilt", ch)
        # then walk every item once: each workspace is built on arrival
        app.screen.query_one("#statement-input").focus()
        while app.session.current_item() is not None:
            await press(pilot, "F5 into each item (its workspace built)", "f5")
        app.saver.flush()
        await pilot.press("ctrl+q")
    store.close()
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def run(scale: int | None, rounds: int) -> tuple[int, dict[str, list[float]]]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-keys-", dir=os.getcwd()))
    try:
        dataset = generate_scaled(scale, today=DEMO_TODAY) if scale else load_demo(DEMO_TODAY)
        root = tmp / "data"
        with DataStore.open(root, create=True) as store:
            store.write_dataset(dataset)
        times = asyncio.run(_measure(root, rounds))
        return count_docs(dataset), times
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=None, help="only this scale (default: demo and 42)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    scales = [args.scale] if args.scale else [None, 42]
    print(f"# key press to repaint - Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, 120x40")
    print()
    print("| data | docs | key | n | median (ms) | p95 (ms) |")
    print("|---|---:|---|---:|---:|---:|")
    worst = {}
    for scale in scales:
        docs, times = run(scale, args.rounds)
        name = "demo" if scale is None else f"--scale {scale}"
        every = []
        for label, values in times.items():
            every += values
            print(f"| {name} | {docs:,} | {label} | {len(values)} | {statistics.median(values):.1f} | {_p95(values):.1f} |")
        print(f"| {name} | {docs:,} | all keys | {len(every)} | {statistics.median(every):.1f} | {_p95(every):.1f} |")
        worst[name] = _p95(every)
    largest = list(worst)[-1]
    verdict = "OK" if worst[largest] <= 50 else "NOT MET"
    print()
    print(f"target: p95 <= 50 ms at the largest scale ({largest}): {worst[largest]:.1f} ms {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
