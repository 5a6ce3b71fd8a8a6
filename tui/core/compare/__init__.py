"""Cross-article comparison: similar passages, word diffs, sentence alignment, name variants.

The reader and the CLI use ``CompareEngine`` (index, lookups, alignment)
and ``variants`` (spelling variants of names across the corpus).
"""

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

__all__ = [
    "THRESHOLD", "AlignedRow", "Alignment", "Cancelled", "CompareEngine", "CompareError",
    "CompareOutcome", "DiffPiece", "FlagDifference", "IndexCache", "JumpTo", "Match", "Passage",
    "Progress", "SentenceIndex", "SimilarResult", "align_articles", "difference_note",
    "render_wdiff", "sentence_units", "summary", "word_diff",
]
