"""The core never imports Textual: the CLI and the tests use it without a terminal."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tui"
UI = {"app.py"}
UI_DIRS = {"screens", "widgets"}


def core_modules() -> list[Path]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in UI_DIRS or str(relative) in UI:
            continue
        found.append(path)
    return found


# The one door from the command line into the UI: imported inside the function
# that starts the app, never at import time.
LAUNCHER = Path("commands") / "open.py"


def test_importing_the_core_loads_no_textual() -> None:
    import subprocess
    import sys

    modules = [".".join(("tui", *p.relative_to(PACKAGE).with_suffix("").parts))
               for p in core_modules() if p.name != "__main__.py"]
    code = (f"import sys\nfor m in {modules!r}: __import__(m)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'spacy'))\n"
            "print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=PACKAGE.parent, check=True)
    assert result.stdout.strip() == "[]"


def test_core_never_imports_textual() -> None:
    offenders = []
    for path in core_modules():
        if path.relative_to(PACKAGE) == LAUNCHER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name == "textual" or name.startswith("textual.") or name.startswith("tui.app") \
                        or name.startswith("tui.screens") or name.startswith("tui.widgets"):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []
    assert len(core_modules()) > 10


def test_no_markup_strings_reach_notify() -> None:
    # Article-derived text goes to notify() as Text objects, never as markup strings.
    for path in list((PACKAGE / "screens").glob("*.py")) + [PACKAGE / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "notify":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Call) and getattr(first.func, "id", "") == "Text", (
                    f"{path.name}:{node.lineno}: notify() must get a Text object")
