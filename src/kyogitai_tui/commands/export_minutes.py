"""``kyogitai export-minutes``: the minutes from the shell.

    kyogitai export-minutes [--data-dir DIR] --meeting ID|latest
                            --variant public|internal --format docx|md
                            --out PATH [--force]

The data folder is opened read-only (no lock is taken: exporting never
writes the data).  Problems the user can fix end in a Japanese message and
exit code 2.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from kyogitai_tui.commands._common import choice_arg

variant_arg = choice_arg("--variant", "public（公開用）", "internal（内部記録）",
                         values={"public": "PUBLIC", "internal": "INTERNAL"})
_format_arg = choice_arg("--format", "docx（Word）", "md（Markdown）")


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "export-minutes", help="会議録を Word（.docx）か Markdown で書き出します",
        description=(
            "会議録（要旨）を書き出します。公開用（public）には対象者が一切載りません。\n"
            "内部記録（internal）は対象者を仮名（Aさん（80代・女性・独居）など）でのみ載せます。\n"
            "ファイルは本人だけが読める権限（0600）で作られます。"
        ),
        epilog=(
            "例:\n"
            "  kyogitai export-minutes --meeting latest --variant public --format docx --out 会議録.docx\n"
            "  kyogitai export-minutes --data-dir /tmp/demo --meeting M-C2-02 --variant internal --format md --out /tmp/\n"
        ),
    )
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="データのフォルダ（省略時は利用者のデータフォルダ）")
    from kyogitai_tui.commands._common import add_database_arg
    add_database_arg(p)
    p.add_argument("--meeting", required=True, metavar="ID|latest",
                   help="会議の番号（例: M-C2-02）か latest（最後に開いた会議）")
    p.add_argument("--variant", required=True, type=variant_arg, metavar="public|internal",
                   help="public（公開用）か internal（内部記録）")
    p.add_argument("--format", required=True, type=_format_arg, metavar="docx|md", dest="fmt",
                   help="docx（Word）か md（Markdown）")
    p.add_argument("--out", required=True, type=Path, metavar="PATH",
                   help="書き出すファイル（フォルダを指定するとその中に標準の名前で作ります）")
    p.add_argument("--force", action="store_true", help="同じ名前のファイルがあれば上書きします")
    p.add_argument("--confirm", action="append", default=[], metavar="ID",
                   help="公開用で本人が特定されるおそれがあると示された文のうち、公開してよいと確かめた文の番号（例: P1A2B3C。複数回指定できます）")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    from kyogitai_tui.commands._common import UserError, command_data_root, load_catalog, read_world
    from kyogitai_tui.minutes.content import VARIANT_LABELS, MinutesError
    from kyogitai_tui.minutes.export import ExportError, export_minutes, resolve_meeting

    world = read_world(args)
    catalog = load_catalog()
    try:
        meeting_id = resolve_meeting(world, args.meeting)
        path = export_minutes(world, meeting_id, args.variant, args.fmt, args.out,
                              force=args.force, today=getattr(args, "today", None), catalog=catalog,
                              data_root=command_data_root(args), confirm=args.confirm)
    except (MinutesError, ExportError) as exc:
        raise UserError(exc.message) from None
    kind = "Word" if args.fmt == "docx" else "Markdown"
    print(f"会議「{meeting_id}」の会議録（{VARIANT_LABELS[args.variant]}・{kind}）を {path} に書き出しました。")
    return 0
