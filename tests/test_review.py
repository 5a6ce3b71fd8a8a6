"""Review in the core: groups, decisions into gold, the review log, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.config import ConfigError, load_settings
from tui.core.corpus import load_corpus
from tui.core.record import new_annotation
from tui.core.review import Review, ReviewError, ReviewLog, Version, articles_to_review
from tui.core.store import Store

ARTICLE = "000_ad06741e8de65daf"
HEADLINE = "Conflicting Views On NATO’s Alliance In Asia"


@pytest.fixture
def corpus(seeds_dir: Path):
    return load_corpus([seeds_dir])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


def tag(store: Store, article, who: str, quote: str, label: str = "claim", note: str = "") -> dict:
    start = article.text.index(quote)
    return store.add(new_annotation(article_id=article.id, text=article.text,
                                    article_sha256=article.sha256, start=start,
                                    end=start + len(quote), label=label, annotator=who, note=note))


def setup_article(store: Store, article) -> None:
    push = "There may be a push for greater involvement from Asia-Pacific leaders"
    tag(store, article, "ann", push, note="vague")
    tag(store, article, "bo", push, note="vague")  # agreed
    tag(store, article, "ann", HEADLINE, "quote")  # disagree on the edges
    tag(store, article, "bo", "Conflicting Views On NATO’s Alliance", "quote", note="shorter")
    tag(store, article, "ann", "Stoltenberg", "factual error", note="spelling?")  # ann only
    tag(store, article, "gold", "Macron")  # gold is never a version


def test_groups_versions_and_agreement(store: Store, corpus) -> None:
    article = corpus.get(ARTICLE)
    setup_article(store, article)
    review = Review.open(store, article, "gold", "rev")
    assert review.annotators == ["ann", "bo"]
    assert [(g.agreed, len(g.versions)) for g in review.groups] == [(False, 2), (True, 1), (False, 1)]
    quote_group = review.groups[0]
    assert [(v.quote, v.by, v.notes) for v in quote_group.versions] == [
        ("Conflicting Views On NATO’s Alliance", ("bo",), (("bo", "shorter"),)),
        (HEADLINE, ("ann",), ()),
    ]
    assert review.remaining == 2
    assert [v.quote for v in review.agreed_pending()][0].startswith("There may be a push")
    assert "2 of 2 disagreements left" in review.summary()
    assert "gold holds 1" in review.summary()


def test_accept_writes_gold_and_settles_the_group(store: Store, corpus) -> None:
    article = corpus.get(ARTICLE)
    setup_article(store, article)
    review = Review.open(store, article, "gold", "rev")
    version = review.groups[0].versions[1]  # ann's full headline
    saved = review.accept(version)
    assert (saved["annotator"], saved["quote"], saved["label"]) == ("gold", HEADLINE, "quote")
    assert review.groups[0].state == "accepted"
    assert review.remaining == 1
    assert review.version_state(version) == "gold"
    assert review.version_state(review.groups[0].versions[0]) == ""
    # A new session sees the same: the decision is the gold record itself.
    again = Review.open(store, article, "gold", "someone else")
    assert again.remaining == 1


def test_edit_before_accepting(store: Store, corpus) -> None:
    article = corpus.get(ARTICLE)
    setup_article(store, article)
    review = Review.open(store, article, "gold", "rev")
    version = review.groups[2].versions[0]  # Stoltenberg, ann's note "spelling?"
    assert version.joined_note() == "spelling?"
    start = article.text.index("Stoltenberg and others")
    saved = review.accept(version, start=start, end=start + len("Stoltenberg and others"),
                          label="claim", note="checked: [bold]fine[/]")
    assert (saved["quote"], saved["label"], saved["note"]) == (
        "Stoltenberg and others", "claim", "checked: [bold]fine[/]")
    assert review.groups[2].state == "accepted"  # an edited version still settles its place
    with pytest.raises(ReviewError):
        review.accept(version, start=5, end=5)


def test_reject_is_durable_and_all_rejected_settles(store: Store, corpus) -> None:
    article = corpus.get(ARTICLE)
    setup_article(store, article)
    review = Review.open(store, article, "gold", "rev")
    first, second = review.groups[0].versions
    review.reject(first)
    assert review.groups[0].state == "open"
    assert review.version_state(first) == "rejected"
    review.reject(second)
    assert review.groups[0].state == "rejected"
    assert review.remaining == 1
    reopened = Review.open(store, article, "gold", "rev")
    assert reopened.remaining == 1
    assert reopened.rejected == {first.key, second.key}
    # Another gold name has its own log.
    assert Review.open(store, article, "gold2", "rev").rejected == set()
    # Rejections are not annotations: nothing new in the store.
    assert all(r["annotator"] != "rev" for r in store.for_article(ARTICLE))


def test_accept_agreed_in_one_step(store: Store, corpus) -> None:
    article = corpus.get(ARTICLE)
    setup_article(store, article)
    review = Review.open(store, article, "gold", "rev")
    assert review.accept_agreed() == 1
    gold = [r for r in store.for_article(ARTICLE) if r["annotator"] == "gold"]
    assert sorted(r["quote"][:12] for r in gold) == ["Macron", "There may be"]
    assert next(r for r in gold if r["quote"].startswith("There"))["note"] == "vague"
    assert review.agreed_pending() == []
    assert review.accept_agreed() == 0


def test_undo(store: Store, corpus) -> None:
    article = corpus.get(ARTICLE)
    setup_article(store, article)
    review = Review.open(store, article, "gold", "rev")
    review.accept(review.groups[0].versions[0])
    review.reject(review.groups[2].versions[0])
    assert review.remaining == 0
    assert review.undo().kind == "reject"
    assert review.remaining == 1
    assert review.undo().kind == "accept"
    assert review.remaining == 2
    assert [r["quote"] for r in store.for_article(ARTICLE) if r["annotator"] == "gold"] == ["Macron"]
    assert review.undo() is None
    assert Review.open(store, article, "gold", "rev").remaining == 2


def test_a_torn_log_line_is_skipped_and_the_next_starts_fresh(store: Store, corpus) -> None:
    article = corpus.get(ARTICLE)
    log = ReviewLog(store.root, "gold")
    version = Version(0, 3, "claim", article.text[0:3], ("ann",))
    log.record(ARTICLE, version, "rejected", "rev")
    with log.path(ARTICLE).open("ab") as handle:
        handle.write(b'{"article_id": "000_ad06741e8de65daf", "start": 5, "en')  # killed mid-write
    assert log.rejected(ARTICLE) == {(0, 3, "claim")}
    other = Version(4, 9, "quote", article.text[4:9], ("bo",))
    log.record(ARTICLE, other, "rejected", "rev")
    assert log.rejected(ARTICLE) == {(0, 3, "claim"), (4, 9, "quote")}


def test_unwritable_log_is_a_clear_error(store: Store, corpus, tmp_path: Path) -> None:
    article = corpus.get(ARTICLE)
    (store.root / "review").write_text("not a folder")
    log = ReviewLog(store.root, "gold")
    with pytest.raises(ReviewError, match="cannot save the review decision"):
        log.record(ARTICLE, Version(0, 3, "claim", article.text[0:3], ("ann",)), "rejected", "rev")


def test_one_annotator_has_nothing_to_compare(store: Store, corpus) -> None:
    article = corpus.get(ARTICLE)
    tag(store, article, "ann", "Stoltenberg")
    review = Review.open(store, article, "gold", "rev")
    assert review.disagreements == [] and review.remaining == 0
    assert "only ann worked on it" in review.summary()


def test_done_with_nothing_makes_every_span_a_disagreement(store: Store, corpus) -> None:
    article = corpus.get(ARTICLE)
    tag(store, article, "ann", "Stoltenberg")
    store.set_done("bo", ARTICLE, True)
    review = Review.open(store, article, "gold", "rev")
    assert review.annotators == ["ann", "bo"]
    assert review.remaining == 1


def test_articles_to_review_in_corpus_order(store: Store, corpus) -> None:
    first, second, third = corpus.articles[:3]
    tag(store, third, "ann", "the")
    tag(store, third, "bo", "the")
    tag(store, first, "ann", "the")
    tag(store, first, "gold", "the")  # gold does not make a second annotator
    tag(store, second, "ann", "the")
    store.set_done("bo", second.id, True)
    assert articles_to_review(store, corpus, "gold") == [second.id, third.id]


def test_gold_name_in_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[review]\ngold = "curated"\n', encoding="utf-8")
    assert load_settings(path).gold == "curated"
    path.write_text("", encoding="utf-8")
    assert load_settings(path).gold == "gold"
    path.write_text('[review]\ngold = " "\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="gold"):
        load_settings(path)


def test_span_index_finds_what_trying_all_finds() -> None:
    import random

    from tui.core.matching import SpanIndex, overlapping

    rng = random.Random(3)
    for _ in range(200):
        spans = [(s, s + rng.randint(1, 40)) for s in (rng.randint(0, 200) for _ in range(rng.randint(0, 12)))]
        index = SpanIndex(spans)
        for _ in range(10):
            start = rng.randint(0, 220)
            probe = (start, start + rng.randint(1, 40))
            assert index.any_overlapping(probe) == any(overlapping(probe, s) for s in spans)
