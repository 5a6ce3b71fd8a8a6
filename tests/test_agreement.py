"""Agreement: hand-worked cases, cases from the literature, and bad input."""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import krippendorff
import numpy as np
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.agreement import (
    ArticleWork,
    Score,
    article_agreement,
    cohen_kappa,
    compute,
    gather,
    nominal_alpha,
)
from tui.core.corpus import load_corpus
from tui.core.record import new_annotation
from tui.core.store import Store
from tui.core.tokens import Tokens

# Tokens (spaCy): Alice said the cat sat . Bob ran home now .
#                 0     1    2   3   4   5 6   7   8    9   10
TEXT = "Alice said the cat sat. Bob ran home now."


def hand_case() -> ArticleWork:
    return ArticleWork("x", TEXT, {
        # a: claim on the first sentence with its full stop, quote on "the cat sat"
        "a": [(0, 23, "claim"), (11, 22, "quote")],
        # b: the first sentence without its full stop, and the second sentence
        "b": [(0, 22, "claim"), (24, 41, "claim")],
    }, {"a", "b"})


def rows(report) -> dict:
    return {row.label: row for row in report.pairs[0].rows}


@pytest.fixture(autouse=True)
def no_runtime_warnings():
    # A division by zero in numpy is a warning; here it fails the test.
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        yield


def test_tokens_of_the_hand_case() -> None:
    starts, ends = Tokens().spans(TEXT)
    assert [TEXT[s:e] for s, e in zip(starts, ends, strict=True)] == [
        "Alice", "said", "the", "cat", "sat", ".", "Bob", "ran", "home", "now", "."]


def test_spans_worked_by_hand() -> None:
    report = compute([hand_case()])
    by = rows(report)
    claim, quote, everything = by["claim"], by["quote"], by[None]
    # Exact: 0-23 and 0-22 differ, so nothing matches.
    assert (claim.a_spans, claim.b_spans) == (1, 2)
    assert (claim.exact.precision.value, claim.exact.recall.value, claim.exact.f1.value) == (0, 0, 0)
    # Overlapping: a's 0-23 and b's 0-22 share 22 code points, all of the shorter: a match.
    # b's 24-41 matches nothing. Recall (a's spans matched) 1/1, precision (b's) 1/2.
    assert claim.overlap.recall.value == 1.0
    assert claim.overlap.precision.value == 0.5
    assert claim.overlap.f1.value == pytest.approx(2 * 0.5 * 1.0 / 1.5)
    # Quote: only a used it; recall 0/1, precision has no b span to measure: n/a, F1 0.
    assert quote.overlap.recall.value == 0.0
    assert quote.overlap.precision.value is None
    assert "b tagged no 'quote'" in quote.overlap.precision.why
    assert quote.overlap.f1.value == 0.0
    # All labels: a's 2 spans, 1 matched; b's 2 spans, 1 matched.
    assert (everything.overlap.precision.value, everything.overlap.recall.value) == (0.5, 0.5)
    assert everything.overlap.f1.value == 0.5
    assert everything.exact.f1.value == 0.0


def test_kappa_worked_by_hand() -> None:
    by = rows(compute([hand_case()]))
    # claim, token by token:  a 1 1 1 1 1 1 0 0 0 0 0
    #                         b 1 1 1 1 1 0 1 1 1 1 1
    # both 5, a only 1, b only 5, neither 0 (N = 11): po = 5/11,
    # pe = (6*10 + 5*1) / 121 = 65/121, kappa = (55 - 65) / (121 - 65) = -10/56.
    assert by["claim"].kappa.value == pytest.approx(-10 / 56)
    # quote: a says yes on 3 tokens, b never: po = 8/11 = pe, kappa 0.
    assert by["quote"].kappa.value == pytest.approx(0.0)
    # All labels, one category per set of labels on a token:
    # a: C C CQ CQ CQ C - - - - -   b: C C C C C - C C C C C
    # agree on 2 tokens; marginals a {C: 3, CQ: 3, none: 5}, b {C: 10, none: 1}:
    # pe = (3*10 + 5*1) / 121 = 35/121, kappa = (22 - 35) / (121 - 35) = -13/86.
    assert by[None].kappa.value == pytest.approx(-13 / 86)


def test_alpha_worked_by_hand() -> None:
    report = compute([hand_case()])
    # claim: coincidences o11 = 10, o10 = o01 = 6, o00 = 0; n1 = 16, n0 = 6, n = 22;
    # alpha = 1 - (n - 1) * o01 / (n0 * n1) = 1 - 21 * 6 / 96.
    assert report.alpha["claim"].value == pytest.approx(1 - 21 * 6 / 96)
    # quote: o10 = o01 = 3, o00 = 16; n1 = 3, n0 = 19: alpha = 1 - 21 * 3 / 57.
    assert report.alpha["quote"].value == pytest.approx(1 - 21 * 3 / 57)
    # all labels: n_C = 13, n_CQ = 3, n_none = 6; off-diagonal o = 2 * (3 + 6) = 18:
    # alpha = 1 - 21 * 18 / (2 * (13*3 + 13*6 + 3*6)) = 1 - 378/270.
    assert report.alpha[None].value == pytest.approx(1 - 378 / 270)
    assert report.tokens == 11


def test_cohen_kappa_from_the_literature() -> None:
    # The textbook example (Wikipedia, "Cohen's kappa"): 50 grant proposals,
    # yes/yes 20, yes/no 5, no/yes 10, no/no 15: po = 0.7, pe = 0.5, kappa = 0.4.
    table = {("y", "y"): 20, ("y", "n"): 5, ("n", "y"): 10, ("n", "n"): 15}
    assert cohen_kappa(table).value == pytest.approx(0.4)


def one_token_articles(data: list[list[float]]) -> list[ArticleWork]:
    """Reliability data (coders x units, nan = missing) as one-token articles: a coder
    who gave a unit a value tagged its one token with that value as the label; a coder
    with no value did not work on that article (missing data, not a "no")."""
    works = []
    for unit in range(len(data[0])):
        spans = {f"coder{c}": [(0, 1, f"v{int(row[unit])}")] for c, row in enumerate(data)
                 if not np.isnan(row[unit])}
        works.append(ArticleWork(f"unit{unit}", "x", spans, set(spans)))
    return works


nan = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with
# four observers, twelve units and missing values: nominal alpha = 0.743.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]
# The example on Wikipedia ("Krippendorff's alpha") and in the package: 0.691 nominal.
WIKIPEDIA = [
    [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
    [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
    [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
]


@pytest.mark.parametrize(("data", "expected"), [(KRIPPENDORFF_2011, 0.743), (WIKIPEDIA, 0.691)])
def test_alpha_from_the_literature(data, expected) -> None:
    report = compute(one_token_articles(data))
    assert round(report.alpha[None].value, 3) == expected


def test_alpha_equals_the_package_on_the_full_matrix() -> None:
    # Many unanimous units, some split ones, missing coders: alpha from the pairs'
    # joint tables equals the package's on the full reliability matrix.
    rng = random.Random(7)
    data = []
    for _coder in range(4):
        data.append([])
    for _unit in range(300):
        base = rng.choice([1, 1, 1, 2, 3])
        for coder in range(4):
            if rng.random() < 0.15:
                data[coder].append(nan)
            else:
                data[coder].append(base if rng.random() < 0.85 else rng.choice([1, 2, 3]))
    ours = compute(one_token_articles(data)).alpha[None].value
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert ours == pytest.approx(theirs, abs=1e-12)


def direct(works: list[ArticleWork], labels: list[str]) -> tuple[dict, dict]:
    """Kappa per pair and alpha over everyone, from the full token-by-annotator matrix,
    the slow obvious way (category = the sorted tuple of labels on the token)."""
    tokens = Tokens()
    people = sorted({p for w in works for p in w.worked})
    columns = {p: [] for p in people}
    for work in works:
        starts, ends = tokens.spans(work.text)
        for person in people:
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
                if person not in work.worked:
                    columns[person].append(None)
                    continue
                on = sorted({lab for a, b, lab in work.spans.get(person, []) if a < e and s < b})
                columns[person].append(tuple(lab for lab in on if lab in labels))
    codes: dict[tuple, int] = {}
    matrix = [[nan if v is None else codes.setdefault(v, len(codes)) for v in columns[p]]
              for p in people]
    try:
        alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    except ValueError:  # one value only, or no unit two annotators coded
        alpha = None
    kappas = {}
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            table: dict = {}
            for va, vb in zip(columns[a], columns[b], strict=True):
                if va is not None and vb is not None:
                    table[(va, vb)] = table.get((va, vb), 0) + 1
            kappas[(a, b)] = cohen_kappa(table).value
    return kappas, {"alpha": alpha}


WORDS = ["NATO", "said", "the", "alliance", "Stoltenberg", "Tokyo", "(liaison)", "won't", "U.S.",
         "—", "“quote”", "e.g.", "2023", "office."]


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_token_figures_match_the_obvious_computation(data) -> None:
    works = []
    for index in range(data.draw(st.integers(1, 4))):
        words = data.draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=25))
        text = " ".join(words)
        worked = set(data.draw(st.lists(st.sampled_from(["ann", "bo", "cy"]), min_size=2,
                                        max_size=3, unique=True)))
        spans = {}
        for person in worked:
            items = []
            for _ in range(data.draw(st.integers(0, 4))):
                start = data.draw(st.integers(0, len(text) - 1))
                end = data.draw(st.integers(start + 1, len(text)))
                items.append((start, end, data.draw(st.sampled_from(["claim", "quote"]))))
            spans[person] = items
        works.append(ArticleWork(f"a{index}", text, spans, worked))
    report = compute(works)
    kappas, alpha = direct(works, report.labels)
    for pair in report.pairs:
        expected = kappas[(pair.a, pair.b)]
        got = pair.rows[0].kappa.value
        assert (got is None and expected is None) or got == pytest.approx(expected)
    got, expected = report.alpha[None].value, alpha["alpha"]
    assert (got is None and expected is None) or got == pytest.approx(expected)


def test_tokens_are_spacys_tokens(seeds_dir: Path) -> None:
    nlp = spacy.blank("en")
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    texts.append("U.S.A. can't\u00a0go—now!\r\n\t“Yes,” he said: e.g. 5km, 3.5%, :) "
                 "http://example.com/a?b=c 😀👍🏽 日本語です。 a\u200bb")
    tokens = Tokens()
    for text in texts:
        expected = [(t.idx, t.idx + len(t.text)) for t in nlp.tokenizer(text) if not t.is_space]
        starts, ends = tokens.spans(text)
        assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == expected


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab.,'’-:;!?()“”\"$%&/ \n\t\u00a0\u2009éü日😀0123")),
               max_size=60))
def test_tokens_match_spacy_on_generated_text(text: str) -> None:
    nlp = spacy.blank("en")
    expected = [(t.idx, t.idx + len(t.text)) for t in nlp.tokenizer(text) if not t.is_space]
    starts, ends = Tokens().spans(text)
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == expected


# -- bad input: a clear line, never a division by zero ---------------------------------------

def test_one_annotator_only() -> None:
    work = ArticleWork("x", TEXT, {"a": [(0, 5, "claim")]}, {"a"})
    report = compute([work])
    assert report.pairs == []
    assert report.alpha[None].value is None
    assert "agreement needs two annotators" in " ".join(report.notes)
    assert "two or more annotators" in report.alpha[None].why


def test_nothing_at_all() -> None:
    report = compute([])
    assert report.pairs == [] and report.alpha[None].value is None
    assert "nobody worked on these articles" in " ".join(report.notes)


def test_label_only_one_annotator_used() -> None:
    report = compute([hand_case()])
    assert any("label 'quote': only a used it" in note for note in report.notes)


def test_both_marked_done_and_tagged_nothing() -> None:
    # Perfect agreement on "nothing here", but no variation: kappa, alpha and F1 are n/a.
    report = compute([ArticleWork("x", TEXT, {}, {"a", "b"})])
    row = report.pairs[0].rows[0]
    assert row.overlap.f1.value is None and "neither a nor b" in row.overlap.f1.why
    assert row.kappa.value is None and "no variation" in row.kappa.why
    assert report.alpha[None].value is None and "no variation" in report.alpha[None].why


def test_done_with_no_annotation_counts_against_a_colleague() -> None:
    report = compute([ArticleWork("x", TEXT, {"a": [(0, 5, "claim")]}, {"a", "b"})])
    row = report.pairs[0].rows[0]
    assert row.overlap.recall.value == 0.0 and row.overlap.f1.value == 0.0


def test_nominal_alpha_refuses_flat_data() -> None:
    assert "same value" in nominal_alpha({("y", "y"): 4}, why_flat="same value").why
    assert "no unit" in nominal_alpha({}).why


def test_score_text() -> None:
    assert Score(None, "why").text() == "n/a"
    assert Score(0.5).text() == "0.500"


# -- gathering from a store -------------------------------------------------------------------

def tag(store: Store, article, who: str, quote: str, label: str = "claim", note: str = "",
        nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(quote, start + 1)
    return store.add(new_annotation(article_id=article.id, text=article.text,
                                    article_sha256=article.sha256, start=start,
                                    end=start + len(quote), label=label, annotator=who, note=note))


def test_gather_counts_done_marks_and_leaves_out_gold(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = load_corpus([seeds_dir])
    store = Store(tmp_path / "store")
    first, second = corpus.articles[0], corpus.articles[1]
    tag(store, first, "ann", "NATO")
    tag(store, first, "gold", "NATO")
    store.set_done("bo", first.id, True)  # bo read it and found nothing
    tag(store, second, "ann", "Stoltenberg")
    works, notes = gather(store, corpus, exclude={"gold"})
    by_id = {w.article_id: w for w in works}
    assert by_id[first.id].worked == {"ann", "bo"}
    assert by_id[second.id].worked == {"ann"}
    report = compute(works)
    assert report.annotators == ["ann", "bo"]
    assert report.articles == [first.id]
    assert any("worked on by one annotator only" in n for n in report.notes)
    finished, notes = gather(store, corpus, exclude={"gold"}, finished=True)
    assert [w.worked for w in finished] == [{"bo"}]  # ann marked nothing done
    assert any("did not mark done" in n for n in notes)
    assert any("marked done by nobody" in n for n in notes)


def test_gather_notes_articles_missing_from_the_corpus(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = load_corpus([seeds_dir])
    store = Store(tmp_path / "store")
    article = corpus.articles[0]
    tag(store, article, "ann", "NATO")
    tag(store, article, "bo", "NATO")
    other = load_corpus([seeds_dir / "001_826f388884ecbe55.txt"])
    works, notes = gather(store, other)
    assert works == []
    assert any("not in the corpus" in n for n in notes)


def test_article_agreement_for_the_library(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = load_corpus([seeds_dir])
    store = Store(tmp_path / "store")
    first, second, third = corpus.articles[:3]
    tag(store, first, "ann", "NATO")  # matched by bo
    tag(store, first, "ann", "Asia")  # not matched
    tag(store, first, "bo", "NATO")
    tag(store, second, "ann", "NATO")  # one annotator only: left out
    tag(store, third, "ann", "Tokyo")
    store.set_done("bo", third.id, True)  # bo: nothing to tag here
    tag(store, first, "gold", "Asia")  # gold never counts
    result = article_agreement(store)
    assert set(result) == {first.id, third.id}
    # first: ann 2 spans, 1 matched (recall 1/2); bo 1 span, matched (precision 1): F1 2/3.
    assert result[first.id].f1.value == pytest.approx(2 / 3)
    assert result[first.id].annotators == ("ann", "bo")
    assert result[third.id].f1.value == 0.0
    assert article_agreement(store, [second.id]) == {}


def test_token_cache(tmp_path: Path) -> None:
    work = hand_case()
    work.sha256 = "ab" * 32
    first = compute([work], cache=tmp_path)
    cached = list((tmp_path / "tokens").rglob("*.bin"))
    assert len(cached) == 1
    assert compute([work], cache=tmp_path).to_json() == first.to_json()
    cached[0].write_bytes(b"not an array")  # a damaged cache file is computed again
    assert compute([work], cache=tmp_path).to_json() == first.to_json()
    starts, ends = Tokens(tmp_path).spans(TEXT, work.sha256)
    assert len(starts) == 11


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ann", "bo", "cy"]), st.integers(0, 60),
                          st.integers(1, 30), st.sampled_from(["claim", "quote"])),
                max_size=25))
def test_library_f1_equals_the_reports(items) -> None:
    # The library's per-article F1 (plain Python) and the report's (numpy) agree.
    spans: dict[str, list] = {}
    for who, start, length, label in items:
        spans.setdefault(who, []).append((start, start + length, label))
    work = ArticleWork("x", None, spans, {"ann", "bo", "cy"})
    report = compute([work], tokens=False)
    f1s = [p.rows[0].overlap.f1.value for p in report.pairs if p.rows[0].overlap.f1.value is not None]
    from tui.core.agreement import _article_f1

    got = _article_f1(work).f1.value
    assert (got is None and not f1s) or got == pytest.approx(sum(f1s) / len(f1s))
