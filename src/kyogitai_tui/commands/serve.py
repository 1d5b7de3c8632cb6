"""``kyogitai serve``: the room's screen for web browsers.

    kyogitai serve [--data-dir DIR] [--meeting ID] [--host HOST] [--port PORT]

Each browser gets its own read-only ``kyogitai view`` (textual-serve).  By
default only this machine can open it (127.0.0.1).  On any other address a
URL with a random token is printed and every request without it is refused
(403).  The page needs nothing from the internet.
"""
from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_PORT = 8400


def _port(text: str) -> int:
    import argparse as _a

    try:
        value = int(text)
    except ValueError:
        raise _a.ArgumentTypeError(f"ポート番号は数字で指定してください（{text}）") from None
    if not 1 <= value <= 65535:
        raise _a.ArgumentTypeError(f"ポート番号は 1〜65535 で指定してください（{text}）")
    return value


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "serve", help="会議室に映す表示を、ブラウザで見られるように配信します",
        description=(
            "kyogitai view の表示をブラウザに配信します（ブラウザごとに読み取り専用の表示）。\n"
            "既定ではこのパソコンの中からだけ開けます。--host に このパソコンのアドレスか 0.0.0.0 を\n"
            "指定すると、同じネットワークの機器からトークン付きのURLで開けます。\n"
            "インターネットには接続しません。"
        ),
        epilog=(
            "例:\n"
            "  kyogitai serve                         このパソコンのブラウザで http://127.0.0.1:8400/\n"
            "  kyogitai serve --host 0.0.0.0          会議室のネットワークへ（トークン付きURLを表示）\n"
        ),
    )
    p.add_argument("--data-dir", type=Path, metavar="DIR", dest="sub_data_dir",
                   help="データのフォルダ（省略時は利用者のデータフォルダ）")
    p.add_argument("--meeting", metavar="ID", help="表示する会議の番号（省略時は進行中の会議）")
    p.add_argument("--host", default="127.0.0.1", metavar="HOST",
                   help="待ち受けるアドレス（既定 127.0.0.1 ＝ このパソコンだけ）")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="PORT",
                   help=f"待ち受けるポート番号（既定 {DEFAULT_PORT}）")
    p.set_defaults(func=run)
    return p


def _check_bind(host: str, port: int) -> None:
    """A clear message now for an address or port that cannot be used."""
    import socket

    from kyogitai_tui.commands._common import UserError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise UserError(f"アドレス「{host}」が見つかりません。--host にこのパソコンのアドレス、"
                        "127.0.0.1 か 0.0.0.0 を指定してください。") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as exc:
            if exc.errno in (98, 48):   # EADDRINUSE (Linux, macOS)
                raise UserError(f"ポート {port} はほかのプログラムが使っています。--port で別の番号を指定してください。") from None
            raise UserError(f"アドレス {host} のポート {port} で待ち受けられません（{exc.strerror}）。"
                            "--host か --port を変えてください。") from None


def run(args) -> int:
    from kyogitai_tui.commands.view import check_folder

    root, meeting = check_folder(args)
    _check_bind(args.host, args.port)
    from kyogitai_tui.ui.room.serve import RoomServer

    import os

    try:
        os.nice(5)          # relaying the views never comes before the facilitator's app
    except OSError:
        pass

    from kyogitai_tui.commands._common import load_catalog

    RoomServer(root.absolute(), meeting, args.host, args.port, catalog=load_catalog()).serve()
    return 0
