"""spaCy DocBin: spans in doc.spans[key], doc.ents only where no spans overlap."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.tokens import DocBin

from tests.test_formats_native import article, sample, span
from tests.test_formats_prodigy import NEWS, corrected, entity
from tui.core.formats import module
from tui.core.formats.common import Options


def load(path: Path) -> list:
    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def test_docbin_holds_every_span_on_the_right_text(tmp_path: Path) -> None:
    art, records = sample()
    other = article("The minister said the budget was balanced.", "a2")
    plain = [span(other, "minister"), span(other, "the budget was balanced", "quote")]
    path = tmp_path / "train.spacy"
    options = Options(spans_key="claims")
    count = module("spacy").export_file([(art, records), (other, plain)], path, options)
    assert count == len(records) + len(plain)
    first, second = load(path)
    assert first.text == art.text and second.text == other.text
    assert [(s.start_char, s.end_char, s.label_) for s in first.spans["claims"]] == [
        (r["start"], r["end"], r["label"]) for r in records]
    for doc in (first, second):
        for item in doc.spans["claims"]:
            strict = doc.char_span(item.start_char, item.end_char, alignment_mode="strict")
            assert strict is not None and (strict.start, strict.end) == (item.start, item.end)
    # Passages are not entities: with no entity corrections, every token's entity is unknown.
    for doc in (first, second):
        assert list(doc.ents) == [] and {t.ent_iob_ for t in doc} == {""}
    assert first.user_data["redline"]["article_id"] == "a1"


def test_overlapping_passages_stay_in_the_span_group_and_overlapping_entities_are_counted(
        tmp_path: Path) -> None:
    art = article("The Tokyo delegation objected.")
    records = [span(art, "Tokyo delegation"), span(art, "delegation", "quote", "bob")]
    options = Options()
    module("spacy").export_file([(art, records)], tmp_path / "t.spacy", options)
    (doc,) = load(tmp_path / "t.spacy")
    assert len(doc.spans["sc"]) == 2 and list(doc.ents) == [] and options.notes == []
    records = [entity(art, "Tokyo delegation", "ORG"), entity(art, "Tokyo", "GPE")]
    module("spacy").export_file([(art, records)], tmp_path / "t.spacy", options)
    assert list(load(tmp_path / "t.spacy")) == []  # nothing a Doc could hold
    assert "overlapping entity corrections: their doc.ents are left unset" in options.notes[0]


def ents(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_doc_ents_are_the_corrections_and_passages_stay_in_the_span_group(tmp_path: Path) -> None:
    art = article(NEWS)
    mine = [r for r in corrected(art) if r["annotator"] == "ann"]
    options = Options()
    count = module("spacy").export_file([(art, mine)], tmp_path / "t.spacy", options)
    (doc,) = load(tmp_path / "t.spacy")
    assert count == len(mine) and options.notes == []
    assert ents(doc) == [("Jens Stoltenberg", "PERSON"), ("NATO", "ORG"), ("Tuesday", "DATE")]
    assert [(s.text, s.label_) for s in doc.spans["sc"]] == [("Jens Stoltenberg met officials", "claim")]
    for e in doc.ents:  # on token edges, as spaCy's strict alignment finds them
        strict = doc.char_span(e.start_char, e.end_char, alignment_mode="strict")
        assert strict is not None and (strict.start, strict.end) == (e.start, e.end)
    # Reviewed: every other token is "no entity", as Prodigy's ner.correct trains it.
    assert {t.ent_iob_ for t in doc if not t.ent_type_} == {"O"}


def test_unreviewed_corrections_are_left_out_or_written_with_the_rest_missing(tmp_path: Path) -> None:
    art = article(NEWS)
    mine = [r for r in corrected(art) if r["annotator"] == "ann"]
    options = Options(reviewed=lambda who, article_id: False)
    module("spacy").export_file([(art, mine)], tmp_path / "t.spacy", options)
    (doc,) = load(tmp_path / "t.spacy")
    assert list(doc.ents) == [] and len(doc.spans["sc"]) == 1
    assert "3 entity corrections in 1 article not marked done" in options.notes[0]
    options = Options(reviewed=lambda who, article_id: False, unreviewed_entities=True)
    module("spacy").export_file([(art, mine)], tmp_path / "t.spacy", options)
    (doc,) = load(tmp_path / "t.spacy")
    assert ents(doc) == [("Jens Stoltenberg", "PERSON"), ("NATO", "ORG"), ("Tuesday", "DATE")]
    assert {t.ent_iob_ for t in doc if not t.ent_type_} == {""}  # missing: never "no entity"


def test_annotators_who_differ_leave_ents_unset_and_those_who_agree_fill_them(tmp_path: Path) -> None:
    art = article(NEWS)
    options = Options()
    module("spacy").export_file([(art, corrected(art))], tmp_path / "t.spacy", options)
    (doc,) = load(tmp_path / "t.spacy")
    assert list(doc.ents) == [] and len(doc.spans["sc"]) == 2
    assert "1 article has entity corrections that differ between annotators" in options.notes[0]
    same = [entity(art, "NATO", "ORG"), entity(art, "NATO", "ORG", "bob")]
    options = Options()
    count = module("spacy").export_file([(art, same)], tmp_path / "t.spacy", options)
    (doc,) = load(tmp_path / "t.spacy")
    assert ents(doc) == [("NATO", "ORG")] and count == 2 and options.notes == []


def test_the_lean_add_reads_back_as_docbins_own_add(tmp_path: Path) -> None:
    # add_lean stores fewer strings than DocBin.add (export speed); the Docs read back must
    # be the same: words, spaces, entities with their IOB, span groups with labels and ids,
    # user data.
    from spacy.tokens import Span

    from tui.core.formats.spacy_docbin import ATTRS, add_lean

    nlp = spacy.blank("en")
    doc = nlp("Ms. Ökland 👍🏽 told Reuters on Monday that 東京 would host 31 leaders.")
    doc.set_ents([Span(doc, 1, 2, label="PERSON"), Span(doc, 4, 5, label="ORG")],
                 default="outside")
    doc.spans["sc"] = [Span(doc, 0, 5, label="claim", kb_id="Q1", span_id="s1"),
                       Span(doc, 3, 12, label="factual error")]
    doc.user_data["redline"] = {"article_id": "a1", "title": "T"}
    own, lean = DocBin(attrs=ATTRS, store_user_data=True), DocBin(attrs=ATTRS, store_user_data=True)
    own.add(doc)
    add_lean(lean, doc)

    def read(bin_: DocBin):
        (back,) = DocBin().from_bytes(bin_.to_bytes()).get_docs(spacy.blank("en").vocab)
        return ([(t.text, t.whitespace_, t.ent_iob_, t.ent_type_) for t in back],
                {key: [(s.start, s.end, s.label_, s.kb_id_, s.id_) for s in group]
                 for key, group in back.spans.items()},
                back.user_data)

    assert read(lean) == read(own)
    assert read(lean)[1]["sc"][0] == (0, 5, "claim", "Q1", "s1")
