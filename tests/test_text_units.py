"""Words, sentences, paragraphs and quotations: on the seeds, on hostile Unicode, and by property."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core import text_units as sg

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def texts_of(text: str, spans) -> list[str]:
    return [text[start:end] for start, end in spans]


def boundaries(text: str) -> set[int]:
    """Every grapheme-cluster boundary of ``text``, ``0`` and ``len(text)`` included."""
    found = {0, len(text)}
    for match in regex.finditer(r"\X", text):
        found.add(match.start())
        found.add(match.end())
    return found


def sentence_containing(text: str, needle: str) -> str:
    pos = text.index(needle)
    found = [text[s:e] for s, e in sg.sentences(text) if s <= pos < e]
    assert len(found) == 1, needle
    return found[0]


# -- sentences on the seeds ---------------------------------------------------

def test_seed_sentences_do_not_break_after_us() -> None:
    text = seed("004")
    first = "That said, the White House and the Pentagon have repeatedly rejected claims that the U.S. is"
    assert sentence_containing(text, first) == (
        "That said, the White House and the Pentagon have repeatedly rejected claims that the U.S. "
        "is trying to create an Asian version of NATO."
    )
    second = sentence_containing(text, "This is primarily because")
    assert "with the U.S., the country that underpins NATO" in second
    assert second.endswith("somewhat redundant.")


def test_seed_sentences_keep_quotations_whole() -> None:
    text = seed("004")
    quoted = sentence_containing(text, "“However, when it comes")
    assert quoted.endswith("on an individual country basis.")
    assert "in the treaty,” he said, pointing out" in quoted
    assert sentence_containing(text, "“We are all literally") == "“We are all literally in the same boat.”"

    text = seed("000")
    quoted = sentence_containing(text, "“NATO is a regional alliance")
    assert quoted.endswith("noting the summit invitations for the Pacific leaders.")


def test_seed_sentence_ends_after_a_closing_quote() -> None:
    text = seed("003")
    assert sentence_containing(text, "However, according to Stoltenberg") == (
        "However, according to Stoltenberg, the “geography of danger has shifted.”"
    )
    assert sentence_containing(text, "Global security challenges").startswith("Global security")


def test_seed_002_sentences() -> None:
    text = seed("002")
    found = texts_of(text, sg.sentences(text))
    assert "JAPAN: Nato has been rumoured to establish its first headquarters in Asia in Tokyo, but " \
           "France is not excited about the idea." in found
    assert sentence_containing(text, "He advised Japan").endswith("region’s peace and stability.")
    # A quotation in the middle of a sentence does not end it.
    assert "“no-limits” alliance, are the result" in sentence_containing(text, "The patrols started")


def test_garbled_seed_001_has_no_empty_sentences() -> None:
    text = seed("001")
    found = texts_of(text, sg.sentences(text))
    assert len(found) == len(set(sg.paragraph_spans(text)))  # one sentence per paragraph here
    for sentence in found:
        assert sentence == sentence.strip()
        assert any(char.isalpha() for char in sentence), sentence
    # ". ." stays at the end of its sentence instead of becoming sentences of its own.
    dotted = [s for s in found if s.endswith(". .")]
    assert len(dotted) == 2
    assert dotted[0].endswith("according to Japanese public broadcaster NHK. .")
    assert dotted[1].endswith("treated as an attack on everyone. .")
    # A period before a lowercase word does not end a sentence.
    assert sentence_containing(text, "The increasingly coercive").endswith(
        "Stoltenberg wrote. the Foreign Affairs page.")
    assert sentence_containing(text, "Beijing is threatening").endswith("in the states. of NATO.")


def test_forum_repost_004_paragraphs() -> None:
    text = seed("004")
    head = texts_of(text, sg.paragraph_spans(text))[:13]
    assert head == [
        "beijingwalker", "ELITE MEMBER", "- Joined", "- Nov 4, 2011", "- Messages", "- 65,195",
        "- Reaction score", "- -55", "- Country", "- Location",
        "NATO not likely to intervene in an Indo-Pacific conflict, says MSC chief",
        "Munich Security Conference Chairman Christoph Heusgen takes part in panel discussion about "
        "national security strategy at the Foreign Ministry in Berlin in March 2022. | POOL / VIA "
        "REUTERSBY GABRIEL DOMINGUEZ",
        "May 14, 2023",
    ]
    # Every list line is one sentence of its own, too.
    sentences = texts_of(text, sg.sentences(text))
    assert sentences[:10] == head[:10]


def test_paragraph_motions_on_004_visit_every_line() -> None:
    text = seed("004")
    expected = sg.paragraph_spans(text)
    walk = [sg.paragraph_at(text, 0)]
    while (nxt := sg.next_paragraph(text, walk[-1][0])) is not None:
        walk.append(nxt)
    assert walk == expected
    back = [walk[-1]]
    while (prev := sg.prev_paragraph(text, back[-1][0])) is not None:
        back.append(prev)
    assert back == expected[::-1]


def test_quotation_no_limits_in_002() -> None:
    text = seed("002")
    pos = text.index("“no-limits”")
    inner = sg.quotation_at(text, pos + 3)
    assert text[inner[0]:inner[1]] == "no-limits"
    marked = sg.quotation_at(text, pos + 3, include_marks=True)
    assert text[marked[0]:marked[1]] == "“no-limits”"
    # From the start of its paragraph, the next quotation is the same one.
    line_start = text.rfind("\n", 0, pos) + 1
    assert sg.quotation_at(text, line_start) == inner


def test_seed_words() -> None:
    for prefix, word in [("000", "NATO’s"), ("000", "Asia-Pacific"), ("004", "65,195"),
                         ("002", "north-east"), ("004", "U.S.")]:
        text = seed(prefix)
        pos = text.index(word)
        for inside in (pos, pos + len(word) // 2, pos + len(word) - 1):
            span = sg.word_at(text, inside)
            assert text[span[0]:span[1]] == word, (word, inside)
        assert (pos, pos + len(word)) in set(sg.words(text))


def test_seed_word_walks_match_words() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        expected = list(sg.words(text))
        walk = [sg.word_at(text, 0)]
        while (nxt := sg.next_word(text, walk[-1][0])) is not None:
            walk.append(nxt)
        assert walk == expected, path.name
        back = [expected[-1]]
        while (prev := sg.prev_word(text, back[-1][0])) is not None:
            back.append(prev)
        assert back == expected[::-1], path.name


def test_seed_sentence_walks_match_sentences() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        expected = list(sg.sentences(text))
        walk = [sg.sentence_at(text, 0)]
        while (nxt := sg.next_sentence(text, walk[-1][0])) is not None:
            walk.append(nxt)
        assert walk == expected, path.name
        back = [expected[-1]]
        while (prev := sg.prev_sentence(text, back[-1][0])) is not None:
            back.append(prev)
        assert back == expected[::-1], path.name


# -- sentences: what the seeds lack -----------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
    ("Mr. Smith left early. Mrs. Jones stayed.", ["Mr. Smith left early.", "Mrs. Jones stayed."]),
    ("He is No. 2 in the party. Dr. Who is No. 1.", ["He is No. 2 in the party.", "Dr. Who is No. 1."]),
    ("Growth was 3.5 percent. Inflation was 2.25 percent.",
     ["Growth was 3.5 percent.", "Inflation was 2.25 percent."]),
    ("He said “Stop. Now. Go!” and left. Then he came back.",
     ["He said “Stop. Now. Go!” and left.", "Then he came back."]),
    ("She said \"No. Never.\" Then she left.", ["She said \"No. Never.\"", "Then she left."]),
    ("J. R. R. Tolkien wrote it. It sold.", ["J. R. R. Tolkien wrote it.", "It sold."]),
    ("Really? Yes! Fine… Done.", ["Really?", "Yes!", "Fine…", "Done."]),
    ("東京は大きい。大阪も大きい。", ["東京は大きい。", "大阪も大きい。"]),
    ("שלום עולם. مرحبا بالعالم. Hello.", ["שלום עולם.", "مرحبا بالعالم.", "Hello."]),
    ("One.\r\nTwo. Three.\r\n\r\nFour.", ["One.", "Two.", "Three.", "Four."]),
])
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert texts_of(text, sg.sentences(text)) == expected


def test_crlf_paragraphs_exclude_carriage_returns() -> None:
    text = "First line.\r\n\r\nSecond line.\r\nThird.\r\n"
    assert texts_of(text, sg.paragraph_spans(text)) == ["First line.", "Second line.", "Third."]
    assert text[slice(*sg.paragraph_at(text, 0))] == "First line."
    assert sg.paragraph_at(text, text.index("\r\n\r\n") + 2) is None  # the blank line


@pytest.mark.parametrize(("text", "inner"), [
    ("He said “no limits” today.", "no limits"),
    ("He said \"no limits\" today.", "no limits"),
    ("He said «pas de limite» today.", "pas de limite"),
    ("He said ‘no limits’ today.", "no limits"),
    ("“NATO’s role,” she said.", "NATO’s role,"),
])
def test_quotation_kinds(text: str, inner: str) -> None:
    span = sg.quotation_at(text, 0)
    assert text[span[0]:span[1]] == inner
    marked = sg.quotation_at(text, 0, include_marks=True)
    assert text[marked[0] + 1:marked[1] - 1] == inner


# -- words ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("NATO’s Asia-Pacific 65,195 members", ["NATO’s", "Asia-Pacific", "65,195", "members"]),
    ("3.5 percent of 1,000.50 co-op e.g. U.S.", ["3.5", "percent", "of", "1,000.50", "co-op", "e.g.",
                                                "U.S."]),
    ("東京は大きい Tokyo", ["東京は大きい", "Tokyo"]),
    ("שלום עולם مرحبا", ["שלום", "עולם", "مرحبا"]),
    ("café cafe\u0301 naïve", ["café", "cafe\u0301", "naïve"]),
    ("a 👨\u200d👩\u200d👧 b 👍🏽 c", ["a", "👨\u200d👩\u200d👧", "b", "👍🏽", "c"]),
    ("line\r\nnext\tword", ["line", "next", "word"]),
])
def test_words(text: str, expected: list[str]) -> None:
    assert texts_of(text, sg.words(text)) == expected


def test_adjacent_flags_are_two_words_in_motions() -> None:
    text = "see 🇯🇵🇫🇷 now"
    assert texts_of(text, [sg.word_at(text, 4)]) == ["🇯🇵"]
    assert texts_of(text, [sg.next_word(text, 4)]) == ["🇫🇷"]
    assert texts_of(text, [sg.prev_word(text, 6)]) == ["🇯🇵"]


def test_adjacent_flags_are_two_words() -> None:
    text = "see 🇯🇵🇫🇷 now"
    assert texts_of(text, sg.words(text)) == ["see", "🇯🇵", "🇫🇷", "now"]


def test_grow_and_shrink_by_word() -> None:
    text = "NATO’s Asia-Pacific 👨\u200d👩\u200d👧 leaders"
    span = (0, 6)
    grown = []
    while (bigger := sg.extend_end_by_word(text, *span)) != span:
        span = bigger
        grown.append(text[span[0]:span[1]])
    assert grown == ["NATO’s Asia-Pacific", "NATO’s Asia-Pacific 👨\u200d👩\u200d👧",
                     "NATO’s Asia-Pacific 👨\u200d👩\u200d👧 leaders"]
    shrunk = []
    while (smaller := sg.shrink_end_by_word(text, *span)) != span:
        span = smaller
        shrunk.append(text[span[0]:span[1]])
    assert shrunk == grown[-2::-1] + ["NATO’s"]


def test_shrink_never_splits_a_flag() -> None:
    text = "a 🇯🇵🇫🇷"
    assert sg.shrink_end_by_word(text, 0, len(text)) == (0, 4)


# -- grapheme clusters -----------------------------------------------------------

HOSTILE = {
    "cjk": "東京は大きい。大阪も「とても」大きい。\n北京市 上海",
    "emoji": "Family 👨\u200d👩\u200d👧\u200d👦 and 👍🏽 and ❤\ufe0f. Next 🏳\ufe0f\u200d🌈 flag.",
    "flags": "Flags: 🇯🇵 🇫🇷🇩🇪 and 🇺🇸. Done 🇬🇧!",
    "combining": "Cafe\u0301 au lait. Ne\u0301e a\u0300 Pa\u0303o. Z\u0351\u0352\u0353algo.",
    "hebrew": "שלום עולם. הוא אמר “כן” ולא. סוף.",
    "arabic": "مرحبا بالعالم. قال «نعم» ثم غادر. النهاية.",
    "crlf": "First line.\r\nSecond “quoted” line.\r\n\r\nThird 3.5 line.\r\n",
    "mixed": "NATO’s 🇯🇵 東京 שלום e\u0301 👨\u200d👩\u200d👧 “x”.\r\n\tنعم 🇫🇷.",
}


def every_span(text: str):
    """(name, span) for every function at every boundary position."""
    for name, fn in [("words", sg.words), ("sentences", sg.sentences),
                     ("paragraph_spans", sg.paragraph_spans)]:
        for span in fn(text):
            yield name, span
    for pos in sorted(boundaries(text)):
        for fn in (sg.word_at, sg.next_word, sg.prev_word, sg.sentence_at, sg.next_sentence,
                   sg.prev_sentence, sg.paragraph_at, sg.next_paragraph, sg.prev_paragraph,
                   sg.quotation_at):
            yield f"{fn.__name__}({pos})", fn(text, pos)
        yield f"quotation_at({pos}, marks)", sg.quotation_at(text, pos, include_marks=True)
        if pos < len(text):
            yield f"snap({pos})", sg.snap_to_graphemes(text, pos, pos + 1)


def check_span(text: str, name: str, span, allowed: set[int]) -> None:
    if span is None:
        return
    start, end = span
    assert 0 <= start < end <= len(text), (name, span)
    assert start in allowed and end in allowed, (name, span, text[start:end])


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_spans_on_grapheme_boundaries(kind: str) -> None:
    text = HOSTILE[kind]
    allowed = boundaries(text)
    for name, span in every_span(text):
        check_span(text, name, span, allowed)


def test_hostile_words_keep_clusters() -> None:
    text = HOSTILE["emoji"]
    assert "👨\u200d👩\u200d👧\u200d👦" in texts_of(text, sg.words(text))
    text = HOSTILE["combining"]
    assert texts_of(text, sg.words(text))[:2] == ["Cafe\u0301", "au"]
    assert "Z\u0351\u0352\u0353algo" in texts_of(text, sg.words(text))
    text = HOSTILE["crlf"]
    assert texts_of(text, sg.sentences(text)) == ["First line.", "Second “quoted” line.",
                                                 "Third 3.5 line."]
    assert text[slice(*sg.quotation_at(text, 0))] == "quoted"


def test_snap_widens_to_clusters() -> None:
    text = "a👨\u200d👩\u200d👧b"
    assert sg.snap_to_graphemes(text, 3, 4) == (1, 6)
    assert sg.snap_to_graphemes(text, 0, 2) == (0, 6)
    flag = "x🇯🇵y"
    assert sg.snap_to_graphemes(flag, 2, 3) == (1, 3)
    assert sg.snap_to_graphemes("", 0, 0) == (0, 0)


def test_paragraph_after_space_with_combining_mark() -> None:
    text = "x\n \u0301abc"
    allowed = boundaries(text)
    for span in sg.paragraph_spans(text):
        assert span[0] in allowed and span[1] in allowed, span


# -- property --------------------------------------------------------------------

PIECES = ["a", "Z", "word", "NATO’s", "U.S.", "Mr.", "3.5", "65,195", "Asia-Pacific", " ", "  ", ".",
          ",", "!", "?", "…", "-", "’", "'", "\"", "“", "”", "«", "»", "東京", "。", "👍🏽",
          "👨\u200d👩\u200d👧", "🇯🇵", "🇫🇷", "❤\ufe0f", "é", "e\u0301", "a\u0300\u0301",
          "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\r\n", "\n", "\n\n", "\t"]

texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_property_spans_and_walks(text: str) -> None:
    allowed = boundaries(text)
    for name, span in every_span(text):
        check_span(text, name, span, allowed)
    for start, end in [(0, 0), (0, len(text))] + [(p, p) for p in sorted(allowed)]:
        grown = sg.extend_end_by_word(text, start, end)
        assert grown[0] == start and grown[1] >= end
        assert grown == (start, end) or grown[1] in allowed

    # w from the first word walks strictly forward until None.
    span = sg.word_at(text, 0)
    steps = 0
    while span is not None:
        following = sg.next_word(text, span[0])
        assert following is None or following[0] > span[0], (span, following)
        span = following
        steps += 1
        assert steps <= len(text) + 1
    # b from the end walks strictly backward until None.
    pos = len(text)
    span = sg.prev_word(text, pos)
    steps = 0
    while span is not None:
        assert span[0] < pos, (pos, span)
        pos = span[0]
        span = sg.prev_word(text, pos)
        steps += 1
        assert steps <= len(text) + 1
    # s and p walk forward too.
    for first, step in [(sg.sentence_at, sg.next_sentence), (sg.paragraph_at, sg.next_paragraph)]:
        span = first(text, 0)
        steps = 0
        while span is not None:
            following = step(text, span[0])
            assert following is None or following[0] > span[0], (step.__name__, span, following)
            span = following
            steps += 1
            assert steps <= len(text) + 1


# -- a 100,000-character line ------------------------------------------------------

def test_long_line_without_spaces_walks_in_chunks() -> None:
    text = "a" * 100_000
    chunks = list(sg.words(text))
    assert chunks == [(start, start + sg.CHUNK) for start in range(0, 100_000, sg.CHUNK)]
    walk = [sg.word_at(text, 0)]
    while (nxt := sg.next_word(text, walk[-1][0])) is not None:
        walk.append(nxt)
    assert walk == chunks
    back = [chunks[-1]]
    while (prev := sg.prev_word(text, back[-1][0])) is not None:
        back.append(prev)
    assert back == chunks[::-1]
    middle = sg.word_at(text, 50_000)
    assert middle[0] <= 50_000 < middle[1] and middle[1] - middle[0] <= sg.CHUNK
    sentence = sg.sentence_at(text, 50_000)
    assert sentence[0] <= 50_000 < sentence[1]
    assert sg.paragraph_at(text, 99_999) == (0, 100_000)
    assert sg.quotation_at(text, 10) is None
    assert sg.extend_end_by_word(text, 0, 200) == (0, 400)


def test_long_mixed_line_without_spaces() -> None:
    text = ("word.“x”,3.5東京👍🏽" * 7_000)[:100_000]
    allowed = boundaries(text)
    for pos in (0, 1, 49_999, 50_000, 99_998, len(text)):
        for fn in (sg.word_at, sg.next_word, sg.prev_word, sg.sentence_at, sg.next_sentence,
                   sg.prev_sentence, sg.paragraph_at, sg.quotation_at):
            check_span(text, f"{fn.__name__}({pos})", fn(text, pos), allowed)


def test_long_word_chunks_do_not_depend_on_the_cursor() -> None:
    text = "a" * 1000
    chunks = list(sg.words(text))
    for pos in (250, 999):
        assert sg.word_at(text, pos) in chunks
        assert sg.prev_word(text, pos) in chunks
