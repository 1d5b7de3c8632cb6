"""The PostgreSQL backend (``kyogitai --database URL``) against a local server.

A throwaway cluster is started for the run (tests/pg_cluster.py: a temp
directory, a Unix socket only, fsync ON so a save is as durable as the
folder's), the demo and ``--scale N`` written into two databases, and then:

* **save**: one ``PgStore.meeting_upsert`` of a statement into the newest
  meeting (a transaction: row lock of the meeting, row version, commit with
  fsync of the WAL), median and p95 over ``runs x edits``;
* **cold start**: the real ``kyogitai --database URL --today 2025-09-09`` in a
  120x40 pseudo-terminal with ``TEXTUAL_PRESS=ctrl+q``, interleaved with
  ``benchmarks/bare_app.py`` (bench_start.py's launcher, same method);
* **search / actions**: ``kyogitai search 買い物 --database URL`` and
  ``kyogitai actions --database URL``, wall time of the whole process;
* **two meetings at once**: two coordinators' stores (two connections), each
  saving ``edits`` statements into its own council's meeting at the same
  time; the saves' median and whether every edit is in the database.

    python benchmarks/bench_pg.py                  # demo + --scale 200
    python benchmarks/bench_pg.py --scale 10 --runs 3
"""
from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "src"))
sys.path.insert(0, str(HERE.parents[0] / "tests"))
sys.path.insert(0, str(HERE))

TODAY = "2025-09-09"


def _pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def write(url: str, scale: int | None) -> int:
    from kyogitai_tui.commands.demo_data import write_demo_database
    from kyogitai_tui.domain.dates import parse_date

    return write_demo_database(url, parse_date(TODAY), scale, force=False)


def bench_save(url: str, runs: int, edits: int) -> dict:
    from kyogitai_tui.store.pg import PgStore

    store = PgStore.open(url)
    try:
        store.load_dataset()
        mid = store.meeting_ids()[-1]
        store.meeting_upsert(mid, "statements", {"id": "BENCH-0", "meeting_id": mid, "text": "最初"})
        times, i = [], 1
        for _ in range(runs):
            for _ in range(edits):
                doc = {"id": f"BENCH-{i}", "meeting_id": mid, "speaker_label": "MEMBER",
                       "text": "地区社協のサロンで買い物の困りごとが三件出ている。"}
                t0 = time.perf_counter()
                store.meeting_upsert(mid, "statements", doc)
                times.append((time.perf_counter() - t0) * 1000)
                i += 1
        store.write_file("meeting", mid, [("statements", f"BENCH-{j}", None) for j in range(i)])
    finally:
        store.close()
    return {"median_ms": statistics.median(times), "p95_ms": _pct(times, 95), "n": len(times)}


def bench_two_meetings(url: str, edits: int) -> dict:
    from kyogitai_tui.store.pg import PgStore

    with PgStore.open(url, read_only=True) as reader:
        data = reader.load_dataset()
    by_council: dict[str, str] = {}
    for mid, tables in sorted(data["meetings"].items()):
        by_council[tables["meeting"][0]["council_id"]] = mid
    first, second = list(by_council.values())[:2]
    times: list[float] = []
    lock = threading.Lock()

    def coordinator(mid: str, tag: str) -> None:
        with PgStore.open(url) as store:
            for n in range(edits):
                doc = {"id": f"TWO-{tag}-{n}", "meeting_id": mid, "text": f"{tag} の発言 {n}"}
                t0 = time.perf_counter()
                store.meeting_upsert(mid, "statements", doc)
                with lock:
                    times.append((time.perf_counter() - t0) * 1000)
    threads = [threading.Thread(target=coordinator, args=(first, "A")),
               threading.Thread(target=coordinator, args=(second, "B"))]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    with PgStore.open(url, read_only=True) as reader:
        a = {d["id"] for d in reader.meeting_all(first, "statements") if d["id"].startswith("TWO-A-")}
        b = {d["id"] for d in reader.meeting_all(second, "statements") if d["id"].startswith("TWO-B-")}
    return {"median_ms": statistics.median(times), "p95_ms": _pct(times, 95), "wall_s": wall,
            "edits": 2 * edits, "lost": 2 * edits - len(a) - len(b), "meetings": [first, second]}


def write_folder(root: Path, scale: int | None) -> int:
    import bench_start

    return bench_start.write_data(root, scale)


def bench_start(urls: dict[str, str], runs: int, folders: dict[str, Path] | None = None) -> dict:
    import json
    import subprocess

    import bench_start

    exe = bench_start.kyogitai_command()
    cmds = {"bare": [sys.executable, str(bench_start.BARE_APP)]}
    for label, url in urls.items():
        cmds[label] = [exe, "--database", url, "--today", TODAY]
    for label, root in (folders or {}).items():
        cmds[f"folder {label}"] = [exe, "--data-dir", str(root), "--today", TODAY]
    plan = {"cmds": cmds, "runs": runs, "warmup": 1}
    out = subprocess.run([sys.executable, "-I", str(Path(bench_start.__file__).resolve()), "--launch"],
                         input=json.dumps(plan), capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout)


def bench_shell(url: str, runs: int, folder: Path | None = None) -> dict:
    import bench_start

    exe = bench_start.kyogitai_command()
    out = {"search": bench_start.time_command([exe, "search", "買い物", "--database", url], runs),
           "actions": bench_start.time_command([exe, "actions", "--database", url, "--today", TODAY], runs)}
    if folder is not None:
        out["search (folder)"] = bench_start.time_command([exe, "search", "買い物", "--data-dir", str(folder)], runs)
        out["actions (folder)"] = bench_start.time_command(
            [exe, "actions", "--data-dir", str(folder), "--today", TODAY], runs)
    return out


def main(argv=None) -> int:
    from pg_cluster import PgCluster, pg_skip_reason

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--no-folder", action="store_true",
                    help="skip the same measures on a data folder (the comparison in the same run)")
    args = ap.parse_args(argv)
    # as benchmarks/harness.py does: byte-compiled, as a regular install is
    import compileall

    import kyogitai_tui
    import psycopg

    for package in (kyogitai_tui, psycopg):
        compileall.compile_dir(str(Path(package.__file__).parent), quiet=1)
    reason = pg_skip_reason()
    if reason:
        print(f"bench_pg: {reason}", file=sys.stderr)
        return 2
    import os
    import shutil
    import tempfile

    cluster = PgCluster(fsync=True).init().start()
    work = Path(tempfile.mkdtemp(prefix=".bench-pg-", dir=Path.cwd()))
    folders: dict[str, Path] = {}
    try:
        cluster.wait_ready()
        urls = {"demo": cluster.url(cluster.new_database()),
                f"--scale {args.scale}": cluster.url(cluster.new_database())}
        docs = {}
        for label, url in urls.items():
            t0 = time.perf_counter()
            docs[label] = write(url, None if label == "demo" else args.scale)
            print(f"# wrote {label}: {docs[label]:,} documents in {time.perf_counter() - t0:.1f} s", flush=True)
        if not args.no_folder:
            for label in urls:
                folders[label] = work / ("demo" if label == "demo" else "large")
                write_folder(folders[label], None if label == "demo" else args.scale)
        large = urls[f"--scale {args.scale}"]
        load_before = os.getloadavg()[0]
        saves = {label: bench_save(url, args.runs, args.edits) for label, url in urls.items()}
        two = bench_two_meetings(large, args.edits * 2)
        start = bench_start(urls, args.runs, folders)
        shell = bench_shell(large, args.runs, folders.get(f"--scale {args.scale}"))
        load_after = os.getloadavg()[0]
    finally:
        cluster.destroy()
        shutil.rmtree(work, ignore_errors=True)
    bare = start["bare"]["median_ms"]
    print(f"\n# PostgreSQL 15 on a Unix socket, fsync on; {args.runs} runs; "
          f"load average {load_before:.1f} before, {load_after:.1f} after")
    print("\n| measure | ours | floor | ratio | target | result |")
    print("|---|---:|---:|---:|---|---|")
    for label, s in saves.items():
        ok = "met" if s["median_ms"] <= 10 else "missed"
        print(f"| save, {label} ({docs[label]:,} docs) | {s['median_ms']:.2f} ms (p95 {s['p95_ms']:.2f}) | - | - | <= 10 ms | {ok} |")
    bare_cpu = start["bare"]["cpu_median_ms"]
    for label in start:
        if label == "bare":
            continue
        r = start[label]["median_ms"] / bare
        cpu = start[label]["cpu_median_ms"]
        name = label if label.startswith("folder") else f"database {label}"
        print(f"| cold start, {name} | {start[label]['median_ms']:.0f} ms (CPU {cpu:.0f}) | {bare:.0f} ms "
              f"(CPU {bare_cpu:.0f}, bare Textual) | {r:.2f}x (CPU {cpu / bare_cpu:.2f}x) | <= 1.2x | "
              f"{'met' if r <= 1.2 else f'missed by {r - 1.2:.2f}x'} |")
    for name, r in shell.items():
        s = r["median_ms"] / 1000
        print(f"| {name}, --scale {args.scale} | {s:.2f} s | - | - | <= 0.5 s | {'met' if s <= 0.5 else 'missed'} |")
    print(f"| two meetings at once ({two['edits']} saves, {' / '.join(two['meetings'])}) | "
          f"{two['median_ms']:.2f} ms per save (p95 {two['p95_ms']:.2f}), lost {two['lost']} | - | - | "
          f"no lost edit | {'met' if two['lost'] == 0 else 'MISSED'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
