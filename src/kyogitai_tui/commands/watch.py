"""``kyogitai watch``: the 形骸化 watch between meetings.

    kyogitai watch [--data-dir DIR] [--council ID] [--months N]
                   [--format table|json|csv] [--today DATE]

Lists provider networks silent for N months (default 6), decisions past
their review date with no assessment since, and findings no decision has
answered for two meetings, each with where to act
(domain/guidebook/watch.py).  The data folder is only read.  No resident is
named (the rows go through the privacy Redactor).  Unknown council, a bad
number or date -> UserError (Japanese, exit 2).
"""
from __future__ import annotations

import sys
from pathlib import Path

from kyogitai_tui.commands._common import choice_arg

FORMATS = ("table（画面用）", "json", "csv（Excel 用）")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "watch", help="形骸化の兆し（会合のないネットワーク・見直し日を過ぎた決定・決定のない課題）を一覧します",
        description="会議と会議のあいだに、形骸化の兆しを一覧します。会合が N か月ないネットワーク、"
                    "見直し予定日を過ぎた決定事項、2回の会議で決定のない課題と、どこで対応するかを出します"
                    "（データは読むだけで変えません）。",
        epilog="例:\n  kyogitai watch\n  kyogitai watch --council C4 --months 3 --format csv > 形骸化.csv\n")
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="データのフォルダ（省略時は利用者のデータフォルダ）")
    p.add_argument("--council", metavar="ID", help="協議体の番号（例: C4）で絞り込みます")
    p.add_argument("--months", metavar="N", default="6",
                   help="会合がないとみなす月数（1〜60、省略時は 6）")
    p.add_argument("--format", type=choice_arg("--format", *FORMATS), default="table",
                   metavar="table|json|csv", dest="fmt", help="出力の形式（省略時は table）")
    p.add_argument("--today", metavar="YYYY-MM-DD", dest="sub_today",
                   help="「今日」の日付（省略時は今日）")
    p.set_defaults(func=run)


def _months(text: str) -> int:
    from kyogitai_tui.commands._common import UserError
    from kyogitai_tui.domain.privacy.normalize import normalize

    t = normalize(str(text)).strip()
    if not t.isdigit() or not 1 <= int(t) <= 60:
        raise UserError(f"--months は 1 から 60 までの月数で指定してください（「{text}」は使えません）。")
    return int(t)


def council_arg(world, text):
    """A council id the data knows, or a UserError listing the known ones."""
    from kyogitai_tui.commands._common import UserError

    council = (text or "").strip()
    if not council:
        return None
    if council not in world.councils:
        known = "、".join(sorted(world.councils)) or "（まだ登録がありません）"
        raise UserError(f"協議体「{council}」は登録されていません。番号で指定してください（{known}）。")
    return council


def run(args) -> int:
    import json

    from kyogitai_tui.commands._common import read_world
    from kyogitai_tui.commands.actions import _today, format_rows
    from kyogitai_tui.domain.guidebook import watch as w

    months = _months(args.months)
    today = _today(args)
    world = read_world(args)
    council = council_arg(world, args.council)
    rows = w.public_rows(world, w.watch(world, today=today, council_id=council, months=months))
    out = sys.stdout
    if args.fmt == "json":
        out.write(json.dumps(w.as_dicts(rows), ensure_ascii=False, indent=2) + "\n")
    elif args.fmt == "csv":
        from kyogitai_tui.domain.csvfile import csv_bytes

        data = csv_bytes([list(w.CSV_HEADER)] + w.csv_rows(rows))
        stream = getattr(out, "buffer", None)
        if stream is not None:
            stream.write(data)
            stream.flush()
        else:
            out.write(data.decode("utf-8"))
    else:
        scope = world.councils[council].name if council else "すべての協議体"
        if not rows:
            out.write(f"形骸化の兆しは見つかりませんでした（{scope}・会合なし{months}か月以上・{today.isoformat()} 時点）。\n")
            return 0
        out.write(format_rows(["区分", "番号", "対象", "状況", "どこで対応するか"],
                              [[r.kind_label, r.target_id, r.title, r.detail, r.where] for r in rows]) + "\n")
        out.write(f"{len(rows)} 件（{scope}・会合なし{months}か月以上・{today.isoformat()} 時点）\n")
    return 0
