"""The one place that knows where files live.

Every path can be overridden: the CLI passes --data-dir, tests pass tmp paths.
Nothing here imports Textual.
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "kyogitai-tui"


def package_data_dir() -> Path:
    """Directory holding the seed catalog and the demo municipality.

    In a wheel it is ``kyogitai_tui/data``; in a source checkout (or an
    editable install) it is the repository's top-level ``data/``.
    """
    here = Path(__file__).resolve().parent
    installed = here / "data"
    if installed.is_dir():
        return installed
    checkout = here.parent.parent / "data"
    return checkout


def catalog_dir() -> Path:
    """The seed catalog; KYOGITAI_CATALOG_DIR overrides it (tests, translators)."""
    override = os.environ.get("KYOGITAI_CATALOG_DIR")
    if override:
        return Path(override)
    return package_data_dir() / "catalog"


def demo_dir() -> Path:
    return package_data_dir() / "demo"


def default_data_dir() -> Path:
    """The user's own data (platformdirs); never used by tests or --demo."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_export_dir() -> Path:
    """Where the app writes minutes unless told otherwise: the user's documents
    folder (so a --demo run's exports outlive its temporary data)."""
    return Path(platformdirs.user_documents_dir()) / "kyogitai"
