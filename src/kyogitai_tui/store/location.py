"""Where the data lives: a data folder (``DataStore``, the default for one
coordinator) or a PostgreSQL database (``PgStore``, a municipality whose
coordinators share one server).  Both keep the same store contract
(docs/ARCHITECTURE.md, "The store contract"); ``open_store`` picks the
backend from the location, so callers never branch on it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from kyogitai_tui.store.pg import display_url, is_database_url


def open_store(location: str | Path, **options: Any):
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
