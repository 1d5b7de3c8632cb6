"""The UI talks to its screens the Textual way: messages handled with
``@on``, disk work in ``@work`` workers, public Textual API only.  This
guards against the old shapes coming back: the app probing screens with
``hasattr``, threads calling back through ``call_from_thread``, and code or
tests reading Textual's private attributes."""
from __future__ import annotations

import re
from pathlib import Path

import kyogitai_tui.ui as ui_pkg

UI = Path(ui_pkg.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent

FORBIDDEN = {
    r"\bhasattr\(": "probing an object for a method (post a message, or use a base class)",
    r"\.call_from_thread\(": "a thread calling back into the UI (post a message from the @work worker)",
    r"run_worker\(\s*lambda": "an ad-hoc worker (decorate the method with @work)",
    r"\._(bindings|compositor|driver|background_screens|merged_bindings)\b": "a private Textual attribute",
}


def _code_lines(path: Path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = line.split("#", 1)[0]
        if code.strip():
            yield number, code


def test_no_hasattr_dispatch_thread_callbacks_or_private_textual_in_the_ui():
    problems = []
    for path in sorted(UI.rglob("*.py")):
        for number, code in _code_lines(path):
            for pattern, why in FORBIDDEN.items():
                if re.search(pattern, code):
                    problems.append(f"{path.relative_to(UI.parent)}:{number}: {why}: {code.strip()}")
    assert problems == []


def test_the_tests_read_the_screen_through_public_api():
    """Tests look at the screen as a person would (``ui_helpers.screen_text``
    reads ``App.export_screenshot``) and never reach into Textual's internals."""
    pattern = re.compile(r"\._(compositor|bindings|driver|background_screens|dirty_widgets|compositor_refresh"
                         r"|update_mouse_over|merged_bindings)\b|\btextual\._")
    problems = [f"{path.name}:{number}: {code.strip()}"
                for path in sorted(TESTS.glob("*.py")) if path.name != Path(__file__).name
                for number, code in _code_lines(path) if pattern.search(code)]
    assert problems == []


def test_the_app_is_what_the_screens_are_told_it_is():
    """ui/host.py lists what a screen may ask of the app; the app has each of them."""
    from datetime import date

    from kyogitai_tui.domain.catalog import default_catalog
    from kyogitai_tui.ui.app import KyogitaiApp
    from kyogitai_tui.ui.host import Host

    class _Store:
        read_only = False

    app = KyogitaiApp(store=_Store(), catalog=default_catalog(), today=date(2025, 9, 16))
    try:
        wanted = [name for name in dir(Host) if not name.startswith("_")] + list(Host.__annotations__)
        assert wanted
        missing = [name for name in wanted if not hasattr(app, name)]
        assert missing == []
    finally:
        app.saver.close()
