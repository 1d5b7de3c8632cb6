"""The ``kyogitai`` command.

    kyogitai [--data-dir DIR]                 the app on the user's data
    kyogitai --demo [--today DATE]            the app on a fresh copy of the demo (temporary)
    kyogitai demo-data DIR [--today DATE] [--scale N] [--force]
    kyogitai check [--data-dir DIR]

Every problem a user can cause (bad path, busy or broken data, broken
catalog) ends in a Japanese message on stderr and exit code 2, never a
traceback.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Sequence

from kyogitai_tui import __version__

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class UserError(Exception):
    """A problem the user can fix; ``message`` is Japanese and says how."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.message = message
        self.code = code


class _JaHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "使い方: " if prefix is None else prefix)


class _JaParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _JaHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "引数"
        self._optionals.title = "オプション"
        self.add_argument("-h", "--help", action="help", help="この説明を表示して終了します")

    def error(self, message: str):  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        sys.stderr.write(
            f"{self.prog}: 指定が正しくありません（{message}）。\n"
            f"使い方は `{self.prog} --help` で表示できます。\n"
        )
        raise SystemExit(EXIT_USAGE)


def _date_arg(text: str) -> date:
    from kyogitai_tui.domain.dates import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _scale_arg(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--scale には 1 以上の整数を指定してください（「{text}」）") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"--scale には 1 以上の整数を指定してください（「{text}」）")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = _JaParser(
        prog="kyogitai",
        description=(
            "協議体の会議をその場で進行し、議事録と取組を管理するアプリです。\n"
            "サブコマンドなしで起動するとアプリの画面が開きます。"
        ),
        epilog=(
            "例:\n"
            "  kyogitai --demo                    デモの市（みほん市）で試す\n"
            "  kyogitai demo-data /tmp/demo       デモのデータをフォルダに書き出す\n"
            "  kyogitai check --data-dir /tmp/demo  データの点検\n"
        ),
    )
    parser.add_argument("--version", action="version", version=f"kyogitai {__version__}",
                        help="バージョンを表示して終了します")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="データのフォルダ（省略時は利用者のデータフォルダ）")
    parser.add_argument("--demo", action="store_true",
                        help="デモの市（みほん市）の新しいコピーで起動します（一時フォルダを使い、利用者のデータには触れません）")
    parser.add_argument("--today", type=_date_arg, metavar="YYYY-MM-DD",
                        help="「今日」の日付を固定します（テストや画面写真用）")

    sub = parser.add_subparsers(dest="command", title="サブコマンド", metavar="COMMAND", parser_class=_JaParser)

    p_demo = sub.add_parser("demo-data", help="デモのデータをフォルダに書き出します",
                            description="デモの市（みほん市）のデータを DIR に書き出します。")
    p_demo.add_argument("dir", type=Path, metavar="DIR", help="書き出し先のフォルダ（空であること）")
    p_demo.add_argument("--today", type=_date_arg, metavar="YYYY-MM-DD", dest="sub_today",
                        help="デモの日付の基準日（省略時は今日）")
    p_demo.add_argument("--scale", type=_scale_arg, metavar="N",
                        help="圏域 N 個の大きな架空の市を生成します（性能測定用）")
    p_demo.add_argument("--force", action="store_true", help="空でないフォルダにも上書きで書き出します")

    p_check = sub.add_parser("check", help="データのファイルをすべて点検します",
                             description="データのフォルダの全ファイルを点検します。問題がなければ終了コード 0 です。")
    p_check.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                         help="点検するデータのフォルダ（省略時は利用者のデータフォルダ）")
    from kyogitai_tui.minutes.cli import add_export_parser

    add_export_parser(sub)
    from kyogitai_tui.commands import add_all

    add_all(sub)
    return parser


# --------------------------------------------------------------------------
# path checks
# --------------------------------------------------------------------------

def require_existing_dir(path: Path) -> Path:
    """An existing, readable directory; otherwise a UserError saying what to do."""
    if not path.exists():
        raise UserError(f"フォルダ {path} が見つかりません。パスを確かめてください。")
    if not path.is_dir():
        raise UserError(f"{path} はフォルダではありません。データのフォルダを指定してください。")
    if not os.access(path, os.R_OK | os.X_OK):
        raise UserError(f"フォルダ {path} を読む権限がありません。権限を確かめてください。")
    return path


def require_writable_dir(path: Path) -> Path:
    require_existing_dir(path)
    if not os.access(path, os.W_OK):
        raise UserError(f"フォルダ {path} に書き込む権限がありません。書き込めるフォルダを指定してください。")
    return path


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


# --------------------------------------------------------------------------
# commands
# --------------------------------------------------------------------------

def _load_catalog():
    from kyogitai_tui.domain.catalog import CatalogError, default_catalog

    try:
        return default_catalog()
    except CatalogError as exc:
        raise UserError(exc.message) from None


def _demo_dataset(today: date | None, scale: int | None):
    from kyogitai_tui.domain.demo import generate_scaled, load_demo

    if scale:
        return generate_scaled(scale, today=today)
    return load_demo(today)


def write_demo(dir_: Path, today: date | None, scale: int | None, force: bool) -> int:
    """Write the demo into ``dir_``; returns the number of documents written."""
    from kyogitai_tui.store import DataStore, StoreError

    _load_catalog()
    target = _prepare_output_dir(dir_, force)
    dataset = _demo_dataset(today, scale)
    try:
        with DataStore.open(target) as store:
            if force:
                store.clear_all()
            store.write_dataset(dataset)
    except StoreError as exc:
        raise UserError(exc.message) from None
    return _count_docs(dataset)


def _count_docs(dataset) -> int:
    n = sum(len(v) for v in dataset.get("registry", {}).values())
    n += sum(len(v) for v in dataset.get("sensitive", {}).values())
    for tables in dataset.get("meetings", {}).values():
        n += sum(len(v) for v in tables.values())
    return n


def cmd_demo_data(args) -> int:
    n = write_demo(args.dir, args.sub_today, args.scale, args.force)
    print(f"デモのデータを {args.dir} に書き出しました（{n} 件）。")
    print(f"起動: kyogitai --data-dir {args.dir}")
    return EXIT_OK


def cmd_check(args) -> int:
    from kyogitai_tui.domain.world.validate import validate_dataset
    from kyogitai_tui.store import check_data_dir

    _load_catalog()
    root = args.sub_data_dir or args.data_dir or _default_dir(create=False)
    require_existing_dir(root)
    report = check_data_dir(root, validate=_naming_files(root, validate_dataset))
    for line in report.summary_lines():
        print(line)
    if report.problems:
        for problem in report.problems:
            print(f"問題: {problem.path}: {problem.message}", file=sys.stderr)
        print(f"{len(report.problems)} 件の問題が見つかりました。", file=sys.stderr)
        return EXIT_PROBLEMS
    print("問題は見つかりませんでした。")
    return EXIT_OK


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


def _default_dir(create: bool) -> Path:
    from kyogitai_tui.config import default_data_dir

    path = default_data_dir()
    if create and not path.exists():
        try:
            path.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise UserError(f"データのフォルダ {path} を作れませんでした（{exc.strerror}）。--data-dir で別のフォルダを指定してください。") from None
    return path


def command_data_root(args) -> Path:
    """The data folder of a shell command: its own --data-dir, the global one,
    or the user's default; a UserError when it is not there."""
    root = getattr(args, "sub_data_dir", None) or getattr(args, "data_dir", None)
    if root is None:
        from kyogitai_tui.config import default_data_dir
        root = default_data_dir()
    root = Path(root)
    if not root.is_dir():
        raise UserError(f"データのフォルダ {root} が見つかりません。--data-dir でデータのフォルダを指定してください。")
    return root


def read_world(args):
    """The World of a command's data folder, read without taking the write
    lock (a meeting may be running in the app meanwhile)."""
    from kyogitai_tui.store import DataStore, StoreError

    root = command_data_root(args)
    try:
        store = DataStore.open(root, read_only=True)
    except StoreError as exc:
        raise UserError(exc.message) from None
    try:
        return load_world(store)
    finally:
        store.close()


def load_world(store):
    """The World of a store, or a UserError naming the file that failed."""
    return load_data(store)[1]


def load_data(store, *, hand_over: bool = False):
    """(dataset, World) of a store, or a UserError naming the file that failed.
    ``hand_over``: the store gives its parsed documents away (one copy in
    memory, not two; see ``DataStore.load_dataset``)."""
    from kyogitai_tui.domain.world import World
    from kyogitai_tui.store import StoreError

    try:
        dataset = store.load_dataset(hand_over=hand_over)
    except StoreError as exc:
        raise UserError(exc.message) from None
    return dataset, World.from_dataset(dataset)


def load_for_start(store):
    """``load_data`` without the cyclic garbage collector: reading 20,000
    documents creates only live objects, yet makes the collector run over
    them again and again (about 30 ms of CPU at ``--scale 42``).  What was
    read is then frozen, so later collections skip it too
    (benchmarks/bench_start.py, docs/BENCHMARKS.md)."""
    import gc

    gc.disable()
    try:
        loaded = load_data(store, hand_over=True)
    finally:
        gc.enable()
    gc.freeze()
    return loaded


def cmd_app(args) -> int:
    from kyogitai_tui.store import DataStore, StoreError

    catalog = _load_catalog()
    today = args.today
    cleanup: Path | None = None
    if args.demo:
        if args.data_dir:
            raise UserError("--demo と --data-dir は同時に指定できません。どちらか一方にしてください。")
        cleanup = Path(tempfile.mkdtemp(prefix="kyogitai-demo-"))
        root = cleanup / "data"
        write_demo(root, today, None, force=False)
    else:
        root = args.data_dir or _default_dir(create=True)
        require_writable_dir(root) if args.data_dir else require_existing_dir(root)
    try:
        try:
            store = DataStore.open(root)
        except StoreError as exc:
            raise UserError(exc.message) from None
        try:
            # Read everything before the screen opens: a broken file is
            # refused here with its name, before any key press can write.
            dataset, world = load_for_start(store)
            from kyogitai_tui.ui.app import KyogitaiApp

            app = KyogitaiApp(store=store, catalog=catalog, world=world, dataset=dataset, today=today)
            try:
                app.run()
            finally:
                # Whatever ended the app, what was typed reaches the disk first;
                # what could not be saved is shown, never dropped silently.
                if not app.saver.close():
                    _report_unsaved(app.saver.unsaved)
        finally:
            store.close()
    finally:
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
    return EXIT_OK


def _report_unsaved(changes) -> None:
    print(f"保存できなかった入力が {len(changes)} 件あります。必要な内容はここから書き写してください。",
          file=sys.stderr)
    for ch in changes:
        doc = ch.doc or {}
        text = next((doc[k] for k in ("text", "note", "summary", "title", "description", "notes", "name")
                     if isinstance(doc.get(k), str) and doc[k]), "")
        print(f"  {ch.table} {ch.doc_id}: {text}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo-data":
            return cmd_demo_data(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "export-minutes":
            from kyogitai_tui.minutes.cli import cmd_export_minutes

            return cmd_export_minutes(args)
        if getattr(args, "func", None) is not None:
            return args.func(args)
        return cmd_app(args)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a path the system refuses (name too long, ...): a message, not a traceback
        print(_os_error_message(exc), file=sys.stderr)
        return EXIT_USAGE


def _os_error_message(exc: OSError) -> str:
    import errno

    reasons = {errno.ENAMETOOLONG: "名前が長すぎます", errno.EACCES: "権限がありません",
               errno.ENOENT: "見つかりません", errno.ENOTDIR: "途中がフォルダではありません",
               errno.ENOSPC: "ディスクの空きが足りません", errno.EROFS: "読み取り専用です"}
    name = str(exc.filename or "")
    shown = name if len(name) <= 120 else name[:60] + "..." + name[-40:]
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return f"{shown} を扱えませんでした（{reason}）。パスを確かめて、もう一度指定してください。"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
