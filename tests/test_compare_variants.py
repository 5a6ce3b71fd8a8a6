"""Spelling variants of names across a corpus, and what tells two people apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.compare.variants import corpus_variants, find_variants
from tui.core.corpus import load_corpus
from tui.core.entities import Entity, EntityCache, find_pipeline, load_recognizer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PARAPHRASE = "001_826f388884ecbe55"


def mentions(*articles: tuple[str, list[tuple[str, str]]]):
    """(article id, [(name, label), ...]) -> what find_variants reads, with real offsets."""
    for article_id, names in articles:
        entities, position = [], 0
        for name, label in names:
            entities.append(Entity(position, position + len(name), label, name))
            position += len(name) + 1
        yield article_id, entities


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory):
    corpus = load_corpus([str(SEEDS)])
    info = find_pipeline()
    cache = EntityCache(tmp_path_factory.mktemp("store"))
    return corpus, corpus_variants(corpus.articles, load_recognizer(info), cache)


def test_stolenberg_is_flagged_beside_stoltenberg(seeds_report) -> None:
    corpus, report = seeds_report
    assert [(v.variant.text, v.majority.text) for v in report.variants] == [
        ("Stolenberg", "Stoltenberg")]
    variant = report.variants[0]
    assert variant.label == "PERSON"
    assert variant.variant.count == 1 and variant.majority.count >= 10
    assert len(variant.majority.articles) == 5
    text = corpus.get(PARAPHRASE).text
    marks = report.marks_for(PARAPHRASE, text)
    assert [(text[m.start:m.end], m.majority) for m in marks] == [("Stolenberg", "Stoltenberg")]
    assert "what Stolenberg, the general secretary" in text[marks[0].start - 5:marks[0].end + 25]
    assert report.marks_for("000_ad06741e8de65daf", corpus.get("000_ad06741e8de65daf").text) == []
    for occurrence in variant.majority.occurrences:
        assert corpus.get(occurrence.article_id).text[occurrence.start:occurrence.end] == "Stoltenberg"


def test_a_rare_misspelling_of_a_common_name() -> None:
    report = find_variants(mentions(
        ("a", [("Jens Stoltenberg", "PERSON"), ("Stoltenberg", "ORG"), ("Stoltenberg", "GPE")]),
        ("b", [("Stoltenberg’s", "PERSON"), ("Stolenberg", "PERSON")]),
    ))
    assert [(v.variant.text, v.majority.text, v.label) for v in report.variants] == [
        ("Stolenberg", "Stoltenberg", "PERSON")]
    assert report.marks_for("b")[0].text == "Stolenberg"


def test_two_people_with_similar_names_are_not_merged() -> None:
    # Both spellings come with given names, and none is shared: two people.
    report = find_variants(mentions(
        ("a", [("Boris Johnson", "PERSON")] * 6),
        ("b", [("Ian Johnston", "PERSON")] * 2),
    ))
    assert report.variants == []


def test_a_shared_given_name_is_the_same_person() -> None:
    report = find_variants(mentions(
        ("a", [("Boris Johnson", "PERSON")] * 6),
        ("b", [("Boris Jonhson", "PERSON")]),
    ))
    assert [(v.variant.text, v.majority.text) for v in report.variants] == [("Jonhson", "Johnson")]


def test_frequencies_that_are_not_lopsided_are_two_names() -> None:
    # British and American spellings, or two real places, each used often.
    report = find_variants(mentions(
        ("a", [("Defence Ministry", "ORG")] * 4),
        ("b", [("Defense Ministry", "ORG")] * 3),
    ))
    assert report.variants == []


def test_types_that_never_meet_are_two_names() -> None:
    report = find_variants(mentions(
        ("a", [("Gorlitz", "GPE")] * 6),
        ("b", [("Gorlits", "PRODUCT")]),
    ))
    assert report.variants == []


def test_case_acronyms_and_short_names_are_left_alone() -> None:
    report = find_variants(mentions(
        ("a", [("NATO", "ORG")] * 6 + [("Paris", "GPE")] * 6 + [("Kim", "PERSON")] * 6),
        ("b", [("Nato", "ORG"), ("NATA", "ORG"), ("PARIS", "GPE"), ("Kin", "PERSON")]),
    ))
    assert report.variants == []


def test_only_names_one_edit_apart() -> None:
    report = find_variants(mentions(
        ("a", [("Macron", "PERSON")] * 6 + [("Albanese", "PERSON")] * 6),
        ("b", [("Mcaorn", "PERSON"), ("Albaneze", "PERSON"), ("Macorn", "PERSON")]),
    ))
    assert [(v.variant.text, v.majority.text) for v in report.variants] == [
        ("Albaneze", "Albanese"), ("Macorn", "Macron")]
