"""``kyogitai checks``: the 点検資料 before a meeting.

    kyogitai checks [--data-dir DIR] --council ID [--format table|json|docx]
                    [--out PATH] [--force] [--today DATE]

Runs the gap checks C1-C4 (seed 4-4(4)) on the current data for the
council's scope (domain/guidebook/checks_report.py) and prints them
(table, json) or writes a 資料 in the minutes' layout (docx, to ``--out``,
through store/exports.py: never into the data folder, never over a file
without --force).  No resident is in any output (public Redactor and the
minutes' final guard).  The data folder is only read.
"""
from __future__ import annotations

import sys
from pathlib import Path

from kyogitai_tui.commands._common import choice_arg

FORMATS = ("table（画面用）", "json", "docx（Word の資料）")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "checks", help="不足しているネットワークの点検（C1〜C4）を行い、会議の資料にします",
        description="協議体の範囲の事業者間ネットワークと圏域に、ガイドブックの点検 C1〜C4 を今のデータで行います。"
                    "画面に出すか（table・json）、会議録と同じ体裁の資料（docx）に書き出します。"
                    "対象者は載りません（データは読むだけで変えません）。",
        epilog="例:\n  kyogitai checks --council C4\n"
               "  kyogitai checks --council C2 --format docx --out 点検資料.docx\n")
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="データのフォルダ（省略時は利用者のデータフォルダ）")
    p.add_argument("--council", required=True, metavar="ID", help="協議体の番号（例: C4）")
    p.add_argument("--format", type=choice_arg("--format", *FORMATS), default="table",
                   metavar="table|json|docx", dest="fmt", help="出力の形式（省略時は table）")
    p.add_argument("--out", type=Path, metavar="PATH",
                   help="docx の書き出し先（フォルダを指定するとその中に標準の名前で作ります）")
    p.add_argument("--force", action="store_true", help="同じ名前のファイルがあれば上書きします")
    p.add_argument("--today", metavar="YYYY-MM-DD", dest="sub_today", help="「今日」の日付（省略時は今日）")
    p.set_defaults(func=run)


def run(args) -> int:
    import json

    from kyogitai_tui.commands._common import UserError, data_root_if_any, read_world
    from kyogitai_tui.commands.actions import _today, format_rows
    from kyogitai_tui.commands.watch import council_arg
    from kyogitai_tui.domain.guidebook.checks_report import as_dict, checks_report

    if args.fmt == "docx" and args.out is None:
        raise UserError("--format docx では --out で書き出し先（ファイルかフォルダ）を指定してください。")
    if args.fmt != "docx" and args.out is not None:
        raise UserError("--out は --format docx のときだけ使えます。")
    today = _today(args)
    world = read_world(args)
    council = council_arg(world, args.council)
    if council is None:
        raise UserError("--council で協議体の番号（例: C4）を指定してください。")
    report = checks_report(world, council_id=council, today=today)
    out = sys.stdout
    if args.fmt == "json":
        out.write(json.dumps(as_dict(report, world), ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.fmt == "docx":
        from kyogitai_tui.minutes.checks_docx import checks_docx_bytes
        from kyogitai_tui.store.exports import ExportError, write_export

        target = args.out
        if target.is_dir():
            target = target / f"{report.file_stem}.docx"
        try:
            path = write_export(target, checks_docx_bytes(report, world.subjects.values()),
                                force=args.force, data_root=data_root_if_any(args))
        except ExportError as exc:
            raise UserError(exc.message) from None
        print(f"{report.council}の点検資料（Word）を {path} に書き出しました。"
              f"問題あり {len(report.problems)} 件。")
        return 0
    out.write(f"{report.title}（{today.isoformat()} 時点）\n範囲: {report.scope}\n")
    for s in report.sections[1:-1]:
        keep = [i for i, c in enumerate(s.columns) if c != "聴取先"]
        out.write(f"\n■ {s.title}\n")
        out.write((format_rows([s.columns[i] for i in keep], [[r[i] for i in keep] for r in s.rows])
                   if s.rows else s.empty) + "\n")
    return 0
