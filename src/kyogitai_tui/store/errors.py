"""Errors raised by the store.

Every error carries a Japanese, user-facing ``message`` that says what
happened and what the user can do about it; the UI shows it as is.
``str(error)`` is the same message, so logging and tracebacks stay readable.
"""
from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class of every error the store raises on purpose.

    ``message`` is Japanese and meant for the user; ``path`` (when known) is
    the file or directory concerned.
    """

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class CorruptFileError(StoreError):
    """A data file does not parse, or lacks a valid ``_meta`` record.

    The file is left untouched. ``backup`` is the newest backup that does
    load, if any, and ``reason`` a short Japanese description.
    """

    def __init__(self, path: Path, reason: str, *, backup: Path | None = None) -> None:
        self.reason = reason
        self.backup = backup
        msg = (
            f"ファイル {path} を読み込めませんでした（{reason}）。"
            "ファイルはそのままにしてあります。"
        )
        if backup is not None:
            msg += f"直前のバックアップ: {backup}"
        else:
            msg += "使えるバックアップは見つかりませんでした。"
        super().__init__(msg, path=path)

    def with_backup(self, backup: Path | None) -> "CorruptFileError":
        """The same error, now naming ``backup``."""
        return CorruptFileError(self.path, self.reason, backup=backup)


class NewerSchemaError(StoreError):
    """A file was written by a newer version of the app; it is never rewritten."""

    def __init__(self, path: Path, file_version: int, app_version: int, *, backup: Path | None = None) -> None:
        self.file_version = file_version
        self.app_version = app_version
        self.backup = backup
        msg = (
            f"ファイル {path} は新しい版の kyogitai で作られています"
            f"（ファイルの形式 {file_version}、このアプリが扱える形式 {app_version}）。"
            "ファイルには手を加えていません。kyogitai を新しい版に更新してから開いてください。"
        )
        if backup is not None:
            msg += f"この版で読める直前のバックアップ: {backup}（新しい版での変更は含まれません）"
        super().__init__(msg, path=path)

    def with_backup(self, backup: Path | None) -> "NewerSchemaError":
        """The same error, now naming ``backup`` (a backup this version can read)."""
        return NewerSchemaError(self.path, self.file_version, self.app_version, backup=backup)


class MigrationError(StoreError):
    """An older file could not be brought up to the current schema."""

    def __init__(self, path: Path, from_version: int, detail: str) -> None:
        self.from_version = from_version
        super().__init__(
            f"ファイル {path}（形式 {from_version}）を現在の形式に更新できませんでした（{detail}）。"
            "ファイルには手を加えていません。",
            path=path,
        )


class LockHeldError(StoreError):
    """The data directory is in use by another live kyogitai process."""

    def __init__(self, message: str, *, path: Path | None = None, holder=None) -> None:
        self.holder = holder
        super().__init__(message, path=path)


class ReadOnlyError(StoreError):
    """A write was attempted on a store opened read-only."""

    def __init__(self, reason: str | None = None) -> None:
        msg = "読み取り専用で開いているため、保存できません。"
        if reason:
            msg += reason
        else:
            msg += "変更するには、ほかの kyogitai を終了してから開き直してください。"
        super().__init__(msg)


class DiskFullError(StoreError):
    """The disk (or quota) is full; the previous version is intact."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            "ディスクの空き容量が足りないため保存できませんでした。"
            "空きを作ってからもう一度操作してください。保存済みの内容は失われていません。"
            f"（保存先: {path}）",
            path=path,
        )


class WriteFailedError(StoreError):
    """Any other OS error while saving; the previous version is intact."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"{path} に保存できませんでした（{detail}）。"
            "保存済みの内容は失われていません。原因を取り除いてからもう一度操作してください。",
            path=path,
        )


class NotFoundError(StoreError, KeyError):
    """A meeting (or other addressed thing) does not exist."""

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        StoreError.__init__(self, message, path=path)

    def __str__(self) -> str:  # KeyError would quote the message otherwise
        return self.message


class InvalidDataError(StoreError, ValueError):
    """A caller passed something the store refuses (bad id, bad document).

    These are programming errors of the layer above as much as user errors,
    hence also a ``ValueError``.
    """


class ServerUnavailableError(StoreError):
    """The database server cannot be reached (stopped, network down).  What
    was not saved stays in memory and is written again once it is back."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "データベースのサーバーにつながりません"
            + (f"（{detail}）" if detail else "")
            + "。入力した内容はこのパソコンのメモリに残っていて、サーバーが戻りしだい自動で保存します。"
            "アプリを閉じずにお待ちください。続くときは情報システムの担当者に連絡してください。"
        )


class ConflictError(StoreError):
    """Someone else changed (or deleted) a document since this app read it:
    nothing was overwritten; ``changes`` lists what is different."""

    def __init__(self, table: str, doc_id: str, changes: list[str], *, deleted: bool = False) -> None:
        self.table, self.doc_id, self.changes, self.deleted = table, doc_id, changes, deleted
        if deleted:
            what = "ほかの人が削除しました"
        else:
            what = "ほかの人が先に変更しました（変更された項目: " + ("、".join(changes) or "不明") + "）"
        super().__init__(
            f"{table} の {doc_id} は、この画面で読み込んだあとに{what}。"
            "上書きはしていません。あなたの変更は保存を待っています。"
            "最新の内容を見るには、アプリを閉じて開き直してから、もう一度変更してください。"
        )
