"""``kyogitai export-csv KIND [--out PATH] [--template] [--data-dir DIR]``:
organisations, persons or provider networks as an Excel-compatible CSV
(UTF-8 with BOM, Japanese headers) that ``import-csv`` reads back; with
--template only the header row (no data folder needed).
"""
from __future__ import annotations

import sys
from pathlib import Path

from kyogitai_tui.commands.import_csv import KIND_HELP, kind_arg


def add_parser(sub) -> None:
    p = sub.add_parser(
        "export-csv",
        help="市町村・圏域・協議体・団体・人・事業者間ネットワークを CSV に書き出します",
        description="Excel で開ける CSV（BOM付きUTF-8）に書き出します。--template で見出しだけの雛形を作ります。",
        epilog="例:\n  kyogitai export-csv 団体 --out 団体一覧.csv\n  kyogitai export-csv 人 --template --out 人.csv",
    )
    p.add_argument("kind", type=kind_arg, metavar="KIND", help=KIND_HELP)
    p.add_argument("--out", type=Path, metavar="PATH", help="書き出すファイル（省略時は画面に出します）")
    p.add_argument("--template", action="store_true", help="見出しだけの雛形を書き出します")
    p.add_argument("--force", action="store_true", help="同じ名前のファイルがあれば上書きします")
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="データのフォルダ（省略時は利用者のデータフォルダ）")
    p.set_defaults(func=run)


def run(args) -> int:
    from kyogitai_tui.commands._common import UserError, data_root_if_any, read_world
    from kyogitai_tui.domain.catalog import CatalogError, default_catalog
    from kyogitai_tui.domain.registry import csv_io as C
    from kyogitai_tui.store.exports import ExportError, check_target, write_export

    out = args.out
    root = data_root_if_any(args)
    if out is not None:
        if out.is_dir():
            raise UserError(f"{out} はフォルダです。ファイル名（例: {out / '団体.csv'}）を指定してください。")
        try:
            check_target(out, force=args.force, data_root=root)   # refused before the data is read
        except ExportError as exc:
            raise UserError(exc.message) from None
    if args.template:
        data = C.template_csv(args.kind)
    else:
        try:
            catalog = default_catalog()
        except CatalogError as exc:
            raise UserError(exc.message) from None
        world = read_world(args)
        data = C.export_csv(world, catalog, args.kind)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        write_export(out, data, force=args.force, data_root=root)
    except ExportError as exc:
        raise UserError(exc.message) from None
    rows = data.decode("utf-8-sig").count("\r\n") - 1
    what = "雛形（見出しだけ）" if args.template else f"{rows}件"
    print(f"{what}を {out} に書き出しました。", file=sys.stderr)
    return 0
