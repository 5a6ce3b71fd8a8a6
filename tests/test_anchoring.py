"""Re-anchoring when an article's text changes: exact, context, fuzzy, orphan."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.anchoring import _myers, place, reanchor
from tui.core.corpus import Article, load_corpus
from tui.core.record import new_annotation, problems
from tui.core.store import Store

ORIGINAL = (
    "The NATO secretary-general met defence ministers in Brussels on Tuesday. "
    "He said the alliance would meet its spending goal by 2030. "
    "Critics said the goal was out of reach for several members."
)
QUOTE = "the alliance would meet its spending goal"


def annotate(text: str = ORIGINAL, quote: str = QUOTE) -> dict:
    start = text.index(quote)
    art = Article(id="a", text=text, title="t")
    return new_annotation(article_id="a", text=text, article_sha256=art.sha256, start=start,
                          end=start + len(quote), label="claim", annotator="ann")


def moved_onto(text: str, record: dict | None = None):
    record = record or annotate()
    art = Article(id="a", text=text, title="t")
    result = reanchor(record, text, art.sha256)
    if result is None:
        return None, None
    moved, placement = result
    assert problems(moved, text) == []
    assert moved["article_sha256"] == art.sha256
    return moved, placement


def test_unchanged_text_keeps_the_record() -> None:
    record = annotate()
    moved, placement = moved_onto(ORIGINAL, record)
    assert placement.method == "unchanged"
    assert moved == record


def test_text_inserted_before_shifts_the_annotation() -> None:
    text = "UPDATED 14:02. " + ORIGINAL
    moved, placement = moved_onto(text)
    assert placement.method == "exact"
    assert moved["start"] == annotate()["start"] + len("UPDATED 14:02. ")
    assert moved["quote"] == QUOTE


def test_text_inserted_inside_the_quote_widens_it_by_context() -> None:
    text = ORIGINAL.replace("would meet", "would, officials insisted, meet")
    moved, placement = moved_onto(text)
    assert placement.method == "context"
    assert moved["quote"] == "the alliance would, officials insisted, meet its spending goal"


def test_an_ambiguous_quote_is_placed_by_its_context() -> None:
    # The quote now also appears earlier, in a new lead paragraph.
    lead = "Analysts doubt that the alliance would meet its spending goal soon.\n\n"
    text = lead + ORIGINAL
    moved, placement = moved_onto(text)
    assert text.count(QUOTE) == 2
    assert placement.method == "exact"
    assert moved["start"] == len(lead) + annotate()["start"]
    assert moved["prefix"].endswith("He said ")


def test_an_ambiguous_quote_without_context_becomes_an_orphan() -> None:
    # Four occurrences, none in the remembered context: guessing the nearest one would
    # move the annotation silently onto words it was never about.
    text = "goal goal goal goal"
    record = annotate("x goal y", "goal")
    record = dict(record, prefix="zz ", suffix=" zz")  # context that agrees nowhere
    moved, placement = moved_onto(text, dict(record, start=11, end=15))
    assert moved is None and placement is None


STORY = (
    "Stoltenberg arrived in Brussels on Monday for talks with ministers.\n\n"
    "Asked about spending, Stoltenberg said the target was within reach this year.\n\n"
    "Later, in Warsaw, Stoltenberg praised Poland's contribution to the alliance.\n\n"
    "Critics in Berlin were unconvinced by the figures."
)


def _on_second_paragraph() -> dict:
    start = STORY.index("Stoltenberg said")
    art = Article(id="a", text=STORY, title="t")
    return new_annotation(article_id="a", text=STORY, article_sha256=art.sha256, start=start,
                          end=start + len("Stoltenberg"), label="claim", annotator="ann")


def test_a_repeated_quote_whose_paragraph_is_deleted_becomes_an_orphan() -> None:
    record = _on_second_paragraph()
    paragraphs = STORY.split("\n\n")
    text = "\n\n".join(paragraphs[:1] + paragraphs[2:])
    assert text.count("Stoltenberg") == 2
    moved, _ = moved_onto(text, record)
    assert moved is None


def test_a_short_quote_left_once_in_another_context_becomes_an_orphan() -> None:
    record = _on_second_paragraph()
    text = STORY.split("\n\n")[0]  # only the first paragraph's "Stoltenberg" is left
    assert text.count("Stoltenberg") == 1
    moved, _ = moved_onto(text, record)
    assert moved is None


def test_a_repeated_quote_follows_its_own_context_when_others_move() -> None:
    record = _on_second_paragraph()
    text = "Stoltenberg, Stoltenberg, Stoltenberg.\n\n" + STORY.replace("on Monday", "late on Monday")
    moved, placement = moved_onto(text, record)
    assert placement.method == "exact"
    assert moved["start"] == text.index("Stoltenberg said")


def test_a_repeated_quote_with_a_small_edit_next_to_it_keeps_its_place() -> None:
    record = _on_second_paragraph()
    text = STORY.replace("Asked about spending, Stoltenberg", "Asked about defence spending, Stoltenberg")
    moved, _ = moved_onto(text, record)
    assert moved["start"] == text.index("Stoltenberg said")


def test_a_deleted_quote_makes_an_orphan() -> None:
    text = ORIGINAL.replace("He said the alliance would meet its spending goal by 2030. ", "")
    moved, placement = moved_onto(text)
    assert moved is None and placement is None


def test_a_rewritten_article_makes_an_orphan() -> None:
    assert moved_onto("Completely different text about the weather in Oslo and Bergen.")[0] is None


def test_a_small_edit_inside_the_quote_is_found_by_the_fuzzy_step() -> None:
    # A typo fixed inside the quote and the context rewritten on both sides.
    record = annotate(ORIGINAL.replace("spending goal", "spendng goal"),
                      "the alliance would meet its spendng goal")
    text = ("In Brussels on Tuesday, he said that the alliance would meet its spending goal "
            "eventually, though critics were sceptical.")
    moved, placement = moved_onto(text, record)
    assert placement.method == "fuzzy"
    assert placement.errors == 1
    assert moved["quote"] == "the alliance would meet its spending goal"


def test_fuzzy_matching_is_bounded() -> None:
    # Half the characters wrong and no supporting context: not a match.
    assert place("abcdefghij klmnopqrst", "abcdeXXXXX", "zzzzzzzz", "yyyyyyyy", 0) is None
    assert place("abcdefghij", "abcdefghiX", "", "", 0).method == "fuzzy"


def test_a_quote_at_the_very_start_keeps_its_place() -> None:
    record = annotate(ORIGINAL, "The NATO secretary-general")
    moved, _ = moved_onto(ORIGINAL.replace("met defence", "met the defence"), record)
    assert moved["start"] == 0 and moved["quote"] == "The NATO secretary-general"


def test_the_paraphrased_seed_story_keeps_what_it_can(seeds_dir: Path) -> None:
    # Two seeds are versions of one story; an annotation on a sentence both share moves.
    corpus = load_corpus([seeds_dir])
    texts = [a.text for a in corpus.articles]
    pairs = [(a, b) for a in texts for b in texts if a is not b and "Stolenberg" in b and "Stoltenberg" in a]
    if not pairs:
        return
    first, second = pairs[0]
    quote = next(s for s in (first[i:i + 40] for i in range(0, len(first) - 40, 7)) if s in second)
    record = annotate(first, quote)
    moved, _ = moved_onto(second, record)
    assert moved is not None and moved["quote"] == quote


def _search_dp(pattern: str, text: str, anchored: bool) -> list[int]:
    previous = list(range(len(text) + 1)) if anchored else [0] * (len(text) + 1)
    for i, a in enumerate(pattern, start=1):
        row = [i]
        for j, b in enumerate(text, start=1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = row
    return previous[1:]


@settings(max_examples=300, deadline=None)
@given(st.text("abc", min_size=1, max_size=12), st.text("abcd", max_size=20), st.booleans())
def test_bit_parallel_edit_distance_agrees_with_the_textbook_table(pattern, text, anchored) -> None:
    assert _myers(pattern, text, anchored) == _search_dp(pattern, text, anchored)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=40), st.text(min_size=1, max_size=15), st.text(max_size=40))
def test_a_quote_always_lands_on_itself(before: str, quote: str, after: str) -> None:
    text = before + quote + after
    found = place(text, quote, before[-32:], after[:32], len(before))
    assert found is not None
    assert text[found.start:found.end] == quote


# -- through the store --------------------------------------------------------------------------

def test_store_anchored_moves_and_persists_and_keeps_orphans(store_dir: Path) -> None:
    store = Store(store_dir)
    old = Article(id="a", text=ORIGINAL, title="t")
    kept = store.add(annotate())
    lost = store.add(annotate(ORIGINAL, "Critics said the goal was out of reach"))
    new = Article(id="a", text="Breaking. " + ORIGINAL.split(" Critics")[0], title="t")
    assert new.sha256 != old.sha256
    placed, orphans = store.anchored(new)
    assert [r["id"] for r in placed] == [kept["id"]]
    assert [r["id"] for r in orphans] == [lost["id"]]
    stored = {r["id"]: r for r in store.for_article("a")}
    assert stored[kept["id"]]["start"] == kept["start"] + len("Breaking. ")
    assert stored[kept["id"]]["article_sha256"] == new.sha256
    assert stored[lost["id"]] == lost  # never dropped, never changed
    assert store.anchored(new) == (placed, orphans)
