"""``kyogitai actions``: the action items of every council, for reminders and
reports outside the meeting.

    kyogitai actions [--data-dir DIR] [--overdue] [--owner NAME] [--council ID]
                     [--due-within DAYS] [--format table|csv|json] [--today DATE]
                     [--variant internal|public]

Same order and filters as the follow-up screen (domain/followup.py).
``table``: aligned columns for a Japanese terminal (east_asian_width);
``csv``: UTF-8 with BOM (opens in Excel) and a Japanese header row;
``json``: a list of objects with stable English keys.  ``--variant public``
(the list to send outside the council) replaces every title or owner that
names a resident, as the public minutes do; ``internal`` (the default, for
the coordinator) keeps them as recorded.  The data directory
is opened read-only.  Unknown council / owner, a bad date or number ->
UserError (Japanese, exit 2).
"""
from __future__ import annotations

import functools
import sys
import unicodedata
from pathlib import Path

from kyogitai_tui.commands._common import choice_arg

FORMATS = ("table", "csv", "json")
# 期限 as 2025-09-30 (Excel sorts and filters it as a date) with the 和暦 beside it;
# 引継ぎ先 by its title, as the minutes say it
CSV_HEADER = ("番号", "取組", "協議体", "担当", "期限", "期限（和暦）", "状態", "期限の状況", "持ち越し回数",
              "出どころ", "引継ぎ先")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "actions", help="すべての協議体の取組（宿題）を一覧します",
        description="すべての協議体の取組を、期限超過を先に、期限の順に一覧します。"
                    "催促や報告に使えます（データは読むだけで変えません）。",
        epilog=("例:\n"
                "  kyogitai actions --overdue\n"
                "  kyogitai actions --owner 見本 --due-within 7 --format csv > 取組.csv\n"),
    )
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="データのフォルダ（省略時は利用者のデータフォルダ）")
    from kyogitai_tui.commands._common import add_database_arg
    add_database_arg(p)
    p.add_argument("--overdue", action="store_true", help="期限を過ぎた未完了の取組だけを出します")
    p.add_argument("--owner", metavar="NAME", help="担当者（氏名の一部か人の番号）で絞り込みます")
    p.add_argument("--council", metavar="ID", help="協議体の番号（例: C2）で絞り込みます")
    p.add_argument("--due-within", metavar="DAYS", dest="due_within",
                   help="期限が今日から DAYS 日以内（超過を含む）の未完了の取組だけを出します")
    p.add_argument("--format", metavar="table|csv|json", dest="fmt", default="table",
                   help="出力の形式（table: 画面用、csv: Excel 用、json）。省略時は table")
    p.add_argument("--today", metavar="YYYY-MM-DD", dest="sub_today",
                   help="「今日」の日付（期限超過の判定に使います。省略時は今日）")
    p.add_argument("--variant", type=choice_arg("--variant", "internal（内部用）", "public（協議体の外に送る用）"), default="internal", metavar="internal|public",
                   help="internal（内部用・省略時）か public（協議体の外に送る用: 対象者の名前・番号を載せません）")
    p.set_defaults(func=run)


def _today(args):
    from datetime import date

    from kyogitai_tui.commands._common import UserError, parse_day
    from kyogitai_tui.domain.dates import DateError

    text = getattr(args, "sub_today", None)
    if text:
        try:
            return parse_day(text)
        except DateError as exc:
            raise UserError(f"--today: {exc}") from None
    return getattr(args, "today", None) or date.today()


def _filter(args, world):
    """``world``: the ``Summary`` of the data (domain/reports/summary.py)."""
    from kyogitai_tui.commands._common import UserError
    from kyogitai_tui.domain.followup.rows import FollowupFilter, normalize

    if args.fmt not in FORMATS:
        raise UserError(f"--format は table・csv・json のどれかにしてください（「{args.fmt}」は使えません）。")
    council = (args.council or "").strip()
    if council and council not in world.councils:
        known = "、".join(sorted(world.councils))
        raise UserError(f"協議体「{council}」は登録されていません。番号で指定してください（{known}）。")
    due_within = None
    if args.due_within is not None:
        text = normalize(str(args.due_within)).strip()
        if not text.isdigit():
            raise UserError(f"--due-within は 0 以上の日数で指定してください（「{args.due_within}」は使えません）。")
        due_within = int(text)
    owner = (args.owner or "").strip()
    if owner and owner not in world.persons:
        key = normalize(owner)
        ids = [p.id for p in world.persons.values() if key in normalize(p.display_name)]
        texts = any(key in normalize(t) for t in world.owner_texts())
        if len(ids) == 1 and not texts:
            owner = ids[0]
        elif not ids and not texts:
            raise UserError(f"担当者「{owner}」は見つかりません。氏名の一部か人の番号（例: P02）で指定してください。")
    return FollowupFilter(owner=owner, council_id=council, overdue=args.overdue, due_within=due_within)


def _record(r) -> dict:
    return {
        "id": r.id, "title": r.title, "council_id": r.council_id, "council": r.council,
        "owner": r.owner, "owner_person_ids": list(r.owner_person_ids),
        "due_date": r.due_date.isoformat() if r.due_date else None, "due_wareki": r.due_wareki,
        "status": r.status, "status_label": r.status_label, "open": r.is_open,
        "overdue": r.overdue, "due_soon": r.due_soon, "days_until_due": r.days_until_due,
        "carry_over_count": r.carry_over_count, "superseded_by": r.superseded_by,
        "origin": r.origin, "origin_meeting_id": r.origin_meeting_id,
        "origin_kind": r.origin_kind, "origin_ref": r.origin_ref,
    }


def _csv_row(r, titles: dict | None = None) -> list:
    successor = (titles or {}).get(r.superseded_by or "", r.superseded_by or "")
    return [r.id, r.title, r.council, r.owner, r.due_date.isoformat() if r.due_date else "", r.due_wareki,
            r.status_label, r.mark, r.carry_over_count, r.origin, successor]


@functools.lru_cache(maxsize=None)
def width(text: str) -> int:
    """Terminal cells of ``text`` (cached: owners, councils and states repeat
    over thousands of rows)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


def format_rows(header: list, body: list) -> str:
    """Aligned columns for a Japanese terminal (any command's table)."""
    cols = [max(width(row[i]) for row in [header] + body) for i in range(len(header))]
    return "\n".join("  ".join(_pad(c, cols[i]) for i, c in enumerate(row)).rstrip() for row in [header] + body)


def format_table(rows) -> str:
    header = ["番号", "期限", "状況", "状態", "持越", "担当", "取組", "協議体"]
    body = [[r.id, r.due_wareki or "なし", r.mark or "-", r.status_label, str(r.carry_over_count),
             r.owner, r.title, r.council] for r in rows]
    cols = [max(width(row[i]) for row in [header] + body) for i in range(len(header))]
    lines = ["  ".join(_pad(c, cols[i]) for i, c in enumerate(row)).rstrip() for row in [header] + body]
    return "\n".join(lines)


def run(args) -> int:
    import json

    from kyogitai_tui.commands._common import read_summary, read_world
    from kyogitai_tui.domain.followup.rows import apply_filter, public_rows
    from kyogitai_tui.domain.reports.summary import Summary, build_parts

    if args.variant == "public":
        # the redaction needs every resident's label: the whole World is read
        world = read_world(args)
        view = Summary.of_parts(build_parts(world, ("actions",)))
    else:
        view = Summary.of_parts(read_summary(args, ("actions",)))
    today = _today(args)
    flt = _filter(args, view)
    every = view.followup_rows(today)
    rows = apply_filter(every, flt, today)
    if args.variant == "public":
        rows = public_rows(world, rows)
        every = public_rows(world, every)
    titles = {r.id: r.title for r in every}
    out = sys.stdout
    if args.fmt == "json":
        out.write(json.dumps([_record(r) for r in rows], ensure_ascii=False, indent=2) + "\n")
    elif args.fmt == "csv":
        from kyogitai_tui.domain.csvfile import csv_bytes

        data = csv_bytes([CSV_HEADER] + [_csv_row(r, titles) for r in rows])
        stream = getattr(out, "buffer", None)
        if stream is not None:
            stream.write(data)
            stream.flush()
        else:
            out.write(data.decode("utf-8"))
    else:
        if rows:
            out.write(format_table(rows) + "\n")
        out.write(f"{len(rows)} 件（{today.year}-{today.month:02d}-{today.day:02d} 時点・{flt.describe(view)}）\n"
                  if rows else f"該当する取組はありません（{flt.describe(view)}）。\n")
    return 0
