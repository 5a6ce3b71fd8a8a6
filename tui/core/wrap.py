"""Wrapping article text to a width, and mapping screen cells to code points.

The article view draws only the lines on screen, so it needs, for any
visual line, the range of code points it shows, and for any cell the code
point under it. This module computes that without a terminal.

Most news text is "simple": every code point is one printable cell. Such
lines are wrapped with ``str.rfind`` per visual line (not per character),
which keeps a 100,000-word article well under the first-frame budget.
Lines with wide characters, combining marks, emoji, tabs or control
characters take the grapheme-by-grapheme path.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex
from rich.cells import cell_len

from tui.core.textsafe import is_unsafe, placeholder

TAB_SIZE = 4

# Characters that are exactly one cell wide and safe to print as they are.
_SIMPLE_CHARS = (
    "\x20-\x7e"  # printable ASCII
    "\xa0-\xac\xae-\u02ff"  # Latin-1 (without the soft hyphen), Latin Extended, IPA, modifiers
    "\u0370-\u0377\u037a-\u037f\u0384-\u038a\u038c\u038e-\u03a1\u03a3-\u03ff"  # Greek
    "\u0400-\u0482\u048a-\u052f"  # Cyrillic without combining marks
    "\u2010-\u2027\u2030-\u205e"  # general punctuation: dashes, curly quotes, ellipsis
    "\u20a0-\u20c0\u2100-\u214f"  # currency, letterlike
)
_COMPLEX = re.compile(f"[^{_SIMPLE_CHARS}]")
_GRAPHEME = regex.compile(r"\X", regex.V1)


@dataclass(frozen=True, slots=True)
class Cell:
    """One grapheme on screen: the code points it covers and how it is drawn."""

    start: int
    end: int
    display: str
    width: int


@lru_cache(maxsize=4096)
def _display(cluster: str, x: int) -> tuple[str, int]:
    """How a grapheme cluster is drawn at column ``x``: text and cell width."""
    if cluster == "\t":
        width = TAB_SIZE - (x % TAB_SIZE)
        return " " * width, width
    if is_unsafe(cluster[0]):
        # Escape sequences and bidi controls never reach the terminal.
        return placeholder(cluster[0]), 1
    if any(is_unsafe(char) for char in cluster):
        cluster = "".join(placeholder(c) if is_unsafe(c) else c for c in cluster)
    width = cell_len(cluster)
    if width <= 0:
        # Zero-width characters on their own (ZWSP, a stray joiner) get a
        # visible dot so the cursor can land on them.
        return "\u00b7", 1
    return cluster, width


def line_cells(text: str, start: int, end: int, x0: int = 0) -> list[Cell]:
    """The cells of ``text[start:end]``, one per grapheme, starting at column ``x0``."""
    cells: list[Cell] = []
    x = x0
    for match in _GRAPHEME.finditer(text, start, end):
        display, width = _display(match.group(), x)
        cells.append(Cell(match.start(), match.end(), display, width))
        x += width
    return cells


class Wrapped:
    """The article wrapped to ``width`` cells: a list of visual lines.

    Each visual line covers ``[start, end)`` of the text, without the line
    break. A break of "\\r\\n" or "\\n" ends a visual line; a blank source
    line is an empty visual line, so paragraphs stay apart as in the source.
    """

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        self.width = max(4, width)
        self.starts = array("q")
        self.ends = array("q")
        self.simple = bytearray()
        self._wrap()

    def __len__(self) -> int:
        return len(self.starts)

    # -- building -------------------------------------------------------

    def _wrap(self) -> None:
        text = self.text
        pos = 0
        size = len(text)
        while True:
            newline = text.find("\n", pos)
            stop = size if newline < 0 else newline
            line_end = stop - 1 if stop > pos and text[stop - 1] == "\r" and newline >= 0 else stop
            if _COMPLEX.search(text, pos, line_end) is None:
                self._wrap_simple(pos, line_end)
            else:
                self._wrap_complex(pos, line_end)
            if newline < 0:
                break
            pos = newline + 1
            if pos == size:
                # A final line break: show the empty line after it so the
                # cursor can reach the very end of the text.
                self._add(pos, pos, True)
                break

    def _add(self, start: int, end: int, simple: bool) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.simple.append(1 if simple else 0)

    def _wrap_simple(self, start: int, end: int) -> None:
        text, width = self.text, self.width
        pos = start
        while end - pos > width:
            space = text.rfind(" ", pos, pos + width + 1)
            if space <= pos:
                # No space to break at: cut the long word at the width.
                self._add(pos, pos + width, True)
                pos += width
                continue
            # The space stays at the end of its line (it may hang one cell
            # past the width, where it is not drawn) so no code point is lost.
            self._add(pos, space + 1, True)
            pos = space + 1
        self._add(pos, end, True)

    def _wrap_complex(self, start: int, end: int) -> None:
        width = self.width
        line_start = start
        x = 0
        break_at = -1  # offset after the last whitespace on this line
        for match in _GRAPHEME.finditer(self.text, start, end):
            cluster = match.group()
            _, cells = _display(cluster, x)
            if x + cells > width and match.start() > line_start:
                if cluster.isspace():
                    # Whitespace may hang past the edge.
                    x += cells
                    break_at = match.end()
                    continue
                cut = break_at if break_at > line_start else match.start()
                self._add(line_start, cut, False)
                line_start = cut
                # Re-measure what moved to the new line.
                x = sum(c.width for c in line_cells(self.text, line_start, match.start()))
                break_at = -1
                _, cells = _display(cluster, x)
            x += cells
            if cluster.isspace():
                break_at = match.end()
        self._add(line_start, end, False)

    # -- queries --------------------------------------------------------

    def line_range(self, y: int) -> tuple[int, int]:
        return self.starts[y], self.ends[y]

    def line_of(self, offset: int) -> int:
        """The visual line that shows ``offset`` (the end of text maps to the last line)."""
        y = bisect_right(self.starts, offset) - 1
        return max(0, min(y, len(self.starts) - 1))

    def cells(self, y: int) -> list[Cell]:
        start, end = self.line_range(y)
        if self.simple[y]:
            text = self.text
            return [Cell(i, i + 1, text[i], 1) for i in range(start, end)]
        return line_cells(self.text, start, end)

    def offset_at(self, y: int, x: int) -> int:
        """The code point under cell ``(x, y)``; past the end of a line, its end."""
        y = max(0, min(y, len(self.starts) - 1))
        start, end = self.line_range(y)
        if self.simple[y]:
            return min(start + max(0, x), max(start, end - 1)) if end > start else start
        column = 0
        for cell in self.cells(y):
            if x < column + cell.width:
                return cell.start
            column += cell.width
        return max(start, end - 1) if end > start else start

    def position(self, offset: int) -> tuple[int, int]:
        """The cell ``(x, y)`` where ``offset`` is drawn."""
        y = self.line_of(offset)
        start, end = self.line_range(y)
        if self.simple[y]:
            return offset - start, y
        column = 0
        for cell in self.cells(y):
            if cell.start <= offset < cell.end:
                return column, y
            column += cell.width
        return column, y
