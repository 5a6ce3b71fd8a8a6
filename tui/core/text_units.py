"""Words, sentences, paragraphs and quotations as code-point ranges.

The reader calls these for every keypress, on texts of up to several
megabytes, so each call looks only at the neighbourhood of ``pos`` (the
paragraph around it, and at most a window of a few thousand code points
in a very long paragraph); nothing is precomputed for the whole text.

Every span is ``(start, end)`` in code points, end exclusive, and starts
and ends on grapheme-cluster boundaries (emoji ZWJ sequences, flags and
combining marks are never split).

Decisions:
- A CJK run without spaces is one word: there is no dictionary here.
- A quotation excludes its quote marks by default: the ``quote`` label
  should hold the quoted words; ``include_marks=True`` includes them.
- A sentence does not end at abbreviations (Mr., U.S., No. 2), initials,
  decimals, inside a quotation, or before a lowercase word.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import regex

Span = tuple[int, int]

WINDOW = 4096  # how far a sentence/quotation scan looks in a very long paragraph
CHUNK = 200  # a "word" longer than this is walked in chunks

_WORD = regex.compile(
    r"(?:(?=[\p{Extended_Pictographic}\p{Regional_Indicator}])\X)"  # an emoji or a flag: one cluster
    r"|(?:\p{L}\.){2,}(?!\p{L})"  # U.S., e.g.: the periods belong to the word
    r"|(?:[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:(?:['’\-\u00ad]|(?<=\p{N})[.,:](?=\p{N}))[\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*)",
    regex.V1,
)
_GRAPHEME = regex.compile(r"\X", regex.V1)
_SPACE_BEFORE = regex.compile(r"(?r)\s", regex.V1)

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "no", "nos", "vs", "etc", "gen",
    "col", "lt", "sgt", "capt", "gov", "sen", "rep", "rev", "hon", "pres", "inc", "ltd", "co",
    "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "fig", "approx", "dept", "est", "e.g", "i.e", "al", "cf", "ca", "op", "vol", "pp",
}
_OPENING_QUOTES = "“‘«„\"'"
_CLOSERS = "\"'”’»)]}"
_TERMINATORS = ".!?…。！？"
_OPENING_MARK = regex.compile("[“«\"‘']")
_SENTENCE_MARK = regex.compile("[“”\"" + regex.escape(_TERMINATORS) + "]")


# -- graphemes ---------------------------------------------------------------

# Ranges of characters no Unicode rule joins to a neighbour of the same kind: Latin script,
# Latin-1 and general punctuation (curly quotes, dashes), Hebrew and Arabic letters, CJK
# punctuation, kana, ideographs, Hangul syllables, fullwidth forms. Combining marks, joiners,
# jamo, prepended signs and carriage return are left out (CR LF is one cluster).
_PLAIN_RANGES = ((0x20, 0x2FF), (0x5D0, 0x5EA), (0x621, 0x64A), (0x660, 0x669), (0x2010, 0x2027),
                 (0x2030, 0x205E), (0x3000, 0x3029), (0x3030, 0x303F), (0x3041, 0x3096),
                 (0x30A0, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xFF01, 0xFF60))


def _plain(char: str) -> bool:
    code = ord(char)
    if code < 0x300:
        return code >= 0x20 or code in (0x09, 0x0A)  # tab and line feed always break
    return any(low <= code <= high for low, high in _PLAIN_RANGES)


def _surely_boundary(text: str, pos: int) -> bool:
    return pos <= 0 or pos >= len(text) or _plain(text[pos - 1]) and _plain(text[pos])


def snap_to_graphemes(text: str, start: int, end: int) -> Span:
    """Widen ``[start, end)`` so it starts and ends on cluster boundaries."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    if end > start and _surely_boundary(text, start) and _surely_boundary(text, end):
        return start, end  # the common case, without running the segmenter
    base = max(0, start - 64)
    for match in _GRAPHEME.finditer(text, base, min(len(text), start + 64)):
        if match.start() <= start < match.end():
            start = match.start()
            break
    if end > start:
        base = max(0, end - 64)
        for match in _GRAPHEME.finditer(text, base, min(len(text), end + 64)):
            if match.start() < end < match.end():
                end = match.end()
                break
    if end == start and start < len(text):
        match = _GRAPHEME.match(text, start)  # type: ignore[assignment]  # may be None
        end = match.end() if match else start + 1
    return start, end


# -- paragraphs --------------------------------------------------------------

def _line_at(text: str, pos: int) -> Span:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _trim(text: str, start: int, end: int) -> Span | None:
    """``[start, end)`` without surrounding whitespace, on cluster boundaries.

    A space that carries a combining mark is part of a cluster with it, so
    the trimmed start moves back onto the space rather than split them.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return None
    if start > 0 and unicodedata.combining(text[start]) or text[start] in "\u200d\ufe0f":
        start = snap_to_graphemes(text, start, end)[0]
    return start, end


def paragraph_spans(text: str) -> list[Span]:
    spans = []
    pos = 0
    while pos <= len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        span = _trim(text, pos, end)
        if span:
            spans.append(span)
        pos = end + 1
    return spans


def paragraph_at(text: str, pos: int) -> Span | None:
    """The paragraph containing ``pos``; None on a blank line."""
    if not text:
        return None
    pos = max(0, min(pos, len(text) - 1))
    return _trim(text, *_line_at(text, pos))


def next_paragraph(text: str, pos: int) -> Span | None:
    if not text:
        return None
    _, end = _line_at(text, max(0, min(pos, len(text) - 1)))
    while end < len(text):
        start = end + 1
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        span = _trim(text, start, line_end)
        if span:
            return span
        end = line_end
    return None


def prev_paragraph(text: str, pos: int) -> Span | None:
    if not text:
        return None
    start, _ = _line_at(text, max(0, min(pos, len(text) - 1)))
    current = paragraph_at(text, pos)
    if current is not None and current[0] < pos:
        return current  # like vim: first go to the start of this paragraph
    while start > 0:
        end = start - 1
        line_start = text.rfind("\n", 0, end) + 1
        span = _trim(text, line_start, end)
        if span:
            return span
        start = line_start
    return None


# -- words -------------------------------------------------------------------

def _chunked(match_start: int, match_end: int, pos: int) -> Span:
    """The chunk of a very long word that holds ``pos``."""
    if match_end - match_start <= CHUNK:
        return match_start, match_end
    offset = max(0, pos - match_start)
    start = match_start + (offset // CHUNK) * CHUNK
    return start, min(match_end, start + CHUNK)


def _finish(text: str, span: Span) -> Span:
    return snap_to_graphemes(text, *span)


def word_at(text: str, pos: int) -> Span | None:
    """The word containing ``pos``, or else the next word after it."""
    if not text:
        return None
    pos = max(0, min(pos, len(text) - 1))
    # Start matching where the run of non-space characters around pos
    # starts, so a long word is chunked from its own start, wherever the
    # cursor is (a reverse search runs at C speed even on a 100,000-character
    # line).
    gap = _SPACE_BEFORE.search(text, 0, pos)
    base = gap.end() if gap else 0
    for match in _WORD.finditer(text, base):
        if match.end() > pos:
            if match.start() <= pos:
                return _finish(text, _chunked(match.start(), match.end(), pos))
            return _finish(text, _chunked(match.start(), match.end(), match.start()))
    return None


def next_word(text: str, pos: int) -> Span | None:
    """The first word that starts after the word containing ``pos``."""
    current = word_at(text, pos)
    if current is None:
        return None
    if current[0] > pos:
        return current
    after = current[1]
    if after < len(text) and _WORD.match(text, after - 1) and current[1] - current[0] == CHUNK:
        # The next chunk of a very long word.
        return word_at(text, after)
    match = _WORD.search(text, after)
    if match is None:
        return None
    return _finish(text, _chunked(match.start(), match.end(), match.start()))


def prev_word(text: str, pos: int) -> Span | None:
    """The last word that starts before the word containing ``pos``."""
    if not text:
        return None
    current = word_at(text, pos)
    limit = current[0] if current and current[0] <= pos else min(pos, len(text))
    window = 256
    while True:
        base = max(0, limit - window)
        last = None
        for match in _WORD.finditer(text, base, limit):
            last = match
        if last is not None and (base == 0 or last.start() > base):
            return _finish(text, _chunked(last.start(), last.end(), max(last.start(), limit - 1)))
        if base == 0:
            return None
        window *= 4


def words(text: str) -> Iterator[Span]:
    for match in _WORD.finditer(text):
        for start in range(match.start(), match.end(), CHUNK):
            yield _finish(text, (start, min(match.end(), start + CHUNK)))


def extend_end_by_word(text: str, start: int, end: int) -> Span:
    match = _WORD.search(text, end)
    if match is None:
        return start, end
    return start, _finish(text, (match.start(), min(match.end(), match.start() + CHUNK)))[1]


def shrink_end_by_word(text: str, start: int, end: int) -> Span:
    inside = list(_WORD.finditer(text, start, end))
    if len(inside) < 2:
        return start, end
    return start, snap_to_graphemes(text, start, inside[-2].end())[1]


def extend_start_by_word(text: str, start: int, end: int) -> Span:
    """Move ``start`` back to the start of the word before it."""
    previous = prev_word(text, start)
    if previous is None or previous[0] >= start:
        return start, end
    return previous[0], end


def shrink_start_by_word(text: str, start: int, end: int) -> Span:
    """Move ``start`` on to the second word inside ``[start, end)``; a one-word span stays."""
    inside = list(_WORD.finditer(text, start, end))
    if len(inside) < 2:
        return start, end
    return snap_to_graphemes(text, inside[1].start(), end)[0], end


# -- sentences ---------------------------------------------------------------

def _paragraph_window(text: str, pos: int) -> Span | None:
    span = paragraph_at(text, pos)
    if span is None:
        return None
    start, end = span
    if end - start > 2 * WINDOW:
        start = max(start, pos - WINDOW)
        end = min(end, pos + WINDOW)
    return start, end


def _is_abbreviation(text: str, period: int, start: int) -> bool:
    """Whether the period at ``period`` closes an abbreviation or initial."""
    word_start = period
    while word_start > start and not text[word_start - 1].isspace() and text[word_start - 1] not in "(“\"'":
        word_start -= 1
    token = text[word_start:period]
    if not token:
        return False
    bare = token.rstrip(".").lower()
    if bare in ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha() and token.isupper():
        return True  # an initial: "J. R. Tolkien"
    # "U.S", "e.g" and the like: letters separated by periods.
    return "." in token and all(len(part) <= 2 for part in token.split(".") if part)


def _sentence_spans(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    sentence_start = start
    depth = 0  # inside curly quotes
    straight_open = False
    i = start
    while i < end:
        # Only quote marks and terminators matter: jump to the next one at C speed.
        found = _SENTENCE_MARK.search(text, i, end)
        if found is None:
            break
        i = found.start()
        char = text[i]
        if char == "“":
            depth += 1
        elif char == "”":
            depth = max(0, depth - 1)
        elif char == '"':
            straight_open = not straight_open
        elif char in _TERMINATORS:
            j = i + 1
            while j < end and text[j] in _TERMINATORS:
                j += 1
            close = j
            while close < end and text[close] in _CLOSERS:
                if text[close] == "”":
                    depth = max(0, depth - 1)
                elif text[close] == '"':
                    straight_open = False
                close += 1
            k = close
            while k < end and text[k].isspace():
                k += 1
            boundary = (
                k > close and k < end and (depth == 0 and not straight_open)
                and (text[k].isupper() or text[k].isdigit() or text[k] in _OPENING_QUOTES
                     or not text[k].isascii() and text[k].isalpha() and not text[k].islower())
                and not (char == "." and j == i + 1 and _is_abbreviation(text, i, sentence_start))
            )
            if char in "。！？" and depth == 0:
                boundary = k < end
            if boundary:
                span = _trim(text, sentence_start, close)
                if span:
                    spans.append(span)
                sentence_start = k
                i = k
                continue
            i = close
            continue
        i += 1
    span = _trim(text, sentence_start, end)
    if span:
        spans.append(span)
    return spans


def sentence_at(text: str, pos: int) -> Span | None:
    window = _paragraph_window(text, pos)
    if window is None:
        following = next_paragraph(text, pos)
        return _sentence_spans(text, *following)[0] if following else None
    spans = _sentence_spans(text, *window)
    for span in spans:
        if span[1] > pos:
            return _finish(text, span)
    following = next_paragraph(text, window[1])
    return _finish(text, _sentence_spans(text, *following)[0]) if following else None


def next_sentence(text: str, pos: int) -> Span | None:
    window = _paragraph_window(text, pos)
    if window is not None:
        for span in _sentence_spans(text, *window):
            if span[0] > pos:
                return _finish(text, span)
        anchor = window[1]
    else:
        anchor = pos
    following = next_paragraph(text, anchor)
    if following is None:
        return None
    spans = _sentence_spans(text, *following)
    return _finish(text, spans[0]) if spans else None


def prev_sentence(text: str, pos: int) -> Span | None:
    window = _paragraph_window(text, pos)
    if window is not None:
        before = [span for span in _sentence_spans(text, *window) if span[0] < pos]
        current = next((s for s in _sentence_spans(text, *window) if s[0] <= pos < s[1]), None)
        candidates = [s for s in before if current is None or s[0] < current[0]]
        if current is not None and current[0] < pos:
            return _finish(text, current)
        if candidates:
            return _finish(text, candidates[-1])
        anchor = window[0]
    else:
        anchor = pos
    previous = prev_paragraph(text, anchor) if anchor > 0 else None
    if previous is None or previous[0] >= anchor:
        line_start = text.rfind("\n", 0, anchor)
        previous = prev_paragraph(text, line_start) if line_start > 0 else None
    if previous is None:
        return None
    spans = _sentence_spans(text, *previous)
    return _finish(text, spans[-1]) if spans else None


def sentences(text: str) -> Iterator[Span]:
    for paragraph in paragraph_spans(text):
        for span in _sentence_spans(text, *paragraph):
            yield _finish(text, span)


# -- quotations --------------------------------------------------------------

def quotation_marks(text: str, start: int, end: int) -> list[Span]:
    """``(opening, closing)`` mark positions of each outermost quotation in ``[start, end)``.

    ``closing`` is the index of the closing mark, or ``end`` when the quotation
    is not closed there (a quotation running on into the next paragraph opens
    each paragraph again and closes only the last). Nested quotations are part
    of the one around them. A ``'`` or ``‘`` opens only before a letter and not
    after one, and closes only where no letter follows: apostrophes
    (``don't``, ``NATO’s``) are left alone.
    """
    marks: list[Span] = []
    i = start
    while i < end:
        found = _OPENING_MARK.search(text, i, end)  # jump to the next candidate at C speed
        if found is None:
            break
        i = found.start()
        char = text[i]
        closing = None
        if char == "“":
            closing = "”"
        elif char == "«":
            closing = "»"
        elif char == '"':
            closing = '"'
        elif (i == start or not text[i - 1].isalnum()) and i + 1 < end and text[i + 1].isalpha():
            closing = "’" if char == "‘" else "'"
        if closing is None:
            i += 1
            continue
        j = text.find(closing, i + 1, end)
        if closing in "’'":
            # An apostrophe inside a word ("NATO’s") does not close the quotation.
            while j >= 0 and j + 1 < end and text[j + 1].isalpha():
                j = text.find(closing, j + 1, end)
        close = end if j < 0 else j
        marks.append((i, close))
        i = close + 1
    return marks


def _quote_spans(text: str, start: int, end: int, include_marks: bool) -> list[Span]:
    spans: list[Span] = []
    for opening, close in quotation_marks(text, start, end):
        span = (opening, min(end, close + 1)) if include_marks else _trim(text, opening + 1, close)
        if span and span[1] > span[0]:
            spans.append(span)
    return spans


def is_scare_quote(text: str, span: Span) -> bool:
    """A term, a name or a title in quotes rather than someone's words: at most three
    words and no sentence punctuation ("North Atlantic", ‘Asian NATO’)."""
    inside = text[span[0]:span[1]]
    return len(inside.split()) <= 3 and not any(mark in inside for mark in ".,;:!?…")


def _marks_off(text: str, span: Span) -> Span:
    start, end = span
    if end - start >= 2 and text[start] in _OPENING_QUOTES + "«" and text[end - 1] in _CLOSERS + "»":
        return start + 1, end - 1
    return span


def quotation_at(text: str, pos: int, *, include_marks: bool = False,
                 skip_scare_quotes: bool = False) -> Span | None:
    """The quotation around ``pos``, else the next one after it.

    With ``skip_scare_quotes``, the next one is the next that is not a scare quote
    (one around ``pos`` is taken whatever it is).
    """
    if not text:
        return None
    pos = max(0, min(pos, len(text) - 1))
    window = _paragraph_window(text, pos)
    looked = 0
    anchor = pos
    while looked < 200:
        if window is not None:
            spans = _quote_spans(text, *window, include_marks)
            around = [s for s in spans if s[0] <= pos < s[1]]
            if around:
                return _finish(text, min(around, key=lambda s: s[1] - s[0]))
            after = [s for s in spans if s[0] >= pos]
            if skip_scare_quotes:
                after = [s for s in after if not is_scare_quote(text, _marks_off(text, s))]
            if after:
                return _finish(text, after[0])
            anchor = window[1]
        following = next_paragraph(text, anchor)
        if following is None:
            return None
        window = following
        anchor = following[1]
        looked += 1
    return None
