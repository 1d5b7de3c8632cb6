"""The app started from the shell (``kyogitai`` without a subcommand):
the data read before the screen opens, and what could not be saved
printed after it closes."""
from __future__ import annotations

import gc
import shutil
import sys
import tempfile
from pathlib import Path

from kyogitai_tui.commands._common import (
    EXIT_OK, EXIT_PROBLEMS, UserError, default_dir, load_catalog, load_for_start, require_existing_dir,
    require_writable_dir,
)


def run_app(args) -> int:
    # Start-up creates many objects that live as long as the app (modules,
    # styles, widgets): the cyclic garbage collector would scan them again
    # and again while they are made (about an eighth of a start's
    # instructions, benchmarks/BENCHMARKS.md).  It is off until the first
    # screen is drawn, then those objects are set aside for good
    # (settle_after_start) and it runs as usual.
    gc.disable()
    try:
        return _run_app(args)
    finally:
        gc.enable()


def settle_after_start() -> None:
    """Once the first screen is drawn: what start-up made stays for the
    app's life, so the collector need not scan it again (``gc.freeze``);
    from then on it runs as usual."""
    gc.freeze()
    gc.enable()


def _run_app(args) -> int:
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
            store = DataStore.open(root, load=False)   # read below, unless the summary is current
        except StoreError as exc:
            raise UserError(exc.message) from None
        try:
            from kyogitai_tui.domain.reports.summary import SUMMARY_VERSION, Summary
            from kyogitai_tui.ui.app import KyogitaiApp

            home = store.read_summary("home", SUMMARY_VERSION)
            if home is not None:
                # Every data file is as the summary saw it (stamps), so none is
                # damaged: the home screen opens from the summary and the
                # World loads in the background.
                app = KyogitaiApp(store=store, catalog=catalog, summary=Summary(home=home), today=today,
                                  after_first_paint=settle_after_start)
            else:
                # No current summary: read everything before the screen opens,
                # so a broken file is refused here with its name, before any
                # key press can write.
                dataset, world = load_for_start(store)
                app = KyogitaiApp(store=store, catalog=catalog, world=world, dataset=dataset, today=today,
                                  after_first_paint=settle_after_start)
            saved = False
            try:
                app.run()
            finally:
                # Whatever ended the app, what was typed reaches the disk first;
                # what could not be saved is shown, never dropped silently.
                saved = app.saver.close()
                if not saved:
                    report_unsaved(app.saver.unsaved)
                elif home is None or app.saver.files_written:
                    refresh_summary(store, app.dataset)
        finally:
            store.close()
    finally:
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
    # A crash inside the app (Textual prints it and returns) or input that
    # could not be saved is never a success for a script or a launcher.
    if app.return_code:
        return app.return_code
    return EXIT_OK if saved else EXIT_PROBLEMS


def refresh_summary(store, dataset) -> None:
    """After a clean exit, the summary files from the data in memory, which
    is then exactly what is on disk (every save went through the saver and
    nothing is left unsaved); the stamps are taken first.  The summary is
    derived data: when it cannot be written it is simply rebuilt next time."""
    if dataset is None or getattr(store, "read_only", False):
        return
    from kyogitai_tui.commands._common import save_summary
    from kyogitai_tui.store import StoreError

    try:
        save_summary(store, dataset)
    except (StoreError, ValueError, UnicodeError):
        pass


def report_unsaved(changes) -> None:
    print(f"保存できなかった入力が {len(changes)} 件あります。必要な内容はここから書き写してください。",
          file=sys.stderr)
    for ch in changes:
        doc = ch.doc or {}
        text = next((doc[k] for k in ("text", "note", "summary", "title", "description", "notes", "name")
                     if isinstance(doc.get(k), str) and doc[k]), "")
        print(f"  {ch.table} {ch.doc_id}: {text}", file=sys.stderr)
