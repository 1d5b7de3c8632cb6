"""Changes outside a meeting (registers, follow-up): registry and sensitive
documents written in one atomic batch, applied to the app's dataset at once."""
from __future__ import annotations

import json
from datetime import date

import pytest

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.domain.changes import apply_to_dataset, registry_change, sensitive_change
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.saver import Saver

TODAY = date(2025, 9, 9)


def test_batch_is_one_write_and_all_or_nothing(demo_root, monkeypatch):
    with DataStore.open(demo_root) as store:
        before = (demo_root / "registry.json").read_bytes()
        org = store.all("organizations")[0]
        renamed = dict(org, name="改名した団体")
        new = dict(org, id="ORG-NEW", name="新しい団体")
        writes = []
        real = store._registry.storage.write
        monkeypatch.setattr(store._registry.storage, "write", lambda data: (writes.append(1), real(data)))
        store.apply_batch([("organizations", renamed), ("organizations", new)])
        assert len(writes) == 1
        names = {d["id"]: d["name"] for d in store.all("organizations")}
        assert names[org["id"]] == "改名した団体" and names["ORG-NEW"] == "新しい団体"
        assert (demo_root / "registry.json").read_bytes() != before

        # a failing write leaves the file exactly as it was
        on_disk = (demo_root / "registry.json").read_bytes()

        def boom(data):
            raise OSError(28, "No space left on device")
        monkeypatch.setattr(store._registry.storage, "write", boom)
        with pytest.raises(OSError):
            store.apply_batch([("organizations", dict(org, name="書けない"))], [("organizations", "ORG-NEW")])
        assert (demo_root / "registry.json").read_bytes() == on_disk


def test_saver_writes_registry_and_sensitive_and_dataset_follows(demo_root):
    with DataStore.open(demo_root) as store:
        dataset, world = load_data(store)
        subj = dataset["sensitive"]["subject_sensitive"][0] if dataset["sensitive"].get("subject_sensitive") else None
        org = dataset["registry"]["organizations"][0]
        changes = [registry_change("organizations", org["id"], dict(org, name="みほん改名会")),
                   registry_change("organizations", "ORG-X", dict(org, id="ORG-X", name="追加の会"))]
        if subj is not None:
            changes.append(sensitive_change("subject_sensitive", subj["id"], dict(subj, notes="更新")))
        apply_to_dataset(dataset, changes)
        names = {o["id"]: o["name"] for o in dataset["registry"]["organizations"]}
        assert names[org["id"]] == "みほん改名会" and "ORG-X" in names
        assert World.from_dataset(dataset).org_name(org["id"]) == "みほん改名会"
        results = []
        saver = Saver(store, lambda err, pending: results.append(err))
        saver.save(changes)
        assert saver.close()
        assert results == [None]
    with DataStore.open(demo_root) as store:
        on_disk = {o["id"]: o["name"] for o in store.all("organizations")}
        assert on_disk[org["id"]] == "みほん改名会" and on_disk["ORG-X"] == "追加の会"
        raw = json.loads((demo_root / "registry.json").read_text("utf-8"))
        assert "_meta" in raw
