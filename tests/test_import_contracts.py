"""The layers of the package, as written in pyproject.toml [tool.importlinter]:
domain imports no minutes/ui/commands/store/Textual, minutes and store no
ui/Textual, the rooms of domain/ depend one way, and no circles.  The second
test adds a forbidden import to a copy of the package and checks that the
contracts notice it (a contract that cannot fail proves nothing)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kyogitai_tui

REPO = Path(__file__).resolve().parent.parent
PKG = Path(kyogitai_tui.__file__).resolve().parent
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")

pytestmark = pytest.mark.skipif(LINT is None, reason="import-linter is not installed (pip install '.[test]')")


def _lint(package_parent: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(package_parent))
    return subprocess.run([LINT, "--config", str(REPO / "pyproject.toml"), "--no-cache"],
                          capture_output=True, text=True, env=env, cwd=package_parent, timeout=120)


def test_the_import_contracts_hold():
    out = _lint(PKG.parent)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


@pytest.mark.parametrize("module, line, contract", [
    ("domain/dates.py", "import textual", "domain is pure"),
    ("domain/privacy/redaction.py", "import kyogitai_tui.minutes.blocks", "domain is pure"),
    ("minutes/blocks.py", "import kyogitai_tui.ui.app", "minutes and store never import"),
    ("domain/model/base.py", "import kyogitai_tui.domain.meeting.session", "build on each other"),
    ("domain/meeting/agenda.py", "import kyogitai_tui.domain.meeting.session", "no circles"),
    ("commands/search.py", "import kyogitai_tui.cli", "no circles"),
    ("minutes/export.py", "import kyogitai_tui.commands._common", "minutes and store never import"),
])
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, line, contract):
    copy = tmp_path / "kyogitai_tui"
    shutil.copytree(PKG, copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # planted by the test\n", encoding="utf-8")
    out = _lint(tmp_path)
    assert out.returncode != 0, out.stdout
    broken = out.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, out.stdout
