"""A word-level diff of two passages, in which what matters stands out.

Side ``a`` is the passage being checked, side ``b`` the other article's
wording. Words are matched on folded keys (case and curly quotes do not
count as changes). Each changed piece carries flags a reader can act on:

- ``name``: a capitalised word that is not a sentence start changed;
- ``number``: digits or number words changed ("four" leaders, "31" nations);
- ``spelling``: one word replaced by a near-identical one ("Stolenberg");
- ``moved``: the same words deleted here and inserted there ("the
  Secretary-General of Paris’ opposition" against "the opposition
  secretary-general in Paris": the words stay, the meaning changes);
- ``minor``: punctuation only.

``render_wdiff`` writes the diff the way GNU wdiff does, ``[-deleted-]``
and ``{+inserted+}``, so it reads without colour.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from tui.core.compare.words import STOP_WORDS, Token, tokens

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
NAME, NUMBER, SPELLING, MOVED, MINOR = "name", "number", "spelling", "moved", "minor"

_NUMBER_WORDS_TEXT = """
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
thousand million billion trillion dozen half quarter first second third fourth fifth once twice
"""
NUMBER_WORDS = frozenset(_NUMBER_WORDS_TEXT.split())
_SENTENCE_BREAK = frozenset('.!?:;"“”‘\'(')


@dataclass(frozen=True, slots=True)
class DiffPiece:
    op: str  # EQUAL, DELETE (only in a) or INSERT (only in b)
    a_start: int  # spans into each side's article; empty on the side a piece is missing from
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    a_space: bool  # whitespace before the piece on that side
    b_space: bool
    flags: frozenset[str] = frozenset()

    @property
    def changed(self) -> bool:
        return self.op != EQUAL

    @property
    def text(self) -> str:
        """The words of the side the piece belongs to."""
        return self.b_text if self.op == INSERT else self.a_text


def word_diff(a_text: str, a_start: int, a_end: int,
              b_text: str, b_start: int, b_end: int) -> list[DiffPiece]:
    """The diff of ``a_text[a_start:a_end]`` against ``b_text[b_start:b_end]``."""
    a_tokens = tokens(a_text, a_start, a_end)
    b_tokens = tokens(b_text, b_start, b_end)
    matcher = difflib.SequenceMatcher(None, [t.key for t in a_tokens], [t.key for t in b_tokens],
                                      autojunk=False)
    pieces: list[DiffPiece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a_part, b_part = a_tokens[i1:i2], b_tokens[j1:j2]
        a_span = _span(a_part, a_tokens, i1)
        b_span = _span(b_part, b_tokens, j1)
        if op == "equal":
            pieces.append(_piece(EQUAL, a_text, a_span, b_text, b_span))
            continue
        spelling = (op == "replace" and len(a_part) == len(b_part) == 1 and a_part[0].is_word
                    and b_part[0].is_word and fuzz.ratio(a_part[0].key, b_part[0].key) >= 75)
        if a_part:
            flags = _flags(a_text, a_tokens, i1, i2) | ({SPELLING} if spelling else set())
            pieces.append(_piece(DELETE, a_text, a_span, b_text, (b_span[0], b_span[0]), flags))
        if b_part:
            flags = _flags(b_text, b_tokens, j1, j2) | ({SPELLING} if spelling else set())
            pieces.append(_piece(INSERT, a_text, (a_span[1], a_span[1]), b_text, b_span, flags))
    return _mark_moves(pieces)


def _span(part: Sequence[Token], every: Sequence[Token], index: int) -> tuple[int, int]:
    if part:
        return part[0].start, part[-1].end
    # An empty side: the point where the missing words would be.
    at = every[index - 1].end if index > 0 else (every[0].start if every else 0)
    return at, at


def _piece(op: str, a_text: str, a_span: tuple[int, int], b_text: str, b_span: tuple[int, int],
           flags: Iterable[str] = ()) -> DiffPiece:
    return DiffPiece(
        op, a_span[0], a_span[1], b_span[0], b_span[1],
        a_text[a_span[0]:a_span[1]], b_text[b_span[0]:b_span[1]],
        a_span[0] > 0 and a_text[a_span[0] - 1].isspace(),
        b_span[0] > 0 and b_text[b_span[0] - 1].isspace(),
        frozenset(flags),
    )


def _flags(text: str, every: Sequence[Token], i1: int, i2: int) -> set[str]:
    flags: set[str] = set()
    words = [t for t in every[i1:i2] if t.is_word]
    if not words:
        return {MINOR}
    for index in range(i1, i2):
        token = every[index]
        if not token.is_word:
            continue
        word = text[token.start:token.end]
        if any(ch.isdigit() for ch in word) or token.key in NUMBER_WORDS:
            flags.add(NUMBER)
        elif word[:1].isupper() and word != "I":
            sentence_start = index == 0 or every[index - 1].key in _SENTENCE_BREAK
            if not sentence_start:
                flags.add(NAME)
    return flags


def _content(piece: DiffPiece) -> set[str]:
    return {t.key for t in tokens(piece.text) if t.is_word and t.key not in STOP_WORDS}


def _mark_moves(pieces: list[DiffPiece]) -> list[DiffPiece]:
    """Flag deletions whose words come back as insertions elsewhere, and those insertions."""
    changed = [(i, p, _content(p)) for i, p in enumerate(pieces) if p.changed]
    result = list(pieces)
    for i, piece, words in changed:
        if not words:
            continue
        elsewhere: set[str] = set()
        for j, other, other_words in changed:
            # A replacement's own other half is not "elsewhere".
            if other.op != piece.op and abs(i - j) > 1:
                elsewhere |= other_words
        if words & elsewhere:
            result[i] = DiffPiece(**{**_fields(piece), "flags": piece.flags | {MOVED}})
    return result


def _fields(piece: DiffPiece) -> dict:
    return {name: getattr(piece, name) for name in DiffPiece.__slots__}


def render_wdiff(pieces: Sequence[DiffPiece]) -> str:
    """One string: equal words as they are, ``[-only in a-]``, ``{+only in b+}``."""
    out: list[str] = []
    for piece in pieces:
        if piece.op == INSERT:
            text, space = f"{{+{piece.b_text}+}}", piece.b_space
        elif piece.op == DELETE:
            text, space = f"[-{piece.a_text}-]", piece.a_space
        else:
            text, space = piece.a_text, piece.a_space
        if out and space:
            out.append(" ")
        out.append(text)
    return "".join(out)


def summary(pieces: Sequence[DiffPiece]) -> list[str]:
    """The changes worth a fact-checker's eye, one short phrase each:
    ``"name, moved: secretary-general in Paris → Secretary-General of Paris’"``."""
    notes: list[str] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if not piece.changed:
            index += 1
            continue
        before = piece.a_text if piece.op == DELETE else ""
        after = piece.b_text if piece.op == INSERT else ""
        flags = set(piece.flags)
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if piece.op == DELETE and following is not None and following.op == INSERT:
            after = following.b_text
            flags |= following.flags
            index += 1
        index += 1
        kinds = [kind for kind in (NUMBER, NAME, SPELLING, MOVED) if kind in flags]
        if kinds:
            notes.append(f"{', '.join(kinds)}: {before or '—'} → {after or '—'}")
    return notes
