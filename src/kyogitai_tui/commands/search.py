"""``kyogitai search``: the meeting records from the shell.

    kyogitai search QUERY... [--data-dir DIR] [--format table|json] [--limit N]

The data folder is opened read-only (searching never writes).  Exit codes:
0 = something found, 1 = nothing found (a Japanese line on stderr; json
still prints ``[]``), 2 = a problem the user can fix (``UserError``).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from kyogitai_tui.commands._common import choice_arg

EXIT_FOUND = 0
EXIT_NOT_FOUND = 1
DEFAULT_LIMIT = 100

COLUMNS = ("種類", "協議体", "日付", "回", "議題", "抜粋")


def _limit_arg(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"--limit には 0 以上の整数を指定してください（「{text}」）")
    return n


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "search", help="すべての会議の発言・要旨・課題・決定・取組を検索します",
        description=(
            "すべての協議体・すべての年度の会議の記録（発言・議題の要旨・課題・決定・取組と\n"
            "その経過）から、ことばを探します。全角・半角（ＮＰＯ と NPO、ｶﾀｶﾅ と カタカナ、\n"
            "数字）、大文字・小文字、カタカナ・ひらがなの違いは区別しません。空白で区切った\n"
            "ことばは、すべてを含む記録だけが見つかります。新しい会議の記録から順に表示します。\n"
            "対象者は記録されたとおりの仮名でのみ現れます（配慮を要する情報は検索しません）。\n"
            "\n"
            "終了コード: 0 = 見つかった、1 = 見つからなかった、2 = 指定やデータの問題"
        ),
        epilog=(
            "例:\n"
            "  kyogitai search 買い物\n"
            "  kyogitai search NPO 見守り --data-dir /tmp/demo\n"
            "  kyogitai search ｻﾛﾝ --format json --limit 0\n"
        ),
    )
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help="探すことば（複数書くと、すべてを含む記録だけ）")
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="データのフォルダ（省略時は利用者のデータフォルダ）")
    from kyogitai_tui.commands._common import add_database_arg
    add_database_arg(p)
    p.add_argument("--format", type=choice_arg("--format", "table（表）", "json"), default="table", metavar="table|json", dest="fmt",
                   help="table（表、省略時）か json（キー: kind, council_id, council, meeting_id, date, "
                        "date_wareki, fiscal_year, seq, agenda_item, text, snippet, entity_id）")
    p.add_argument("--limit", type=_limit_arg, default=DEFAULT_LIMIT, metavar="N",
                   help=f"表示する件数の上限（省略時 {DEFAULT_LIMIT}、0 ですべて）")
    p.set_defaults(func=run)
    return p


def _cell_width(text: str) -> int:
    import unicodedata

    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _cell_width(text))


def table_lines(hits) -> list[str]:
    """The hits as a table aligned in terminal cells (Japanese = 2 cells)."""
    from kyogitai_tui.domain.reports.search import plain

    rows = [COLUMNS] + [
        (h.entry.kind, plain(h.entry.council), h.entry.date_wareki, h.entry.seq_label,
         plain(h.entry.agenda_item) or "-", h.snippet)
        for h in hits
    ]
    widths = [max(_cell_width(r[i]) for r in rows) for i in range(len(COLUMNS) - 1)]
    out = []
    for r in rows:
        cells = [_pad(c, w) for c, w in zip(r, widths)] + [r[-1]]
        out.append("  ".join(cells).rstrip())
    return out


def run(args) -> int:
    import json

    from kyogitai_tui.commands._common import UserError, read_summary
    from kyogitai_tui.domain.reports.search import SearchIndex, query_terms

    query = " ".join(args.query)
    if not query_terms(query):
        raise UserError("探すことばが空です。例: kyogitai search 買い物")
    index = SearchIndex.from_rows(read_summary(args, ("search",), containing=tuple(query_terms(query)))["search"])
    hits = index.search(query, limit=args.limit or None)
    if args.fmt == "json":
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=2))
    elif hits:
        print("\n".join(table_lines(hits)))
        more = f"（うち {len(hits)} 件を表示。--limit 0 ですべて表示）" if hits.total > len(hits) else ""
        print(f"{hits.total} 件見つかりました{more}。")
    if not hits.total:
        import sys
        print(f"「{query}」を含む会議の記録は見つかりませんでした。ことばを短くするか、別のことばで探してください。",
              file=sys.stderr)
        return EXIT_NOT_FOUND
    return EXIT_FOUND
