"""Durable save of one edit during a meeting: the store vs. TinyDB's default JSONStorage.

What is timed: one ``DataStore.meeting_upsert`` of a statement into the current
meeting (temp file, fsync, rename, directory fsync), at demo scale and at a
large scale; beside it, TinyDB's ``JSONStorage`` (which rewrites and fsyncs
its single file in place) inserting the same statement into a one-file
database that holds the same documents.

Usage::

    python benchmarks/bench_save.py                 # demo + large, synthetic data
    python benchmarks/bench_save.py --scale large --runs 5 --edits 40
    python benchmarks/bench_save.py --dataset-from DIR   # a dir from `kyogitai demo-data DIR --scale N`

Data is written under ``--dir`` (default: a temp dir in the current directory,
so the disk measured is a real one and not a tmpfs /tmp) and removed after.
A directory given with ``--dataset-from`` is copied first and never written.
Targets: median <= 10 ms at the largest scale, and <= 1.5x the demo figure.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tinydb import TinyDB  # noqa: E402
from tinydb.storages import JSONStorage  # noqa: E402

from kyogitai_tui.store import DataStore  # noqa: E402

TEXTS = [
    "移動支援の団体はまだ入っていない。次回までに声をかけます。",
    "地区社協のサロンで買い物の困りごとが三件出ている。",
    "民生委員から、見守りの対象が増えて手が回らないとの意見。",
    "包括支援センターとして、個別ケースの共有方法を整理したい。",
    "NPO の送迎ボランティアは平日午前なら対応できる。",
]
SCALES = {
    # (registry docs per table, meetings, docs per meeting table)
    "demo": ({"municipality": 1, "areas": 6, "organizations": 40, "persons": 60, "councils": 3, "networks": 10},
             4, {"agenda": 8, "attendance": 15, "statements": 15, "findings": 3, "decisions": 2, "action_items": 2}),
    "large": ({"municipality": 1, "areas": 30, "organizations": 400, "persons": 1200, "councils": 20, "networks": 300},
              600, {"agenda": 8, "attendance": 14, "statements": 8, "findings": 2, "decisions": 1, "action_items": 1}),
}


def synthetic_dataset(scale: str, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    registry_sizes, n_meetings, meeting_sizes = SCALES[scale]
    registry = {
        table: [{"id": f"{table[:2].upper()}{i:05d}", "name": f"{table} {i} 北みほん", "area": f"AR{rnd.randrange(30):02d}",
                 "note": rnd.choice(TEXTS), "tags": ["第2層", "地縁"][: rnd.randrange(3)]}
                for i in range(n)]
        for table, n in registry_sizes.items()
    }
    meetings = {}
    for m in range(n_meetings):
        mid = f"M-{2020 + m // 6}-{m % 6 + 1:02d}-{m:04d}"
        meetings[mid] = {
            table: [{"id": f"{table[:2].upper()}{i:03d}", "meeting_id": mid, "speaker": rnd.choice(["会長", "委員", "SC", "事務局"]),
                     "text": rnd.choice(TEXTS), "org": f"OR{rnd.randrange(400):05d}", "minutes": rnd.randrange(5, 20)}
                    for i in range(n)]
            for table, n in meeting_sizes.items()
        }
    return {"registry": registry, "sensitive": {"subject_sensitive": [{"id": "R001", "label": "Aさん"}]}, "meetings": meetings}


def doc_count(ds: dict) -> int:
    n = sum(len(d) for d in ds["registry"].values()) + sum(len(d) for d in ds["sensitive"].values())
    return n + sum(len(d) for t in ds["meetings"].values() for d in t.values())


def statement(i: int, mid: str) -> dict:
    return {"id": f"BENCH-{i:05d}", "meeting_id": mid, "speaker": "委員", "text": TEXTS[i % len(TEXTS)], "item": "A05"}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_store(root: Path, runs: int, edits: int) -> dict:
    t0 = time.perf_counter()
    store = DataStore.open(root)
    open_ms = (time.perf_counter() - t0) * 1000
    mid = store.meeting_ids()[-1]
    t0 = time.perf_counter()
    store.meeting_upsert(mid, "statements", statement(0, mid))  # first write: loads + backs up the file
    first_ms = (time.perf_counter() - t0) * 1000
    times, run_medians, i = [], [], 1
    for _ in range(runs):
        run = []
        for _ in range(edits):
            doc = statement(i, mid)
            t0 = time.perf_counter()
            store.meeting_upsert(mid, "statements", doc)
            run.append((time.perf_counter() - t0) * 1000)
            i += 1
        run_medians.append(statistics.median(run))
        times += run
        for j in range(i - edits, i):  # back to the same size for the next run (not timed)
            store.meeting_delete(mid, "statements", f"BENCH-{j:05d}")
    reg = []  # a registry edit (rare during a meeting), for information
    for k in range(max(5, edits // 4)):
        t0 = time.perf_counter()
        store.upsert("organizations", {"id": f"BENCH-ORG-{k}", "name": "ベンチ用の団体"})
        reg.append((time.perf_counter() - t0) * 1000)
    for k in range(max(5, edits // 4)):
        store.delete("organizations", f"BENCH-ORG-{k}")
    store.close()
    return {"registry_ms": statistics.median(reg), "open_ms": open_ms, "first_ms": first_ms, "median": statistics.median(times), "p95": pct(times, 95),
            "run_medians": run_medians, "n": len(times), "file_kb": (root / "meetings" / f"{mid}.json").stat().st_size / 1024}


def bench_tinydb_default(path: Path, ds: dict, runs: int, edits: int) -> dict:
    db = TinyDB(path, storage=JSONStorage, ensure_ascii=False)
    tables: dict[str, list] = {name: list(docs) for name, docs in ds["registry"].items()}
    for name, docs in ds["sensitive"].items():
        tables.setdefault(name, []).extend(docs)
    for mid, mtables in ds["meetings"].items():
        for name, docs in mtables.items():
            tables.setdefault(name, []).extend(dict(d, meeting_id=mid) for d in docs)
    for name, docs in tables.items():
        db.table(name).insert_multiple(docs)
    mid = sorted(ds["meetings"])[-1]
    times, run_medians, i = [], [], 1
    statements = db.table("statements")
    for _ in range(runs):
        run = []
        for _ in range(edits):
            doc = statement(i, mid)
            t0 = time.perf_counter()
            statements.insert(doc)
            run.append((time.perf_counter() - t0) * 1000)
            i += 1
        run_medians.append(statistics.median(run))
        times += run
    db.close()
    return {"median": statistics.median(times), "p95": pct(times, 95), "run_medians": run_medians, "n": len(times),
            "file_kb": path.stat().st_size / 1024}


def measure(data_dir: Path, runs: int = 5, edits: int = 40, baseline_edits: int | None = None,
            baseline: bool = True, work: Path | None = None) -> dict:
    """One durable meeting edit on a copy of ``data_dir`` (a dir written by
    ``kyogitai demo-data``), beside TinyDB's JSONStorage holding the same
    documents in one file.  Returns {"docs", "meetings", "median_ms",
    "p95_ms", "tinydb_median_ms", "tinydb_p95_ms", "open_ms", "first_ms",
    "registry_ms", "file_kb", "tinydb_file_kb"} (the TinyDB figures None
    without ``baseline``)."""
    tmp = Path(tempfile.mkdtemp(prefix=".bench-save-", dir=work or Path.cwd()))
    try:
        root = tmp / "store"
        shutil.copytree(data_dir, root, ignore=shutil.ignore_patterns(".lock", "backups"))
        with DataStore.open(root, read_only=True) as s:
            ds = s.load_dataset()
        store = bench_store(root, runs, edits)
        base = None
        if baseline:
            n = baseline_edits or (edits if doc_count(ds) < 5000 else max(4, edits // 8))
            base = bench_tinydb_default(tmp / "tinydb.json", ds, runs, n)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"docs": doc_count(ds), "meetings": len(ds["meetings"]), "median_ms": store["median"],
            "p95_ms": store["p95"], "open_ms": store["open_ms"], "first_ms": store["first_ms"],
            "registry_ms": store["registry_ms"], "file_kb": store["file_kb"],
            "tinydb_median_ms": base["median"] if base else None, "tinydb_p95_ms": base["p95"] if base else None,
            "tinydb_file_kb": base["file_kb"] if base else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=["demo", "large", "both"], default="both")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--edits", type=int, default=40, help="timed edits per run")
    ap.add_argument("--baseline-edits", type=int, default=None, help="edits per run for TinyDB JSONStorage")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--dataset-from", type=Path, help="measure a data dir written by `kyogitai demo-data`")
    ap.add_argument("--dir", type=Path, default=None, help="where to write the benchmark data")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix=".bench-save-", dir=args.dir or Path.cwd()))
    print(f"# durable save benchmark — {platform.python_version()}, {os.cpu_count()} CPUs, data in {work}")
    results = {}
    try:
        if args.dataset_from:
            label = f"from {args.dataset_from}"
            root = work / "store"
            shutil.copytree(args.dataset_from, root, ignore=shutil.ignore_patterns(".lock", "backups"))
            with DataStore.open(root, read_only=True) as s:
                ds = s.load_dataset()
            jobs = [(label, root, ds)]
        else:
            jobs = []
            for scale in (["demo", "large"] if args.scale == "both" else [args.scale]):
                ds = synthetic_dataset(scale)
                root = work / scale
                t0 = time.perf_counter()
                with DataStore.open(root, create=True) as s:
                    s.write_dataset(ds)
                print(f"  wrote {scale}: {doc_count(ds):,} docs, {len(ds['meetings'])} meetings "
                      f"in {time.perf_counter() - t0:.1f} s")
                jobs.append((scale, root, ds))
        for label, root, ds in jobs:
            store = bench_store(root, args.runs, args.edits)
            base = None
            if not args.no_baseline:
                edits = args.baseline_edits or (args.edits if doc_count(ds) < 5000 else max(4, args.edits // 8))
                base = bench_tinydb_default(work / f"{label.replace('/', '_')}-tinydb.json", ds, args.runs, edits)
            results[label] = (doc_count(ds), len(ds["meetings"]), store, base)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print("| scale | docs | meetings | store median (ms) | store p95 (ms) | meeting file (KB) | "
          "TinyDB JSONStorage median (ms) | p95 (ms) | single file (KB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, (docs, meetings, s, b) in results.items():
        bm = f"{b['median']:.1f} | {b['p95']:.1f} | {b['file_kb']:,.0f}" if b else "- | - | -"
        print(f"| {label} | {docs:,} | {meetings} | {s['median']:.2f} | {s['p95']:.2f} | {s['file_kb']:.0f} | {bm} |")
    print()
    for label, (docs, meetings, s, b) in results.items():
        print(f"  {label}: open {s['open_ms']:.0f} ms; registry edit median {s['registry_ms']:.1f} ms; first edit (loads + backs up the file) {s['first_ms']:.1f} ms; "
              f"store run medians {[round(x, 2) for x in s['run_medians']]} (n={s['n']})"
              + (f"; JSONStorage run medians {[round(x, 1) for x in b['run_medians']]} (n={b['n']})" if b else ""))
    largest = max(results.values(), key=lambda r: r[0])[2]["median"]
    ok = largest <= 10.0
    verdict = [f"largest-scale median {largest:.2f} ms <= 10 ms: {'OK' if ok else 'NOT MET'}"]
    if "demo" in results and "large" in results:
        ratio = results["large"][2]["median"] / results["demo"][2]["median"]
        ok = ok and ratio <= 1.5
        verdict.append(f"large/demo = {ratio:.2f} <= 1.5: {'OK' if ratio <= 1.5 else 'NOT MET'}")
    print("  targets: " + "; ".join(verdict))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
