"""store layer: crash-safe TinyDB persistence (no Textual here).

The rest of the app uses ``DataStore`` (the only gateway to disk),
``check_data_dir`` and the ``StoreError`` family; see datastore.py.
"""
from .check import CheckReport, Problem, check_data_dir
from .datastore import DataStore
from .layout import Dataset, check_meeting_id, validate_dataset
from .errors import (
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
from .lock import LockHolder
from .schema import MIGRATIONS, SCHEMA_VERSION
from .storage import AtomicJSONStorage

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
