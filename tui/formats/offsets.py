"""Code points and UTF-16 code units.

Python counts code points; JavaScript tools (doccano, Label Studio, browser
annotators) count UTF-16 code units, so every character outside the Basic
Multilingual Plane (most emoji) counts twice there. Offsets cross between
the two only through this module, and a UTF-16 offset that falls inside a
surrogate pair is an error, never rounded.
"""

from __future__ import annotations

from bisect import bisect_left


class OffsetError(ValueError):
    pass


class Utf16Map:
    """Offset conversion for one text; cheap when the text has no astral characters."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Code point indexes of astral characters, in order.
        self.astral = [i for i, char in enumerate(text) if ord(char) > 0xFFFF] if not text.isascii() else []

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_left(self.astral, offset)

    def from_utf16(self, unit: int) -> int:
        if not self.astral:
            return unit
        # Find the code point offset whose UTF-16 offset equals unit.
        low, high = 0, len(self.astral)
        while low < high:
            middle = (low + high) // 2
            if self.astral[middle] + middle < unit:
                low = middle + 1
            else:
                high = middle
        # low astral characters lie wholly before unit (in UTF-16 terms, each adds one).
        offset = unit - low
        if low > 0 and self.astral[low - 1] + (low - 1) + 1 == unit:
            raise OffsetError(f"UTF-16 offset {unit} falls inside a surrogate pair")
        if low < len(self.astral) and self.astral[low] < offset:
            raise OffsetError(f"UTF-16 offset {unit} falls inside a surrogate pair")
        return offset

    def utf16_length(self) -> int:
        return len(self.text) + len(self.astral)


def to_utf16(text: str, offset: int) -> int:
    return Utf16Map(text).to_utf16(offset)


def from_utf16(text: str, unit: int) -> int:
    return Utf16Map(text).from_utf16(unit)
