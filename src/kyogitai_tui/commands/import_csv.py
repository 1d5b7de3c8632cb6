"""``kyogitai import-csv KIND FILE [--data-dir DIR] [--dry-run]``: the register's
CSV import from the shell (organisations, persons, provider networks).

Prints the preview (every bad row with its line number and reason).  Writes
nothing with --dry-run or when any row has a problem (exit 1); otherwise
writes every row in ONE atomic write and prints the counts (exit 0).  Usage
errors (unknown kind, missing file or folder) exit 2.  The rules of the file
are in kyogitai_tui.domain.registry.csv_io.
"""
from __future__ import annotations

import argparse
from pathlib import Path

ENCODING_NAMES = {"utf-8-sig": "UTF-8（BOM付き）", "utf-8": "UTF-8", "cp932": "Shift_JIS"}
KIND_HELP = ("organizations（団体）・persons（人）・provider_networks（事業者間ネットワーク）・"
             "municipality（市町村）・areas（圏域）・councils（協議体）")


def kind_arg(text: str) -> str:
    """argparse type: a CSV kind from its code or Japanese name."""
    from kyogitai_tui.domain.registry.csv_io import kind_of

    kind = kind_of(text)
    if kind is None:
        raise argparse.ArgumentTypeError(f"種類「{text}」は取り込めません。{KIND_HELP} のどれかを指定してください。")
    return kind


def add_parser(sub) -> None:
    p = sub.add_parser(
        "import-csv",
        help="市町村・圏域・協議体・団体・人・事業者間ネットワークを CSV から取り込みます",
        description=("CSV（UTF-8・BOM付きUTF-8・Excel の Shift_JIS）を取り込みます。"
                     "問題のある行が1行でもあれば何も書き込みません。"),
        epilog=("例:\n  kyogitai import-csv 団体 団体一覧.csv --dry-run\n"
                "  kyogitai import-csv provider_networks nets.csv --data-dir /tmp/demo\n"
                "テンプレート: kyogitai export-csv 団体 --template --out 団体.csv"),
    )
    p.add_argument("kind", type=kind_arg, metavar="KIND", help=KIND_HELP)
    p.add_argument("file", type=Path, metavar="FILE", help="取り込む CSV ファイル")
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="データのフォルダ（省略時は利用者のデータフォルダ）")
    p.add_argument("--dry-run", action="store_true", help="確認だけして書き込みません")
    p.set_defaults(func=run)


def run(args) -> int:
    from datetime import date

    from kyogitai_tui.commands._common import EXIT_PROBLEMS, UserError, load_data
    from kyogitai_tui.domain.registry import csv_io as C
    from kyogitai_tui.domain.catalog import CatalogError, default_catalog
    from kyogitai_tui.domain.registry.specs import KINDS
    from kyogitai_tui.store import DataStore, StoreError

    if not args.file.is_file():
        raise UserError(f"ファイル {args.file} が見つかりません。ファイル名と場所を確かめてください。")
    from kyogitai_tui.commands._common import command_data_root

    root = command_data_root(args)
    title = KINDS[args.kind]
    try:
        catalog = default_catalog()
    except CatalogError as exc:
        raise UserError(exc.message) from None
    try:
        table = C.read_csv(args.file)
    except C.CsvError as exc:
        raise UserError(exc.message, code=EXIT_PROBLEMS) from None
    today = getattr(args, "today", None) or date.today()
    try:
        store = DataStore.open(root, read_only=args.dry_run)
    except StoreError as exc:
        raise UserError(exc.message) from None
    try:
        _dataset, world = load_data(store)
        pv = C.preview(world, catalog, args.kind, table, today)
        enc = ENCODING_NAMES.get(table.encoding, table.encoding)
        print(f"{args.file} を{title}として確認しました（{len(table.rows)}行、文字コード {enc}）。")
        print(f"  問題のない行: 追加 {pv.added}件・更新 {pv.updated}件・変更なし {pv.unchanged}件")
        for line, note in pv.warnings:
            print(f"  注意 {line}行目: {note}")
        if pv.problems:
            print(f"問題のある行: {len({line for line, _ in pv.problems})}行")
            for line, reason in pv.problems:
                print(f"  {line}行目: {reason}")
            print("問題のある行があるため、何も書き込みませんでした。直してからもう一度実行してください。")
            return EXIT_PROBLEMS
        if args.dry_run:
            print("--dry-run のため書き込みませんでした。")
            return 0
        if not pv.changes:
            print("登録済みの内容と同じため、書き込むものはありません。")
            return 0
        try:
            C.write(store, C.apply(pv))
        except StoreError as exc:
            raise UserError(exc.message) from None
        print(f"{title}を {pv.added}件追加・{pv.updated}件更新しました（{root}）。")
        return 0
    finally:
        store.close()
