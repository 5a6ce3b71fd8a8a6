"""Words as the comparison sees them: folded keys with their exact spans.

Two versions of a story differ in case, curly or straight quotes and
accents more often than in meaning, so matching works on folded keys
(lowercase, quotes made straight, accents dropped for the index), while
every token keeps its code-point span in the exact article text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

# A word keeps inner apostrophes, hyphens and decimal points ("Paris’",
# "secretary-general", "3.5"); anything else that is not a space is one
# punctuation token of its own.
_WORD = r"[\p{L}\p{N}\p{M}]+(?:(?:['’\-]|(?<=\p{N})[.,](?=\p{N}))[\p{L}\p{N}\p{M}]+)*"
_TOKEN = regex.compile(rf"{_WORD}|[^\s\p{{L}}\p{{N}}\p{{M}}]", regex.V1)
_WORD_ONLY = regex.compile(_WORD, regex.V1)
_MARKS = regex.compile(r"\p{M}+", regex.V1)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‐": "-", "‑": "-", "–": "-", "—": "-"})

# Words that carry no content: left out of the index (they would make every
# sentence a candidate for every other), kept everywhere else.
_STOP_WORDS_TEXT = """
a an and are as at be been but by can could did do does for from had has have he her his i if in
into is it its itself may might more most no not of on or our she should so such than that the
their them then there these they this those to was we were what when which while who will with
would you your also said says about after before over under up out all any both each other some
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

STEM = 6  # index terms are word prefixes: "increasing" and "increased" meet


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    key: str  # folded: lowercase, straight quotes

    @property
    def is_word(self) -> bool:
        return self.key[:1].isalnum()


def fold(text: str) -> str:
    return text.translate(_QUOTES).lower()


def strip_accents(text: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words and punctuation marks of ``text[start:end]``, spans into ``text``."""
    # Matching in a slice, not in the whole text between two positions: the
    # regex module pays for the length of the string it is given, and one
    # article can be megabytes long.
    part = text[start:end]
    return [Token(start + m.start(), start + m.end(), fold(m.group())) for m in _TOKEN.finditer(part)]


def word_tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    part = text[start:end]
    return [Token(start + m.start(), start + m.end(), fold(m.group()))
            for m in _WORD_ONLY.finditer(part)]


def word_keys(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The folded words of ``text[start:end]``, without their spans (cheaper)."""
    return [fold(word) for word in _WORD_ONLY.findall(text[start:end])]


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD_ONLY.finditer(text))


def index_terms(text: str) -> list[str]:
    """The terms a sentence is indexed under: content-word prefixes, accents dropped."""
    words = _WORD_ONLY.findall(strip_accents(text.translate(_QUOTES).lower()))
    return [word[:STEM] for word in words if len(word) > 1 and word not in STOP_WORDS]
