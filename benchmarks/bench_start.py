"""Cold start of the real ``kyogitai`` command against a bare Textual app.

What is timed: wall time from spawning the process until it has exited, for

* ``kyogitai --data-dir DIR --today 2025-09-09`` on the demo data and on a
  large scale (``kyogitai demo-data DIR --scale N``), and
* ``benchmarks/bare_app.py``: a Textual app with a header, a DataTable of 200
  rows and a footer, reading no data (the floor),

each started in a pseudo-terminal of 120x40 with ``TEXTUAL_PRESS=ctrl+q``.
Textual 8.2.8 reads ``TEXTUAL_PRESS`` (textual/constants.py) and presses the
keys through its Pilot once the app is ready (mounted, first screen composed),
so the process quits as soon as it could have taken a key.  Both apps pay
the same exit cost (Textual joins its input thread, up to 0.1 s).

The runs are interleaved (bare, demo, large, bare, ...) after one untimed
warm-up of each, so the page cache and bytecode are warm for both and any
noise of the machine falls on both alike; the figures are medians.
Peak memory is the child's maximum RSS (``os.wait4``).

    python benchmarks/bench_start.py                  # demo and --scale 42, 7 runs
    python benchmarks/bench_start.py --scale 10 --runs 3
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BARE_APP = HERE / "bare_app.py"
TODAY = "2025-09-09"  # the demo's own "today" (domain.demo.DEMO_TODAY)
SIZE = (120, 40)


class StartError(RuntimeError):
    pass


def run_in_pty(argv: list[str], env: dict[str, str] | None = None, size: tuple[int, int] = SIZE,
               timeout: float = 60.0) -> dict:
    """Run ``argv`` on a new pseudo-terminal until it exits.

    Returns {"seconds", "cpu_seconds", "exit_code", "maxrss_kb", "output_bytes", "tail"}."""
    full_env = dict(os.environ, TERM="xterm-256color", **(env or {}))  # the same terminal for every run
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child: size the terminal, then become the command
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
            os.execvpe(argv[0], argv, full_env)
        finally:
            os._exit(127)
    out = bytearray()
    deadline = t0 + timeout
    try:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                raise StartError(f"{argv[0]} did not exit within {timeout:.0f} s "
                                 f"(is TEXTUAL_PRESS honoured?); last output: {bytes(out[-200:])!r}")
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            out += data
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - t0
    finally:
        os.close(fd)
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "exit_code": os.waitstatus_to_exitcode(status),
            "maxrss_kb": usage.ru_maxrss, "output_bytes": len(out), "tail": bytes(out[-400:])}


def kyogitai_command() -> str:
    """The ``kyogitai`` script of the running Python's environment."""
    here = Path(sys.executable).parent / "kyogitai"
    found = str(here) if here.exists() else shutil.which("kyogitai")
    if not found:
        raise StartError("the kyogitai command was not found: run `pip install -e .` first")
    return found


def write_data(root: Path, scale: int | None) -> int:
    """``kyogitai demo-data root [--scale N]`` (in-process); the number of documents."""
    from kyogitai_tui.commands.demo_data import write_demo
    from kyogitai_tui.domain.dates import parse_date

    return write_demo(root, parse_date(TODAY), scale, force=False)


def _commands(data_dirs: dict[str, Path]) -> dict[str, list[str]]:
    cmds = {"bare": [sys.executable, str(BARE_APP)]}
    exe = kyogitai_command()
    for label, root in data_dirs.items():
        cmds[label] = [exe, "--data-dir", str(root), "--today", TODAY]
    return cmds


def _interleaved(cmds: dict[str, list[str]], runs: int, warmup: int) -> dict[str, dict]:
    env = {"TEXTUAL_PRESS": "ctrl+q"}
    times: dict[str, list[float]] = {k: [] for k in cmds}
    cpu: dict[str, list[float]] = {k: [] for k in cmds}
    rss: dict[str, list[int]] = {k: [] for k in cmds}
    for i in range(warmup + runs):
        for label, argv in cmds.items():
            r = run_in_pty(argv, env)
            if r["exit_code"] != 0:
                raise StartError(f"{label}: exit code {r['exit_code']}; last output: {r['tail']!r}")
            if i >= warmup:
                times[label].append(r["seconds"] * 1000)
                cpu[label].append(r["cpu_seconds"] * 1000)
                rss[label].append(r["maxrss_kb"])
    return {label: {"median_ms": statistics.median(times[label]), "runs_ms": times[label],
                    "cpu_median_ms": statistics.median(cpu[label]), "maxrss_mb": max(rss[label]) / 1024}
            for label in cmds}


def measure(data_dirs: dict[str, Path], runs: int = 7, warmup: int = 1) -> dict[str, dict]:
    """{"bare": {...}, label: {...}} with "median_ms", "runs_ms" (wall time),
    "cpu_median_ms" (user + system time of the process) and "maxrss_mb" per
    command; ``data_dirs`` maps a label to a data directory.

    The runs are made by a small launcher process (this file with --launch,
    standard library only): Linux carries the parent's resident size into a
    forked child's max RSS, so forking from the harness (50 MB and more,
    with python-docx and TinyDB loaded) would inflate every figure."""
    plan = {"cmds": _commands(data_dirs), "runs": runs, "warmup": warmup}
    out = subprocess.run([sys.executable, "-I", str(Path(__file__).resolve()), "--launch"],
                         input=json.dumps(plan), capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise StartError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"launcher failed ({out.returncode})")
    return json.loads(out.stdout)


def time_command(argv: list[str], runs: int, warmup: int = 1) -> dict:
    """Wall time of a shell command (no terminal), run ``runs`` times after
    ``warmup`` untimed runs: {"median_ms", "runs_ms", "maxrss_mb"} (the max
    RSS from one more run by the small launcher)."""
    times = []
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        out = subprocess.run(argv, capture_output=True, check=False)
        ms = (time.perf_counter() - t0) * 1000
        if out.returncode not in (0, 1):
            raise StartError(f"{' '.join(argv)}: exit code {out.returncode}: {out.stderr.decode()[-2000:]}")
        if i >= warmup:
            times.append(ms)
    rss = run_small(argv)["maxrss_kb"] / 1024
    return {"median_ms": statistics.median(times), "runs_ms": times, "maxrss_mb": rss}


def run_small(argv: list[str]) -> dict:
    """Run ``argv`` (no terminal) from the small launcher, for a true max RSS:
    {"exit_code", "stdout", "stderr", "maxrss_kb"}."""
    out = subprocess.run([sys.executable, "-I", str(Path(__file__).resolve()), "--run"],
                         input=json.dumps(argv), capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise StartError(f"launcher failed ({out.returncode}): {out.stderr[-2000:]}")
    return json.loads(out.stdout)


def _run() -> int:
    argv = json.loads(sys.stdin.read())
    with tempfile.TemporaryFile(mode="w+") as err, tempfile.TemporaryFile(mode="w+") as out:
        pid = subprocess.Popen(argv, stdout=out, stderr=err, text=True).pid
        _, status, usage = os.wait4(pid, 0)
        out.seek(0)
        err.seek(0)
        print(json.dumps({"exit_code": os.waitstatus_to_exitcode(status), "stdout": out.read(),
                          "stderr": err.read()[-4000:], "maxrss_kb": usage.ru_maxrss}))
    return 0


def _launch() -> int:
    plan = json.loads(sys.stdin.read())
    try:
        res = _interleaved(plan["cmds"], plan["runs"], plan["warmup"])
    except StartError as exc:
        print(f"StartError: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(res))
    return 0


def main(argv=None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if args == ["--launch"]:
        return _launch()
    if args == ["--run"]:
        return _run()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=42, help="the large scale (default 42: 20,727 documents)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-large", action="store_true", help="only the demo")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix=".bench-start-", dir=Path.cwd()))
    try:
        dirs = {"demo": work / "demo"}
        if not args.no_large:
            dirs[f"--scale {args.scale}"] = work / "large"
        docs = {label: write_data(d, None if label == "demo" else args.scale) for label, d in dirs.items()}
        res = measure(dirs, runs=args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare = res["bare"]["median_ms"]
    print(f"# cold start, {args.runs} runs, pty {SIZE[0]}x{SIZE[1]}, TEXTUAL_PRESS=ctrl+q")
    print()
    print("| command | docs | median (ms) | runs (ms) | ratio to bare | CPU median (ms) | CPU ratio | max RSS (MB) |")
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    for label, r in res.items():
        runs = ", ".join(f"{t:.0f}" for t in r["runs_ms"])
        print(f"| {label} | {docs.get(label, 0):,} | {r['median_ms']:.0f} | {runs} | "
              f"{r['median_ms'] / bare:.2f} | {r['cpu_median_ms']:.0f} | "
              f"{r['cpu_median_ms'] / res['bare']['cpu_median_ms']:.2f} | {r['maxrss_mb']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
