"""``kyogitai migrate --from DIR|URL --to DIR|URL [--force]``: move every
document between a data folder and a PostgreSQL database, either way.

The source is checked first and read as one snapshot; the target must be
empty unless ``--force`` (then it is replaced: a folder keeps backups of
what it held, a database snapshots it in ``kyogitai_backups``); everything
is written (in one transaction on a database), read back and compared
document by document, and the target is checked.  Nothing is deleted from
the source.
"""
from __future__ import annotations

from kyogitai_tui.commands._common import EXIT_OK, EXIT_PROBLEMS, UserError


def add_parser(sub) -> None:
    p = sub.add_parser(
        "migrate", help="データをフォルダと PostgreSQL のあいだで移します",
        description=("データのフォルダと PostgreSQL データベースのあいだで、すべての文書を移します（どちら向きでも）。\n"
                     "移し先は空であること（--force で置き換え）。移したあと読み直して、元と同じか確かめます。"),
        epilog=("例:\n"
                "  kyogitai migrate --from ~/kyogitai-data --to postgresql://admin@db.example.lg.jp/kyogitai\n"
                "  kyogitai migrate --from postgresql://admin@db.example.lg.jp/kyogitai --to /tmp/kyogitai-copy\n"))
    p.add_argument("--from", dest="source", required=True, metavar="DIR|URL", help="移す元（フォルダか postgresql://...）")
    p.add_argument("--to", dest="target", required=True, metavar="DIR|URL", help="移し先（フォルダか postgresql://...）")
    p.add_argument("--force", action="store_true", help="移し先が空でなくても置き換えます")
    p.set_defaults(func=run)


def _location(text: str):
    from pathlib import Path

    from kyogitai_tui.store.pg import is_database_url

    if is_database_url(text):
        return text
    if "://" in text:
        raise UserError(f"「{text}」は使えません。フォルダのパスか postgresql:// で始まる URL を指定してください。")
    return Path(text).expanduser()


def _is_empty(store) -> bool:
    return not store.meeting_ids() and not any(store.tables().values()) and not any(store.sensitive_tables().values())


def run(args) -> int:
    from pathlib import Path

    from kyogitai_tui.commands._common import open_command_store, save_summary
    from kyogitai_tui.domain.world.validate import validate_dataset
    from kyogitai_tui.store import StoreError
    from kyogitai_tui.store.location import check_location, describe_location

    source, target = _location(args.source), _location(args.target)
    if str(source) == str(target) or (isinstance(source, Path) and isinstance(target, Path)
                                      and source.resolve() == target.resolve()):
        raise UserError("移す元と移し先が同じです。別の場所を指定してください。")
    src_name, dst_name = describe_location(source), describe_location(target)
    if isinstance(source, Path) and not source.is_dir():
        raise UserError(f"移す元のフォルダ {source} が見つかりません。パスを確かめてください。")

    before = check_location(source, validate_dataset)
    if before.errors:
        for problem in before.errors:
            print(f"問題: {problem.path or ''}: {problem.message}")
        raise UserError(f"移す元 {src_name} に問題があるため、移しませんでした。kyogitai check で直してからもう一度実行してください。")
    with open_command_store(source, read_only=True) as src:
        dataset = src.load_dataset()
    if isinstance(target, Path) and target.exists() and not target.is_dir():
        raise UserError(f"{target} はフォルダではありません。移し先には空のフォルダか URL を指定してください。")
    with open_command_store(target, create=True, fallback_read_only=False) as dst:
        try:
            if not _is_empty(dst) and not args.force:
                raise UserError(f"移し先 {dst_name} は空ではありません。中身を置き換えてよい場合は --force を付けてください。")
            dst.write_dataset(dataset, prune_meetings=True)
            back = dst.load_dataset()
            save_summary(dst, back)
        except StoreError as exc:
            raise UserError(exc.message) from None
    if back != dataset:
        print(f"移し先 {dst_name} の内容が移す元と一致しません。移す元はそのままです。", flush=True)
        return EXIT_PROBLEMS
    after = check_location(target, validate_dataset)
    documents = before.total_documents()
    print(f"{src_name} から {dst_name} へ、会議 {len(dataset['meetings'])} 件・文書 {documents:,} 件を移しました。")
    print("移し先を読み直し、すべての文書が元と同じであることを確かめました。")
    if after.errors:
        for problem in after.errors:
            print(f"問題: {problem.path or ''}: {problem.message}")
        return EXIT_PROBLEMS
    print("移し先の点検（kyogitai check と同じ）でも問題はありませんでした。")
    return EXIT_OK
