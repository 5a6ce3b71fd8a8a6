"""Cross-article comparison for one corpus: what the reader, the screens and the CLI call.

``CompareEngine`` owns the corpus's sentence index. The index is built (or
read from the cache) once, by whichever thread asks first; others asking at
the same time wait for it and hear its progress. Everything that may be
slow (``ensure_index``, ``similar``, ``align``) belongs in a worker thread.

Bad input is a ``CompareError`` whose message can be shown as it is.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.compare import index as index_module
from tui.core.compare.align import Alignment, align
from tui.core.compare.diff import DiffPiece, summary, word_diff
from tui.core.compare.index import (
    CancelCheck,
    Cancelled,
    IndexCache,
    Progress,
    ProgressCallback,
    SentenceIndex,
)
from tui.core.compare.similarity import THRESHOLD, Scored, score_against, similarity
from tui.core.compare.units import Span, sentence_units
from tui.core.compare.words import word_keys, word_tokens
from tui.core.corpus import Article, Corpus

MIN_WORDS = 3  # fewer words than this match everything and nothing
MAX_PASSAGE = 3000  # code points of a passage that are compared
CANDIDATES = 80  # TF-IDF candidates scored with rapidfuzz per lookup
MAX_WINDOW = 6  # sentences a match may span when the passage spans several
WINDOW_SEEDS = 12  # candidates grown into runs of sentences for such a passage


class CompareError(Exception):
    """Input that cannot be compared; the message says why, in one line."""


@dataclass(frozen=True)
class Passage:
    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Match:
    """A passage of another article like the one compared, with the diff against it."""

    article_id: str
    title: str
    start: int
    end: int
    text: str  # their wording, exactly as in their article
    score: float  # 0-1
    diff: tuple[DiffPiece, ...] = ()

    @property
    def changes(self) -> list[str]:
        return summary(self.diff)


@dataclass(frozen=True)
class SimilarResult:
    passage: Passage
    matches: list[Match]
    notice: str = ""  # why there are none, or that the passage was cut
    best_below: float | None = None  # the best score under the threshold, when nothing passed
    threshold: float = THRESHOLD


@dataclass
class _Build:
    listeners: list[ProgressCallback] = field(default_factory=list)
    last: Progress | None = None


class CompareEngine:
    def __init__(self, corpus: Corpus, store_root: str | Path | None = None, *,
                 threshold: float = THRESHOLD) -> None:
        self.corpus = corpus
        self.cache = IndexCache(store_root) if store_root is not None else None
        self.threshold = threshold
        self._index: SentenceIndex | None = None
        self._articles: list[Article] = []
        self._condition = threading.Condition()
        self._build: _Build | None = None
        self.from_cache = False

    # -- the index ---------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self._index is not None

    @property
    def building(self) -> Progress | None:
        """The progress of a build under way (None when none is)."""
        build = self._build
        return None if build is None else (build.last or Progress(index_module.SPLITTING, 0, 0))

    @property
    def index(self) -> SentenceIndex | None:
        return self._index

    def ensure_index(self, progress: ProgressCallback | None = None,
                     cancelled: CancelCheck | None = None) -> SentenceIndex:
        """The index, read from the cache or built; blocks. Raises ``Cancelled``."""
        while True:
            with self._condition:
                if self._index is not None:
                    return self._index
                if self._build is None:
                    build = self._build = _Build([progress] if progress else [])
                    break
                waiting = self._build
                if progress is not None:
                    waiting.listeners.append(progress)
                    if waiting.last is not None:
                        progress(waiting.last)
                try:
                    while self._build is waiting and self._index is None:
                        if cancelled is not None and cancelled():
                            raise Cancelled()
                        self._condition.wait(0.1)
                finally:
                    if progress is not None and progress in waiting.listeners:
                        waiting.listeners.remove(progress)
            # The build finished (or its owner gave up): look again.

        def fan_out(update: Progress) -> None:
            build.last = update
            for listener in list(build.listeners):
                listener(update)

        try:
            index, articles, cached = self._load_or_build(fan_out, cancelled)
        except BaseException:
            with self._condition:
                self._build = None
                self._condition.notify_all()
            raise
        with self._condition:
            self._index, self._articles, self.from_cache = index, articles, cached
            self._build = None
            self._condition.notify_all()
        return index

    def _load_or_build(self, progress: ProgressCallback, cancelled: CancelCheck | None
                       ) -> tuple[SentenceIndex, list[Article], bool]:
        articles = list(self.corpus.articles)
        progress(Progress(index_module.LOADING, 0, 0))
        fingerprint = index_module.fingerprint(articles)
        if self.cache is not None:
            cached = self.cache.get(fingerprint)
            if cached is not None:
                return cached, articles, True
        built = index_module.build(articles, progress, cancelled)
        if self.cache is not None:
            self.cache.put(built)
        return built, articles, False

    def _article(self, position: int) -> Article:
        return self._articles[position]

    # -- lookups -----------------------------------------------------------

    def similar(self, article: Article, start: int, end: int, *, top: int = 10,
                cancelled: CancelCheck | None = None) -> SimilarResult:
        """The passages of other articles most like ``article.text[start:end]``, best first."""
        index = self.ensure_index(cancelled=cancelled)
        passage, notice = _passage(article, start, end)
        others = index.article_count - (1 if index.position(article.id) is not None else 0)
        if others <= 0:
            raise CompareError("the corpus holds no other article: nothing to compare this passage with")
        keys = word_keys(article.text, passage.start, passage.end)
        sentences = len(sentence_units(passage.text))
        rows = index.candidates(passage.text, exclude=article.id, limit=CANDIDATES)
        if sentences < 2:
            scored_rows = self._score_sentences(index, keys, rows)
        else:
            scored_rows = self._score_windows(index, keys, rows, sentences)
        best: dict[tuple[str, int, int], tuple[Scored, int]] = {}
        for scored, position in scored_rows:
            key = (self._article(position).id, scored.start, scored.end)
            if key not in best or best[key][0].score < scored.score:
                best[key] = (scored, position)
        ranked = sorted(best.items(), key=lambda item: -item[1][0].score)
        matches: list[Match] = []
        for (other_id, s, e), (scored, position) in ranked:
            if scored.score < self.threshold or len(matches) >= top:
                break
            other = self._article(position)
            diff = tuple(word_diff(article.text, passage.start, passage.end, other.text, s, e))
            matches.append(Match(other_id, other.title, s, e, other.text[s:e],
                                 round(scored.score, 4), diff))
        best_below = None
        if not matches:
            best_below = round(ranked[0][1][0].score, 4) if ranked else None
            seen = f"best score {best_below:.2f}" if best_below is not None else "no shared words"
            none = (f"no passage in the {others:,} other article{'s' if others != 1 else ''} "
                    f"is similar enough ({seen}; threshold {self.threshold:.2f})")
            notice = f"{none}; {notice}" if notice else none
        return SimilarResult(passage, matches, notice, best_below, self.threshold)

    def _score_sentences(self, index: SentenceIndex, keys: list[str], rows: list[int]
                         ) -> list[tuple[Scored, int]]:
        """A clause or a sentence against the best part of each candidate sentence."""
        found = []
        for row in rows:
            position = index.article_of(row)
            scored = score_against(keys, self._article(position).text, *index.span(row))
            if scored is not None:
                found.append((scored, position))
        return found

    def _score_windows(self, index: SentenceIndex, keys: list[str], rows: list[int],
                       sentences: int) -> list[tuple[Scored, int]]:
        """Several sentences against runs of consecutive sentences around the best candidates."""
        words: dict[int, list[str]] = {}

        def row_words(row: int) -> list[str]:
            if row not in words:
                text = self._article(index.article_of(row)).text
                words[row] = word_keys(text, *index.span(row))
            return words[row]

        def window(first: int, last: int) -> float:
            return similarity(keys, [w for row in range(first, last + 1) for w in row_words(row)])

        found = []
        # Only the strongest candidates grow: a run is as good as its best sentence makes it.
        ranked = sorted(rows, key=lambda row: -similarity(keys, row_words(row)))[:WINDOW_SEEDS]
        for row in ranked:
            position = index.article_of(row)
            low, high = int(index.offsets[position]), int(index.offsets[position + 1])
            first = last = row
            score = window(row, row)
            while last - first + 1 < min(MAX_WINDOW, sentences + 1):
                options = [(lo, hi) for lo, hi in ((first - 1, last), (first, last + 1))
                           if lo >= low and hi < high]
                tries = [(window(lo, hi), lo, hi) for lo, hi in options]
                tries = [t for t in tries if t[0] > score]
                if not tries:
                    break
                score, first, last = max(tries)
            found.append((Scored(score, index.span(first)[0], index.span(last)[1]), position))
        return found

    def similar_sentences(self, article: Article, *, top: int = 1,
                          cancelled: CancelCheck | None = None) -> list[tuple[Span, SimilarResult | None]]:
        """Each sentence of ``article`` with its matches (None: too short to compare)."""
        units = sentence_units(article.text)
        if not units:
            raise CompareError(f"article '{article.id}' has no sentences to compare")
        results: list[tuple[Span, SimilarResult | None]] = []
        for start, end in units:
            if cancelled is not None and cancelled():
                raise Cancelled()
            try:
                results.append(((start, end), self.similar(article, start, end, top=top)))
            except CompareError as err:
                if "no other article" in str(err):
                    raise
                results.append(((start, end), None))
        return results

    # -- two articles --------------------------------------------------------

    def align(self, a: Article, b: Article, cancelled: CancelCheck | None = None) -> Alignment:
        """Sentence pairs of two articles, and the sentences with no counterpart."""
        return align_articles(a, b, threshold=self.threshold, cancelled=cancelled)


def align_articles(a: Article, b: Article, *, threshold: float = THRESHOLD,
                   cancelled: CancelCheck | None = None) -> Alignment:
    if a.id == b.id:
        raise CompareError(f"'{a.id}' is the same article on both sides: name two different ones")
    a_units, b_units = sentence_units(a.text), sentence_units(b.text)
    for article, units in ((a, a_units), (b, b_units)):
        if not units:
            raise CompareError(f"article '{article.id}' has no sentences to compare")
    rows = align(a.text, a_units, b.text, b_units, threshold=threshold, cancelled=cancelled)
    return Alignment(a.id, b.id, rows, threshold)


def _passage(article: Article, start: int, end: int) -> tuple[Passage, str]:
    text = article.text
    if not text.strip():
        raise CompareError("this article has no sentences to compare")
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if end <= start:
        raise CompareError("nothing is selected to compare")
    words = word_tokens(text, start, end)
    if len(words) < MIN_WORDS:
        shown = " ".join(text[start:end].split())[:40]
        count = "no words" if not words else f"{len(words)} word{'s' if len(words) > 1 else ''}"
        raise CompareError(f"“{shown}” is {count}: too little to compare; "
                           f"select a sentence or more (at least {MIN_WORDS} words)")
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    notice = ""
    if end - start > MAX_PASSAGE:
        cut = max((t.end for t in words if t.end <= start + MAX_PASSAGE), default=start + MAX_PASSAGE)
        notice = (f"the passage is {end - start:,} characters long: "
                  f"compared its first {cut - start:,}")
        end = cut
    return Passage(article.id, start, end, text[start:end]), notice
