"""Sentence alignment of two articles: pairs, and sentences with no counterpart.

Candidates come from TF-IDF over the two articles' sentences (so two 5 MB
articles are not compared all against all), are scored with the same
measure as a corpus lookup, and are paired greedily, best score first, one
counterpart per sentence. Pairs may cross (a paragraph moved in one
version); such a pair is marked ``moved``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from tui.core.compare.diff import DiffPiece, word_diff
from tui.core.compare.index import CancelCheck, Cancelled
from tui.core.compare.similarity import THRESHOLD, similarity
from tui.core.compare.units import Span
from tui.core.compare.words import index_terms, word_keys

CANDIDATES = 8  # per sentence
CHUNK = 256  # sentences of one side scored at a time (bounded memory on huge articles)


@dataclass(frozen=True, slots=True)
class AlignedRow:
    a: Span | None  # the sentence in article a, or None: only b has this one
    b: Span | None
    score: float | None = None
    moved: bool = False  # the pair is out of order with the rows before it
    diff: tuple[DiffPiece, ...] = ()

    @property
    def paired(self) -> bool:
        return self.a is not None and self.b is not None


@dataclass(frozen=True)
class Alignment:
    a_id: str
    b_id: str
    rows: list[AlignedRow]
    threshold: float

    @property
    def pairs(self) -> list[AlignedRow]:
        return [row for row in self.rows if row.paired]

    def counterpart(self, a_span: Span) -> Span | None:
        return next((row.b for row in self.rows if row.a == a_span), None)


def align(a_text: str, a_units: Sequence[Span], b_text: str, b_units: Sequence[Span], *,
          threshold: float = THRESHOLD, cancelled: CancelCheck | None = None) -> list[AlignedRow]:
    scored = _scored_pairs(a_text, a_units, b_text, b_units, cancelled)
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    partner_of_a: dict[int, tuple[int, float]] = {}
    taken_b: set[int] = set()
    for score, i, j in scored:
        if score < threshold:
            break
        if i in partner_of_a or j in taken_b:
            continue
        partner_of_a[i] = (j, score)
        taken_b.add(j)
    return _rows(a_text, a_units, b_text, b_units, partner_of_a)


def _scored_pairs(a_text: str, a_units: Sequence[Span], b_text: str, b_units: Sequence[Span],
                  cancelled: CancelCheck | None) -> list[tuple[float, int, int]]:
    if not a_units or not b_units:
        return []
    a_docs = [a_text[s:e] for s, e in a_units]
    b_docs = [b_text[s:e] for s, e in b_units]
    vectorizer = TfidfVectorizer(analyzer=index_terms, sublinear_tf=True, dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform(a_docs + b_docs)
    except ValueError:  # not one indexable word in either article
        return []
    a_matrix, b_matrix_t = matrix[: len(a_docs)], matrix[len(a_docs):].T.tocsc()
    a_words = [word_keys(a_text, s, e) for s, e in a_units]
    b_words: dict[int, list[str]] = {}
    found: list[tuple[float, int, int]] = []
    for first in range(0, len(a_docs), CHUNK):
        if cancelled is not None and cancelled():
            raise Cancelled()
        block = (a_matrix[first:first + CHUNK] @ b_matrix_t).toarray()
        for offset, row in enumerate(block):
            i = first + offset
            nonzero: Any = np.flatnonzero(row)
            if len(nonzero) > CANDIDATES:
                nonzero = nonzero[np.argpartition(row[nonzero], -CANDIDATES)[-CANDIDATES:]]
            for j in nonzero:
                j = int(j)
                if j not in b_words:
                    b_words[j] = word_keys(b_text, *b_units[j])
                found.append((similarity(a_words[i], b_words[j]), i, j))
    return found


def _rows(a_text: str, a_units: Sequence[Span], b_text: str, b_units: Sequence[Span],
          partner_of_a: dict[int, tuple[int, float]]) -> list[AlignedRow]:
    """Rows in the order of article a, with b's unpaired sentences placed among them in b's order."""
    paired_b = {j for j, _ in partner_of_a.values()}
    rows: list[AlignedRow] = []
    next_b = 0  # b's sentences before this one are placed

    def place_unpaired_b(until: int) -> None:
        nonlocal next_b
        while next_b < until:
            if next_b not in paired_b:
                rows.append(AlignedRow(None, b_units[next_b]))
            next_b += 1

    furthest_b = -1
    for i, a_span in enumerate(a_units):
        partner = partner_of_a.get(i)
        if partner is None:
            rows.append(AlignedRow(a_span, None))
            continue
        j, score = partner
        place_unpaired_b(j)
        moved = j < furthest_b
        furthest_b = max(furthest_b, j)
        next_b = max(next_b, j + 1)
        b_span = b_units[j]
        diff = tuple(word_diff(a_text, *a_span, b_text, *b_span))
        rows.append(AlignedRow(a_span, b_span, round(score, 4), moved, diff))
    place_unpaired_b(len(b_units))
    return rows
