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
        help="団体・人・事業者間ネットワークを CSV に書き出します",
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
    from kyogitai_tui.commands._common import UserError, read_world
    from kyogitai_tui.domain.registry import csv_io as C
    from kyogitai_tui.domain.catalog import CatalogError, default_catalog

    out = args.out
    if out is not None:
        if out.is_dir():
            raise UserError(f"{out} はフォルダです。ファイル名（例: {out / '団体.csv'}）を指定してください。")
        if out.exists() and not args.force:
            raise UserError(f"{out} はすでにあります。上書きするときは --force を付けてください。")
        if not out.parent.is_dir():
            raise UserError(f"フォルダ {out.parent} がありません。先に作ってください。")
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
    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        raise UserError(f"{out} に書き出せません（{exc.strerror or exc}）。") from None
    rows = data.decode("utf-8-sig").count("\r\n") - 1
    what = "雛形（見出しだけ）" if args.template else f"{rows}件"
    print(f"{what}を {out} に書き出しました。", file=sys.stderr)
    return 0
