"""The sentences the comparison works on: the reader's own, so offsets match its ``s`` motion.

A "sentence" longer than ``MAX_UNIT`` code points (a paragraph with no full
stop, a 100,000-character line) is cut into pieces at spaces, so one
pathological article cannot make every lookup slow.
"""

from __future__ import annotations

from tui.core import text_units

MAX_UNIT = 1000

Span = tuple[int, int]


def sentence_units(text: str) -> list[Span]:
    units: list[Span] = []
    for start, end in text_units.sentences(text):
        if end - start <= MAX_UNIT:
            units.append((start, end))
        else:
            units.extend(_pieces(text, start, end))
    return units


def _pieces(text: str, start: int, end: int) -> list[Span]:
    pieces: list[Span] = []
    while end - start > MAX_UNIT:
        cut = text.rfind(" ", start + MAX_UNIT // 2, start + MAX_UNIT)
        if cut <= start:
            cut = text_units.snap_to_graphemes(text, start + MAX_UNIT, start + MAX_UNIT)[0]
            if cut <= start:
                cut = start + MAX_UNIT
        piece = _trim(text, start, cut)
        if piece:
            pieces.append(piece)
        start = cut
    piece = _trim(text, start, end)
    if piece:
        pieces.append(piece)
    return pieces


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None

