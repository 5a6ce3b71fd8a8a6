"""The layers: cli -> ui -> core, and the core never imports Textual.

The CLI and the tests use the core without a terminal; only ``tui.ui`` draws.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tui"
LAYERS = ("core", "ui", "cli")
# The one door from the command line into the UI: imported inside the function
# that starts the app, never at import time.
LAUNCHERS = {Path("cli") / "commands" / "open.py", Path("cli") / "commands" / "review.py"}


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def imported_names(path: Path, *, top_level_only: bool = False) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: list[str] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_every_module_is_in_a_layer() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert loose == []
    assert all((PACKAGE / layer).is_dir() for layer in LAYERS)


def test_importing_the_core_loads_no_textual() -> None:
    names = [".".join(("tui", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
             for p in modules("core")]
    code = (f"import sys\nfor m in {names!r}: __import__(m)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'spacy'))\n"
            "print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=PACKAGE.parent, check=True)
    assert result.stdout.strip() == "[]"


def test_core_never_imports_textual_or_the_layers_above() -> None:
    offenders = []
    for path in modules("core"):
        for name in imported_names(path):
            if name.split(".")[0] == "textual" or name.startswith(("tui.ui", "tui.cli")):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []
    assert len(modules("core")) > 10


def test_ui_never_imports_the_cli() -> None:
    offenders = [f"{path.relative_to(PACKAGE)} imports {name}"
                 for path in modules("ui") for name in imported_names(path)
                 if name.startswith("tui.cli")]
    assert offenders == []


def test_cli_reaches_the_ui_only_when_it_starts_it() -> None:
    # Subcommands such as `redline export` must not pay for importing Textual.
    offenders = []
    for path in modules("cli"):
        relative = path.relative_to(PACKAGE)
        for name in imported_names(path, top_level_only=True):
            if name.split(".")[0] == "textual" or name.startswith("tui.ui"):
                offenders.append(f"{relative} imports {name} at import time")
        if relative not in LAUNCHERS:
            for name in imported_names(path):
                if name.split(".")[0] == "textual" or name.startswith("tui.ui"):
                    offenders.append(f"{relative} imports {name}")
    assert offenders == []


def test_every_message_goes_through_tell() -> None:
    # notify() with anything but a plain, made-safe string crashed the app when its toast was
    # drawn; tui.ui.messages.tell is the one place that calls it.
    callers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "notify"):
                callers.append(str(path.relative_to(PACKAGE)))
    assert callers == [str(Path("ui") / "messages.py")]
