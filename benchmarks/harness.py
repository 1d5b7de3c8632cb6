"""One benchmark run against the floors: the table of docs/BENCHMARKS.md.

    benchmarks/run              # full: demo + --scale 42 (20,727 documents) + --scale 200
                                #   (1,209 meeting files), ~12 minutes
    benchmarks/run --quick      # demo + --scale 10, fewer repetitions, ~2 minutes
    benchmarks/run --json out.json

Each row sets our figure beside the floor that Textual, TinyDB and
python-docx set on the same machine in the same run:

* cold start     bench_start.py: ``kyogitai`` in a pseudo-terminal with
                 TEXTUAL_PRESS=ctrl+q vs. a bare Textual app (header, DataTable
                 of 200 rows, footer)
* save           bench_save.py: one durable meeting edit vs. TinyDB's JSONStorage
* key to repaint bench_keys.py (a child process): the live meeting screen vs.
                 arrows in the bare app's DataTable
* export         bench_export.py: the minutes writer vs. raw python-docx
* follow-up list bench_followup.py (issue 5), search bench_search.py (issue 9):
                 used when present, "not yet available" otherwise
* shell commands ``kyogitai search 買い物`` and ``kyogitai actions`` at the
                 largest scale, wall time of the whole process (issue 13)
* peak memory    max RSS of the app's process at the largest scale vs. the bare app

Before measuring, the package is byte-compiled (as ``pip install`` does for a
regular install): with PYTHONDONTWRITEBYTECODE set, an editable checkout would
otherwise recompile every module of ours at each start but not Textual's.
"""
from __future__ import annotations

import argparse
import compileall
import importlib
import importlib.util
import inspect
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_export  # noqa: E402
import bench_save  # noqa: E402
import bench_start  # noqa: E402


@dataclass
class Mode:
    name: str
    scale: int          # the largest scale measured
    start_runs: int
    save_runs: int
    save_edits: int
    key_rounds: int
    key_walk: bool
    export_runs: int
    opt_runs: int       # follow-up list, search, shell commands
    smaller: tuple = ()  # large scales measured besides ``scale`` (start, save)


MODES = {
    "full": Mode("full", 200, 7, 5, 40, 5, True, 15, 7, smaller=(42,)),
    "quick": Mode("quick", 10, 3, 3, 20, 2, True, 5, 3),
    # for tests/test_benchmarks_smoke.py: every piece once, at a tiny size
    "smoke": Mode("smoke", 1, 1, 1, 3, 1, False, 1, 1),
}


# ---------------------------------------------------------------------------
# the machine
# ---------------------------------------------------------------------------

def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _disk(path: Path) -> str:
    """Filesystem type and device of ``path`` (from /proc/mounts)."""
    best = ("", "?", "?")
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            dev, mnt, fstype = line.split()[:3]
            if str(path.resolve()).startswith(mnt) and len(mnt) >= len(best[0]):
                best = (mnt, dev, fstype)
    except OSError:
        pass
    return f"{best[2]} on {best[1]} (mounted at {best[0] or '?'})"


def machine(work: Path) -> dict:
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "ram_gb": round(_ram_gb(), 1),
        "disk": _disk(work),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "textual": _version("textual"),
        "tinydb": _version("tinydb"),
        "python-docx": _version("python-docx"),
        "kyogitai-tui": _version("kyogitai-tui"),
        "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


# ---------------------------------------------------------------------------
# the pieces
# ---------------------------------------------------------------------------

_T0 = time.perf_counter()


def _say(msg: str) -> None:
    print(f"  [{time.perf_counter() - _T0:5.1f} s] {msg}", file=sys.stderr, flush=True)


def precompile() -> None:
    import kyogitai_tui

    compileall.compile_dir(str(Path(kyogitai_tui.__file__).parent), quiet=1)


def run_child_json(argv: list[str]) -> tuple[dict, float]:
    """Run a benchmark script that prints one JSON object; (result, its max RSS
    in MB), started from bench_start's small launcher (see bench_start.measure)."""
    r = bench_start.run_small(argv)
    if r["exit_code"] != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({r['exit_code']}): {r['stderr']}")
    return json.loads(r["stdout"].strip().splitlines()[-1]), r["maxrss_kb"] / 1024


def keys(scale: int | None, rounds: int, walk: bool) -> dict:
    script = str(HERE / "bench_keys.py")
    args = [sys.executable, script, "--json", "--rounds", str(rounds)]
    if not walk:
        args.append("--no-walk")
    ours, ours_rss = run_child_json(args + (["--scale", str(scale)] if scale else ["--demo"]))
    bare, bare_rss = run_child_json(args + ["--bare"])
    ours["maxrss_mb"], bare["maxrss_mb"] = ours_rss, bare_rss
    return {"ours": ours, "bare": bare}


def optional(module: str, **kwargs) -> dict | None:
    """``module.measure(**kwargs)`` if the module exists (another branch), else None."""
    if importlib.util.find_spec(module) is None:
        return None
    measure = importlib.import_module(module).measure
    accepted = inspect.signature(measure).parameters
    return measure(**{k: v for k, v in kwargs.items() if k in accepted})


def run_all(mode: Mode, work: Path, scale: int | None = None) -> dict:
    scales = [scale] if scale else [*mode.smaller, mode.scale]
    scale = scales[-1]
    large = f"--scale {scale}"
    res: dict = {"mode": mode.name, "scale": scale, "scales": scales, "machine": machine(work)}
    _say("byte-compiling kyogitai_tui")
    precompile()
    dirs = {"demo": work / "demo"} | {f"--scale {n}": work / f"scale-{n}" for n in scales}
    _say(f"writing the data ({', '.join(dirs)})")
    res["docs"] = {label: bench_start.write_data(d, None if label == "demo" else int(label.split()[-1]))
                   for label, d in dirs.items()}
    res["meeting_files"] = {label: len(list((d / "meetings").glob("*.json"))) for label, d in dirs.items()}
    _say(f"cold start ({mode.start_runs} runs each)")
    res["start"] = bench_start.measure(dirs, runs=mode.start_runs, warmup=0 if mode.name == "smoke" else 1)
    _say("durable save")
    res["save"] = {label: bench_save.measure(d, runs=mode.save_runs, edits=mode.save_edits, work=work)
                   for label, d in dirs.items()}
    _say("key press to repaint")
    res["keys"] = keys(scale if mode.name != "smoke" else None, mode.key_rounds, mode.key_walk)
    _say("export")
    res["export"] = bench_export.measure(mode.export_runs, warmup=0 if mode.name == "smoke" else 2)
    _say("follow-up list, search")
    res["followup"] = optional("bench_followup", n_items=10000 if mode.name != "smoke" else 200,
                               runs=mode.opt_runs)
    res["search"] = optional("bench_search", runs=mode.opt_runs, **({"scale": 1} if mode.name == "smoke" else {}))
    _say(f"shell commands at {large}")
    import bench_followup
    import bench_search

    res["shell"] = {"search": bench_search.measure_shell(dirs[large], runs=mode.opt_runs),
                    "actions": bench_followup.measure_shell(dirs[large], runs=mode.opt_runs)}
    res["machine"]["load_avg_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    return res


# ---------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------

def verdict(value: float | None, limit: float | None, unit: str) -> str:
    if value is None:
        return "not yet available"
    if limit is None:
        return "-"
    if value <= limit:
        return "met"
    over = value - limit
    return f"missed by {over:.2f}{unit} ({over / limit:.0%})" if unit == "x" else f"missed by {over:.1f} {unit} ({over / limit:.0%})"


def rows(res: dict) -> list[tuple[str, str, str, str, str, str]]:
    """(measure, ours, floor, ratio, target, result)."""
    large = f"--scale {res['scale']}"
    larges = [f"--scale {n}" for n in res.get("scales", [res["scale"]])]
    docs = res["docs"]
    files = res.get("meeting_files", {})
    out = []
    st = res["start"]
    bare = st["bare"]["median_ms"]
    for label in ["demo", *larges]:
        limit = 1.15 if label == "demo" else 1.2
        ours = st[label]["median_ms"]
        size = f"{docs[label]:,} docs" + (f", {files[label]:,} meeting files" if label in files else "")
        out.append((f"cold start, {label} ({size})", f"{ours:.0f} ms", f"{bare:.0f} ms (bare Textual)",
                    f"{ours / bare:.2f}x", f"<= {limit}x", verdict(ours / bare, limit, "x")))
    for label in ["demo", *larges]:
        s = res["save"][label]
        tdb = s["tinydb_median_ms"]
        out.append((f"save, {label} ({s['docs']:,} docs)", f"{s['median_ms']:.2f} ms",
                    f"{tdb:.2f} ms (TinyDB JSONStorage)" if tdb else "-",
                    f"{s['median_ms'] / tdb:.2f}x" if tdb else "-",
                    "<= 10 ms median" if label == large else "-",
                    verdict(s["median_ms"], 10.0 if label == large else None, "ms")))
    k, kb = res["keys"]["ours"], res["keys"]["bare"]
    where = large if res["mode"] != "smoke" else "demo"
    for stat, limit in (("median_ms", None), ("p95_ms", 50.0)):
        name = "median" if stat == "median_ms" else "p95"
        out.append((f"key to repaint {name}, {where} ({k['n']} keys)", f"{k[stat]:.1f} ms",
                    f"{kb[stat]:.1f} ms (bare DataTable arrows)", f"{k[stat] / kb[stat]:.2f}x",
                    "p95 <= 50 ms" if limit else "-", verdict(k[stat], limit, "ms")))
    e = res["export"]
    worst = max(("PUBLIC", "INTERNAL"), key=lambda v: e[v]["ratio"])
    out.append((f"export, large meeting ({worst})", f"{e[worst]['median_ms']:.1f} ms",
                f"{e[worst]['raw_ms']:.1f} ms (raw python-docx)", f"{e[worst]['ratio']:.2f}x", "<= 1.3x",
                verdict(e[worst]["ratio"], 1.3, "x")))
    f = res.get("followup")
    out.append((f"follow-up list, {f['n_items']:,} items" if f else "follow-up list, 10,000 items",
                f"{f['median_ms']:.1f} ms (p95 {f['p95_ms']:.1f})" if f else "-", "-", "-", "<= 100 ms median",
                verdict(f["median_ms"] if f else None, 100.0, "ms")))
    s = res.get("search")
    out.append((f"search, {s['docs']:,} docs" if s else "search", f"{s['median_ms']:.1f} ms (p95 {s['p95_ms']:.1f})" if s else "-",
                "-", "-", "<= 200 ms median", verdict(s["median_ms"] if s else None, 200.0, "ms")))
    for name, key in (("kyogitai search 買い物", "search"), ("kyogitai actions", "actions")):
        sh = (res.get("shell") or {}).get(key)
        out.append((f"{name}, {large} (wall, whole process)", f"{sh['median_ms']:.0f} ms" if sh else "-", "-", "-",
                    "<= 500 ms median", verdict(sh["median_ms"] if sh else None, 500.0, "ms")))
    ours_mb, bare_mb = st[large]["maxrss_mb"], st["bare"]["maxrss_mb"]
    out.append((f"peak memory at start, {large}", f"{ours_mb:.0f} MB", f"{bare_mb:.0f} MB (bare Textual)",
                f"{ours_mb / bare_mb:.2f}x", "<= 1.5x", verdict(ours_mb / bare_mb, 1.5, "x")))
    out.append((f"peak memory in a meeting, {where} (headless)", f"{k['maxrss_mb']:.0f} MB",
                f"{kb['maxrss_mb']:.0f} MB (bare, headless)", f"{k['maxrss_mb'] / kb['maxrss_mb']:.2f}x", "-", "-"))
    return out


def format_report(res: dict) -> str:
    m = res["machine"]
    lines = [
        f"# kyogitai benchmarks ({res['mode']}), {m['date']}",
        "",
        f"machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, disk {m['disk']}, {m['os']}",
        f"versions: Python {m['python']}, Textual {m['textual']}, TinyDB {m['tinydb']}, "
        f"python-docx {m['python-docx']}, kyogitai-tui {m['kyogitai-tui']}",
        f"load average at start / end: {_load(m.get('load_avg'))} / {_load(m.get('load_avg_end'))}",
        "",
        "| measure | ours | floor | ratio | target | result |",
        "|---|---:|---:|---:|---|---|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows(res)]
    st = res["start"]
    bare_cpu = st["bare"]["cpu_median_ms"]
    lines += ["", "cold start runs, wall (ms): " + "; ".join(
        f"{label} " + ", ".join(f"{t:.0f}" for t in r["runs_ms"]) for label, r in st.items()),
        "cold start CPU time of the process (user + system, median): " + "; ".join(
        f"{label} {r['cpu_median_ms']:.0f} ms ({r['cpu_median_ms'] / bare_cpu:.2f}x)" for label, r in st.items())]
    k = res["keys"]["ours"]
    slow = sorted(k["per_key"].items(), key=lambda kv: -kv[1]["p95_ms"])[:3]
    lines += ["key to repaint, slowest keys by p95: " + "; ".join(
        f"{label} {r['median_ms']:.1f} / {r['p95_ms']:.1f} ms (n={r['n']})" for label, r in slow)]
    e = res["export"]
    lines += ["export: " + "; ".join(
        f"{v} {e[v]['median_ms']:.1f} ms vs raw {e[v]['raw_ms']:.1f} ms ({e[v]['ratio']:.2f}x)"
        for v in ("PUBLIC", "INTERNAL")) + f"; first export in a process {e['cold_ms']:.0f} ms"]
    return "\n".join(lines)


def _load(value) -> str:
    return " ".join(f"{x:.2f}" for x in value) if value else "?"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="kyogitai benchmarks against the floors (docs/BENCHMARKS.md)")
    ap.add_argument("--quick", action="store_true", help="demo + --scale 10, fewer repetitions (~2 minutes)")
    ap.add_argument("--smoke", action="store_true", help="every piece once at a tiny size (tests)")
    ap.add_argument("--scale", type=int, default=None, help="the only large scale (default: full 42 and 200, quick 10)")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw results to this file")
    ap.add_argument("--dir", type=Path, default=None,
                    help="where to write the benchmark data (default: a temp dir in the current directory)")
    args = ap.parse_args(argv)
    mode = MODES["smoke" if args.smoke else "quick" if args.quick else "full"]
    work = Path(tempfile.mkdtemp(prefix=".bench-run-", dir=args.dir or Path.cwd()))
    t0 = time.perf_counter()
    try:
        res = run_all(mode, work, args.scale)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res["seconds"] = time.perf_counter() - t0
    if args.json:
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(format_report(res))
    print(f"\n(whole run: {res['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
