"""``kyogitai report``: the 年度報告 from the shell.

    kyogitai report --fiscal-year N [--council ID] --format docx|csv --out PATH
                    [--data-dir DIR] [--force]

N is the Western year the 年度 starts in (2025 = 令和7年度); 「令和7」 and
「R7」 are accepted too.  Without --council every council of the
municipality is reported.  The data folder is opened read-only.
"""
from __future__ import annotations

import argparse
import re
import unicodedata
from pathlib import Path

from kyogitai_tui.commands._common import choice_arg

_ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}


def parse_fiscal_year(text: str) -> int:
    """2025, 「令和7」「令和7年度」「R7」「令和元」 -> the Western year."""
    from kyogitai_tui.domain.dates import DateError, check_supported_fiscal_year

    t = unicodedata.normalize("NFKC", text or "").strip().upper().replace("年度", "").replace("年", "")
    year = None
    if re.fullmatch(r"\d{1,6}", t):
        year = int(t)
    m = re.fullmatch(r"(令和|平成|R|H)(元|\d{1,2})", t)
    if m:
        n = 1 if m.group(2) == "元" else int(m.group(2))
        if n >= 1:
            year = _ERA_START[m.group(1)] + n
    if year is not None:
        try:
            return check_supported_fiscal_year(year)
        except DateError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    raise argparse.ArgumentTypeError(
        f"--fiscal-year には年度を 2025 のような西暦（年度の始まる年）か 令和7 で指定してください（「{text}」）")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "report", help="協議体の年度報告を Word（.docx）か CSV で書き出します",
        description=(
            "協議体の年度の活動（会議と出席、課題、決定、ネットワーク、サービス創出、取組、他制度との連携）を\n"
            "集計して書き出します。住民（対象者）は一切載りません。ファイルは本人だけが読める権限（0600）です。"
        ),
        epilog=(
            "例:\n"
            "  kyogitai report --fiscal-year 2025 --council C2 --format docx --out 年度報告.docx\n"
            "  kyogitai report --fiscal-year 令和7 --format csv --out /tmp/   （全協議体）\n"
        ),
    )
    p.add_argument("--fiscal-year", required=True, type=parse_fiscal_year, metavar="N",
                   help="年度（2025 = 令和7年度。令和7 とも書けます）")
    p.add_argument("--council", metavar="ID", help="協議体の番号（例: C2）。省略すると全協議体")
    p.add_argument("--format", required=True, type=choice_arg("--format", "docx（Word）", "csv"), metavar="docx|csv", dest="fmt",
                   help="docx（Word）か csv")
    p.add_argument("--out", required=True, type=Path, metavar="PATH",
                   help="書き出すファイル（フォルダを指定するとその中に標準の名前で作ります）")
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="データのフォルダ（省略時は利用者のデータフォルダ）")
    from kyogitai_tui.commands._common import add_database_arg
    add_database_arg(p)
    p.add_argument("--force", action="store_true", help="同じ名前のファイルがあれば上書きします")
    p.set_defaults(func=run)


def run(args) -> int:
    from kyogitai_tui.commands._common import UserError, command_data_root, load_catalog, read_world
    from kyogitai_tui.domain.dates import fiscal_year_label
    from kyogitai_tui.minutes.annual_docx import export_annual
    from kyogitai_tui.store.exports import ExportError

    catalog = load_catalog()
    world = read_world(args)
    try:
        path = export_annual(world, args.fiscal_year, args.council, args.fmt, args.out,
                             force=args.force, today=getattr(args, "today", None), catalog=catalog,
                             data_root=command_data_root(args))
    except ExportError as exc:
        raise UserError(exc.message) from None
    scope = world.councils[args.council].name if args.council else "全協議体"
    kind = "Word" if args.fmt == "docx" else "CSV"
    print(f"{fiscal_year_label(args.fiscal_year)}の年度報告（{scope}・{kind}）を {path} に書き出しました。")
    return 0
