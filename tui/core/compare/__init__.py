"""Cross-article comparison: similar passages, word diffs, sentence alignment, name variants.

The reader and the CLI use ``CompareEngine`` (index, lookups, alignment)
and ``variants`` (spelling variants of names across the corpus).

The names below load on first use: scikit-learn and SciPy take more than a
second to import, and the name scan (``variants``) needs neither.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.core.compare.align import AlignedRow, Alignment
    from tui.core.compare.diff import DiffPiece, render_wdiff, summary, word_diff
    from tui.core.compare.engine import (
        CompareEngine,
        CompareError,
        Match,
        Passage,
        SimilarResult,
        align_articles,
    )
    from tui.core.compare.index import Cancelled, IndexCache, Progress, SentenceIndex
    from tui.core.compare.outcome import CompareOutcome, FlagDifference, JumpTo, difference_note
    from tui.core.compare.similarity import THRESHOLD
    from tui.core.compare.units import sentence_units

_WHERE = {
    "AlignedRow": "align", "Alignment": "align",
    "DiffPiece": "diff", "render_wdiff": "diff", "summary": "diff", "word_diff": "diff",
    "CompareEngine": "engine", "CompareError": "engine", "Match": "engine", "Passage": "engine",
    "SimilarResult": "engine", "align_articles": "engine",
    "Cancelled": "index", "IndexCache": "index", "Progress": "index", "SentenceIndex": "index",
    "CompareOutcome": "outcome", "FlagDifference": "outcome", "JumpTo": "outcome",
    "difference_note": "outcome",
    "THRESHOLD": "similarity",
    "sentence_units": "units",
}

__all__ = [
    "THRESHOLD", "AlignedRow", "Alignment", "Cancelled", "CompareEngine", "CompareError",
    "CompareOutcome", "DiffPiece", "FlagDifference", "IndexCache", "JumpTo", "Match", "Passage",
    "Progress", "SentenceIndex", "SimilarResult", "align_articles", "difference_note",
    "render_wdiff", "sentence_units", "summary", "word_diff",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'tui.core.compare' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"tui.core.compare.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
