"""Fixtures for the end-to-end tier: the installed redline in a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal, installed_redline

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FRANCE = "002_e87675dd90d161dc"  # the seed opened by most tests

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("needs a pseudo-terminal", allow_module_level=True)


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The user's environment less what would change how redline looks or where it reads."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TEXTUAL", "REDLINE"))
           and key not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               XDG_CONFIG_HOME=str(home / "config"),
               REDLINE_CONFIG=str(home / "config" / "redline" / "config.toml"))
    env.update(extra)
    return env


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """Where redline runs: a copy of the seeds, an empty store folder beside it."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path


@pytest.fixture
def redline(workdir: Path) -> Iterator[Callable[..., Terminal]]:
    """Start ``redline ARGS`` in a 160x40 pty; killed at the end of the test if still running.

    Defaults: the rule-based entity recogniser (no spaCy start-up on every
    test), annotator ``tester``, store ``workdir/store``.
    """
    started: list[Terminal] = []

    def start(*args: str, model: str | None = "rule-based", rows: int = 40, cols: int = 160,
              env: dict[str, str] | None = None, annotator: str = "tester") -> Terminal:
        options = [] if "--store" in args else ["--store", "store"]
        options += ["--model", model] if model else []
        options += ["--annotator", annotator]
        # Before a "--": what follows it is all corpus paths.
        split = args.index("--") if "--" in args else len(args)
        argv = [*args[:split], *options, *args[split:]]
        term = Terminal(argv, cwd=workdir, env=env or clean_env(workdir), rows=rows, cols=cols)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()


def footer(term: Terminal) -> str:
    return term.rows[-1]


def open_article(term: Terminal, name: str, expect: str) -> None:
    """In the library: filter the rows by ``name``, open the first, wait for ``expect``.

    Each step waits for what the user would see: the footer tells where the
    focus is (the table's keys, or the filter field's).
    """
    term.wait_for(lambda t: "⏎ Open" in footer(t), what="the library")
    term.press("/")
    term.wait_for(lambda t: "⏎ Open" not in footer(t), what="the filter field focused")
    term.type(name)
    term.wait_for(lambda t: t.field() == name, what=f"the filter {name!r}")
    term.press("enter")
    term.wait_for(lambda t: "⏎ Open" in footer(t), what="the table focused")
    term.press("enter")
    term.wait_for(lambda t: "q Library" in footer(t) and expect in t.text(),
                  what=f"the reader showing {expect!r}")


def lock_probe(folder: Path) -> bool:
    """Whether a new file can be made in ``folder``."""
    probe = folder / ".probe"
    try:
        probe.touch()
    except OSError:
        return False
    probe.unlink()
    return True


class ReadOnly:
    """Makes a store unwritable, folders and files, for root too (``chattr +i``), and back."""

    def __init__(self) -> None:
        self.locked: list[tuple[Path, int]] = []

    @staticmethod
    def _chattr(flag: str, path: Path) -> None:
        if os.geteuid() == 0 and shutil.which("chattr"):
            # Permissions do not stop root; the immutable flag does.
            subprocess.run(["chattr", flag, str(path)], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def lock(self, root: Path) -> None:
        for path in [root, *sorted(root.rglob("*"))]:
            if path.is_symlink():
                continue
            mode = path.stat().st_mode & 0o7777
            self.locked.append((path, mode))
            path.chmod(mode & ~0o222)
            self._chattr("+i", path)
        if lock_probe(root):
            self.unlock()
            pytest.skip("cannot make a folder read-only on this machine")

    def unlock(self) -> None:
        for path, mode in reversed(self.locked):
            self._chattr("-i", path)
            path.chmod(mode)
        self.locked.clear()


@pytest.fixture
def read_only() -> Iterator[ReadOnly]:
    guard = ReadOnly()
    yield guard
    guard.unlock()  # always: an immutable folder could not even be deleted


def open_france(term: Terminal) -> None:
    open_article(term, "France", "JAPAN: Nato has been rumoured")


def exported(workdir: Path, *corpus: str) -> list[dict]:
    """The store on disk, read back by the installed CLI."""
    argv = [str(installed_redline()), "export", "--store", "store"]
    argv += [arg for path in corpus for arg in ("--corpus", path)]
    done = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]
