"""``kyogitai demo-data DIR [--today DATE] [--scale N] [--force]``: the demo
municipality (みほん市), or a large invented one, written into a folder."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from kyogitai_tui.commands._common import (
    EXIT_OK, UserError, date_arg, load_catalog, require_writable_dir, scale_arg,
)


def add_parser(sub) -> None:
    p = sub.add_parser("demo-data", help="デモのデータをフォルダに書き出します",
                       description="デモの市（みほん市）のデータを DIR に書き出します。")
    p.add_argument("dir", type=Path, metavar="DIR", nargs="?",
                   help="書き出し先のフォルダ（空であること）。--database のときは省略します")
    p.add_argument("--database", metavar="URL", dest="sub_database",
                   help="書き出し先の PostgreSQL データベース（空であること）")
    p.add_argument("--today", type=date_arg, metavar="YYYY-MM-DD", dest="sub_today",
                   help="デモの日付の基準日（省略時は今日）")
    p.add_argument("--scale", type=scale_arg, metavar="N",
                   help="圏域 N 個の大きな架空の市を生成します（性能測定用）")
    p.add_argument("--force", action="store_true", help="空でないフォルダにも上書きで書き出します")
    p.set_defaults(func=run)


def run(args) -> int:
    url = args.sub_database or (getattr(args, "database", None) if args.dir is None else None)
    if url and args.dir is not None:
        raise UserError("書き出し先は DIR か --database のどちらか一方にしてください。")
    if url:
        n = write_demo_database(url, args.sub_today, args.scale, args.force)
        print(f"デモのデータをデータベースに書き出しました（{n} 件）。")
        print("起動: kyogitai --database URL")
        return EXIT_OK
    if args.dir is None:
        raise UserError("書き出し先のフォルダ DIR（または --database URL）を指定してください。")
    n = write_demo(args.dir, args.sub_today, args.scale, args.force)
    print(f"デモのデータを {args.dir} に書き出しました（{n} 件）。")
    print(f"起動: kyogitai --data-dir {args.dir}")
    return EXIT_OK


def _prepare_output_dir(path: Path, force: bool) -> Path:
    if path.exists() and not path.is_dir():
        raise UserError(f"{path} はフォルダではありません。書き出し先には空のフォルダを指定してください。")
    if not path.exists():
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise UserError(f"{parent} が見つかりません。書き出し先のフォルダの親フォルダを先に作ってください。")
        if not os.access(parent, os.W_OK):
            raise UserError(f"{parent} に書き込む権限がありません。書き込めるフォルダを指定してください。")
        path.mkdir(mode=0o700)
        return path
    require_writable_dir(path)
    if any(path.iterdir()) and not force:
        raise UserError(
            f"フォルダ {path} は空ではありません。中身を消してよい場合は --force を付けてください。"
        )
    return path


def _demo_dataset(today: date | None, scale: int | None):
    from kyogitai_tui.domain.demo import generate_scaled, load_demo

    if scale:
        return generate_scaled(scale, today=today)
    return load_demo(today)


def write_demo(dir_: Path, today: date | None, scale: int | None, force: bool) -> int:
    """Write the demo into ``dir_``; returns the number of documents written."""
    from kyogitai_tui.store import DataStore, StoreError

    load_catalog()
    target = _prepare_output_dir(dir_, force)
    dataset = _demo_dataset(today, scale)
    try:
        with DataStore.open(target) as store:
            if force:
                store.clear_all()
            store.write_dataset(dataset)
            store.back_up_everything()      # a first backup: an export gone wrong can be undone
            from kyogitai_tui.commands._common import save_summary

            save_summary(store)
    except StoreError as exc:
        raise UserError(exc.message) from None
    return _count_docs(dataset)


def _count_docs(dataset) -> int:
    n = sum(len(v) for v in dataset.get("registry", {}).values())
    n += sum(len(v) for v in dataset.get("sensitive", {}).values())
    for tables in dataset.get("meetings", {}).values():
        n += sum(len(v) for v in tables.values())
    return n


def write_demo_database(url: str, today: date | None, scale: int | None, force: bool) -> int:
    """The demo into an empty PostgreSQL database (one transaction)."""
    from kyogitai_tui.commands._common import open_command_store, save_summary
    from kyogitai_tui.store import StoreError

    load_catalog()
    dataset = _demo_dataset(today, scale)
    with open_command_store(url, create=True) as store:
        try:
            if not force and (store.meeting_ids() or any(store.tables().values())):
                raise UserError("データベースは空ではありません。中身を消してよい場合は --force を付けてください。")
            store.write_dataset(dataset, prune_meetings=True)
            save_summary(store)
        except StoreError as exc:
            raise UserError(exc.message) from None
    return _count_docs(dataset)
