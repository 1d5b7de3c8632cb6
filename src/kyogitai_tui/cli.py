"""The ``kyogitai`` command: builds the parser and dispatches.

    kyogitai [--data-dir DIR]                 the app on the user's data
    kyogitai --demo [--today DATE]            the app on a fresh copy of the demo (temporary)
    kyogitai COMMAND ...                      a shell command (kyogitai --help lists them)

Every subcommand lives in a module of ``kyogitai_tui.commands`` (found by
name); the app start in ``commands/_app.py``; what they share in
``commands/_common.py``.  Every problem a user can cause ends in a
Japanese message on stderr and exit code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from kyogitai_tui import __version__
from kyogitai_tui.commands._common import EXIT_USAGE, UserError, date_arg, os_error_message


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
        if message.startswith("argument "):      # argparse's English prefix: the option is enough
            message = message[len("argument "):]
        self.print_usage(sys.stderr)
        sys.stderr.write(
            f"{self.prog}: 指定が正しくありません（{message}）。\n"
            f"使い方は `{self.prog} --help` で表示できます。\n"
        )
        raise SystemExit(EXIT_USAGE)


class _NotAppStart(Exception):
    """The command line is not a plain app start: parse it in full."""


class _AppStartParser(_JaParser):
    """The app's own options only: anything else (a subcommand, --help, a
    wrong value) is handed to the full parser, which says what is wrong."""

    def error(self, message: str):
        raise _NotAppStart

    def print_help(self, file=None):
        raise _NotAppStart


def build_parser(*, commands: bool = True, parser_class: type[_JaParser] = _JaParser) -> argparse.ArgumentParser:
    """The whole command line; ``commands=False``: the options of the app
    start alone (no subcommand module is imported)."""
    parser = parser_class(
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
    parser.add_argument("--today", type=date_arg, metavar="YYYY-MM-DD",
                        help="「今日」の日付を固定します（テストや画面写真用）")

    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", title="サブコマンド", metavar="COMMAND", parser_class=_JaParser)
    from kyogitai_tui.commands import add_all

    add_all(sub)
    return parser


def app_start_args(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The arguments of a plain app start (``kyogitai [--data-dir DIR] ...``),
    parsed without importing every command's module (a few milliseconds of
    every start); None for anything else."""
    try:
        args, rest = build_parser(commands=False, parser_class=_AppStartParser).parse_known_args(argv)
    except _NotAppStart:
        return None
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    args = app_start_args(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    try:
        if getattr(args, "func", None) is not None:
            return args.func(args)
        from kyogitai_tui.commands._app import run_app

        return run_app(args)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a path the system refuses (name too long, ...): a message, not a traceback
        print(os_error_message(exc), file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
