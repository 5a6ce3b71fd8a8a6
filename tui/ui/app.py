"""The redline app: screens, app-wide keys, the entity worker and signal handling.

Slow work (loading spaCy, recognising an article) runs in thread workers
that only post messages; the app and its screens own all state changes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from tui.core.position_keeper import PositionKeeper
from tui.core.session import Session
from tui.core.store.errors import StoreError
from tui.ui.messages import ReportsWorkerErrors, palette_text, tell

if TYPE_CHECKING:
    from tui.core.entities import Entity, PipelineInfo
    from tui.core.store import Store


@dataclass
class EntitiesReady(Message):
    """Entities for one article, from the cache or the pipeline."""

    article_id: str
    sha256: str
    entities: list[Entity]
    info: PipelineInfo
    cached: bool


@dataclass
class CorpusSettled(Message):
    """Every file of a lazily loaded corpus has been read."""

    dropped: list[str]
    warnings: list[str]


@dataclass
class EntitiesFailed(Message):
    article_id: str
    reason: str


@dataclass
class VariantsReady(Message):
    """Spelling variants of names across the corpus (a ``VariantReport``)."""

    report: object


class RedlineApp(ReportsWorkerErrors, App[int]):
    CSS_PATH = "redline.tcss"
    TITLE = "redline"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
        Binding("f1,question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(self, session: Session,
                 start: Callable[[RedlineApp], None] | None = None) -> None:
        """``start`` runs once the library is up: a command that opens on another screen
        (``redline review``) pushes it there, with the library below it."""
        super().__init__()
        self.session = session
        self._start = start
        self._store: Store | None = None
        # Reading positions go to disk in the background as the reader moves.
        self._compare = None  # the corpus's CompareEngine, made on first use
        self.variants = None  # the corpus's VariantReport, once found
        self._names_scanned = False
        self.positions = PositionKeeper(
            lambda article_id, offset: self.store.set_position(session.annotator, article_id, offset))
        self.pipeline: PipelineInfo | None = None
        if session.settings.keymap:
            self.set_keymap(session.settings.keymap)

    @property
    def store(self) -> Store:
        # Imported and opened on first use: the library's first frame does not wait for it.
        if self._store is None:
            from tui.core.store import Store

            self._store = Store(self.session.store_root)
        return self._store

    # -- start and stop -------------------------------------------------

    def on_mount(self) -> None:
        from tui.ui.screens.library import LibraryScreen

        if self.session.settings.theme:
            try:
                self.theme = self.session.settings.theme
            except Exception:  # an unknown theme name in the settings is not fatal
                tell(self, f"unknown theme {self.session.settings.theme!r} in the settings file; using the default", severity="warning", timeout=10)
        self._install_signal_handlers()
        # From now on a theme picked in the palette is remembered in the settings file.
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(LibraryScreen())
        if self._start is not None:
            self._start(self)
        # Everything else waits until the library is on screen.
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        from tui.core.entities import EntityError, find_pipeline
        from tui.ui.screens.library import LibraryScreen

        try:
            self.pipeline = find_pipeline(self.session.model)
        except EntityError as err:
            tell(self, str(err), severity="error")
        state = self._reading_state()
        # Resume only if nobody has opened anything in the meantime.
        if (isinstance(self.screen, LibraryScreen) and state.get("last_article")
                and self.session.corpus.get(state["last_article"])):
            self.open_article(state["last_article"])
        self._show_warnings(self.session.corpus.warnings)
        if any(article.lazy for article in self.session.corpus.articles):
            self._settle_corpus()
        self._preload_reader()

    @work(thread=True, group="preload", exit_on_error=False)
    def _preload_reader(self) -> None:
        # The reader's modules (and the text widgets it uses) take a tenth of a second
        # to import: do it while the library is read, not when an article is opened.
        import tui.ui.screens.reader  # noqa: F401

    def _show_warnings(self, warnings: list[str]) -> None:
        for warning in warnings[:5]:
            tell(self, warning, severity="warning", timeout=8)
        if len(warnings) > 5:
            tell(self, f"... and {len(warnings) - 5} more warnings (see: redline list)",
                 severity="warning", timeout=8)

    def _remember_theme(self, theme) -> None:
        from tui.core.config import ConfigError, save_theme

        if theme.name == self.session.settings.theme:
            return
        try:
            save_theme(theme.name)
        except ConfigError as err:
            tell(self, f"theme not remembered: {err}", severity="warning")
            return
        self.session.settings.theme = theme.name

    @work(thread=True, exclusive=True, group="corpus", exit_on_error=False)
    def _settle_corpus(self) -> None:
        dropped, warnings = self.session.corpus.settle()
        self.post_message(CorpusSettled(dropped, warnings))

    def on_corpus_settled(self, message: CorpusSettled) -> None:
        from tui.ui.screens.library import LibraryScreen

        self.session.corpus.drop(message.dropped)
        if message.dropped:
            self._compare = None  # its index listed the dropped articles
        if message.dropped:
            for screen in self.screen_stack:
                if isinstance(screen, LibraryScreen):
                    screen.rebuild()
        self._show_warnings(message.warnings)

    def _reading_state(self) -> dict:
        try:
            return self.store.reading_state(self.session.annotator)
        except StoreError as err:
            tell(self, str(err), severity="error", timeout=30)
            return {}

    def _install_signal_handlers(self) -> None:
        # A dropped SSH session sends SIGHUP. Every save is already on disk,
        # so ending cleanly is all there is to do.
        try:
            loop = __import__("asyncio").get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._on_hangup)
        except (NotImplementedError, RuntimeError, ValueError):
            pass

    def save_before_exit(self) -> None:
        """Keep what only lives on screen: a note being typed, the reading position."""
        for screen in reversed(self.screen_stack):
            keep = getattr(screen, "save_before_exit", None)
            if keep is not None:
                # Leaving anyway: a failed save must not stop the others.
                with contextlib.suppress(StoreError):
                    keep()
        self.positions.close()

    async def action_quit(self) -> None:
        self.save_before_exit()
        self.exit()

    def _on_hangup(self) -> None:
        self.save_before_exit()
        self.exit(return_code=129)
        # A worker thread (spaCy loading) can hold the exit back; every save is
        # already on disk, so if a clean exit takes too long, leave at once.
        timer = threading.Timer(1.0, os._exit, args=(129,))
        timer.daemon = True
        timer.start()

    # -- navigation -----------------------------------------------------

    def open_article(self, article_id: str, select: tuple[int, int] | None = None) -> None:
        from tui.ui.screens.reader import ReaderScreen

        article = self.session.corpus.get(article_id)
        if article is None:
            tell(self, f"no article {article_id!r}", severity="error")
            return
        try:
            self.store  # noqa: B018 - the reader needs a store; made here, or said why not
        except StoreError as err:
            # Not kept: the next try makes the store again, once the folder is fixed.
            tell(self, f"{err}; articles open once it can be made", severity="error", timeout=10)
            return
        self._scan_names()
        self.push_screen(ReaderScreen(article, select=select))

    def switch_article(self, article_id: str, select: tuple[int, int] | None = None) -> None:
        """Replace the open article with another (next/previous without the library)."""
        from tui.ui.screens.reader import ReaderScreen

        article = self.session.corpus.get(article_id)
        if article is None:
            tell(self, f"no article {article_id!r}", severity="error")
            return
        self.switch_screen(ReaderScreen(article, select=select))

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    # -- entities -------------------------------------------------------

    def request_entities(self, article_id: str, text: str, sha256: str) -> None:
        if self.pipeline is None:
            from tui.core.entities import EntityError, find_pipeline

            try:
                self.pipeline = find_pipeline(self.session.model)
            except EntityError:
                return
        self._recognise(article_id, text, sha256, self.pipeline)

    @work(thread=True, exclusive=True, group="entities", exit_on_error=False)
    def _recognise(self, article_id: str, text: str, sha256: str, info: PipelineInfo) -> None:
        from textual.worker import get_current_worker

        from tui.core.entities import (
            Cancelled,
            EntityCache,
            EntityError,
            entities_for,
            load_recognizer,
        )

        worker = get_current_worker()
        cache = EntityCache(self.session.store_root)
        try:
            cached = cache.get(sha256, info)
            if cached is not None:
                self.post_message(EntitiesReady(article_id, sha256, cached, info, True))
                return
            recognizer = load_recognizer(info)
            found = entities_for(text, sha256, recognizer, cache, lambda: worker.is_cancelled)
        except Cancelled:
            return
        except EntityError as err:
            self.post_message(EntitiesFailed(article_id, str(err)))
            return
        except Exception as err:  # spaCy failing must not take the reader down
            self.post_message(EntitiesFailed(article_id, f"entity recognition failed: {err}"))
            return
        self.post_message(EntitiesReady(article_id, sha256, found, info, False))

    def on_entities_ready(self, message: EntitiesReady) -> None:
        for screen in self.screen_stack:
            handler = getattr(screen, "entities_ready", None)
            if handler is not None:
                handler(message)

    def on_entities_failed(self, message: EntitiesFailed) -> None:
        tell(self, message.reason, severity="error", timeout=10)
        for screen in self.screen_stack:
            handler = getattr(screen, "entities_failed", None)
            if handler is not None:
                handler(message)

    # -- across the corpus ------------------------------------------------

    @property
    def compare_engine(self):
        from tui.core.compare import CompareEngine

        if self._compare is None:
            self._compare = CompareEngine(self.session.corpus, self.session.store_root)
        return self._compare

    def warm_compare(self) -> None:
        """Build (or read) the sentence index in the app, so closing a screen never stops it."""
        engine = self.compare_engine
        if not engine.ready and engine.building is None:
            self._build_compare_index(engine)

    @work(thread=True, exclusive=True, group="compare-index", exit_on_error=False)
    def _build_compare_index(self, engine) -> None:
        from textual.worker import get_current_worker

        from tui.core.compare import Cancelled, CompareError

        worker = get_current_worker()
        # Failures reach the screen that waits for the index; here there is nobody to tell.
        with contextlib.suppress(Cancelled, CompareError, StoreError, OSError):
            engine.ensure_index(cancelled=lambda: worker.is_cancelled)

    def _scan_names(self) -> None:
        # Once, when the first article opens: the reader marks rare spellings of names.
        if not self._names_scanned:
            self._names_scanned = True
            self.find_variants()

    # Below this many articles every one is recognised for the name scan; above it, only
    # the entities already in the cache count (``redline ner`` fills it for a whole corpus).
    VARIANTS_RECOGNISE_ALL = 60

    @work(thread=True, exclusive=True, group="variants", exit_on_error=False)
    def find_variants(self) -> None:
        from textual.worker import get_current_worker

        from tui.core.cancel import Cancelled
        from tui.core.compare.variants import corpus_variants, find_variants
        from tui.core.entities import EntityCache, EntityError, find_pipeline, load_recognizer

        worker = get_current_worker()
        articles = [a for a in self.session.corpus.articles if not a.problem]
        try:
            info = self.pipeline or find_pipeline(self.session.model)
            cache = EntityCache(self.session.store_root)
            if len(articles) <= self.VARIANTS_RECOGNISE_ALL:
                report = corpus_variants(articles, load_recognizer(info), cache,
                                         cancelled=lambda: worker.is_cancelled)
            else:
                cached = ((a.id, cache.get(a.sha256, info)) for a in articles)
                report = find_variants((aid, found) for aid, found in cached if found is not None)
        except (Cancelled, EntityError, OSError):
            return
        self.post_message(VariantsReady(report))

    def on_variants_ready(self, message: VariantsReady) -> None:
        self.variants = message.report
        for screen in self.screen_stack:
            handler = getattr(screen, "variants_ready", None)
            if handler is not None:
                handler()

    # -- the command palette lists every action of the current screen ---

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        from tui.ui.screens.help import NO_LABEL, describe

        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen or binding.action == "quit":
                continue
            seen.add(binding.action)
            what = describe(self, binding)
            if what == NO_LABEL:
                continue
            key = self.get_key_display(binding)
            title = what[0].upper() + what[1:] if binding.action.startswith("label(") \
                else binding.description
            yield SystemCommand(palette_text(title), palette_text(f"{what} ({key})"),
                                partial(self._run_binding, active.node, binding.action))
        yield SystemCommand("Export annotations",
                            "Write annotations to a file: format, articles, annotators, labels",
                            self.open_export)
        yield from getattr(screen, "extra_commands", lambda: [])()

    def open_export(self) -> None:
        from tui.ui.screens.export import ExportDialog
        from tui.ui.screens.reader import ReaderScreen

        reader = next((s for s in reversed(self.screen_stack) if isinstance(s, ReaderScreen)), None)
        self.push_screen(ExportDialog(reader.article.id if reader is not None else None))

    def _run_binding(self, node, action: str) -> None:
        self.call_later(self.run_action, action, node)
