"""Claims: sentences that attribute a statement or state a figure or a comparison.

These are what a fact-checker checks first: "according to X", "Y said",
"31 nations", "more than ever". Each suggestion says why, in the words of
the text: "reporting verb: said", "figure: 31", "comparison: more than".
Dates are not figures: numbers inside DATE and TIME entities, and years on
their own, are left out, as are references ("Article 5").
"""

from __future__ import annotations

import re

from tui.core.suggest.document import COMPARISON, FIGURE, HEDGE, SUPERLATIVE, Document, Sentence
from tui.core.suggest.model import CLAIM, CLAIM_RULE, Suggestion, make

MIN_WORDS = 4  # shorter "sentences" are headers, bylines and forum counters
MAX_SHOWN = 3  # figures named in one reason

_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_REFERENCE = re.compile(r"\b(?:Article|No\.|Section|Chapter|Resolution|page|paragraph)\s*$", re.IGNORECASE)
_WORD = re.compile(r"\w+")
# A number the model did not call a date but is one: "Nov 4", "May 14, 2023".
_MONTH_BEFORE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s*$")
_NOT_FIGURE_TYPES = frozenset({"DATE", "TIME", "ORDINAL", "LAW", "EVENT", "WORK_OF_ART", "PRODUCT",
                               "FAC", "ORG"})
_WEAK_NUMBER_WORDS = frozenset({"half", "double", "twice"})  # "the other half", "a double standard"


def suggestions(doc: Document, label: str = CLAIM) -> list[Suggestion]:
    found = []
    for sentence in doc.sentences:
        reasons = _reasons(doc, sentence)
        if reasons:
            found.append(make(doc.text, CLAIM, sentence.start, sentence.end, label,
                              "; ".join(reasons), CLAIM_RULE))
    return found


def _reasons(doc: Document, sentence: Sentence) -> list[str]:
    marks = doc.marks(sentence.start, sentence.end)
    if not sentence.cues and not marks:
        return []
    words = _WORD.finditer(doc.text, sentence.start, sentence.end)
    if sum(1 for _, _word in zip(range(MIN_WORDS), words, strict=False)) < MIN_WORDS:
        return []
    reasons = []
    source = next((cue for cue in sentence.cues if cue.source), None)
    verb = next((cue for cue in sentence.cues if not cue.source), None)
    if source is not None:
        reasons.append(f"attribution: {source.text}")
    if verb is not None:
        reasons.append(f"reporting verb: {verb.text}")
    quoted = [(q.open, q.close) for q in sentence.quotations]
    hedge = next((m for m in marks if m.kind == HEDGE and not _inside(m.start, quoted)), None)
    if hedge is not None:
        reasons.append(f"attribution: {hedge.text}")
    figures = [m.text for m in marks if m.kind == FIGURE and _is_figure(doc, m)]
    if figures:
        shown = ", ".join(figures[:MAX_SHOWN]) + (", ..." if len(figures) > MAX_SHOWN else "")
        reasons.append(f"{'figure' if len(figures) == 1 else 'figures'}: {shown}")
    for kind in (COMPARISON, SUPERLATIVE):
        first = next((m for m in marks if m.kind == kind), None)
        if first is not None:
            reasons.append(f"{kind}: {first.text}")
    return reasons


def _is_figure(doc: Document, mark) -> bool:
    entity = doc.entity_at(mark.start)
    if entity is not None and entity.label in _NOT_FIGURE_TYPES:
        return False
    before = doc.text[max(0, mark.start - 12):mark.start]
    if _YEAR.fullmatch(mark.text) or _REFERENCE.search(before) or _MONTH_BEFORE.search(before):
        return False
    return not (mark.text.lower() in _WEAK_NUMBER_WORDS and entity is None)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position <= end for start, end in spans)
