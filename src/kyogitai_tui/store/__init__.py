"""store layer: crash-safe TinyDB persistence (no Textual here).

The rest of the app uses ``DataStore`` (the only gateway to disk),
``check_data_dir`` and the ``StoreError`` family; see datastore.py.
"""
from kyogitai_tui.store.check import CheckReport, Problem, check_data_dir
from kyogitai_tui.store.datastore import DataStore
from kyogitai_tui.store.layout import Dataset, check_meeting_id, validate_dataset
from kyogitai_tui.store.errors import (
    CorruptFileError,
    DiskFullError,
    InvalidDataError,
    LockHeldError,
    MigrationError,
    NewerSchemaError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
    WriteFailedError,
)
from kyogitai_tui.store.lock import LockHolder
from kyogitai_tui.store.schema import MIGRATIONS, SCHEMA_VERSION
from kyogitai_tui.store.storage import AtomicJSONStorage

__all__ = [
    "AtomicJSONStorage",
    "CheckReport",
    "CorruptFileError",
    "DataStore",
    "Dataset",
    "DiskFullError",
    "InvalidDataError",
    "LockHeldError",
    "LockHolder",
    "MIGRATIONS",
    "MigrationError",
    "NewerSchemaError",
    "NotFoundError",
    "Problem",
    "ReadOnlyError",
    "SCHEMA_VERSION",
    "StoreError",
    "WriteFailedError",
    "check_data_dir",
    "check_meeting_id",
    "validate_dataset",
]
