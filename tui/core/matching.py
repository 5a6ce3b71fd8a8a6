"""When two spans count as the same passage: the rule agreement and review share."""

from __future__ import annotations

from bisect import bisect_left

Span = tuple[int, int] | tuple[int, int, str]  # (start, end), with a label or without


def overlapping(a: Span, b: Span) -> bool:
    """The spans (start, end) share at least half of the shorter one, in code points."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and 2 * shared >= min(a[1] - a[0], b[1] - b[0])


class SpanIndex:
    """Spans sorted by start, to ask which of them match a span without trying them all."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _e in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def any_overlapping(self, span: tuple[int, int]) -> bool:
        # Only spans starting within the longest one's length before ``span`` can reach it.
        lo = bisect_left(self.starts, span[0] - self.longest)
        hi = bisect_left(self.starts, span[1])
        return any(overlapping(span, other) for other in self.spans[lo:hi])
