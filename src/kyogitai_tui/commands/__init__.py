"""The shell subcommands of ``kyogitai`` (``kyogitai_tui.cli`` only builds the
parser and dispatches).

Each module here defines ``add_parser(sub)``: it adds its subparser to the
``kyogitai`` command and sets ``func=<callable(args) -> exit code>`` with
``set_defaults``. Modules are found by name, so adding a command touches no
shared file. Keep module-level imports light: every ``kyogitai`` start
(including the app) builds the parser; import heavy things inside ``func``.
Raise ``commands._common.UserError`` with a Japanese message for bad input.
Modules whose name starts with ``_`` are not commands (``_common``: what
the commands share; ``_app``: the app start).  Never import ``kyogitai_tui.cli``.
"""
from __future__ import annotations

import importlib
import pkgutil


def add_all(sub) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.add_parser(sub)
