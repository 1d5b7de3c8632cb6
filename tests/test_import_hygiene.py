"""domain/, store/ and minutes/ never import Textual (the layers below ui/)."""
import ast
import subprocess
import sys
from pathlib import Path

import kyogitai_tui

PKG = Path(kyogitai_tui.__file__).resolve().parent
LOWER = ("domain", "store", "minutes")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_lower_layers_have_no_textual_import_statement():
    offenders = []
    for layer in LOWER:
        for py in (PKG / layer).rglob("*.py"):
            for name in _imports(py):
                if name == "textual" or name.startswith("textual.") or name.startswith("kyogitai_tui.ui"):
                    offenders.append(f"{py.relative_to(PKG)} imports {name}")
    assert offenders == []


def test_importing_lower_layers_does_not_load_textual():
    modules = []
    for layer in LOWER:
        for py in sorted((PKG / layer).rglob("*.py")):
            rel = py.relative_to(PKG.parent).with_suffix("")
            modules.append(".".join(rel.parts).removesuffix(".__init__"))
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print('textual' in sys.modules or any(k.startswith('textual.') for k in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


HEAVY = ("docx", "lxml", "kyogitai_tui.minutes.content", "kyogitai_tui.minutes.export",
         "kyogitai_tui.minutes.docx_writer", "kyogitai_tui.minutes.docx_styles",
         "kyogitai_tui.domain.meeting.session",
         "kyogitai_tui.domain.meeting.report_view", "kyogitai_tui.domain.guidebook.guidance")


def test_starting_the_app_does_not_load_the_minutes_writer(tmp_path):
    """`kyogitai` up to its home screen: python-docx, the minutes writer and
    the meeting session load on first use, not at every start-up."""
    code = f"""
import asyncio, sys
from pathlib import Path
from datetime import date
from kyogitai_tui.cli import build_parser
from kyogitai_tui.commands.demo_data import write_demo
from kyogitai_tui.commands._common import load_data
build_parser()
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
write_demo(Path({str(tmp_path / "data")!r}), date(2025, 9, 9), None, force=False)
store = DataStore.open({str(tmp_path / 'data')!r})
dataset, world = load_data(store)
app = KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset, today=date(2025, 9, 9))

async def main():
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen", app.screen
        loaded = [m for m in {HEAVY!r} if m in sys.modules]
        await pilot.press("ctrl+q")
    print(loaded)

asyncio.run(main())
store.close()
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
