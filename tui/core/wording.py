"""Counts in words, for every message and report: "1 annotation", "1,200 annotations"."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"
