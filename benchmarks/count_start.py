"""Cold start counted in instructions (valgrind's callgrind), beside the wall
times of bench_start.py: on a shared machine wall time moves by +-0.15x from
run to run, an instruction count by well under 1 %.

What is counted: every instruction of one process from exec to exit, for

* ``benchmarks/bare_app.py`` (the floor, as in bench_start.py), and
* ``kyogitai --data-dir DIR --today 2025-09-09`` on the demo and on
  ``--scale N``,

each in a 120x40 pseudo-terminal with ``TEXTUAL_PRESS=ctrl+q``, exactly as
bench_start.py starts them, except for one thing: under callgrind a start
takes some 50 times longer, so the World's background read, which starts
``WORLD_LOAD_DELAY`` (0.4 s) after the first screen, would start while the
app quits; at full speed the quit comes first.  The kyogitai process is
therefore started through a small wrapper that sets that delay out of reach
before calling the same ``main``.  The wrapper imports the app's module first,
so it turns the collector off before that import when the start path does so
itself (``commands/_app.run_app``), so that nothing is counted that the real
start does not do.

    python benchmarks/count_start.py                # demo and --scale 200 (writes ~20 MB, 2-4 min)
    python benchmarks/count_start.py --scale 10

Needs valgrind.  Not part of ``benchmarks/run`` (minutes per run).
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from bench_start import BARE_APP, TODAY, run_in_pty, write_data

WRAPPER = """
import gc, sys
import kyogitai_tui.commands._app as _app
if hasattr(_app, "settle_after_start"):
    gc.disable()          # as run_app does before the app's modules are imported
import kyogitai_tui.ui.app as app
app.KyogitaiApp.WORLD_LOAD_DELAY = 1e6
from kyogitai_tui.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def count(argv: list[str], out: Path) -> int:
    """Instructions of one run of ``argv`` under callgrind, in the pty."""
    r = run_in_pty(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
                   env={"TEXTUAL_PRESS": "ctrl+q"}, timeout=600)
    if r["exit_code"] != 0:
        raise SystemExit(f"{argv}: exit code {r['exit_code']}: {r['tail']!r}")
    m = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
    return int(m.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=200)
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        print("valgrind is not installed", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix=".count-start-", dir=Path.cwd()))
    try:
        wrapper = work / "start.py"
        wrapper.write_text(WRAPPER)
        dirs = {"demo": work / "demo", f"--scale {args.scale}": work / "large"}
        for label, d in dirs.items():
            write_data(d, None if label == "demo" else args.scale)
        bare = count([sys.executable, str(BARE_APP)], work / "bare.out")
        print(f"| bare Textual | {bare / 1e6:,.0f} M | 1.00x |")
        for label, d in dirs.items():
            n = count([sys.executable, str(wrapper), "--data-dir", str(d), "--today", TODAY], work / "app.out")
            print(f"| kyogitai, {label} | {n / 1e6:,.0f} M | {n / bare:.2f}x |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
