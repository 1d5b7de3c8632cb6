"""The seed catalog (data/catalog) and its loader (domain/catalog.py)."""
from __future__ import annotations

from kyogitai_tui.domain.catalog import default_catalog, load_catalog


def test_default_catalog_loads():
    cat = load_catalog()
    assert cat.label("decision_types", "FORM_NEW") == "新しいネットワークの形成"
    assert default_catalog() is default_catalog()
