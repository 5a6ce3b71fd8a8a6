"""What a compare screen hands back to the reader that pushed it.

The screens return one of these through ``dismiss``; the reader acts on it
(opens the article at the span, or applies the label with the note).
"""

from __future__ import annotations

from dataclasses import dataclass

FACTUAL_ERROR = "factual error"


@dataclass(frozen=True)
class JumpTo:
    """Open ``article_id`` with ``[start, end)`` selected."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True)
class FlagDifference:
    """Label the compared passage ``[start, end)`` of ``article_id``, with ``note``.

    The note reads "<other article's title>: <their wording>"; ``other_*``
    say where that wording is.
    """

    article_id: str
    start: int
    end: int
    note: str
    other_article_id: str
    other_start: int
    other_end: int
    label: str = FACTUAL_ERROR


CompareOutcome = JumpTo | FlagDifference


def difference_note(title: str, wording: str) -> str:
    """``"<title>: <wording>"`` on one line (line breaks and runs of spaces made single spaces)."""
    return f"{' '.join(title.split())}: {' '.join(wording.split())}"
