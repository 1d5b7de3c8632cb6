"""What every shell command shares: the user's error and the exit codes,
argument types, the data folder of a command and reading it.

Private to the shell (``kyogitai_tui.cli`` and ``kyogitai_tui.commands``);
the app and the lower layers never import it.
"""
from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class UserError(Exception):
    """A problem the user can fix; ``message`` is Japanese and says how."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.message = message
        self.code = code


# --------------------------------------------------------------------------
# argument types
# --------------------------------------------------------------------------

MAX_SCALE = 500      # 圏域 500 = about 3,000 meetings: beyond any municipality, still minutes to write


def parse_day(text: str) -> date:
    """A 「今日」 the app can work with (``dates.check_supported``), or DateError."""
    from kyogitai_tui.domain.dates import SUPPORTED_RANGE, DateError, check_supported, parse_date

    try:
        day = parse_date(text)
    except DateError:
        raise DateError(f"「{text}」は日付として読めません。2025-09-16 のように 年-月-日 で、"
                        f"{SUPPORTED_RANGE}の日付を指定してください。") from None
    return check_supported(day)


def date_arg(text: str) -> date:
    from kyogitai_tui.domain.dates import DateError

    try:
        return parse_day(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def choice_arg(option: str, *choices: str, values: dict | None = None):
    """argparse type: one of ``choices`` written as ``"docx（Word）"`` (the word
    before 「（」 is what is typed, any case); ``values`` maps it to what the
    command receives.  The message lists the choices as written."""
    keys = {c.split("（")[0] for c in choices}
    shown = "か ".join(choices) + ("" if choices[-1].endswith("）") else " ")

    def parse(text: str) -> str:
        key = text.strip().lower()
        if key not in keys:
            raise argparse.ArgumentTypeError(f"{option} には {shown}を指定してください（「{text}」）")
        return (values or {}).get(key, key)
    return parse


def scale_arg(text: str) -> int:
    message = f"--scale には 1 から {MAX_SCALE} までの整数を指定してください（「{text}」）"
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(message) from None
    if not 1 <= n <= MAX_SCALE:
        raise argparse.ArgumentTypeError(message)
    return n


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


def os_error_message(exc: OSError) -> str:
    """A path the system refuses (name too long, ...), said in Japanese."""
    import errno

    reasons = {errno.ENAMETOOLONG: "名前が長すぎます", errno.EACCES: "権限がありません",
               errno.ENOENT: "見つかりません", errno.ENOTDIR: "途中がフォルダではありません",
               errno.ENOSPC: "ディスクの空きが足りません", errno.EROFS: "読み取り専用です"}
    name = str(exc.filename or "")
    shown = name if len(name) <= 120 else name[:60] + "..." + name[-40:]
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return f"{shown} を扱えませんでした（{reason}）。パスを確かめて、もう一度指定してください。"


# --------------------------------------------------------------------------
# the catalog and the data folder
# --------------------------------------------------------------------------

def load_catalog():
    from kyogitai_tui.domain.catalog import CatalogError, default_catalog

    try:
        return default_catalog()
    except CatalogError as exc:
        raise UserError(exc.message) from None


def default_dir(create: bool) -> Path:
    from kyogitai_tui.config import default_data_dir

    path = default_data_dir()
    if create and not path.exists():
        try:
            path.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise UserError(f"データのフォルダ {path} を作れませんでした（{exc.strerror}）。--data-dir で別のフォルダを指定してください。") from None
    return path


def _data_root_arg(args) -> Path:
    """The command's own --data-dir, the global one, or the user's default."""
    root = getattr(args, "sub_data_dir", None) or getattr(args, "data_dir", None)
    if root is None:
        from kyogitai_tui.config import default_data_dir
        root = default_data_dir()
    return Path(root)


DATABASE_ENV = "KYOGITAI_DATABASE"


def add_database_arg(p) -> None:
    """``--database URL`` beside a command's own ``--data-dir``."""
    p.add_argument("--database", metavar="URL", dest="sub_database",
                   help=f"共有の PostgreSQL データベース（postgresql://...、省略時は環境変数 {DATABASE_ENV}）")


def database_url(args) -> str | None:
    """The PostgreSQL database of a command or the app: ``--database URL``, or
    ``KYOGITAI_DATABASE`` when no --data-dir is given (an explicit folder wins
    over the environment); None for the data folder."""
    from kyogitai_tui.store.pg import is_database_url

    folder = getattr(args, "sub_data_dir", None) or getattr(args, "data_dir", None)
    url = getattr(args, "sub_database", None) or getattr(args, "database", None)
    if url and folder:
        raise UserError("--database と --data-dir は同時に指定できません。どちらか一方にしてください。")
    if not url and not folder:
        url = os.environ.get(DATABASE_ENV) or None
    if url and not is_database_url(url):
        raise UserError(f"--database（{DATABASE_ENV}）には postgresql:// で始まる URL を指定してください"
                        f"（例: postgresql://coordinator@db.example.lg.jp/kyogitai）。")
    return url


def store_location(args):
    """Where a command's data is: the database URL, else the data folder."""
    return database_url(args) or command_data_root(args)


def open_command_store(location, **options):
    """``open_store`` for a shell command: every problem a UserError."""
    from kyogitai_tui.store import StoreError
    from kyogitai_tui.store.location import open_store

    try:
        return open_store(location, **options)
    except ImportError:
        raise UserError("PostgreSQL を使うには、追加の部品が必要です: pip install 'kyogitai-tui[postgres]'") from None
    except StoreError as exc:
        raise UserError(exc.message) from None


def command_data_root(args) -> Path:
    """The data folder of a shell command: its own --data-dir, the global one,
    or the user's default; a UserError when it is not there.  None when the
    data is in a database (``--database``): there is no folder to protect."""
    if database_url(args):
        return None
    root = _data_root_arg(args)
    if not root.is_dir():
        raise UserError(f"データのフォルダ {root} が見つかりません。--data-dir でデータのフォルダを指定してください。")
    return root


def data_root_if_any(args) -> Path | None:
    """The data folder a command would use, when there is one (the folder an
    export must never write into)."""
    if database_url(args):
        return None
    root = _data_root_arg(args)
    return root if root.is_dir() else None


def read_world(args):
    """The World of a command's data folder, read without taking the write
    lock (a meeting may be running in the app meanwhile)."""
    store = open_command_store(store_location(args), read_only=True)
    try:
        return load_world(store)
    finally:
        store.close()


def read_summary(args, parts: tuple[str, ...], containing: tuple[str, ...] = ()) -> dict:
    """The summary ``parts`` (domain/reports/summary.py) of a command's data
    folder: read from the summary files while they match every data file on
    disk, else built from the data itself (every meeting read; a damaged
    file refused with its name, as ``read_world``).  Either way the answers
    are the same; nothing is written (the app and ``check`` keep the files).
    ``containing``: normalised words the caller will search for; a database
    may then return only the search rows holding all of them (the search's
    answer is the same).  A folder ignores it."""
    from kyogitai_tui.domain.reports.summary import SUMMARY_VERSION
    from kyogitai_tui.store.summary import read_summary as read_part, source_stamps

    url = database_url(args)
    if url:
        # one statement per part (the part and the write generation it is
        # checked against, in one snapshot); ``containing``: a search gets
        # only the rows holding its words from the server
        with open_command_store(url, read_only=True) as store:
            found = {part: store.read_summary(part, SUMMARY_VERSION, containing=containing) for part in parts}
    else:
        root = command_data_root(args)
        stamps = source_stamps(root)
        found = {part: read_part(root, part, SUMMARY_VERSION, stamps) for part in parts}
    if all(v is not None for v in found.values()):
        return found
    from kyogitai_tui.domain.reports.summary import build_parts

    built = build_parts(read_world(args))
    return {part: built[part] for part in parts}


def save_summary(store, dataset=None) -> None:
    """Rebuild the summary files from ``dataset`` -- what the caller knows is
    on disk (the app after a clean exit) -- or, without one, from every file
    read again (``demo-data``, ``check``).  The stamps are taken first, so a
    file changed meanwhile leaves the summary stale, never wrong."""
    from kyogitai_tui.domain.reports.summary import SUMMARY_VERSION, build_parts
    from kyogitai_tui.domain.world import World

    stamps = store.source_stamps()
    if dataset is None:
        dataset = store.load_dataset(hand_over=True)
    store.write_summary(build_parts(World.from_dataset(dataset)), SUMMARY_VERSION, stamps)


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


def write_out_bytes(out, data: bytes) -> None:
    """Bytes (a CSV with its BOM) to standard output as they are, or decoded
    when ``out`` is a text stream without a buffer (tests' StringIO)."""
    stream = getattr(out, "buffer", None)
    if stream is not None:
        stream.write(data)
        stream.flush()
    else:
        out.write(data.decode("utf-8"))
