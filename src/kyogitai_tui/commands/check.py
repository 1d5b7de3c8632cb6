"""``kyogitai check [--data-dir DIR]``: every file of the data folder read
and checked; exit 0 when nothing is wrong, 1 with each problem named."""
from __future__ import annotations

import sys
from pathlib import Path

from kyogitai_tui.commands._common import (
    EXIT_OK, EXIT_PROBLEMS, default_dir, load_catalog, require_existing_dir,
)


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="データのファイルをすべて点検します",
                       description="データのフォルダの全ファイルを点検します。問題がなければ終了コード 0 です。")
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="点検するデータのフォルダ（省略時は利用者のデータフォルダ）")
    from kyogitai_tui.commands._common import add_database_arg
    add_database_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from kyogitai_tui.domain.world.validate import validate_dataset
    from kyogitai_tui.store import check_data_dir

    load_catalog()
    from kyogitai_tui.commands._common import database_url

    url = database_url(args)
    if url:
        return _check_database(url, validate_dataset)
    root = args.sub_data_dir or args.data_dir or default_dir(create=False)
    require_existing_dir(root)
    report = check_data_dir(root, validate=_naming_files(root, validate_dataset))
    for line in report.summary_lines():
        print(line)
    if not report.errors:
        _rebuild_summary(root)
    if report.problems:
        for problem in report.problems:
            print(f"問題: {problem.path}: {problem.message}", file=sys.stderr)
        print(f"{len(report.problems)} 件の問題が見つかりました。", file=sys.stderr)
        return EXIT_PROBLEMS
    print("問題は見つかりませんでした。")
    return EXIT_OK


def _check_database(url: str, validate) -> int:
    """The same check on a PostgreSQL database: every "file" (registry,
    sensitive, each meeting) read as this role may read it, rows checked,
    the same domain checks; then this role's summary rebuilt."""
    from kyogitai_tui.commands._common import open_command_store, save_summary
    from kyogitai_tui.store import StoreError
    from kyogitai_tui.store.location import check_location, describe_location

    report = check_location(url, validate=validate)
    print(f"データベース: {describe_location(url)}")
    for line in report.summary_lines():
        print(line)
    if not report.errors:
        try:
            with open_command_store(url) as store:
                save_summary(store)
            print("要約（kyogitai_summary）を作り直しました。")
        except StoreError as exc:
            print(f"要約を作り直せませんでした: {exc.message}", file=sys.stderr)
    if report.problems:
        for problem in report.problems:
            print(f"問題: {problem.path or ''}: {problem.message}", file=sys.stderr)
        print(f"{len(report.problems)} 件の問題が見つかりました。", file=sys.stderr)
        return EXIT_PROBLEMS
    print("問題は見つかりませんでした。")
    return EXIT_OK


def _rebuild_summary(root: Path) -> None:
    """The summary files (store/summary.py) built again from the data just
    checked; skipped, with a line saying why, while the app has the folder."""
    from kyogitai_tui.commands._common import save_summary
    from kyogitai_tui.store import DataStore, LockHeldError, StoreError

    try:
        with DataStore.open(root, fallback_read_only=False) as store:
            save_summary(store)
            n = len(store.meeting_ids())
    except LockHeldError:
        print("要約ファイル（summary*.json）は、kyogitai が使用中のため作り直しませんでした。")
        return
    except StoreError as exc:
        print(f"要約ファイル（summary*.json）を作り直せませんでした: {exc.message}", file=sys.stderr)
        return
    print(f"要約ファイル（summary.json ほか）を会議 {n} 件から作り直しました。")


def _naming_files(root: Path, validate):
    """Wrap the domain checks: each problem gets the file it is in (the meeting
    its message names, else sensitive.json / registry.json) and that file's
    newest backup that loads, so the user knows where to look and what to restore."""
    from kyogitai_tui.store import Problem
    from kyogitai_tui.store.backup import newest_good_backup

    def run(dataset):
        out = []
        for message in validate(dataset):
            named = [(message.rfind(f"「{m}」"), m) for m in dataset["meetings"] if f"「{m}」" in message]
            if named:
                relative, kind = f"meetings/{max(named)[1]}.json", "meeting"
            elif "subject_sensitive" in message:
                relative, kind = "sensitive.json", "sensitive"
            else:
                relative, kind = "registry.json", "registry"
            backup = newest_good_backup(root, relative, kind)
            note = f"直前のバックアップ: {backup}" if backup else "読み込めるバックアップはまだありません。"
            out.append(Problem(root / relative, f"{message}（{note}）"))
        return out
    return run
