"""One article seen the way the suggestion rules need it.

Sentences and quotation marks come from ``tui.core.text_units``, entities
from the cache (``tui.core.entities``). Only sentences that hold a quotation
or a reporting cue are split into tokens: the rest of a long article costs a
regular-expression scan, so a 100,000-word article stays fast.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from tui.core.entities import Entity
from tui.core.suggest.lexicon import (
    CHANGE_PARTICLES,
    CHANGE_VERBS,
    COMPARATIVE_WORDS,
    HEDGE_WORDS,
    NOT_EQUATIVE,
    NOT_NAMES,
    NUMBER_WORDS,
    POSSESSIVE_DETERMINERS,
    REPORTING_VERBS,
    ROLE_NOUNS,
    SOURCE_PHRASES,
    SUPERLATIVE_WORDS,
)
from tui.core.text_units import paragraph_spans, quotation_marks, sentences

# Entity types that can say something (spaCy's small models mix them up for
# surnames, so a speaker is any of them).
SPEAKER_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})

# Words, then a set lookup: five times faster than one alternation of 150 verbs.
_LETTERS = re.compile(r"[A-Za-z]+")
_POINT = frozenset({"point", "points", "pointed", "pointing"})
_OUT = re.compile(r"\s+out\b")
_UNIT = re.compile(r"-(?:one|two|three|four|five|six|seven|eight|nine)\b", re.IGNORECASE)
_DIGITS = re.compile(r"(?<![\w.-])[$€£¥]?\d+(?:[.,]\d+)*(?:\s?%|\s?(?:percent|per cent)\b)?")
# What the claim rules look for, found in the same pass as the reporting verbs.
FIGURE, COMPARISON, SUPERLATIVE, HEDGE = "figure", "comparison", "superlative", "hedge"
# "That said, ...", "Having said that": no one speaks.
_IDIOM = re.compile(r"(?:\b[Tt]h(?:at|is) said,|\b[Hh]aving said\W|\b[Nn]eedless to say\W|"
                    r"\b[Ss]uffice it to say\W)$")
_TOKEN = regex.compile(
    r"[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}’'\-.]*[\p{L}\p{N}\p{M}])?|[^\s\p{L}\p{N}]", regex.V1)

WORD, PUNCT, QUOTATION = "word", "punct", "quotation"


@dataclass(frozen=True, slots=True)
class Quotation:
    """A pair of quotation marks and what is inside."""

    open: int  # the opening mark
    close: int  # the closing mark, or the paragraph's end when it is not closed there
    start: int  # the quoted text, without the marks and surrounding space
    end: int
    closed: bool


class Token(NamedTuple):  # a tuple: made by the thousand, so it must be cheap
    start: int
    end: int
    text: str
    kind: str  # WORD, PUNCT or QUOTATION
    quotation: int = -1  # index into Sentence.quotations for QUOTATION tokens

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting verb ("said") or a source phrase ("according to") outside quotations."""

    start: int
    end: int
    text: str
    source: bool  # "according to X": the speaker follows


class Mark(NamedTuple):
    """A word or phrase the claim rules look for: a figure, a comparison, ..."""

    start: int
    end: int
    kind: str  # FIGURE, COMPARISON, SUPERLATIVE or HEDGE
    text: str


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: tuple[int, int]
    quotations: list[Quotation] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    # Filled with the tokens (Document.tokens): lookups that keep a huge sentence linear.
    index: dict[int, int] = field(default_factory=dict)  # token start -> token number
    cue_at: dict[int, Cue] = field(default_factory=dict)  # token start -> cue
    content: int = 0  # tokens that are not punctuation (quotations included)
    _tokens: list[Token] | None = None


class Document:
    def __init__(self, text: str, entities: Iterable[Entity]) -> None:
        self.text = text
        self.entities = sorted(entities, key=lambda e: (e.start, e.end))
        self._entity_starts = [e.start for e in self.entities]
        self._full_names: dict[str, str] | None = None
        self._cue_list, self._marks = self._scan()
        self._cue_starts = [cue.start for cue in self._cue_list]
        self._mark_starts = [mark.start for mark in self._marks]
        self.sentences = list(self._sentences())
        # Everyone the model calls a person, by their fullest name in the article.
        # (Capitalised only: small models call "op-ed" a person.)
        self.people = frozenset(self.full_name(person_name(e.text))
                                for e in self.entities if e.label == "PERSON" and e.text[:1].isupper())

    # -- structure -----------------------------------------------------------------------

    def _sentences(self) -> Iterator[Sentence]:
        text = self.text
        paragraphs = paragraph_spans(text)
        quotes: list[Quotation] = []  # of the current paragraph, by their opening marks
        opens: list[int] = []
        current = None
        index = 0
        for start, end in sentences(text):
            while index < len(paragraphs) - 1 and paragraphs[index][1] <= start:
                index += 1
            paragraph = paragraphs[index]
            if paragraph != current:
                current = paragraph
                quotes = [self._quotation(o, c, paragraph[1]) for o, c in quotation_marks(text, *paragraph)]
                opens = [q.open for q in quotes]
            sentence = Sentence(start, end, paragraph)
            sentence.quotations = quotes[bisect.bisect_left(opens, start):bisect.bisect_left(opens, end)]
            if sentence.quotations:
                sentence.end = max(end, min(paragraph[1], max(q.close + 1 for q in sentence.quotations)))
            sentence.cues = [cue for cue in self._cues(sentence.start, sentence.end)
                             if not _quoted(cue.start, quotes, opens)]
            yield sentence

    def _quotation(self, opening: int, close: int, paragraph_end: int) -> Quotation:
        start, end = opening + 1, close
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Quotation(opening, close, start, end, close < paragraph_end)

    def _scan(self) -> tuple[list[Cue], list[Mark]]:
        """Reporting cues, and the marks of claims."""
        text = self.text
        cues = [Cue(m.start(), m.end(), m.group(), True) for m in SOURCE_PHRASES.finditer(text)]
        marks = [Mark(m.start(), m.end(), FIGURE, m.group().strip()) for m in _DIGITS.finditer(text)]
        for start, end, lower in _occurrences(text):
            out = _OUT.match(text, end) if lower in _POINT else None
            if lower in REPORTING_VERBS or out is not None:
                if out is not None:
                    end = out.end()  # "pointed out"
                if not _IDIOM.search(text[max(0, start - 24):end + 1]):
                    cues.append(Cue(start, end, text[start:end], False))
            elif lower in NUMBER_WORDS:
                unit = _UNIT.match(text, end)  # "thirty-one"
                end = unit.end() if unit else end
                marks.append(Mark(start, end, FIGURE, text[start:end]))
            elif lower in HEDGE_WORDS:
                marks.append(Mark(start, end, HEDGE, lower))
            elif lower in CHANGE_VERBS:
                particle = _NEXT_WORD.match(text, end)
                if particle and particle.group(1).lower() in CHANGE_PARTICLES:
                    marks.append(Mark(particle.start(1), particle.end(1), COMPARISON,
                                      f"{lower} {particle.group(1).lower()}"))
            else:
                before2, before = _words_before(text, start)
                if lower == "than" and before in COMPARATIVE_WORDS:
                    marks.append(Mark(start, end, COMPARISON, f"{before} than"))
                elif lower == "as" and before2 in ("as", "so") and before not in NOT_EQUATIVE:
                    marks.append(Mark(start, end, COMPARISON, f"{before2} {before} as"))
                elif lower in SUPERLATIVE_WORDS and (before in POSSESSIVE_DETERMINERS
                                                     or before2 in POSSESSIVE_DETERMINERS):
                    marks.append(Mark(start, end, SUPERLATIVE, lower))
        cues.sort(key=lambda cue: cue.start)
        marks.sort(key=lambda mark: mark.start)
        return cues, marks

    def marks(self, start: int, end: int) -> list[Mark]:
        return self._marks[bisect.bisect_left(self._mark_starts, start):
                           bisect.bisect_left(self._mark_starts, end)]

    def _cues(self, start: int, end: int) -> list[Cue]:
        return self._cue_list[bisect.bisect_left(self._cue_starts, start):
                              bisect.bisect_left(self._cue_starts, end)]

    def tokens(self, sentence: Sentence) -> list[Token]:
        """Words and punctuation of the sentence; each quotation is one token."""
        if sentence._tokens is None:
            found: list[Token] = []
            position = sentence.start
            for number, quotation in enumerate(sentence.quotations):
                found += self._words(position, quotation.open)
                close = min(quotation.close + 1, sentence.end)
                found.append(Token(quotation.open, close, self.text[quotation.open:close],
                                   QUOTATION, number))
                position = close
            found += self._words(position, sentence.end)
            sentence._tokens = found
            sentence.index = {token.start: number for number, token in enumerate(found)}
            sentence.cue_at = {cue.start: cue for cue in sentence.cues}
            sentence.content = sum(token.kind != PUNCT for token in found)
        return sentence._tokens

    def _words(self, start: int, end: int) -> list[Token]:
        return [Token(m.start(), m.end(), m.group(), WORD if m.group()[0].isalnum() else PUNCT)
                for m in _TOKEN.finditer(self.text, start, end)]

    # -- entities --------------------------------------------------------------------------

    def entity_at(self, position: int) -> Entity | None:
        at = bisect.bisect_right(self._entity_starts, position) - 1
        # Entities do not overlap, except when a cache holds odd data: look back a little.
        for entity in self.entities[max(0, at - 2):at + 1]:
            if entity.start <= position < entity.end:
                return entity
        return None

    def entities_before(self, position: int) -> Iterator[Entity]:
        """Entities that start before ``position``, the nearest first."""
        at = bisect.bisect_left(self._entity_starts, position)
        return reversed(self.entities[:at]) if at < 64 else (self.entities[i] for i in range(at - 1, -1, -1))

    def entities_in(self, start: int, end: int) -> list[Entity]:
        at = bisect.bisect_left(self._entity_starts, start)
        found = []
        while at < len(self.entities) and self.entities[at].start < end:
            if self.entities[at].end <= end:
                found.append(self.entities[at])
            at += 1
        return found

    def full_name(self, name: str) -> str:
        """The longest person's name in the article that ends with ``name`` ("Heusgen" ->
        "Christoph Heusgen"); ``name`` itself when there is none."""
        if self._full_names is None:
            self._full_names = {}
            for entity in self.entities:
                if entity.label != "PERSON":
                    continue
                clean = person_name(entity.text)
                if " " in clean and clean[:1].isupper():
                    last = clean.split()[-1]
                    if len(clean) > len(self._full_names.get(last, "")):
                        self._full_names[last] = clean
        words = name.split()
        if not words:
            return name
        longer = self._full_names.get(words[-1])
        return longer if longer and longer.endswith(name) else name


def strip_possessive(name: str) -> str:
    for ending in ("’s", "'s", "’", "'"):
        if name.endswith(ending):
            return name[: -len(ending)]
    return name


def person_name(text: str) -> str:
    """A person's name without the title or role before it: "NATO Secretary-General Jens
    Stoltenberg" -> "Jens Stoltenberg", "Mayor Linda Okafor" -> "Linda Okafor"."""
    words = strip_possessive(text.strip()).split()
    keep = len(words)
    while keep > 0 and words[keep - 1].lower() not in NOT_NAMES and \
            words[keep - 1].lower().strip(".,") not in ROLE_NOUNS and len(words) - keep < 4:
        keep -= 1
    return " ".join(words[keep:]) or strip_possessive(text.strip())


# Every word the scan acts on. A word is a maximal run of ASCII letters.
_WANTED = (REPORTING_VERBS | _POINT | NUMBER_WORDS | HEDGE_WORDS | CHANGE_VERBS | SUPERLATIVE_WORDS
           | {"than", "as"})
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NEXT_WORD = re.compile(r"[^A-Za-z]*([A-Za-z]+)")


def _occurrences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lowercase word) of each wanted word, in text order.

    Which spellings occur is learnt from the distinct whitespace-separated
    tokens (a few thousand even in a long article), then each is found with
    ``str.find``: five times faster than matching every word of a long text.
    """
    forms: dict[str, str] = {}
    for token in set(text.split()):
        for word in _LETTERS.findall(token):
            if word not in forms:
                lower = word.lower()
                forms[word] = lower if lower in _WANTED else ""
    found = []
    size = len(text)
    for word, lower in forms.items():
        if not lower:
            continue
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or text[at - 1] not in _ASCII_LETTERS) and (end == size or text[end] not in _ASCII_LETTERS):
                found.append((at, end, lower))
            at = text.find(word, end)
    found.sort()
    return found


def _words_before(text: str, position: int) -> tuple[str, str]:
    """The two words before ``position``, lowercase ("" where there are none)."""
    words = _LETTERS.findall(text, max(0, position - 60), position)[-2:]
    words = [""] * (2 - len(words)) + [w.lower() for w in words]
    return words[0], words[1]


def _quoted(position: int, quotes: list[Quotation], opens: list[int]) -> bool:
    at = bisect.bisect_right(opens, position) - 1
    return at >= 0 and position <= quotes[at].close
