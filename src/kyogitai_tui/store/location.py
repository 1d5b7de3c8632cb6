"""Where the data lives: a data folder (``DataStore``, the default for one
coordinator) or a PostgreSQL database (``PgStore``, a municipality whose
coordinators share one server).  Both keep the same store contract
(docs/ARCHITECTURE.md, "The store contract"); ``open_store`` picks the
backend from the location, so callers never branch on it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Protocol

from kyogitai_tui.store.layout import Dataset, Tables
from kyogitai_tui.store.lock import LockHolder
from kyogitai_tui.store.pg import display_url, is_database_url


class Store(Protocol):
    """The store contract: what the app and the shell commands may use,
    kept by ``DataStore`` and ``PgStore`` alike (tests/test_store_contract.py)."""

    backend: str                 # "folder" | "postgresql"
    read_only: bool
    lock_holder: LockHolder | None
    notice: str | None

    @property
    def location(self) -> str: ...
    @property
    def read_only_message(self) -> str | None: ...
    def close(self) -> None: ...
    # read
    def all(self, table: str) -> list[dict[str, Any]]: ...
    def get(self, table: str, doc_id: str) -> dict[str, Any] | None: ...
    def tables(self) -> Tables: ...
    def sensitive_all(self, table: str) -> list[dict[str, Any]]: ...
    def sensitive_get(self, table: str, doc_id: str) -> dict[str, Any] | None: ...
    def sensitive_tables(self) -> Tables: ...
    def meeting_ids(self) -> list[str]: ...
    def has_meeting(self, meeting_id: str) -> bool: ...
    def meeting_all(self, meeting_id: str, table: str) -> list[dict[str, Any]]: ...
    def meeting_get(self, meeting_id: str, table: str, doc_id: str) -> dict[str, Any] | None: ...
    def meeting_tables(self, meeting_id: str) -> Tables: ...
    def load_dataset(self, *, hand_over: bool = False) -> Dataset: ...
    def counts(self) -> dict[str, dict[str, int]]: ...
    def reader(self) -> "Store": ...
    # write (each call atomic: a file / a transaction)
    def upsert(self, table: str, doc: Mapping[str, Any]) -> None: ...
    def delete(self, table: str, doc_id: str) -> bool: ...
    def sensitive_upsert(self, table: str, doc: Mapping[str, Any]) -> None: ...
    def sensitive_delete(self, table: str, doc_id: str) -> bool: ...
    def create_meeting(self, meeting_id: str, tables: Mapping[str, list] | None = None, *, replace: bool = False) -> None: ...
    def delete_meeting(self, meeting_id: str) -> bool: ...
    def meeting_upsert(self, meeting_id: str, table: str, doc: Mapping[str, Any]) -> None: ...
    def meeting_delete(self, meeting_id: str, table: str, doc_id: str) -> bool: ...
    def write_file(self, scope: str, meeting_id: str, ops: list, *, create: Mapping[str, list] | None = None) -> None: ...
    def apply_batch(self, upserts: list, deletes: list = (), *, sensitive: bool = False) -> None: ...
    def write_dataset(self, dataset: Mapping[str, Any], *, prune_meetings: bool = False) -> None: ...
    def clear_all(self) -> None: ...
    # lock
    def lock_meeting(self, meeting_id: str) -> LockHolder | None: ...
    def release_meeting(self, meeting_id: str) -> None: ...
    # backup
    def back_up_everything(self) -> list: ...
    def backups(self, scope: str, meeting_id: str = "") -> list[Tables]: ...
    # summary
    def source_stamps(self) -> dict[str, list[int]]: ...
    def read_summary(self, part: str, version: int) -> dict[str, Any] | None: ...
    def write_summary(self, parts: Mapping[str, Mapping[str, Any]], version: int,
                      stamps: dict[str, list[int]]) -> None: ...


def open_store(location: str | Path, **options: Any) -> Store:
    """``DataStore.open`` for a folder, ``PgStore.open`` for a ``postgresql://`` URL
    (the same keyword options; the folder-only ones are ignored by PostgreSQL)."""
    if is_database_url(str(location)):
        from kyogitai_tui.store.pg import PgStore

        return PgStore.open(str(location), **options)
    from kyogitai_tui.store.datastore import DataStore

    return DataStore.open(location, **options)


def describe_location(location: str | Path) -> str:
    """The location for a message (a URL without its password)."""
    return display_url(str(location)) if is_database_url(str(location)) else str(location)


def check_location(location: str | Path, validate=None):
    """``check_data_dir`` for a folder; for a database, the same report: each
    "file" (registry, sensitive, each meeting) counted, rows checked, and the
    same domain ``validate`` run on the dataset.  Never writes."""
    if not is_database_url(str(location)):
        from kyogitai_tui.store.check import check_data_dir

        return check_data_dir(location, validate)
    from kyogitai_tui.store.check import CheckReport, Problem, _as_problem
    from kyogitai_tui.store.errors import StoreError
    from kyogitai_tui.store.pg import PgStore

    report = CheckReport(root=None)
    try:
        with PgStore.open(str(location), read_only=True) as store:
            dataset = store.load_dataset()
            report.counts = store.counts()
            report.files = len(report.counts)
            for label, message in store.check_rows():
                report.append(Problem(Path(label), message,
                                      "warning" if "圏域" in message else "error"))
    except StoreError as exc:
        report.append(Problem(None, exc.message))
        return report
    if validate is not None:
        try:
            found = list(validate(dataset) or [])
        except Exception as exc:
            report.append(Problem(None, f"内容の検査の途中でエラーが起きました（{type(exc).__name__}: {exc}）。"))
        else:
            report.extend(_as_problem(p) for p in found)
    return report
