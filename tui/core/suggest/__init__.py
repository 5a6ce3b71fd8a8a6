"""Suggestions: quotations, claims and entities proposed for the annotator to accept or reject.

``suggest`` computes them (pure, fast, no I/O: run it in a worker);
``tui.core.suggest.review.Review`` keeps one annotator's review of one
article: what is left, accept, reject, accept all of a kind.
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.core.entities import Entity, PipelineInfo
from tui.core.suggest import claims, entity, quotations
from tui.core.suggest.document import Document
from tui.core.suggest.model import CLAIM, ENTITY_KIND, KINDS, QUOTE, Suggestion

__all__ = ["CLAIM", "ENTITY_KIND", "KINDS", "QUOTE", "Suggestion", "suggest"]

DEFAULT_LABELS = {QUOTE: "quote", CLAIM: "claim"}


def suggest(text: str, entities: Iterable[Entity], pipeline: PipelineInfo | None = None, *,
            kinds: Iterable[str] = KINDS, labels: dict[str, str] | None = None) -> list[Suggestion]:
    """Every suggestion for ``text`` of the given kinds, sorted by start, end, kind.

    ``entities`` are the article's entities (from the cache: ``tui.core.entities``), and
    ``pipeline`` the pipeline that found them (for the provenance of entity suggestions).
    ``labels`` maps the kinds quote and claim to the label names an accepted suggestion
    gets (default: "quote" and "claim").
    """
    wanted = set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kind(s): {', '.join(sorted(unknown))}; expected {', '.join(KINDS)}")
    names = {**DEFAULT_LABELS, **(labels or {})}
    entities = list(entities)
    found: list[Suggestion] = []
    if wanted & {QUOTE, CLAIM}:
        doc = Document(text, entities)
        if QUOTE in wanted:
            found += quotations.suggestions(doc, names[QUOTE])
        if CLAIM in wanted:
            found += claims.suggestions(doc, names[CLAIM])
    if ENTITY_KIND in wanted:
        found += entity.suggestions(text, entities, pipeline)
    found.sort(key=lambda s: (s.start, s.end, KINDS.index(s.kind), s.label))
    return found
