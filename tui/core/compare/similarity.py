"""How alike two passages read, on a 0-1 scale.

The score is the mean of two rapidfuzz measures over folded words: the
character-level ratio (robust to inflection and spelling: "defence" and
"defense", "Stolenberg" and "Stoltenberg") and the word-level Indel
similarity (robust to a reordered clause, and strict about different
words). On the seeds, paraphrased pairs score 0.63 and up and unrelated
sentences 0.49 and below; the threshold sits between them.

A passage much shorter than a sentence is matched against the best window
of that sentence (rapidfuzz's partial-ratio alignment), so selecting a
clause finds the clause, not the whole sentence around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from tui.core.compare.words import Token, word_tokens

THRESHOLD = 0.55
PARTIAL_BELOW = 1 / 1.6  # a passage shorter than this share of a sentence is matched partially


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    start: int  # the matched part of the other text (code points, end exclusive)
    end: int


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Similarity of two folded word sequences."""
    if not a or not b:
        return 0.0
    chars = fuzz.ratio(" ".join(a), " ".join(b)) / 100
    words = Indel.normalized_similarity(list(a), list(b))
    return (chars + words) / 2


def score_against(passage: Sequence[str], text: str, start: int, end: int,
                  words: list[Token] | None = None, *, partial: bool = True) -> Scored | None:
    """How well ``passage`` (folded words) matches ``text[start:end]``, and where.

    With ``partial``, a passage much shorter than the text is matched against
    its best window; otherwise against the whole of it.
    """
    words = word_tokens(text, start, end) if words is None else words
    if not words or not passage:
        return None
    keys = [token.key for token in words]
    joined_passage = " ".join(passage)
    joined = " ".join(keys)
    if partial and len(joined_passage) < len(joined) * PARTIAL_BELOW:
        window = fuzz.partial_ratio_alignment(joined_passage, joined)
        if window is not None and window.dest_end > window.dest_start:
            first, last = _tokens_in(keys, window.dest_start, window.dest_end)
            # A window never holds fewer words than the passage: two shared
            # words must not pass for a match of five.
            while last - first + 1 < len(passage) and (first > 0 or last + 1 < len(keys)):
                if last + 1 < len(keys):
                    last += 1
                if last - first + 1 < len(passage) and first > 0:
                    first -= 1
            part = keys[first:last + 1]
            return Scored(similarity(passage, part), words[first].start, words[last].end)
    return Scored(similarity(passage, keys), start, end)


def _tokens_in(keys: list[str], start: int, end: int) -> tuple[int, int]:
    """The first and last token that a character window of ``" ".join(keys)`` touches."""
    first = last = None
    pos = 0
    for index, key in enumerate(keys):
        token_end = pos + len(key)
        if token_end > start and pos < end:
            if first is None:
                first = index
            last = index
        pos = token_end + 1
    if first is None:
        return 0, len(keys) - 1
    return first, last  # type: ignore[return-value]  # set together with first
