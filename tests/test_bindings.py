"""Every key binding of ours has an id and a Japanese description, and no
screen binds a bare letter (it would go to the Japanese IME)."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding

import kyogitai_tui.ui as ui_pkg

ALLOWED_BARE = {"shift+tab", "enter", "escape", "up", "down", "left", "right", "home", "end", "pageup", "pagedown",
                "tab", "delete", "backspace"}


def _our_classes():
    for mod in pkgutil.walk_packages(ui_pkg.__path__, ui_pkg.__name__ + "."):
        module = importlib.import_module(mod.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__:
                yield cls


def _is_japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def test_all_bindings_have_ids_and_japanese_descriptions():
    seen = 0
    problems = []
    for cls in _our_classes():
        for b in cls.BINDINGS:
            if not isinstance(b, Binding):
                problems.append(f"{cls.__name__}: {b!r} is not a Binding")
                continue
            seen += 1
            if not b.id:
                problems.append(f"{cls.__name__}: {b.key} has no id")
            if not _is_japanese(b.description):
                problems.append(f"{cls.__name__}: {b.key} description {b.description!r}")
    assert seen > 50
    assert problems == []


def test_no_bare_letter_keys():
    for cls in _our_classes():
        for b in cls.BINDINGS:
            for key in b.key.split(","):
                key = key.strip()
                assert key in ALLOWED_BARE or key.startswith(("ctrl+", "f")) and (
                    key.startswith("ctrl+") or key[1:].isdigit()), f"{cls.__name__}: {key}"


def test_binding_ids_are_unique_per_class():
    for cls in _our_classes():
        ids = [b.id for b in cls.BINDINGS]
        assert len(ids) == len(set(ids)), cls.__name__


def test_every_home_tool_has_its_screen_module():
    """F2-F7 on the home screen and the ctrl+p menu open a module each; none
    may be missing (the menu would only say the tool is absent)."""
    from kyogitai_tui.ui.tools import TOOLS

    keys = [t.key for t in TOOLS]
    assert len(set(keys)) == len(keys)
    for t in TOOLS:
        module = importlib.import_module(f"kyogitai_tui.ui.tools.{t.name}")
        assert callable(getattr(module, "open", None)), t.name
        assert _is_japanese(t.short) and _is_japanese(t.title) and _is_japanese(t.help)
