"""When two spans count as the same passage: the rule agreement and review share."""

from __future__ import annotations


def overlapping(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """The spans (start, end) share at least half of the shorter one, in code points."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and 2 * shared >= min(a[1] - a[0], b[1] - b[0])
