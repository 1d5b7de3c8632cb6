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
