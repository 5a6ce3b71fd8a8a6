"""Claims: sentences that attribute a statement or state a figure or a comparison.

These are what a fact-checker checks first: "according to X", "Y said",
"31 nations", "more than ever". Each suggestion says why, in the words of
the text: "reporting verb: said", "figure: 31", "comparison: more than".
Dates are not figures: numbers inside DATE and TIME entities, and years on
their own, are left out.
"""

from __future__ import annotations

import re

from tui.core.suggest.document import Document, Sentence
from tui.core.suggest.lexicon import COMPARATIVES, HEDGES, NUMBER_WORDS, SUPERLATIVES
from tui.core.suggest.model import CLAIM, CLAIM_RULE, Suggestion, make

MIN_WORDS = 4  # shorter "sentences" are headers, bylines and forum counters
MAX_SHOWN = 3  # figures named in one reason

_FIGURE = re.compile(
    r"(?<![\w.-])[$€£¥]?\d+(?:[.,]\d+)*(?:\s?%|\s?(?:percent|per cent)\b)?"
    r"|\b(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_REFERENCE = re.compile(r"\b(?:Article|No\.|Section|Chapter|Resolution|page|paragraph)\s*$", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_NOT_FIGURE_TYPES = frozenset({"DATE", "TIME", "ORDINAL", "LAW", "EVENT", "WORK_OF_ART", "PRODUCT",
                               "FAC", "ORG"})


def suggestions(doc: Document, label: str = CLAIM) -> list[Suggestion]:
    found = []
    for sentence in doc.sentences:
        reasons = _reasons(doc, sentence)
        if reasons:
            found.append(make(doc.text, CLAIM, sentence.start, sentence.end, label,
                              "; ".join(reasons), CLAIM_RULE))
    return found


def _reasons(doc: Document, sentence: Sentence) -> list[str]:
    text = doc.text
    if len(_WORD.findall(text, sentence.start, sentence.end)) < MIN_WORDS:
        return []
    reasons = []
    quoted = [(q.open, q.close) for q in sentence.quotations]
    source = next((cue for cue in sentence.cues if cue.source), None)
    verb = next((cue for cue in sentence.cues if not cue.source), None)
    if source is not None:
        reasons.append(f"attribution: {source.text}")
    if verb is not None:
        reasons.append(f"reporting verb: {verb.text}")
    hedge = HEDGES.search(text, sentence.start, sentence.end)
    if hedge and not _inside(hedge.start(), quoted):
        reasons.append(f"attribution: {hedge.group()}")
    figures = _figures(doc, sentence)
    if figures:
        shown = ", ".join(figures[:MAX_SHOWN]) + (", ..." if len(figures) > MAX_SHOWN else "")
        reasons.append(f"{'figure' if len(figures) == 1 else 'figures'}: {shown}")
    for pattern, name in ((COMPARATIVES, "comparison"), (SUPERLATIVES, "superlative")):
        match = pattern.search(text, sentence.start, sentence.end)
        if match:
            reasons.append(f"{name}: {' '.join(match.group().split())}")
    return reasons


def _figures(doc: Document, sentence: Sentence) -> list[str]:
    text = doc.text
    found = []
    for match in _FIGURE.finditer(text, sentence.start, sentence.end):
        entity = doc.entity_at(match.start())
        if entity is not None and entity.label in _NOT_FIGURE_TYPES:
            continue
        figure = match.group().strip()
        if _YEAR.fullmatch(figure) or _REFERENCE.search(text, max(0, match.start() - 12), match.start()):
            continue
        if figure.isalpha() and figure.lower() in ("half", "double", "twice") and entity is None:
            continue  # "half" alone is rarely a figure ("the other half")
        found.append(figure)
    return found


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position <= end for start, end in spans)
