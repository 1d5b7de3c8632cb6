"""Crash-safe JSON storage for TinyDB.

``AtomicJSONStorage`` replaces TinyDB's ``JSONStorage``, which rewrites the
file in place (a crash mid-write corrupts it). Every write here is:

1. serialise to bytes (nothing on disk is touched yet);
2. write them to a temp file in the same directory, created 0600;
3. flush + ``fsync`` the temp file;
4. ``os.replace`` the temp file over the target (atomic on POSIX);
5. ``fsync`` the directory so the rename itself is durable.

A crash (or an injected failure) before step 4 leaves the previous file in
place and byte-identical; the temp file is removed when we still can, and a
temp file left by a killed process has a recognisable name
(``.<name>.<pid>.<random>.kyogitai-tmp``) that readers never look at and that
``remove_stale_temp_files`` deletes on the next writable open.

The storage keeps the parsed data in memory (we are the only writer), so
TinyDB's read-modify-write cycle does not re-parse the file on every call.
If a write fails, the cache is dropped and the next read re-parses the file
on disk: memory always matches disk.

JSON is written with ``ensure_ascii=False`` (Japanese stays readable) and one
document per line, so a file can be read, grepped and diffed by a person.
"""
from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any, Callable, Optional

from tinydb.storages import Storage

from kyogitai_tui.store.errors import CorruptFileError, DiskFullError, ReadOnlyError, StoreError, WriteFailedError

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".kyogitai-tmp"

_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
# Filesystems that cannot fsync a directory say so with one of these; the
# rename has still happened, so they are not a failed save.
_DIR_FSYNC_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, getattr(errno, "EOPNOTSUPP", errno.ENOTSUP), errno.EBADF}


_encode = json.JSONEncoder(ensure_ascii=False).encode  # reused: json.dumps(**kw) builds one per call


def dumps_tinydb(data: dict[str, Any]) -> str:
    """Serialise TinyDB data: one table header per line, one document per line.

    Equivalent to ``json.dumps(data, ensure_ascii=False)`` for ``json.loads``;
    uses the C encoder per document, so it stays fast on big files.
    """
    parts = ["{"]
    for t, (table_name, table) in enumerate(data.items()):
        if not isinstance(table, dict):
            raise TypeError(f"table {table_name!r} is not a dict")
        parts.append(("\n" if t == 0 else ",\n") + _encode(str(table_name)) + ": {")
        for d, (doc_id, doc) in enumerate(table.items()):
            parts.append(("\n" if d == 0 else ",\n") + _encode(str(doc_id)) + ": " + _encode(doc))
        parts.append("\n}" if table else "}")
    parts.append("\n}\n")
    return "".join(parts)


def temp_path_for(target: Path) -> Path:
    """A fresh temp-file name beside ``target`` (same directory, same filesystem)."""
    return target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")


def is_temp_file(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable. Unsupported filesystems are tolerated."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError as exc:
        if exc.errno in _DIR_FSYNC_UNSUPPORTED:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _DIR_FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def ensure_private_dir(directory: Path) -> bool:
    """Create ``directory`` (and parents) owner-only (0700). True if it was created."""
    if directory.is_dir():
        return False
    parent = directory.parent
    if parent != directory and not parent.exists():
        ensure_private_dir(parent)
    try:
        os.mkdir(directory, DIR_MODE)
    except FileExistsError:
        if not directory.is_dir():
            raise
        return False
    os.chmod(directory, DIR_MODE)  # exact mode whatever the umask
    fsync_dir(parent)
    return True


def translate_os_error(exc: OSError, path: Path) -> StoreError:
    """The store error (Japanese message) for an OS error while saving ``path``."""
    if exc.errno in _DISK_FULL:
        return DiskFullError(path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return WriteFailedError(path, "書き込みの権限がありません。フォルダの権限を確認してください")
    if exc.errno == errno.EROFS:
        return WriteFailedError(path, "ディスクが読み取り専用になっています")
    if exc.errno == errno.EIO:
        return WriteFailedError(path, "ディスクの読み書きに失敗しました。USB メモリなどは接続を確かめてください")
    return WriteFailedError(path, exc.strerror or type(exc).__name__)


def atomic_write_bytes(target: Path, payload: bytes) -> None:
    """Durably replace ``target`` with ``payload`` (steps 2-5 above), mode 0600.

    On failure the previous ``target`` is untouched, the temp file is removed
    (best effort) and a ``StoreError`` is raised (``DiskFullError`` for
    ENOSPC/EDQUOT). Non-OS exceptions are re-raised unchanged.
    """
    tmp = temp_path_for(target)
    replaced = False
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)  # exact mode whatever the umask
            write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        replaced = True
        fsync_dir(target.parent)
    except OSError as exc:
        if not replaced:
            _unlink_quietly(tmp)
        raise translate_os_error(exc, target) from exc
    except BaseException:
        if not replaced:
            _unlink_quietly(tmp)
        raise


def write_all(fd: int, payload: bytes) -> None:
    """Write every byte of ``payload`` to ``fd`` (os.write may write less)."""
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def remove_stale_temp_files(directory: Path) -> list[Path]:
    """Delete temp files left by a killed writer. Call only while holding the lock."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return removed
    for entry in entries:
        if is_temp_file(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


def _file_stamp(path: Path) -> Optional[tuple[int, int, int]]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class AtomicJSONStorage(Storage):
    """TinyDB storage: atomic durable writes, parsed-data cache.

    :param path: the JSON file. A missing file reads as empty (``None``);
        nothing is created until the first write.
    :param read_only: every ``write`` raises ``ReadOnlyError``.
    :param watch: re-check the file's identity (inode, mtime, size) on each
        read and re-parse it when another process replaced it. For read-only
        viewers; the single writer does not need it.
    :param parse_error: called as ``parse_error(path, reason)`` to build the
        exception raised when the file does not parse (the store passes one
        that names the newest good backup).
    :param before_write: called with the path before every write (the store
        uses it to take the once-per-session backup).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        watch: bool = False,
        parse_error: Callable[[Path, str], Exception] | None = None,
        before_write: Callable[[Path], None] | None = None,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self.watch = watch
        self._parse_error = parse_error
        self.before_write = before_write
        self._cache: Optional[dict[str, Any]] = None
        self._loaded = False
        self._stamp: Optional[tuple[int, int, int]] = None

    # -- reading ---------------------------------------------------------
    def read(self) -> Optional[dict[str, dict[str, Any]]]:
        if self._loaded and not (self.watch and _file_stamp(self.path) != self._stamp):
            return self._cache
        self._stamp = _file_stamp(self.path)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            data = None
        else:
            data = self._parse(raw)
        self._cache, self._loaded = data, True
        return data

    def _parse(self, raw: bytes) -> Optional[dict[str, Any]]:
        if not raw.strip():
            reason = "ファイルが空です"
        else:
            try:
                data = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                reason = "文字コードが UTF-8 ではありません"
            except ValueError:
                reason = "JSON の形式が壊れています"
            except RecursionError:      # e.g. 100,000 nested "[": refused like any broken file
                reason = "括弧（[ や {）の入れ子が深すぎます"
            else:
                if isinstance(data, dict) and all(isinstance(t, dict) for t in data.values()):
                    return data
                reason = "TinyDB のデータの形になっていません"
        if self._parse_error is not None:
            raise self._parse_error(self.path, reason)
        raise CorruptFileError(self.path, reason)

    def invalidate(self) -> None:
        """Forget the cached data; the next read re-parses the file."""
        self._cache, self._loaded, self._stamp = None, False, None

    def prime(self, data: Optional[dict[str, Any]]) -> None:
        """Set the cache without writing (e.g. data migrated in memory only)."""
        self._cache, self._loaded, self._stamp = data, True, _file_stamp(self.path)

    # -- writing ---------------------------------------------------------
    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.read_only:
            self.invalidate()  # TinyDB may have mutated the cached object already
            raise ReadOnlyError()
        try:
            payload = dumps_tinydb(data).encode("utf-8")
            if self.before_write is not None:
                self.before_write(self.path)
            atomic_write_bytes(self.path, payload)
        except BaseException:
            # TinyDB hands us the (mutated) cached object: drop it so the next
            # read shows what is really on disk.
            self.invalidate()
            raise
        self._cache, self._loaded = data, True
        self._stamp = _file_stamp(self.path) if self.watch else None

    def close(self) -> None:
        self.invalidate()
