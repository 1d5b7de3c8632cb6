"""Minutes export of a large meeting vs. raw python-docx writing the same document.

The large meeting (added to the demo's 北みほん支え合い会議 after 第2回):
12 agenda items (A01-A12), 60 statements, 20 findings, 15 decisions,
40 action items (plus 16 attendance rows, 5 materials, 20 progress notes,
8 linkage/network rows and readback of every decision and action).

What is timed, per variant (公開用 / 内部記録):

* export  = ``build_minutes`` (reading the World, redaction) + the Word
  writer (styles, fonts, A4, header/footer with the PAGE field, paragraphs,
  tables row by row) + ``save`` into memory;
* raw     = plain python-docx writing the same paragraphs and tables (the
  same strings, taken from the built minutes beforehand, untimed):
  ``Document()``, ``add_heading`` / ``add_paragraph``, ``add_table`` +
  ``add_row().cells`` + ``cell.text``, header and footer text, ``save``.

Both save to a BytesIO (no disk), so the comparison is about the code.
Target: export median <= 1.3 x raw median.

Usage::

    python benchmarks/bench_export.py              # 15 runs per variant (after 2 warm-ups)
    python benchmarks/bench_export.py --runs 30
"""
from __future__ import annotations

import argparse
import copy
import io
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import docx  # noqa: E402
from docx import Document  # noqa: E402

from kyogitai_tui.domain.catalog import default_catalog  # noqa: E402
from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo  # noqa: E402
from kyogitai_tui.domain.world import World  # noqa: E402
from kyogitai_tui.minutes.blocks import Heading, Para, Table, Title  # noqa: E402
from kyogitai_tui.minutes.content import build_minutes  # noqa: E402
from kyogitai_tui.minutes.docx_writer import render_docx  # noqa: E402

MID = "M-BENCH"
SIZES = {"agenda items": 12, "statements": 60, "findings": 20, "decisions": 15, "action items": 40}

SENTENCES = [
    "北台団地では買い物に困っている方が増えています。民生委員の訪問でもよく聞きます。",
    "多職種連携会議に、個別ネットワーク支援の枠を設ける提案をしてはどうでしょうか。",
    "NPO連絡会には移動支援の団体がまだ入っていません。次回までに声をかけます。",
    "Aさんは退院時のケア会議で関係者が一堂に会し、連絡帳を使って支えています。",
    "配食は中央圏域で事業者が重なっていますが、南みほん圏域には届いていません。",
    "つなぎの会を開き、1件をNPOにつなぎました。まだ一件ずつつなぐ段階です。",
]


def large_dataset() -> dict:
    ds = copy.deepcopy(load_demo(DEMO_TODAY))
    m2 = ds["meetings"]["M-C2-02"]
    held = "2025-08-26"
    items = []
    for k in range(SIZES["agenda items"]):
        tpl = f"A{k + 1:02d}"
        items.append({"id": f"{MID}-AG{k:02d}", "meeting_id": MID, "order": k + 1,
                      "section": "REPORT" if k < 10 else "DISCUSSION", "template": tpl,
                      "title": f"議題{k + 1}（{tpl}）", "presenter_person_id": "P02",
                      "material_ids": [f"{MID}-MT{k % 5}"], "summary": SENTENCES[k % 6],
                      "result": "CONFIRMED" if tpl == "A01" else "",
                      "network_ids": ["PN04", "PN06"] if tpl in ("A04", "A05") else []})
    speakers = ["SC", "MEMBER", "CHAIR", "VICE_CHAIR", "SECRETARIAT", "MEMBER"]
    people = ["P02", "P05", "P08", "P10", "P17", "P12"]
    statements = [{"id": f"{MID}-ST{k:02d}", "meeting_id": MID, "agenda_item_id": items[k % 12]["id"],
                   "speaker_label": speakers[k % 6], "speaker_person_id": people[k % 6],
                   "text": SENTENCES[k % 6] + SENTENCES[(k + 1) % 6], "order": k,
                   "subject_ids": ["R-001"] if k % 10 == 3 else []}
                  for k in range(SIZES["statements"])]
    kinds = ["FUNCTION_GAP", "SAME_NONMEMBER", "DIFF_MISSING_GROUP", "SERVICE_GAP", "LINKAGE_GAP"]
    findings = [{"id": f"{MID}-GF{k:02d}", "meeting_id": MID, "kind": kinds[k % 5],
                 "description": f"課題{k + 1}：" + SENTENCES[(k + 2) % 6], "area_id": "AR1",
                 "agenda_item_id": items[10]["id"], "network_or_service": "NETWORK", "status": "OPEN"}
                for k in range(SIZES["findings"])]
    types = ["EXPAND_EXISTING", "FORM_NEW", "CREATE_SERVICE", "LINKAGE", "PROMOTE_INDIVIDUAL"]
    decisions = [{"id": f"{MID}-D{k:02d}", "meeting_id": MID, "type": types[k % 5],
                  "text": f"決定{k + 1}：" + SENTENCES[(k + 1) % 6], "agenda_item_id": items[11]["id"],
                  "target_network_id": "PN04" if k % 5 != 4 else "IN-006", "responsible_tier": 2,
                  "quorum_present": 13, "quorum_members": 14, "quorum_met": True,
                  "decided_at": f"2025-08-26T15:{k:02d}:00",
                  "subject_ids": ["R-006"] if k % 5 == 4 else []}
                 for k in range(SIZES["decisions"])]
    actions = [{"id": f"{MID}-AI{k:02d}", "origin_meeting_id": MID, "title": f"取組{k + 1}：" + SENTENCES[k % 6][:24],
                "owner_person_ids": ["P02", "P05"][: 1 + k % 2], "due_date": f"2025-{9 + k % 3:02d}-{10 + k % 18:02d}",
                "status": "NOT_STARTED", "decision_id": decisions[k % 15]["id"]}
               for k in range(SIZES["action items"])]
    materials = [{"id": f"{MID}-MT{j}", "meeting_id": MID, "label": f"資料{j + 1}", "title": f"資料の表題{j + 1}",
                  "internal_only": j == 2} for j in range(5)]
    attendance = [dict(a, id=a["id"].replace("M-C2-02", MID), meeting_id=MID) for a in m2["attendance"]]
    progress = [{"id": f"{MID}-AP{k}", "action_item_id": ai, "meeting_id": MID, "note": SENTENCES[k % 6],
                 "status_after": "IN_PROGRESS"} for k, ai in enumerate(["AI-01", "AI-04", "AI-05", "AI-06", "AI-07", "AI-08", "AI-09"])]
    meeting = dict(m2["meeting"][0], id=MID, seq_no=3, held_on=held, status="HELD",
                   minutes_drafted_on=None, next_plan_date="2025-10-21")
    readback = ([{"id": f"{MID}-RBD{k}", "meeting_id": MID, "target_table": "decisions", "target_id": d["id"],
                  "result": "CONFIRMED"} for k, d in enumerate(decisions)]
                + [{"id": f"{MID}-RBA{k}", "meeting_id": MID, "target_table": "action_items", "target_id": a["id"],
                    "result": "CONFIRMED"} for k, a in enumerate(actions)])
    linkage = [dict(ls, id=ls["id"].replace("M-C2-02", MID), meeting_id=MID) for ls in m2["linkage_statuses"]]
    fas = [dict(fa, id=fa["id"].replace("M-C2-02", MID), meeting_id=MID) for fa in m2["function_assessments"]]
    ds["meetings"][MID] = {
        "meeting": [meeting], "attendance": attendance, "materials": materials, "agenda_items": items,
        "statements": statements, "gap_findings": findings, "decisions": decisions, "action_items": actions,
        "action_progress": progress, "readback": readback, "linkage_statuses": linkage,
        "function_assessments": fas,
    }
    # the planned 第3回 moves after the bench meeting
    ds["meetings"]["M-C2-03"]["meeting"][0]["held_on"] = "2025-10-21"
    return ds


def ours(world, variant, catalog) -> bytes:
    m = build_minutes(world, MID, variant, today=DEMO_TODAY, catalog=catalog)
    buf = io.BytesIO()
    render_docx(m).save(buf)
    return buf.getvalue()


def raw(minutes) -> bytes:
    """Plain python-docx writing the same paragraphs and tables."""
    doc = Document()
    section = doc.sections[0]
    for line in minutes.header_lines:
        section.header.add_paragraph(line)
    section.footer.add_paragraph("- 1 -")
    for b in minutes.blocks:
        if isinstance(b, Title):
            doc.add_heading(b.text, 0)
        elif isinstance(b, Heading):
            doc.add_heading(b.full_text, b.level)
        elif isinstance(b, Para):
            doc.add_paragraph(b.text)
        elif isinstance(b, Table):
            t = doc.add_table(rows=1, cols=len(b.columns))
            for cell, text in zip(t.rows[0].cells, b.columns):
                cell.text = text
            for row in b.rows:
                for cell, text in zip(t.add_row().cells, row):
                    cell.text = text
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def median_ms(fn, runs: int, warmup: int = 2) -> tuple[float, list[float]]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), times


def measure(runs: int = 15, warmup: int = 2) -> dict:
    """Export vs. raw python-docx, per variant; returns {"PUBLIC": {...},
    "INTERNAL": {...}, "worst_ratio", "cold_ms", "meeting": {table: n}} where
    each variant has "median_ms", "build_ms", "raw_ms", "ratio",
    "paragraphs", "table_rows"."""
    catalog = default_catalog()
    world = World.from_dataset(large_dataset())
    rec = world.meetings[MID]
    out: dict = {"meeting": {"agenda items": len(rec.agenda_items), "statements": len(rec.statements),
                             "findings": len(rec.gap_findings), "decisions": len(rec.decisions),
                             "action items": len(rec.action_items)}}
    worst = 0.0
    for variant in ("PUBLIC", "INTERNAL"):
        minutes = build_minutes(world, MID, variant, today=DEMO_TODAY, catalog=catalog)
        t_ours, _ = median_ms(lambda: ours(world, variant, catalog), runs, warmup)
        t_build, _ = median_ms(lambda: build_minutes(world, MID, variant, today=DEMO_TODAY, catalog=catalog), runs, warmup)
        t_raw, _ = median_ms(lambda: raw(minutes), runs, warmup)
        worst = max(worst, t_ours / t_raw)
        out[variant] = {"median_ms": t_ours, "build_ms": t_build, "raw_ms": t_raw, "ratio": t_ours / t_raw,
                        "paragraphs": sum(1 for b in minutes.blocks if not isinstance(b, Table)),
                        "table_rows": [len(b.rows) + 1 for b in minutes.blocks if isinstance(b, Table)]}
    # the first export in a process also builds the styled template (cached afterwards)
    from kyogitai_tui.minutes.docx_styles import _template
    _template.cache_clear()
    t0 = time.perf_counter()
    ours(world, "PUBLIC", catalog)
    out["cold_ms"] = (time.perf_counter() - t0) * 1000
    out["worst_ratio"] = worst
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args(argv)

    print(f"python {platform.python_version()}, python-docx {docx.__version__ if hasattr(docx, '__version__') else '?'}, "
          f"{platform.machine()}, runs={args.runs}")
    res = measure(args.runs)
    m = res["meeting"]
    print(f"meeting {MID}: {m['agenda items']} agenda items, {m['statements']} statements, "
          f"{m['findings']} findings, {m['decisions']} decisions, {m['action items']} action items")
    for variant in ("PUBLIC", "INTERNAL"):
        r = res[variant]
        print(f"{variant:8s}: {r['paragraphs']} paragraphs, tables {r['table_rows']} rows | "
              f"export {r['median_ms']:7.1f} ms (of which build_minutes {r['build_ms']:5.1f} ms) | "
              f"raw python-docx {r['raw_ms']:7.1f} ms | ratio {r['ratio']:.2f}")
    print(f"first export in a process (styles template built): {res['cold_ms']:.1f} ms")
    worst = res["worst_ratio"]
    verdict = "OK" if worst <= 1.3 else "OVER TARGET"
    print(f"worst ratio {worst:.2f} (target <= 1.30): {verdict}")
    return 0 if worst <= 1.3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
