"""``kyogitai view``: the room's screen in this terminal (for the projector).

    kyogitai view [--data-dir DIR] [--meeting ID]

Read-only: the data folder is opened without its lock, so the facilitator's
app keeps writing while the view follows each save within a second.  It shows
only what the 公開用 minutes would (``minutes/room.py``).  The view runs at a
lower scheduling priority, so it never takes the processor from the
facilitator's app on the same machine.
"""
from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "view", help="会議室に映す表示（読み取り専用・公開用の内容だけ）を開きます",
        description=(
            "進行中の会議を、会議室のプロジェクターやオンライン参加者向けに表示します。\n"
            "表示するのは公開用の会議録に載る内容だけです（対象者の仮名・番号、内部資料、\n"
            "個別事例の内容は表示しません）。データは読むだけで、進行役のアプリの保存を妨げません。\n"
            "ctrl+q で閉じます。"
        ),
        epilog=(
            "例:\n"
            "  kyogitai view                          進行中の会議を表示\n"
            "  kyogitai view --data-dir /tmp/demo --meeting M-C2-03\n"
        ),
    )
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="データのフォルダ（省略時は利用者のデータフォルダ）")
    p.add_argument("--meeting", metavar="ID",
                   help="表示する会議の番号（省略時は進行中の会議。始まるまで待ちます）")
    # internal: the views of `kyogitai serve` read the view serve computed (ui/room/serve.py)
    p.add_argument("--shared-view", type=Path, help=argparse.SUPPRESS)
    p.set_defaults(func=run)
    return p


def check_folder(args):
    """(data folder, meeting id) after the checks a user can fix: the folder
    exists and reads, and a given meeting is in it.  UserError otherwise."""
    from kyogitai_tui.commands._common import UserError, command_data_root, read_world

    root = command_data_root(args)
    world = read_world(args)
    meeting = getattr(args, "meeting", None)
    if meeting is not None and meeting not in world.meetings:
        ids = list(world.meetings)
        shown = "、".join(ids[:12]) + ("、…" if len(ids) > 12 else "")
        hint = f"指定できる会議：{shown}。" if ids else "データに会議がありません。"
        raise UserError(f"会議「{meeting}」が見つかりません。{hint}"
                        "--meeting を省くと、進行中の会議を表示します。")
    return root, meeting


def run(args) -> int:
    import os

    from kyogitai_tui.commands._common import load_catalog

    try:
        os.nice(10)          # the facilitator's app first
    except OSError:
        pass
    from kyogitai_tui.ui.room.app import run_view

    if args.shared_view is not None:
        return run_view(None, None, None, shared=args.shared_view)
    root, meeting = check_folder(args)
    return run_view(root, meeting, load_catalog())
