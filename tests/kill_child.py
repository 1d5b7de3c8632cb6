"""Child process of the kill harness (tests/test_kill_harness.py).

    python tests/kill_child.py ROOT ACK_FILE SEED RUN
    python tests/kill_child.py postgresql://... ACK_FILE SEED RUN   (the same on PostgreSQL)

Opens the data directory through ``DataStore`` (the app's only gateway to
disk) and makes random meeting edits, as the live screen's writer thread
does: new and corrected statements, decisions and action progress through
``meeting_upsert``, batches of statements through ``write_file`` (one write of
the meeting file, as the saver does), and organisation updates through ``apply_batch``. After
each save RETURNS it appends one acknowledgement line (JSON) to ACK_FILE
with an unbuffered ``os.write`` (and before each batch, a line naming
its members, to check that a batch is applied whole or not at all); the parent kills this process with SIGKILL
at a random moment and then checks that every acknowledged edit is on disk.

Every document written carries ``kh_seq`` (RUN * 1_000_000 + n) and its
text ends with ``#<kh_seq>``, so the parent can tell a whole, current
document from an older one. Only the store is imported (fast start-up, so
kills also land while the store is opening and cleaning up).
"""
from __future__ import annotations

import json
import os
import random
import sys
import time

from kyogitai_tui.store.location import open_store

MEETINGS = {  # demo meetings with agenda items and the action items they can follow up
    "M-C2-02": (["AG-C2-02-01", "AG-C2-02-02", "AG-C2-02-03"], ["AI-02", "AI-03"]),
    "M-C2-01": (["AG-C2-01-01", "AG-C2-01-02"], ["AI-01"]),
    "M-C1-01": (["AG-C1-01-01"], []),
}
ORGS = ["O01", "O02", "O03", "O04", "O05"]
PIECES = [
    "買い物の困りごとについて意見が出た", "ゴミ出し支援の担い手を探す", "次回までに自治会と相談する",
    "絵文字も入る👵🏻🚌", "結合文字か\u3099とe\u0301", "עברית מימין לשמאל", "ｶﾀｶﾅ半角", "改行を\n含む",
    "タブ\tも", "「引用」と（括弧）", "令和7年9月16日", "😀" * 3,
]


def text(rng: random.Random, seq: int) -> str:
    parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.05:  # now and then a long one: bigger writes, wider windows for a kill
        parts.append("長文" * rng.randint(2_000, 20_000))
    return "、".join(parts) + f"#{seq}"


def main() -> int:
    root, ack_path, seed, run = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    ack = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def acknowledge(entries: list[tuple[str, str, str, int]]) -> None:
        os.write(ack, (json.dumps({"ack": entries}, ensure_ascii=False) + "\n").encode("utf-8"))

    store = open_store(root, fallback_read_only=False)
    # On PostgreSQL each meeting has its own lock, which the server drops once
    # it sees the killed child's connection gone: wait for it (briefly).
    for mid in MEETINGS:
        for _ in range(500):
            if store.lock_meeting(mid) is None:
                break
            time.sleep(0.01)
    os.write(ack, b'{"ready": true}\n')
    mine: dict[str, list[str]] = {mid: [] for mid in MEETINGS}  # statements this run wrote
    for n in range(1, 100_000):
        seq = run * 1_000_000 + n
        mid = rng.choice(list(MEETINGS))
        items, actions = MEETINGS[mid]
        kind = rng.random()
        file = f"meetings/{mid}.json"
        if kind < 0.1:  # a batch of several statements in one file (the saver's write): all or nothing
            sids = [f"ST-K{run}-{n}-{j}" for j in range(rng.randint(2, 6))]
            ops = [("statements", None, {"id": sid, "meeting_id": mid, "agenda_item_id": rng.choice(items),
                                         "speaker_label": "MEMBER", "text": text(rng, seq), "order": 1000 + n,
                                         "kh_seq": seq}) for sid in sids]
            batch = [(file, "statements", sid, seq) for sid in sids]
            os.write(ack, (json.dumps({"batch": batch}) + "\n").encode("utf-8"))  # before: may be cut off
            store.write_file("meeting", mid, ops)
            mine[mid].extend(sids)
            acknowledge(batch)
        elif kind < 0.35 or (kind < 0.5 and not mine[mid]):
            sid = f"ST-K{run}-{n}"
            doc = {"id": sid, "meeting_id": mid, "agenda_item_id": rng.choice(items), "speaker_label": "MEMBER",
                   "text": text(rng, seq), "order": 1000 + n, "kh_seq": seq}
            store.meeting_upsert(mid, "statements", doc)
            mine[mid].append(sid)
            acknowledge([(file, "statements", sid, seq)])
        elif kind < 0.5:  # a correction of a statement typed earlier in this run
            sid = rng.choice(mine[mid])
            doc = store.meeting_get(mid, "statements", sid)
            doc.update(text=text(rng, seq), kh_seq=seq)
            store.meeting_upsert(mid, "statements", doc)
            acknowledge([(file, "statements", sid, seq)])
        elif kind < 0.65:
            did = f"D-K{run}-{n}"
            doc = {"id": did, "meeting_id": mid, "type": "OTHER", "text": text(rng, seq),
                   "agenda_item_id": rng.choice(items), "kh_seq": seq}
            store.meeting_upsert(mid, "decisions", doc)
            acknowledge([(file, "decisions", did, seq)])
        elif kind < 0.8 and actions:
            pid = f"AP-K{run}-{n}"
            doc = {"id": pid, "action_item_id": rng.choice(actions), "meeting_id": mid, "date": "2025-09-16",
                   "note": text(rng, seq), "status_after": rng.choice(["IN_PROGRESS", "DONE"]), "kh_seq": seq}
            store.meeting_upsert(mid, "action_progress", doc)
            acknowledge([(file, "action_progress", pid, seq)])
        else:  # one CSV-import-like batch of registry changes, all or nothing
            picked = rng.sample(ORGS, rng.randint(1, 3))
            upserts = []
            for oid in picked:
                doc = store.get("organizations", oid)
                doc.update(notes=text(rng, seq), kh_seq=seq)
                upserts.append(("organizations", doc))
            batch = [("registry.json", "organizations", oid, seq) for oid in picked]
            os.write(ack, (json.dumps({"batch": batch}) + "\n").encode("utf-8"))  # before: may be cut off
            store.apply_batch(upserts)
            acknowledge(batch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
