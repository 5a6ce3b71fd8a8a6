"""A suggestion: a span the rules or the model propose, with its reason and provenance."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from tui.core.record import ENTITY, SPAN, context

QUOTE = "quote"
CLAIM = "claim"
ENTITY_KIND = "entity"
KINDS: tuple[str, ...] = (QUOTE, CLAIM, ENTITY_KIND)

# Provenance of the rules; the number changes when a rule changes what it finds.
QUOTATION_RULE = "rule:quotation/1"
CLAIM_RULE = "rule:claim/1"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One proposed annotation. ``start``/``end`` are code points, end exclusive."""

    id: str  # stable: the same passage in the same context gets the same id
    kind: str  # KINDS
    start: int
    end: int
    label: str  # the label it gets when accepted ("quote", "claim", or an entity type)
    quote: str  # text[start:end]
    reason: str  # why it is proposed: "speech: he said", "figure: 31", "spaCy ...: PERSON"
    suggested_by: str  # the rule or model and its version
    note: str = ""  # the note it gets when accepted ("speaker: Christoph Heusgen")
    speaker: str | None = None  # quotations only

    @property
    def record_kind(self) -> str:
        """The ``kind`` of the annotation it becomes."""
        return ENTITY if self.kind == ENTITY_KIND else SPAN

    def as_json(self, article_id: str) -> dict:
        data = {"id": self.id, "article_id": article_id, "kind": self.kind, "label": self.label,
                "start": self.start, "end": self.end, "quote": self.quote, "reason": self.reason,
                "note": self.note, "suggested_by": self.suggested_by}
        if self.kind == QUOTE:
            data["speaker"] = self.speaker
        return data


def suggestion_id(text: str, kind: str, label: str, start: int, end: int) -> str:
    """An id from the passage and its context, not from offsets or the text's hash.

    A rejection is remembered by this id, so it must survive the article being
    re-read with changes elsewhere (a fixed typo, a trimmed footer): the same
    words in the same surroundings are the same suggestion.
    """
    prefix, suffix = context(text, start, end)
    key = "\x1f".join((kind, label, prefix, text[start:end], suffix))
    return "sg-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def make(text: str, kind: str, start: int, end: int, label: str, reason: str, suggested_by: str,
         note: str = "", speaker: str | None = None) -> Suggestion:
    return Suggestion(suggestion_id(text, kind, label, start, end), kind, start, end, label,
                      text[start:end], reason, suggested_by, note, speaker)
