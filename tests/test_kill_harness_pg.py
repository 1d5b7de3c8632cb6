"""The kill harness (tests/test_kill_harness.py) against PostgreSQL: the
same child (tests/kill_child.py) makes the same random edits through
``PgStore`` and is killed with SIGKILL at random moments; after each kill
every acknowledged edit is in the database whole, at its acknowledged
version or later, no batch is half applied, and the check passes.  The
next child takes the meeting locks over once the server has seen the
killed one's connection go.

    python -m pytest -q tests/test_kill_harness_pg.py                      # bounded (CI)
    KYOGITAI_KILLS=200 python -m pytest -q -n 0 -m kill -s tests/test_kill_harness_pg.py
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from kyogitai_tui.cli import main as kyogitai_main
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.store.location import check_location
from kyogitai_tui.store.pg import PgStore

from pg_cluster import pg_cluster, pg_url  # noqa: F401  (fixtures)
from test_kill_harness import CHILD, SEED, read_acks

pytestmark = [pytest.mark.kill, pytest.mark.xdist_group("postgres")]
KILLS = int(os.environ.get("KYOGITAI_KILLS", "12"))


def tables_of(dataset, file: str) -> dict:
    if file == "registry.json":
        return dataset["registry"]
    return dataset["meetings"][file[len("meetings/"):-len(".json")]]


def find(dataset, file, table, doc_id):
    return [d for d in tables_of(dataset, file).get(table, []) if d.get("id") == doc_id]


def lost_edits(dataset, acked) -> list[str]:
    lost = []
    for (file, table, doc_id), seq in sorted(acked.items()):
        docs = find(dataset, file, table, doc_id)
        if len(docs) != 1:
            lost.append(f"{file} {table} {doc_id}: {len(docs)} 件")
            continue
        doc = docs[0]
        body = doc.get("text", doc.get("note", doc.get("notes", "")))
        if doc.get("kh_seq", -1) < seq or not body.endswith(f"#{doc['kh_seq']}"):
            lost.append(f"{file} {table} {doc_id}: 版 {doc.get('kh_seq')} < 確認済み {seq}")
    return lost


def torn_batches(dataset, batches) -> list[str]:
    torn = []
    for batch in batches:
        seqs = [(find(dataset, f, t, i) or [{}])[0].get("kh_seq", -1) for f, t, i, _s in batch]
        seq = batch[0][3]
        if seq in seqs and min(seqs) < seq:
            torn.append(f"batch {seq}: {seqs}")
    return torn


def test_sigkill_at_random_moments_loses_no_acknowledged_edit_on_postgresql(pg_url, tmp_path, capsys):
    with PgStore.open(pg_url) as store:
        store.write_dataset(load_demo())
    rng = random.Random(SEED)
    acked: dict = {}
    batches: list = []
    figures = {"kills": 0, "edits": 0, "lost": 0, "killed_opening": 0}
    started = time.monotonic()
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for run in range(1, KILLS + 1):
        ack_file = tmp_path / f"ack-{run}.jsonl"
        proc = subprocess.Popen([sys.executable, str(CHILD), pg_url, str(ack_file), str(rng.randrange(1 << 30)), str(run)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        try:
            if rng.random() < 0.1:
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
        with PgStore.open(pg_url, read_only=True) as reader:
            dataset = reader.load_dataset()
        torn = torn_batches(dataset, batches)
        assert torn == [], f"kill {run} (seed {SEED}): a batch half applied {torn[:3]}"
        lost = lost_edits(dataset, acked)
        figures["lost"] += len(lost)
        assert lost == [], f"kill {run} (seed {SEED}): lost acknowledged edits {lost[:5]}"
    report = check_location(pg_url)
    assert report.errors == [], [p.message for p in report.errors]
    assert kyogitai_main(["check", "--database", pg_url]) == 0, capsys.readouterr().err
    capsys.readouterr()
    figures["elapsed_s"] = round(time.monotonic() - started, 1)
    line = ("kill harness (PostgreSQL): kills={kills} (while opening {killed_opening}) acknowledged_edits={edits} "
            "lost={lost} batches={batches} torn=0 elapsed={elapsed_s}s").format(batches=len(batches), **figures)
    with capsys.disabled():
        print(f"\n{line} seed={SEED}")
    assert figures["kills"] == KILLS and figures["lost"] == 0
    assert figures["edits"] > KILLS
