"""Stored SVG snapshots of the screens, compared cell by cell.

pytest-textual-snapshot 1.1.0 (the newest) pins syrupy 4.8.0, which requires
pytest < 9; this project runs pytest 9.0.3, so the two cannot be installed
together.  This is the small part of it we need: Textual's own
``App.export_screenshot()`` SVG, stored under tests/snapshots/, and on a
difference a failure that shows both screens as text and leaves the new SVG
beside the stored one (``*.new.svg``) to look at.

To accept a change on purpose: ``KYOGITAI_SNAPSHOT_UPDATE=1 python -m pytest
tests/test_ui_snapshots.py`` and look at the rewritten files before committing.
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

from textual.widgets import Input

from ui_helpers import svg_text

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("KYOGITAI_SNAPSHOT_UPDATE") == "1"


async def settle(app, pilot) -> None:
    """Let the writer thread, the workers and the messages they post finish,
    and stop the text cursor blinking, so the picture no longer changes."""
    import asyncio

    await asyncio.to_thread(app.saver.flush)
    await app.workers.wait_for_complete()
    await pilot.pause()
    for box in app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def assert_snapshot(app, pilot, name: str, *, never: tuple[str, ...] = ()) -> str:
    """The screen as stored in tests/snapshots/<name>_<W>x<H>.svg; returns its text.
    ``never``: strings that must not appear in the picture (a tmp path, say)."""
    await settle(app, pilot)
    svg = app.export_screenshot()
    width, height = app.size
    text = svg_text(svg, width, height)
    for leak in never:
        assert leak not in svg, f"{name}: {leak!r} is drawn on the screen\n{text}"
    # no cut footer: every screen's footer ends with its help key, drawn whole
    # (a footer wider than the terminal loses its last keys: 「f1 ヘル」)
    footer = text.rstrip("\n").splitlines()[-1].rstrip()
    assert footer.endswith("f1 ヘルプ"), f"{name}: the footer is cut at {width} columns: {footer!r}"
    path = SNAPSHOTS / f"{name}_{width}x{height}.svg"
    fresh = path.with_suffix(".new.svg")
    if UPDATE:
        path.write_text(svg, encoding="utf-8")
        fresh.unlink(missing_ok=True)
        return text
    assert path.exists(), (f"{path.name} is not stored yet: run with KYOGITAI_SNAPSHOT_UPDATE=1, "
                           f"look at the file, and commit it.\n{text}")
    stored = path.read_text(encoding="utf-8")
    if stored != svg:
        fresh.write_text(svg, encoding="utf-8")
        diff = "\n".join(difflib.unified_diff(svg_text(stored, width, height).splitlines(), text.splitlines(),
                                              "stored", "now", lineterm=""))
        raise AssertionError(f"{path.name} differs from the screen (new picture: {fresh.name}).\n"
                             f"{diff or '(the same text: colours or styles changed)'}")
    fresh.unlink(missing_ok=True)
    return text
