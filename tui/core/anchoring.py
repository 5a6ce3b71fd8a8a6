"""Re-anchoring annotations when an article's text changes.

An annotation remembers its quote and about 32 code points of context on each
side (a W3C TextQuoteSelector) besides its offsets. When the text changes, the
annotation is placed again the way Hypothesis does it:

1. **exact**: the quote occurs in the new text. Each occurrence is weighed by
   how much its surroundings agree with the prefix and the suffix (edit
   distance, so a small edit next to the quote does not count against it);
   the best one is taken if its context agrees on either side. Without that
   support an occurrence is taken only when it is the only one and the quote
   is long enough to be distinctive (32 code points): a short or repeated
   quote whose own paragraph was deleted must not move silently to another
   occurrence in another context.
2. **context**: the quote no longer occurs, but the prefix and the suffix do,
   close together: the annotation becomes what lies between them (text was
   inserted inside the quote, or a word in it was edited).
3. **fuzzy**: an approximate match of the quote with a bounded number of
   errors (Myers' bit-parallel edit distance, at most half the quote and at
   most 256 errors, as Hypothesis), scored by quote, context and position.
   A match with more than a quarter of the quote wrong, or with fewer than 16
   agreeing code points, is accepted only when its context agrees too; so is
   every match when the quote occurs exactly but out of context, or when
   several matches would qualify without context.

What cannot be placed is an orphan: the caller keeps it and lists it, never
drops it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.record import Annotation, context, now_iso

MAX_ERRORS = 256
# A fuzzy match this good needs no support from its context.
CLEAR_ERROR_RATE = 0.25
# ... provided this many code points agree (a short quote alone proves little).
CLEAR_MIN_AGREEING = 16
# A weaker one (up to half the quote wrong) needs context at least this similar.
CONTEXT_SUPPORT = 0.5
# Candidates examined closely in the fuzzy step.
MAX_CANDIDATES = 64
# A quote this long is distinctive: found exactly once, it needs no support from its context.
DISTINCTIVE = 32
# Exact occurrences whose context is weighed by edit distance (the rest are ranked by a cheaper
# exact comparison first).
MAX_EXACT = 16


@dataclass(frozen=True)
class Placement:
    start: int
    end: int
    method: str  # "unchanged", "exact", "context" or "fuzzy"
    errors: int = 0


def place(text: str, quote: str, prefix: str = "", suffix: str = "", hint: int = 0) -> Placement | None:
    """Where ``quote`` (with its context) lies in ``text``; None when it cannot be placed."""
    if not quote:
        return None
    occurrences = _occurrences(text, quote)
    found = _exact(text, quote, prefix, suffix, hint, occurrences)
    if found is None:
        found = _by_context(text, quote, prefix, suffix, hint)
    if found is None:
        # The quote occurs, but out of context: the fuzzy step must not take it back.
        found = _fuzzy(text, quote, prefix, suffix, hint, need_context=bool(occurrences))
    return found


def reanchor(record: Annotation, text: str, sha256: str, *,
             now: str | None = None) -> tuple[Annotation, Placement] | None:
    """The record moved onto ``text`` (offsets, quote, context, sha updated), or None (orphan)."""
    start, end = record["start"], record["end"]
    if record["article_sha256"] == sha256 and text[start:end] == record["quote"] and start < end:
        return record.copy(), Placement(start, end, "unchanged")
    placement = place(text, record["quote"], record["prefix"], record["suffix"], start)
    if placement is None:
        return None
    moved = record.copy()
    moved["article_sha256"] = sha256
    moved["start"], moved["end"] = placement.start, placement.end
    moved["quote"] = text[placement.start:placement.end]
    moved["prefix"], moved["suffix"] = context(text, placement.start, placement.end)
    moved["updated_at"] = now or now_iso()
    return moved, placement


# -- exact -----------------------------------------------------------------------------------

def _occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    index = text.find(needle)
    while index != -1:
        found.append(index)
        index = text.find(needle, index + 1)
    return found


def _tail_agreement(text: str, start: int, prefix: str) -> int:
    """How many code points before ``start`` agree with the end of ``prefix``."""
    count = 0
    while count < len(prefix) and start - count - 1 >= 0 and text[start - count - 1] == prefix[-count - 1]:
        count += 1
    if count == len(prefix) and start - count == 0:
        count += 1  # a short prefix that was cut by the start of the text: still the start
    return count


def _head_agreement(text: str, end: int, suffix: str) -> int:
    count = 0
    while count < len(suffix) and end + count < len(text) and text[end + count] == suffix[count]:
        count += 1
    if count == len(suffix) and end + count == len(text):
        count += 1
    return count


def _context_agreement(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[float, float]:
    """How similar the text before and after ``[start, end)`` is to the prefix and suffix (0-1)."""
    return (_similarity(prefix, text[max(0, start - len(prefix)):start]),
            _similarity(suffix, text[end:end + len(suffix)]))


def _supported(before: float, after: float) -> bool:
    return max(before, after) >= CONTEXT_SUPPORT


def _exact(text: str, quote: str, prefix: str, suffix: str, hint: int,
           starts: list[int]) -> Placement | None:
    if not starts:
        return None
    if len(starts) > MAX_EXACT:
        starts = sorted(starts, key=lambda s: (-(_tail_agreement(text, s, prefix)
                                                 + _head_agreement(text, s + len(quote), suffix)),
                                               abs(s - hint)))[:MAX_EXACT]
    best: tuple[float, int, int] | None = None  # (agreement, -distance, start)
    for start in starts:
        before, after = _context_agreement(text, start, start + len(quote), prefix, suffix)
        if not _supported(before, after):
            continue
        key = (before + after, -abs(start - hint), start)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is not None:
        return Placement(best[2], best[2] + len(quote), "exact")
    if len(starts) == 1 and len(quote) >= DISTINCTIVE:
        return Placement(starts[0], starts[0] + len(quote), "exact")
    return None


# -- context ---------------------------------------------------------------------------------

def _by_context(text: str, quote: str, prefix: str, suffix: str, hint: int) -> Placement | None:
    # Both sides must say something: an empty side means the text's edge.
    if len(prefix) + len(suffix) < 16:
        return None
    starts = [0] if not prefix else [i + len(prefix) for i in _occurrences(text, prefix)]
    ends = [len(text)] if not suffix else _occurrences(text, suffix)
    if not starts or not ends or len(starts) * len(ends) > 10_000:
        return None
    longest = max(2 * len(quote), len(quote) + 64)
    best: tuple[int, int, int, int] | None = None
    for start in starts:
        for end in ends:
            span = end - start
            if 0 < span <= longest:
                key = (abs(span - len(quote)), abs(start - hint), start, end)
                if best is None or key < best:
                    best = key
    if best is None:
        return None
    return Placement(best[2], best[3], "context")


# -- fuzzy -----------------------------------------------------------------------------------

def _myers(pattern: str, text: str, anchored: bool) -> list[int]:
    """Edit distance of ``pattern`` against ``text`` after each code point of ``text``.

    ``anchored=False``: the best match ending there, starting anywhere (search).
    ``anchored=True``: the distance to the whole prefix ``text[:j+1]``.
    Myers' bit-vector algorithm in Hyyrö's formulation: O(len(text)) big-int steps.
    """
    m = len(pattern)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    vp, vn, score = mask, 0, m
    carry = 1 if anchored else 0
    scores: list[int] = []
    append = scores.append
    for char in text:
        x = peq.get(char, 0) | vn
        d0 = ((((x & vp) + vp) & mask) ^ vp) | x
        hn = vp & d0
        hp = (vn | ~(vp | d0)) & mask
        if hp & high:
            score += 1
        elif hn & high:
            score -= 1
        x = ((hp << 1) | carry) & mask
        vn = x & d0
        vp = ((hn << 1) | ~(x | d0)) & mask
        append(score)
    return scores


def _start_of(text: str, quote: str, end: int, errors: int) -> tuple[int, int]:
    """The start that makes ``text[start:end]`` closest to ``quote``, and its distance."""
    low = max(0, end - len(quote) - errors)
    window = text[low:end][::-1]
    scores = _myers(quote[::-1], window, anchored=True)
    best_length, best_score = 0, len(quote)
    for index, score in enumerate(scores):
        length = index + 1
        if score < best_score or (score == best_score and abs(length - len(quote)) < abs(best_length - len(quote))):
            best_length, best_score = length, score
    return end - best_length, best_score


def _distance(a: str, b: str) -> int:
    if not a:
        return len(b)
    if not b:
        return len(a)
    return _myers(a, b, anchored=True)[-1]


def _similarity(expected: str, actual: str) -> float:
    """1 when equal, falling with the edit distance; 0 at len(expected) edits or more."""
    if not expected:
        return 1.0 if not actual else 0.0
    return max(0.0, 1.0 - _distance(expected, actual) / len(expected))


def _fuzzy(text: str, quote: str, prefix: str, suffix: str, hint: int, *,
           need_context: bool = False) -> Placement | None:
    if not text:
        return None
    allowed = min(MAX_ERRORS, len(quote) // 2)
    if allowed == 0:
        return None
    scores = _myers(quote, text, anchored=False)
    # One candidate per run of matching end positions: the best end of the run.
    candidates: list[tuple[int, int]] = []  # (errors, end)
    run_best: tuple[int, int] | None = None
    for index, score in enumerate(scores):
        if score <= allowed:
            if run_best is None or score < run_best[0]:
                run_best = (score, index + 1)
        elif run_best is not None:
            candidates.append(run_best)
            run_best = None
    if run_best is not None:
        candidates.append(run_best)
    if not candidates:
        return None
    candidates.sort()
    scored: list[tuple[float, bool, Placement]] = []  # (score, supported by context, placement)
    for errors, end in candidates[:MAX_CANDIDATES]:
        start, errors = _start_of(text, quote, end, allowed)
        if start >= end:
            continue
        rate = errors / len(quote)
        before, after = _context_agreement(text, start, end, prefix, suffix)
        supported = _supported(before, after)
        clear = rate <= CLEAR_ERROR_RATE and len(quote) - errors >= CLEAR_MIN_AGREEING
        if not clear and not supported:
            continue
        position = 1.0 - abs(start - hint) / max(len(text), 1)
        weight = 50 * (1 - rate) + 20 * before + 20 * after + 2 * position
        scored.append((weight, supported, Placement(start, end, "fuzzy", errors)))
    if need_context or sum(1 for item in scored if not item[1]) > 1:
        # Several places would do without their context, or the quote itself is there but out
        # of context: only a place whose context agrees is this annotation's.
        scored = [item for item in scored if item[1]]
    if not scored:
        return None
    return max(scored, key=lambda item: item[0])[2]
