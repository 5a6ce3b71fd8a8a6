from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seeds, for tests that change or add files."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def seed_entity_cache(tmp_path_factory) -> Path:
    """The seeds' entities, recognised once per test run (the store's cache folder)."""
    from tui.core.corpus import load_corpus
    from tui.core.entities import EntityCache, entities_for, find_pipeline, load_recognizer

    store = tmp_path_factory.mktemp("warm-store")
    info = find_pipeline()
    cache = EntityCache(store)
    for article in load_corpus([SEEDS]).articles:
        entities_for(article.text, article.sha256, load_recognizer(info), cache)
    return store / "cache"


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


_SVG_TEXT = re.compile(r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="[0-9.]+" '
                       r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>', re.S)
_CELL_WIDTH = 12.2  # Rich's SVG export: pixels per terminal cell


def _screenshot_segments(app) -> list[tuple[int, int, str]]:
    """(row, column, text) of every run of text on screen, from Textual's SVG screenshot."""
    svg = app.export_screenshot(simplify=True)
    return [(int(row), round(float(x) / _CELL_WIDTH), html.unescape(text).replace("\n", ""))
            for x, row, text in _SVG_TEXT.findall(svg)]


def screen_lines(app) -> list[str]:
    """What the terminal shows, one string per row (toasts and dialogs included)."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for row, column, text in _screenshot_segments(app):
        rows.setdefault(row, []).append((column, text))
    height = app.size.height
    lines = []
    for row in range(height):
        line = ""
        for column, text in sorted(rows.get(row, [])):
            line += " " * max(0, column - cell_len(line)) + text
        lines.append(line.replace("\u00a0", " "))
    return lines


def terminal_output(app) -> str:
    """Every character the screen would draw, for checks that nothing unsafe gets there."""
    return "".join(text for _, _, text in _screenshot_segments(app))


_FRAMES = re.compile("[\u2500-\u259f]")  # box drawing and block elements: toast and dialog edges


def _toast_band(lines: list[str]) -> list[str]:
    """Each line without what is left of a toast's edge ("▌") and without frame characters."""
    return [_FRAMES.sub(" ", line[line.find("▌") + 1:] if "▌" in line else line) for line in lines]


def on_screen(app, words: str) -> bool:
    """Whether ``words`` are drawn on screen, in one piece or wrapped over lines (a toast
    wraps: spaces, line ends and the toast's edge are alike)."""
    lines = screen_lines(app)
    wanted = " ".join(words.split())
    if wanted in " ".join(" ".join(lines).split()):
        return True
    # Wrapped inside a frame: read each column band on its own, without the edges.
    return wanted in " ".join(" ".join(_toast_band(lines)).split())


def on_screen_folded(app, token: str) -> bool:
    """Whether a long token with no spaces (a path, an id) is drawn, perhaps folded over
    the lines of a toast: spaces and line ends are ignored on both sides."""
    return "".join(token.split()) in "".join("".join(_toast_band(screen_lines(app))).split())


def make_session(paths, store: Path, **kwargs):
    from tui.core.config import Settings
    from tui.core.corpus import load_corpus
    from tui.core.session import Session

    kwargs.setdefault("annotator", "tester")
    kwargs.setdefault("settings", Settings())
    lazy = kwargs.pop("lazy", False)
    return Session(corpus=load_corpus(paths, lazy=lazy), store_root=store, **kwargs)


@pytest.fixture
def make_app(store_dir: Path, seed_entity_cache: Path):
    """Build a RedlineApp over a corpus with a private store.

    The store's entity cache starts with the seeds' entities, as after a first run
    (recognition itself is tested on its own): the app's tests do not wait for spaCy.
    """

    def build(paths=(SEEDS,), **kwargs):
        from tui.ui.app import RedlineApp

        store = kwargs.pop("store", store_dir)
        if not (Path(store) / "cache").exists():
            shutil.copytree(seed_entity_cache, Path(store) / "cache")
        return RedlineApp(make_session(list(paths), store, **kwargs))

    return build
