"""Code points and UTF-16 code units.

Python counts code points; JavaScript strings count UTF-16 code units, and so
do the tools that index them directly (doccano's annotator), so every
character outside the Basic Multilingual Plane (most emoji, some CJK) counts
twice there. Not every browser tool does: Label Studio's Text tag counts code
points. Offsets cross between the two only through this module, and a UTF-16
offset that falls inside a surrogate pair is an error, never rounded.
"""

from __future__ import annotations

import re
from bisect import bisect_left

UNITS = ("codepoint", "utf16")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class OffsetError(ValueError):
    pass


class Utf16Map:
    """Offset conversion for one text; free when the text has no astral characters."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Code point indexes of astral characters, in order.
        self.astral = [] if text.isascii() else [match.start() for match in _ASTRAL.finditer(text)]
        self._encoded: bytes | None = None

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_left(self.astral, offset)

    def from_utf16(self, unit: int) -> int:
        """The code point offset at UTF-16 offset ``unit``; OffsetError inside a surrogate pair."""
        if not self.astral:
            return unit
        # low = how many astral characters start before `unit` (in UTF-16 terms).
        low, high = 0, len(self.astral)
        while low < high:
            middle = (low + high) // 2
            if self.astral[middle] + middle < unit:
                low = middle + 1
            else:
                high = middle
        if low and self.astral[low - 1] + low == unit:
            raise OffsetError(f"UTF-16 offset {unit} falls inside a surrogate pair")
        return unit - low

    def utf16_length(self) -> int:
        return len(self.text) + len(self.astral)

    def span_to_utf16(self, start: int, end: int, quote: str) -> tuple[int, int]:
        """A code point span in UTF-16 units, checked against the text's own UTF-16 encoding."""
        start16, end16 = self.to_utf16(start), self.to_utf16(end)
        if self.astral:
            if self._encoded is None:
                self._encoded = self.text.encode("utf-16-le", "surrogatepass")
            found = self._encoded[2 * start16:2 * end16].decode("utf-16-le", "surrogatepass")
        else:
            found = self.text[start16:end16]
        if found != quote:
            raise OffsetError(f"span {start}-{end} is {start16}-{end16} in UTF-16 but does not give the quote")
        return start16, end16


def to_utf16(text: str, offset: int) -> int:
    return Utf16Map(text).to_utf16(offset)


def from_utf16(text: str, unit: int) -> int:
    return Utf16Map(text).from_utf16(unit)
