"""The one writer for files that leave the data folder: minutes, 年度報告,
CSV lists and templates, from the shell and from the app.

Every file is written like a data file (``storage.atomic_write_bytes``'s
steps): a temp file with a unique name beside the target, created 0600,
fsync, then the rename, then the folder is fsynced.  Folders this module
creates are 0700.  Without ``force`` the temp file is hard-linked into place,
which fails if the name was taken meanwhile, so nothing is ever replaced
unasked.

The policy for where such a file may go (``check_target``):

* never inside the data folder (symlinks resolved): an export must not
  replace ``registry.json`` or a backup;
* never over something that is not a regular file (a folder, a device, a
  fifo, a dangling symlink);
* never over an existing file without ``force``.

Each refusal is an ``ExportError`` whose ``message`` is Japanese and says what
to do, and whose ``reason`` is one of NO_DIR, NOT_WRITABLE, IS_DIR,
NOT_REGULAR, IN_DATA, EXISTS, DISK_FULL, WRITE_FAILED (the minutes layer adds
BAD_FORMAT, BAD_VARIANT, NOT_FOUND, NO_MEETING).  The shell turns it into
exit code 2, the app into a message on screen.  Nothing here touches
Textual; call it from a worker thread in the app.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Optional

from kyogitai_tui.store.errors import StoreError
from kyogitai_tui.store.storage import (
    FILE_MODE, atomic_write_bytes, ensure_private_dir, fsync_dir, temp_path_for, write_all,
)

__all__ = ["ExportError", "check_target", "write_export", "ensure_export_dir"]


class ExportError(StoreError):
    """An export refused or failed; ``message`` Japanese, ``reason`` a code."""

    def __init__(self, message: str, reason: str = "WRITE_FAILED", *, path: Path | str | None = None):
        super().__init__(message, path=path)
        self.reason = reason


def _exists_message(path: Path) -> str:
    return f"ファイル {path} はすでにあります。上書きしてよい場合は --force を付けてください。"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_target(path: Path | str, *, force: bool = False, data_root: Optional[Path | str] = None) -> Path:
    """The file to write for ``path``, or an ExportError saying why not."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if data_root is not None:
        root = Path(data_root).resolve()
        if _inside(path.resolve(), root):
            raise ExportError(
                f"{path} はデータのフォルダ {root} の中です。データを壊さないよう、"
                "書き出しはデータのフォルダの外（例: 書類のフォルダ）を指定してください。",
                "IN_DATA", path=path)
    try:
        st = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        st = None
    except OSError as exc:
        raise _os_error(exc, path) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise ExportError(f"{path} はフォルダです。書き出すファイルの名前を指定してください。", "IS_DIR", path=path)
        target_st = st
        if stat.S_ISLNK(st.st_mode):
            try:
                target_st = path.stat()
            except OSError:
                target_st = None
        if target_st is None or not stat.S_ISREG(target_st.st_mode):
            raise ExportError(f"{path} は普通のファイルではありません（装置・パイプ・リンク切れなど）。"
                              "別のファイル名を指定してください。", "NOT_REGULAR", path=path)
        if not force:
            raise ExportError(_exists_message(path), "EXISTS", path=path)
    if not parent.is_dir():
        raise ExportError(f"フォルダ {parent} が見つかりません。先にフォルダを作るか、別の書き出し先を指定してください。",
                          "NO_DIR", path=parent)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"フォルダ {parent} に書き込む権限がありません。書き込めるフォルダを指定してください。",
                          "NOT_WRITABLE", path=parent)
    return path


def ensure_export_dir(folder: Path | str) -> Path:
    """The app's export folder, created owner-only (0700) when missing."""
    folder = Path(folder)
    try:
        ensure_private_dir(folder)
    except OSError as exc:
        raise _os_error(exc, folder) from None
    return folder


def write_export(path: Path | str, data: bytes, *, force: bool = False,
                 data_root: Optional[Path | str] = None) -> Path:
    """Write ``data`` to ``path`` under the policy above; returns the path."""
    path = check_target(path, force=force, data_root=data_root)
    if force:
        try:
            atomic_write_bytes(path, data)
        except StoreError as exc:
            raise _from_store(exc, path) from None
        return path
    tmp = temp_path_for(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)                      # fails if the name was taken meanwhile
        except FileExistsError:
            raise ExportError(_exists_message(path), "EXISTS", path=path) from None
        except OSError:
            # file systems without hard links (FAT on a USB stick): check, then rename
            if os.path.lexists(path):
                raise ExportError(_exists_message(path), "EXISTS", path=path) from None
            os.replace(tmp, path)
        fsync_dir(path.parent if str(path.parent) else Path("."))
    except OSError as exc:
        raise _os_error(exc, path) from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return path


def _os_error(exc: OSError, path: Path) -> ExportError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return ExportError(f"ディスクの空きが足りないため {path} に書き出せませんでした。空きを作ってからやり直してください。",
                           "DISK_FULL", path=path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(f"{path} に書き込む権限がありません。書き込めるフォルダを指定してください。",
                           "NOT_WRITABLE", path=path)
    return ExportError(f"{path} に書き出せませんでした（{exc.strerror or exc}）。", "WRITE_FAILED", path=path)


def _from_store(exc: StoreError, path: Path) -> ExportError:
    cause = exc.__cause__
    if isinstance(cause, OSError):
        return _os_error(cause, path)
    return ExportError(exc.message, "WRITE_FAILED", path=path)
