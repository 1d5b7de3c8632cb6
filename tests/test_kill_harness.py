"""Kill harness: a writer killed with SIGKILL at random moments loses no edit
whose save had returned, and leaves every file parseable.

A child process (tests/kill_child.py) makes random meeting edits through
``DataStore`` on a copy of the demo and acknowledges each one after its save
returns; the parent kills it with SIGKILL after a random delay (sometimes
while the store is still opening), then checks the directory: every data and
backup file parses (``json.load``), ``check_data_dir`` finds no error, every
acknowledged document is on disk whole, at its acknowledged version or a
later one, and no registry batch is half applied. The same directory is used again for the next round, so state
accumulates. The last round also runs ``kyogitai check`` (domain checks).

    python -m pytest -q tests/test_kill_harness.py            # bounded: 20 kills (CI)
    KYOGITAI_KILLS=200 python -m pytest -q -n 0 -m kill -s    # the full run, prints figures
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kyogitai_tui.cli import main as kyogitai_main
from kyogitai_tui.store import DataStore, check_data_dir
from kyogitai_tui.store.storage import is_temp_file

pytestmark = pytest.mark.kill

CHILD = Path(__file__).with_name("kill_child.py")
KILLS = int(os.environ.get("KYOGITAI_KILLS", "20"))
SEED = int(os.environ.get("KYOGITAI_KILL_SEED", str(random.SystemRandom().randrange(1 << 30))))


def read_acks(path: Path, batches: list | None = None) -> tuple[bool, list[tuple[str, str, str, int]]]:
    """(child got ready, acknowledged entries); a line cut by the kill is not an
    ack. Batches announced before their save are added to ``batches``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return False, []
    ready, acks = False, []
    for line in raw.split(b"\n")[:-1]:  # the part after the last newline is incomplete
        msg = json.loads(line)
        ready = ready or msg.get("ready", False)
        acks += [tuple(e) for e in msg.get("ack", [])]
        if batches is not None and "batch" in msg:
            batches.append(msg["batch"])
    return ready, acks


def torn_batches(root: Path, batches: list) -> list[str]:
    """A batch (registry or one meeting file) is all or nothing: if one member
    carries the batch's version, none may be older or missing (later batches
    may be newer)."""
    files: dict[str, dict] = {}

    def seq_of(file: str, table: str, doc_id: str) -> int:
        if file not in files:
            files[file] = json.loads((root / file).read_text(encoding="utf-8"))
        for d in files[file].get(table, {}).values():
            if d.get("id") == doc_id:
                return d.get("kh_seq", -1)
        return -1

    torn = []
    for batch in batches:
        seqs = [seq_of(f, t, i) for f, t, i, _s in batch]
        seq = batch[0][3]
        if seq in seqs and min(seqs) < seq:
            torn.append(f"batch {seq}: {seqs}")
    return torn


def data_files(root: Path) -> tuple[list[Path], list[Path]]:
    """(data and backup files, temp files left by a killed writer)."""
    files, temps = [], []
    for p in root.rglob("*"):
        if p.is_file() and p.name != ".lock":
            (temps if is_temp_file(p.name) else files).append(p)
    return files, temps


def unparsable(files: list[Path]) -> list[str]:
    bad = []
    for p in files:
        try:
            data = json.loads(p.read_bytes().decode("utf-8"))
            if not isinstance(data, dict) or ("kind" if p.name.startswith("summary") else "_meta") not in data:
                raise ValueError("no _meta")   # (summary files: derived data, whole JSON all the same)
        except ValueError as exc:  # includes JSONDecodeError and UnicodeDecodeError
            bad.append(f"{p}: {exc}")
    return bad


def lost_edits(root: Path, acked: dict[tuple[str, str, str], int]) -> list[str]:
    """Acknowledged documents missing, older than acknowledged, or not whole."""
    by_file: dict[str, dict] = {}
    lost = []
    for (file, table, doc_id), seq in sorted(acked.items()):
        if file not in by_file:
            by_file[file] = json.loads((root / file).read_text(encoding="utf-8"))
        docs = [d for d in by_file[file].get(table, {}).values() if d.get("id") == doc_id]
        if len(docs) != 1:
            lost.append(f"{file} {table} {doc_id}: {len(docs)} 件")
            continue
        doc = docs[0]
        body = doc.get("text", doc.get("note", doc.get("notes", "")))
        if doc.get("kh_seq", -1) < seq or not body.endswith(f"#{doc['kh_seq']}"):
            lost.append(f"{file} {table} {doc_id}: 版 {doc.get('kh_seq')} < 確認済み {seq}")
    return lost


def test_sigkill_at_random_moments_loses_no_acknowledged_edit(demo_root, tmp_path, capsys):
    root = demo_root
    rng = random.Random(SEED)
    acked: dict[tuple[str, str, str], int] = {}
    batches: list = []
    figures = {"kills": 0, "edits": 0, "lost": 0, "unparsable": 0, "temp_left": 0, "killed_opening": 0}
    started = time.monotonic()
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for run in range(1, KILLS + 1):
        ack_file = tmp_path / f"ack-{run}.jsonl"
        proc = subprocess.Popen([sys.executable, str(CHILD), str(root), str(ack_file), str(rng.randrange(1 << 30)), str(run)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        try:
            if rng.random() < 0.1:  # now and then while the store opens / cleans up
                time.sleep(rng.uniform(0.0, 0.25))
            else:
                deadline = time.monotonic() + 20
                while not read_acks(ack_file)[0]:
                    assert proc.poll() is None, proc.stderr.read().decode()
                    assert time.monotonic() < deadline, "the child never became ready"
                    time.sleep(0.005)
                time.sleep(rng.uniform(0.0, 0.3))
            assert proc.poll() is None, f"the child ended by itself: {proc.stderr.read().decode()}"
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait()
            proc.stderr.close()
        ready, acks = read_acks(ack_file, batches)
        figures["kills"] += 1
        figures["killed_opening"] += not ready
        figures["edits"] += len(acks)
        for file, table, doc_id, seq in acks:
            acked[(file, table, doc_id)] = max(seq, acked.get((file, table, doc_id), -1))

        files, temps = data_files(root)
        figures["temp_left"] += len(temps)
        bad = unparsable(files)
        figures["unparsable"] += len(bad)
        assert bad == [], f"kill {run} (seed {SEED}): unparsable files {bad}"
        report = check_data_dir(root)
        assert report.errors == [], f"kill {run} (seed {SEED}): {[p.message for p in report.errors]}"
        torn = torn_batches(root, batches)
        assert torn == [], f"kill {run} (seed {SEED}): a batch half applied {torn[:3]}"
        lost = lost_edits(root, acked)
        figures["lost"] += len(lost)
        assert lost == [], f"kill {run} (seed {SEED}): lost acknowledged edits {lost[:5]}"

    # the app can open what is left, takes the stale lock over and clears temp files
    with DataStore.open(root) as store:
        assert not store.read_only
        dataset = store.load_dataset()
    assert data_files(root)[1] == []
    stmts = sum(1 for (f, t, _), _s in acked.items() if t == "statements")
    on_disk = sum(1 for tables in dataset["meetings"].values() for d in tables.get("statements", [])
                  if str(d["id"]).startswith("ST-K"))
    assert on_disk >= stmts
    assert kyogitai_main(["check", "--data-dir", str(root)]) == 0, capsys.readouterr().err
    capsys.readouterr()

    figures["elapsed_s"] = round(time.monotonic() - started, 1)
    figures["batches"] = len(batches)
    line = ("kill harness: kills={kills} (while opening {killed_opening}) acknowledged_edits={edits} "
            "lost={lost} unparsable={unparsable} batches={batches} torn=0 "
            "temp_files_left_and_cleaned={temp_left} elapsed={elapsed_s}s").format(**figures)
    with capsys.disabled():
        print(f"\n{line} seed={SEED}")
    assert figures["kills"] == KILLS and figures["lost"] == 0 and figures["unparsable"] == 0
    assert figures["edits"] > KILLS  # the harness really exercised the store
