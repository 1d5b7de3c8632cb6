"""The app started from the shell (``kyogitai`` without a subcommand):
the data read before the screen opens, and what could not be saved
printed after it closes."""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from kyogitai_tui.commands._common import (
    EXIT_OK, UserError, default_dir, load_catalog, load_for_start, require_existing_dir,
    require_writable_dir,
)


def run_app(args) -> int:
    from kyogitai_tui.commands.demo_data import write_demo
    from kyogitai_tui.store import DataStore, StoreError

    catalog = load_catalog()
    today = args.today
    cleanup: Path | None = None
    if args.demo:
        if args.data_dir:
            raise UserError("--demo と --data-dir は同時に指定できません。どちらか一方にしてください。")
        cleanup = Path(tempfile.mkdtemp(prefix="kyogitai-demo-"))
        root = cleanup / "data"
        write_demo(root, today, None, force=False)
    else:
        root = args.data_dir or default_dir(create=True)
        require_writable_dir(root) if args.data_dir else require_existing_dir(root)
    try:
        try:
            store = DataStore.open(root)
        except StoreError as exc:
            raise UserError(exc.message) from None
        try:
            # Read everything before the screen opens: a broken file is
            # refused here with its name, before any key press can write.
            dataset, world = load_for_start(store)
            from kyogitai_tui.ui.app import KyogitaiApp

            app = KyogitaiApp(store=store, catalog=catalog, world=world, dataset=dataset, today=today)
            try:
                app.run()
            finally:
                # Whatever ended the app, what was typed reaches the disk first;
                # what could not be saved is shown, never dropped silently.
                if not app.saver.close():
                    report_unsaved(app.saver.unsaved)
        finally:
            store.close()
    finally:
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
    return EXIT_OK


def report_unsaved(changes) -> None:
    print(f"保存できなかった入力が {len(changes)} 件あります。必要な内容はここから書き写してください。",
          file=sys.stderr)
    for ch in changes:
        doc = ch.doc or {}
        text = next((doc[k] for k in ("text", "note", "summary", "title", "description", "notes", "name")
                     if isinstance(doc.get(k), str) and doc[k]), "")
        print(f"  {ch.table} {ch.doc_id}: {text}", file=sys.stderr)
