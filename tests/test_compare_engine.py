"""The compare engine on the seeds: lookups, alignment, diffs, the index cache, bad input."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from tui.core import text_units
from tui.core.compare import (
    Cancelled,
    CompareEngine,
    CompareError,
    IndexCache,
    Progress,
    align_articles,
    render_wdiff,
    sentence_units,
    summary,
    word_diff,
)
from tui.core.compare.units import MAX_UNIT
from tui.core.corpus import Article, Corpus, load_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURE = json.loads((ROOT / "tests" / "fixtures" / "alignment_001_000.json").read_text("utf-8"))
PARAPHRASE, ORIGINAL = FIXTURE["article"], FIXTURE["other"]
PARIS = "has informed the Secretary-General of Paris’ opposition"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus([str(SEEDS)])


@pytest.fixture(scope="module")
def engine(corpus: Corpus) -> CompareEngine:
    engine = CompareEngine(corpus, None)
    engine.ensure_index()
    return engine


def test_the_fixture_is_exact(corpus: Corpus) -> None:
    a, b = corpus.get(PARAPHRASE), corpus.get(ORIGINAL)
    assert [(r["start"], r["end"]) for r in FIXTURE["sentences"]] == sentence_units(a.text)
    for row in FIXTURE["sentences"]:
        assert a.text[row["start"]:row["end"]] == row["text"]
        if row["counterpart"]:
            other = row["counterpart"]
            assert b.text[other["start"]:other["end"]] == other["text"]


def test_sentences_are_the_readers_own(corpus: Corpus) -> None:
    # The `s` motion walks the same spans the index holds.
    for article in corpus.articles:
        assert sentence_units(article.text) == list(text_units.sentences(article.text))


@pytest.mark.parametrize("row", FIXTURE["sentences"], ids=lambda r: f"s{r['sentence']}")
def test_every_paraphrase_finds_its_original_first(engine: CompareEngine, corpus: Corpus,
                                                   row: dict) -> None:
    result = engine.similar(corpus.get(PARAPHRASE), row["start"], row["end"], top=5)
    counterpart = row["counterpart"]
    if counterpart is None:
        assert result.matches == [], result.matches[0]
        assert "similar enough" in result.notice
        return
    first = result.matches[0]
    assert (first.article_id, first.start, first.end) == (
        ORIGINAL, counterpart["start"], counterpart["end"])
    assert first.score >= engine.threshold


def test_the_originals_find_their_paraphrases_too(engine: CompareEngine, corpus: Corpus) -> None:
    original = corpus.get(ORIGINAL)
    expected = {(r["counterpart"]["start"], r["counterpart"]["end"]): (r["start"], r["end"])
                for r in FIXTURE["sentences"] if r["counterpart"]}
    for (start, end), result in engine.similar_sentences(original, top=3):
        found = result.matches[0] if result and result.matches else None
        if (start, end) in expected:
            assert found is not None and found.article_id == PARAPHRASE
            assert (found.start, found.end) == expected[(start, end)]
        else:
            assert found is None


def test_alignment_matches_the_hand_checked_one(corpus: Corpus) -> None:
    alignment = align_articles(corpus.get(PARAPHRASE), corpus.get(ORIGINAL))
    got = {row.a: row.b for row in alignment.rows if row.a is not None}
    for row in FIXTURE["sentences"]:
        other = row["counterpart"]
        assert got[(row["start"], row["end"])] == (
            None if other is None else (other["start"], other["end"])), row["text"]
    # Every sentence of both articles is in exactly one row, in each article's order.
    lefts = [row.a for row in alignment.rows if row.a]
    rights = [row.b for row in alignment.rows if row.b]
    assert lefts == sentence_units(corpus.get(PARAPHRASE).text)
    assert sorted(rights) == sentence_units(corpus.get(ORIGINAL).text)
    assert not any(row.moved for row in alignment.rows)


def test_the_paris_pair_lines_up_and_shows_the_change_of_meaning(engine: CompareEngine,
                                                                 corpus: Corpus) -> None:
    original = corpus.get(ORIGINAL)
    start = original.text.index("While Stoltenberg")
    sentence = text_units.sentence_at(original.text, start)
    assert PARIS in original.text[sentence[0]:sentence[1]]
    result = engine.similar(original, *sentence)
    first = result.matches[0]
    assert first.article_id == PARAPHRASE
    assert "informed the opposition secretary-general in Paris" in first.text
    # The same words in another order: the diff marks them moved on both sides, so the
    # change of who opposes whom stands out ("Paris’ opposition" / "opposition ... in Paris").
    assert_moved_words(first.diff, {"opposition", "paris", "secretary-general"})
    wdiff = render_wdiff(first.diff)
    assert "{+opposition+} Secretary-General [-of-] {+in+} Paris[-’ opposition-]" in wdiff
    # And from the paraphrase's side.
    paraphrase = corpus.get(PARAPHRASE)
    row = FIXTURE["sentences"][16]
    back = engine.similar(paraphrase, row["start"], row["end"]).matches[0]
    assert (back.article_id, back.start, back.end) == (ORIGINAL, *sentence)
    assert_moved_words(back.diff, {"opposition", "paris", "secretary-general"})
    assert "{+Secretary-General of Paris’+}" in render_wdiff(back.diff)
    assert any("moved" in change and "Paris" in change for change in back.changes)


def assert_moved_words(diff, words: set[str]) -> None:
    def content(op: str) -> set[str]:
        return {w.strip("’',.").lower() for p in diff if p.op == op and "moved" in p.flags
                for w in p.text.split()}

    assert content("delete") & words and content("insert") & words, render_wdiff(diff)


def test_a_clause_finds_the_clause(engine: CompareEngine, corpus: Corpus) -> None:
    original = corpus.get(ORIGINAL)
    start = original.text.index(PARIS)
    result = engine.similar(original, start, start + len(PARIS))
    first = result.matches[0]
    assert first.text == "has informed the opposition secretary-general in Paris"
    paraphrase = corpus.get(PARAPHRASE)
    assert paraphrase.text[first.start:first.end] == first.text


def test_several_sentences_match_several_sentences(engine: CompareEngine, corpus: Corpus) -> None:
    rows = [r for r in FIXTURE["sentences"] if r["sentence"] in (20, 21, 22)]
    result = engine.similar(corpus.get(PARAPHRASE), rows[0]["start"], rows[-1]["end"])
    first = result.matches[0]
    assert (first.start, first.end) == (rows[0]["counterpart"]["start"], rows[-1]["counterpart"]["end"])


def test_word_diff_flags_names_numbers_and_spellings() -> None:
    a = "And these placements show what Stolenberg said about 31 nations."
    b = "And those deployments display what Stoltenberg said about 32 nations."
    pieces = word_diff(a, 0, len(a), b, 0, len(b))
    assert render_wdiff(pieces) == ("And [-these placements show-] {+those deployments display+} "
                                    "what [-Stolenberg-] {+Stoltenberg+} said about [-31-] {+32+} "
                                    "nations.")
    flags = {p.text: p.flags for p in pieces if p.changed}
    assert {"name", "spelling"} <= flags["Stolenberg"] and {"name", "spelling"} <= flags["Stoltenberg"]
    assert "number" in flags["31"] and "number" in flags["32"]
    assert summary(pieces) == ["name, spelling: Stolenberg → Stoltenberg", "number: 31 → 32"]
    for piece in pieces:  # spans are exact
        assert a[piece.a_start:piece.a_end] == piece.a_text
        assert b[piece.b_start:piece.b_end] == piece.b_text


def test_case_and_curly_quotes_are_not_changes() -> None:
    a = "NATO’s plan, said the Secretary-General."
    b = "Nato's plan, said the secretary-general."
    assert all(not p.changed for p in word_diff(a, 0, len(a), b, 0, len(b)))


# -- the index: cache, progress, threads ---------------------------------------

def test_the_index_is_cached_in_the_store(corpus: Corpus, tmp_path: Path) -> None:
    updates: list[Progress] = []
    first = CompareEngine(corpus, tmp_path)
    first.ensure_index(updates.append)
    assert not first.from_cache
    assert updates and updates[-1].done == updates[-1].total
    files = list((tmp_path / "cache" / "compare").glob("index-*.npz"))
    assert len(files) == 1
    second = CompareEngine(corpus, tmp_path)
    second.ensure_index()
    assert second.from_cache
    passage = FIXTURE["sentences"][16]
    got = second.similar(corpus.get(PARAPHRASE), passage["start"], passage["end"])
    want = first.similar(corpus.get(PARAPHRASE), passage["start"], passage["end"])
    assert got.matches == want.matches


def test_a_changed_corpus_or_a_damaged_cache_is_rebuilt(corpus: Corpus, tmp_path: Path) -> None:
    CompareEngine(corpus, tmp_path).ensure_index()
    changed = Corpus(corpus.articles[:3])
    engine = CompareEngine(changed, tmp_path)
    engine.ensure_index()
    assert not engine.from_cache and engine.index.article_count == 3
    for path in (tmp_path / "cache" / "compare").glob("*.npz"):
        path.write_bytes(b"not a numpy file")
    again = CompareEngine(corpus, tmp_path)
    again.ensure_index()
    assert not again.from_cache and again.index.article_count == len(corpus)


def test_an_unwritable_store_only_costs_the_cache(corpus: Corpus, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the store folder should be")
    engine = CompareEngine(corpus, blocker)
    engine.ensure_index()
    assert engine.ready and not (blocker / "cache").exists()


def test_one_build_for_many_callers(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.core.compare import index as index_module

    builds = []
    release, started = threading.Event(), threading.Event()
    real_build = index_module.build

    def slow_build(*args, **kwargs):
        builds.append(1)
        started.set()
        release.wait(5)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(index_module, "build", slow_build)
    engine = CompareEngine(corpus, None)
    heard: list[Progress] = []
    results = []
    threads = [threading.Thread(target=lambda: results.append(engine.ensure_index(heard.append)))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    assert started.wait(5)
    assert engine.building is not None and not engine.ready
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(builds) == 1 and len(results) == 3
    assert results[0] is results[1] is results[2]


def test_a_cancelled_build_leaves_no_index(corpus: Corpus) -> None:
    engine = CompareEngine(corpus, None)
    with pytest.raises(Cancelled):
        engine.ensure_index(cancelled=lambda: True)
    assert not engine.ready and engine.building is None
    engine.ensure_index()
    assert engine.ready


# -- bad input ------------------------------------------------------------------

def test_one_word_is_too_little(engine: CompareEngine, corpus: Corpus) -> None:
    article = corpus.get(PARAPHRASE)
    start = article.text.index("Stolenberg")
    with pytest.raises(CompareError, match="1 word: too little to compare"):
        engine.similar(article, start, start + len("Stolenberg"))
    with pytest.raises(CompareError, match="nothing is selected"):
        engine.similar(article, start, start)


def test_an_article_without_sentences(corpus: Corpus) -> None:
    empty = Article("empty", "   \n\n  ", title="Empty")
    engine = CompareEngine(Corpus([*corpus.articles, empty]), None)
    with pytest.raises(CompareError, match="no sentences"):
        engine.similar(empty, 0, 3)
    with pytest.raises(CompareError, match="has no sentences"):
        engine.similar_sentences(empty)
    with pytest.raises(CompareError, match="has no sentences"):
        align_articles(empty, corpus.get(ORIGINAL))


def test_a_corpus_of_one_article(corpus: Corpus) -> None:
    alone = corpus.get(PARAPHRASE)
    engine = CompareEngine(Corpus([alone]), None)
    row = FIXTURE["sentences"][15]
    with pytest.raises(CompareError, match="no other article"):
        engine.similar(alone, row["start"], row["end"])
    with pytest.raises(CompareError, match="same article on both sides"):
        align_articles(alone, alone)


def test_a_corpus_of_nothing_but_punctuation() -> None:
    article = Article("dots", "... --- !!!\n\n???", title="Dots")
    other = Article("more", "--- ...", title="More")
    engine = CompareEngine(Corpus([article, other]), None)
    engine.ensure_index()
    with pytest.raises(CompareError, match="no words"):
        engine.similar(article, 0, 11)


def test_a_five_megabyte_article(corpus: Corpus) -> None:
    paragraph = (SEEDS / f"{ORIGINAL}.txt").read_text(encoding="utf-8")
    words = "lorem ipsum dolor sit amet consectetur " * 130_000  # one line, no full stop
    text = (paragraph + "\n\n") * 20 + words
    assert len(text.encode("utf-8")) > 5_000_000
    big = Article("big", text, title="Big")
    engine = CompareEngine(Corpus([*corpus.articles, big]), None)
    engine.ensure_index()
    rows = engine.index.rows_of("big")
    assert len(rows) > 5000
    assert max(engine.index.ends[rows] - engine.index.starts[rows]) <= MAX_UNIT
    # Its long line is cut at spaces, and a passage of it is compared in its first part.
    result = engine.similar(big, len(text) - len(words), len(text))
    assert "compared its first" in result.notice
    # A sentence of the big article still finds the original, and the original finds the big one.
    paraphrase = corpus.get(PARAPHRASE)
    row = FIXTURE["sentences"][20]
    found = engine.similar(paraphrase, row["start"], row["end"], top=30)
    assert {m.article_id for m in found.matches} == {ORIGINAL, "big"}


def test_index_cache_ignores_other_files(tmp_path: Path) -> None:
    cache = IndexCache(tmp_path)
    assert cache.get("0" * 64) is None
