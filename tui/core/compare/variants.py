"""Spelling variants of one name across a corpus ("Stolenberg" beside the many "Stoltenberg").

Works on the name words of spaCy's entities (people, organisations,
places, groups, events...). A rare spelling is reported as a variant of a
common one when all of these hold:

- the spellings are one edit apart (a letter added, dropped or changed,
  or two letters swapped), start with the same letter, and are not the
  same word in another case ("Nato" and "NATO" are house style);
- the entity types overlap: the word was recognised as the same kind of
  thing at least once (a surname inside a recognised PERSON counts as
  PERSON, so the small pipeline's "Stoltenberg"-as-ORG does not hide it);
- the frequencies are lopsided: the common spelling occurs at least
  ``RATIO`` times as often, and at least ``MIN_MAJORITY`` times;
- the token structure does not tell two people apart: when both spellings
  come with given names ("Boris Johnson", "Ian Johnston") and none is
  shared, they are different people and are left alone.

Acronyms and words shorter than five letters are never compared: too many
different names sit one letter apart there.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import regex
from rapidfuzz.distance import DamerauLevenshtein

from tui.core.cancel import Cancelled
from tui.core.entities import Entity

NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT",
                        "WORK_OF_ART", "LAW"})
MIN_LENGTH = 5
RATIO = 3
MIN_MAJORITY = 3

_NAME_WORD = regex.compile(r"\p{Lu}[\p{L}\p{M}]*(?:[-'’][\p{L}\p{M}]+)*", regex.V1)
_POSSESSIVE = regex.compile(r"[’']s?$")


@dataclass(frozen=True, slots=True)
class Occurrence:
    article_id: str
    start: int
    end: int


@dataclass
class _WordStats:
    occurrences: list[Occurrence] = field(default_factory=list)
    types: Counter = field(default_factory=Counter)
    given_names: set[str] = field(default_factory=set)  # other words of PERSON names it is in

    @property
    def count(self) -> int:
        return len(self.occurrences)


@dataclass(frozen=True)
class Spelling:
    text: str
    count: int
    occurrences: tuple[Occurrence, ...]

    @property
    def articles(self) -> dict[str, int]:
        """Article id -> how often this spelling occurs there, in corpus order."""
        counts: dict[str, int] = {}
        for occurrence in self.occurrences:
            counts[occurrence.article_id] = counts.get(occurrence.article_id, 0) + 1
        return counts


@dataclass(frozen=True)
class NameVariant:
    """A rare spelling of a name, with the spelling most of the corpus uses."""

    label: str  # the entity type the two share (the majority's most frequent one)
    variant: Spelling
    majority: Spelling

    def describe(self) -> str:
        return (f"“{self.variant.text}” ({self.variant.count}×) may be a misspelling of "
                f"“{self.majority.text}” ({self.majority.count}× in "
                f"{len(self.majority.articles)} article{'s' if len(self.majority.articles) != 1 else ''})")


@dataclass(frozen=True)
class VariantMark:
    """Where the reader marks a rare spelling in one article."""

    start: int
    end: int
    text: str
    majority: str
    variant: NameVariant


@dataclass
class VariantReport:
    variants: list[NameVariant]
    articles: int = 0

    def marks_for(self, article_id: str, text: str | None = None) -> list[VariantMark]:
        """The rare spellings in one article, in text order: a mark each, and a panel entry.

        With ``text`` (the article's), occurrences the recogniser missed are
        found too: every whole-word occurrence of a rare spelling.
        """
        spans: dict[tuple[int, int], NameVariant] = {}
        for variant in self.variants:
            for o in variant.variant.occurrences:
                if o.article_id == article_id:
                    spans[(o.start, o.end)] = variant
            if text is not None:
                pattern = regex.compile(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(variant.variant.text)}"
                                        rf"(?![\p{{L}}\p{{N}}])", regex.V1)
                for match in pattern.finditer(text):
                    spans.setdefault(match.span(), variant)
        return [VariantMark(start, end, v.variant.text, v.majority.text, v)
                for (start, end), v in sorted(spans.items())]


def _fold(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower())
                   if not unicodedata.combining(ch))


def _name_words(article_id: str, entity: Entity) -> list[tuple[str, Occurrence]]:
    words = []
    for match in _NAME_WORD.finditer(entity.text):
        word = _POSSESSIVE.sub("", match.group())
        if not word:
            continue
        start = entity.start + match.start()
        words.append((word, Occurrence(article_id, start, start + len(word))))
    return words


def find_variants(mentions: Iterable[tuple[str, Sequence[Entity]]]) -> VariantReport:
    """Variants among ``(article_id, entities)`` of a whole corpus."""
    stats: dict[str, _WordStats] = defaultdict(_WordStats)
    articles = 0
    for article_id, entities in mentions:
        articles += 1
        for entity in entities:
            if entity.label not in NAME_TYPES:
                continue
            words = _name_words(article_id, entity)
            for word, occurrence in words:
                entry = stats[word]
                entry.occurrences.append(occurrence)
                # A word inside a longer PERSON name is a person's name too.
                entry.types[entity.label] += 1
                if entity.label == "PERSON" and len(words) > 1:
                    entry.given_names.update(w for w, _ in words if w != word)
    return VariantReport(_pairs(stats), articles)


def _comparable(word: str) -> bool:
    return len(word) >= MIN_LENGTH and not word.isupper()


def _pairs(stats: dict[str, _WordStats]) -> list[NameVariant]:
    words = [w for w in stats if _comparable(w)]
    # Words one edit apart share a key (the word less one letter), which
    # finds them without comparing every pair.
    buckets: dict[str, list[str]] = defaultdict(list)
    for word in words:
        folded = _fold(word)
        keys = {folded} | {folded[:i] + folded[i + 1:] for i in range(len(folded))}
        for key in keys:
            buckets[key].append(word)
    seen: set[tuple[str, str]] = set()
    found: list[NameVariant] = []
    for group in buckets.values():
        if len(group) < 2:
            continue
        for a in group:
            for b in group:
                if a >= b or (a, b) in seen:
                    continue
                seen.add((a, b))
                variant = _variant(a, b, stats)
                if variant is not None:
                    found.append(variant)
    found.sort(key=lambda v: (-v.majority.count, v.majority.text, v.variant.text))
    return found


def _variant(a: str, b: str, stats: dict[str, _WordStats]) -> NameVariant | None:
    rare, common = (a, b) if stats[a].count <= stats[b].count else (b, a)
    r, c = stats[rare], stats[common]
    if rare.lower() == common.lower():
        return None  # a matter of case: house style
    if _fold(rare)[0] != _fold(common)[0]:
        return None
    if DamerauLevenshtein.distance(_fold(rare), _fold(common)) > 1:
        return None
    shared = set(r.types) & set(c.types)
    if not shared:
        return None
    if c.count < MIN_MAJORITY or c.count < RATIO * r.count:
        return None
    if r.given_names and c.given_names and not (r.given_names & c.given_names):
        return None  # "Boris Johnson" and "Ian Johnston": two people
    label = max(shared, key=lambda t: (c.types[t], t))
    return NameVariant(label, Spelling(rare, r.count, tuple(r.occurrences)),
                       Spelling(common, c.count, tuple(c.occurrences)))


# -- over a corpus, with the entity cache ------------------------------------

def corpus_variants(articles: Sequence, recognizer, cache, *,
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> VariantReport:
    """Recognise (or read from the cache) every article's entities, then find variants.

    ``recognizer`` is a ``tui.core.entities.Recognizer`` and ``cache`` an
    ``EntityCache`` (or None). Slow when the cache is cold: call it in a worker.
    """
    from tui.core.entities import entities_for

    def mentions() -> Iterable[tuple[str, list[Entity]]]:
        total = len(articles)
        for number, article in enumerate(articles, start=1):
            if cancelled is not None and cancelled():
                raise Cancelled()
            found = entities_for(article.text, article.sha256, recognizer, cache, cancelled)
            if progress is not None:
                progress(number, total)
            yield article.id, found

    return find_variants(mentions())
