"""ctrl+q while the writer thread is still saving: everything reaches the disk
and the app ends at once (the writer never waits for the UI thread, which is
itself waiting for the writer)."""
from __future__ import annotations

import threading
import time
from datetime import date

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.changes import registry_change
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp

TODAY = date(2025, 9, 9)


async def test_quit_during_a_slow_save_ends_promptly_and_keeps_the_edit(demo_root):
    root = demo_root
    with DataStore.open(root) as store:
        dataset, world = load_data(store)
        app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset, today=TODAY)
        writing = threading.Event()
        real = store.write_file

        def slow_batch(*args, **kwargs):
            writing.set()
            time.sleep(0.5)          # the disk is slow: ctrl+q arrives mid-write
            return real(*args, **kwargs)

        store.write_file = slow_batch
        org = dataset["registry"]["organizations"][0]
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.apply_changes([registry_change("organizations", org["id"], dict(org, name="終了直前の改名"))])
            assert writing.wait(5)
            started = time.monotonic()
            await pilot.press("ctrl+q")
            await pilot.pause()
        elapsed = time.monotonic() - started
        assert elapsed < 5, f"ctrl+q took {elapsed:.1f} s"
    with DataStore.open(root) as store:
        names = {o["id"]: o["name"] for o in store.all("organizations")}
    assert names[org["id"]] == "終了直前の改名"
