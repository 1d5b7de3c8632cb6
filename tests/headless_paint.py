"""Headless apps in tests do not paint frames nobody sees.

Under ``App.run_test`` Textual's headless driver throws every painted frame
away, yet each key press still composes the changed part of the screen into
strips: about 40 % of the CPU time of a Pilot walk (a 第3回 walk: 29 s of CPU,
18 s without the painting).  ``install()`` makes the top screen of a headless
app skip that painting.  Layout, focus, messages and the widgets' state run as
before, and what a test looks at is painted fresh and whole:
``App.export_screenshot`` (``screen_text`` in tests/ui_helpers.py, the SVG
snapshots) renders every visible widget itself, so a widget that cannot be
drawn still fails the test that looks at it (tests/test_headless_paint.py).
The real app - the tmux tests, ``kyogitai view``, the browser test - paints
every frame as always.  ``KYOGITAI_TEST_PAINT=1`` paints every frame in tests
too.

``paint_cells(app)`` is that fresh whole paint as cells: the same call
``App.export_screenshot`` makes, without turning the picture into SVG and
reading the SVG back (13.7 ms a look at 120x40, 3.7 ms this way).
tests/test_headless_paint.py compares the two on screens with dialogs and
wide characters.

This is the one place in the tests that reaches into Textual's private
attributes (tests/test_ui_idioms.py names it): the methods it uses belong to
the Textual version pinned in pyproject.toml, and ``install`` refuses to start
the suite when they are not there, instead of silently painting.
"""
from __future__ import annotations

import os

from rich.cells import cell_len

INSTALLED = False


def install() -> None:
    global INSTALLED
    if INSTALLED or os.environ.get("KYOGITAI_TEST_PAINT") == "1":
        return
    from textual.screen import Screen

    paint = getattr(Screen, "_compositor_refresh", None)
    from textual._compositor import Compositor

    if paint is None or not hasattr(Compositor, "render_update"):
        raise RuntimeError("tests/headless_paint.py: Textual no longer has Screen._compositor_refresh "
                           "or Compositor.render_update; "
                           "update the wrapper for the pinned Textual, or run with KYOGITAI_TEST_PAINT=1")

    def refresh(self) -> None:
        app = self.app
        if app.is_headless and not app.is_inline and self is app.screen:
            self._compositor._dirty_regions.clear()
            self._dirty_widgets.clear()
            app._update_mouse_over(self)
            return
        paint(self)

    Screen._compositor_refresh = refresh
    INSTALLED = True


def paint_cells(app) -> list[list[str]]:
    """The whole screen painted now, dialogs over the screens below them, one
    list of cells per line; a wide character fills its first cell and the
    second is "" (as ``ui_helpers.svg_cells`` reads a screenshot)."""
    width, height = app.size
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    rows = []
    for line in update.strips:
        row: list[str] = []
        for strip in line:
            for segment in strip:
                if segment.control:
                    continue
                for ch in segment.text:
                    row.append(ch)
                    if cell_len(ch) == 2:
                        row.append("")
        rows.append((row + [" "] * width)[:width])
    return (rows + [[" "] * width for _ in range(height)])[:height]
