"""Prodigy JSONL: spaCy's tokens, spans that spaCy aligns strictly."""

from __future__ import annotations

import json

import spacy

from tests.test_formats_native import STAMP, article, export, parse, sample, span
from tui.core.formats import prodigy
from tui.core.record import ENTITY, SPAN, new_annotation

SPACY = "spacy:en_core_web_sm 3.8.0"


def entity(art, quote: str, label: str, annotator: str = "ann", suggested_by: str | None = None,
           occurrence: int = 0) -> dict:
    """An entity correction: accepted (with ``suggested_by``), relabelled, or added by hand."""
    start = -1
    for _ in range(occurrence + 1):
        start = art.text.index(quote, start + 1)
    return new_annotation(article_id=art.id, text=art.text, article_sha256=art.sha256, start=start,
                          end=start + len(quote), label=label, annotator=annotator, now=STAMP,
                          ann_id=f"{art.id}-{start}-{label}-{annotator}", kind=ENTITY,
                          suggested_by=suggested_by)


NEWS = "Jens Stoltenberg met officials of NATO in Tokyo on Tuesday, the ministry said."


def corrected(art) -> list[dict]:
    """Passages by two annotators, and each one's entity corrections."""
    records = [span(art, "Jens Stoltenberg met officials"), span(art, "the ministry said", "quote", "bob"),
               entity(art, "Jens Stoltenberg", "PERSON", suggested_by=SPACY),  # accepted
               entity(art, "NATO", "ORG", suggested_by=SPACY),  # relabelled from GPE: same provenance
               entity(art, "Tuesday", "DATE"),  # missed by the model, added by hand
               entity(art, "Jens Stoltenberg", "PERSON", "bob", suggested_by=SPACY),
               entity(art, "Tokyo", "GPE", "bob", suggested_by=SPACY)]
    return sorted(records, key=lambda r: (r["start"], r["end"], r["id"]))


def test_every_span_aligns_strictly_with_spacy() -> None:
    art, records = sample()
    text, opts = export(prodigy, [(art, records)])
    (line,) = text.splitlines()
    task = json.loads(line)
    assert task["text"] == art.text and task["answer"] == "accept"
    assert task["meta"] == {"id": "a1", "source": "Wire", "title": "A title"}
    nlp = spacy.blank("en")
    doc = nlp(task["text"])
    assert [(t["text"], t["start"], t["id"], t["ws"]) for t in task["tokens"]] == [
        (t.text, t.idx, t.i, bool(t.whitespace_)) for t in doc]
    assert all(task["text"][t["start"]:t["end"]] == t["text"] for t in task["tokens"])
    assert len(task["spans"]) == len(records)
    for item in task["spans"]:
        aligned = doc.char_span(item["start"], item["end"], label=item["label"], alignment_mode="strict")
        assert aligned is not None, item
        assert (aligned.start, aligned.end - 1) == (item["token_start"], item["token_end"])
    doc.spans["sc"] = [doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
                       for s in task["spans"]]
    assert len(doc.spans["sc"]) == len(records)


def test_a_span_inside_a_word_widens_to_its_tokens_with_a_warning() -> None:
    art = article("The governors met on Tuesday.")
    record = span(art, "overnor")
    text, opts = export(prodigy, [(art, [record])])
    (item,) = json.loads(text)["spans"]
    assert art.text[item["start"]:item["end"]] == "governors"
    assert any("aligned to token edges 4-13" in w for w in opts.warnings)


def test_a_span_of_only_whitespace_is_left_out_with_a_warning() -> None:
    art = article("One two")
    record = span(art, " ")  # the space after a token belongs to it: no token of its own
    text, opts = export(prodigy, [(art, [record])])
    assert json.loads(text)["spans"] == []
    assert "covers no token" in opts.warnings[0]


def test_parse_takes_meta_id_and_skips_rejected_examples() -> None:
    lines = [
        json.dumps({"text": "a b", "spans": [{"start": 0, "end": 1, "label": "claim"}], "meta": {"id": "x"}}),
        json.dumps({"text": "a b", "spans": [{"start": 2, "end": 3, "label": "claim"}], "answer": "reject"}),
        json.dumps({"text": "a b", "spans": [{"start": 2, "label": "claim"}]}),
    ]
    found = parse(prodigy, "\n".join(lines))
    assert [(c.article_id, c.start, c.end, c.label) for c in found[:1]] == [("x", 0, 1, "claim")]
    assert found[1].where == "f.jsonl:3" and "needs start, end, label" in found[1].error


def test_overlapping_entities_are_counted_and_overlapping_passages_are_not() -> None:
    art = article("The Tokyo delegation objected.")
    passages = [span(art, "Tokyo delegation"), span(art, "delegation", "quote", "bob")]
    _, opts = export(prodigy, [(art, passages)])
    assert opts.notes == []  # a spans_manual task holds overlapping spans
    entities = [entity(art, "Tokyo delegation", "ORG"), entity(art, "Tokyo", "GPE")]
    _, opts = export(prodigy, [(art, entities)])
    (note,) = opts.notes
    assert note.startswith("prodigy: 1 entity span overlap") and "doc.ents" in note


def test_lines_are_terminal_safe() -> None:
    art = article("Spoof \u202etxt.exe\u202c and \x9b2J here.", title="csi \x9b title")
    text, _ = export(prodigy, [(art, [span(art, "Spoof")])])
    assert "\u202e" not in text and "\x9b" not in text and "\\u202e" in text and "\\u009b" in text
    assert json.loads(text)["text"] == art.text


def test_entity_corrections_are_ner_manual_tasks_per_annotator_apart_from_passages() -> None:
    art = article(NEWS)
    text, opts = export(prodigy, [(art, corrected(art))])
    passages, ann, bob = (json.loads(line) for line in text.splitlines())
    assert passages["_view_id"] == "spans_manual" and "_annotator_id" not in passages
    assert [(s["label"]) for s in passages["spans"]] == ["claim", "quote"]
    assert ann["_view_id"] == bob["_view_id"] == "ner_manual"
    assert (ann["_annotator_id"], ann["_session_id"], bob["_annotator_id"]) == ("ann", "ann", "bob")
    assert all(task["answer"] == "accept" and task["meta"]["id"] == "a1" for task in (ann, bob))
    assert [(art.text[s["start"]:s["end"]], s["label"], s.get("source")) for s in ann["spans"]] == [
        ("Jens Stoltenberg", "PERSON", SPACY), ("NATO", "ORG", SPACY), ("Tuesday", "DATE", None)]
    assert [(art.text[s["start"]:s["end"]], s["label"]) for s in bob["spans"]] == [
        ("Jens Stoltenberg", "PERSON"), ("Tokyo", "GPE")]
    nlp = spacy.blank("en")
    for task in (ann, bob):
        doc = nlp.make_doc(task["text"])
        assert [t.text for t in doc] == [t["text"] for t in task["tokens"]]
        ents = [doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
                for s in task["spans"]]
        assert all(e is not None for e in ents)
        assert [(e.start, e.end - 1) for e in ents] == [(s["token_start"], s["token_end"]) for s in task["spans"]]
        doc.set_ents(ents, default="outside")  # what Prodigy's ner.correct training does
        assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in ents]
    assert opts.notes == [] and opts.warnings == []


def test_only_reviewed_articles_make_ner_data_unless_asked() -> None:
    art = article(NEWS)
    text, opts = export(prodigy, [(art, corrected(art))], reviewed=lambda who, article_id: who == "ann")
    tasks = [json.loads(line) for line in text.splitlines()]
    assert [(t["_view_id"], t.get("_annotator_id")) for t in tasks] == [("spans_manual", None),
                                                                         ("ner_manual", "ann")]
    (note,) = opts.notes
    assert note.startswith("prodigy: 2 entity corrections in 1 article not marked done") and "left out" in note
    text, opts = export(prodigy, [(art, corrected(art))], reviewed=lambda who, article_id: who == "ann",
                        unreviewed_entities=True)
    assert [json.loads(line).get("_annotator_id") for line in text.splitlines()] == [None, "ann", "bob"]
    assert "written too" in opts.notes[0]


def test_parse_reads_entity_tasks_as_entity_corrections_with_provenance_and_annotator() -> None:
    art = article(NEWS)
    text, _ = export(prodigy, [(art, corrected(art))])
    found = parse(prodigy, text)
    got = sorted((c.kind, c.annotator, art.text[c.start:c.end], c.label, c.suggested_by) for c in found)
    assert got == sorted([
        (SPAN, None, "Jens Stoltenberg met officials", "claim", None),
        (SPAN, None, "the ministry said", "quote", None),
        (ENTITY, "ann", "Jens Stoltenberg", "PERSON", SPACY), (ENTITY, "ann", "NATO", "ORG", SPACY),
        (ENTITY, "ann", "Tuesday", "DATE", None),
        (ENTITY, "bob", "Jens Stoltenberg", "PERSON", SPACY), (ENTITY, "bob", "Tokyo", "GPE", SPACY)])
    # A task Prodigy's ner.correct saved: the model's span carries its source.
    saved = {"text": "Start-Up Fervor in Silicon Valley", "_view_id": "ner_manual", "answer": "accept",
             "_annotator_id": "news-alice", "_session_id": "news-alice",
             "spans": [{"start": 19, "end": 33, "token_start": 3, "token_end": 4, "label": "LOCATION",
                        "source": "en_newshead_lg/", "input_hash": 1469554448}]}
    (candidate,) = parse(prodigy, json.dumps(saved))
    assert (candidate.kind, candidate.label, candidate.annotator, candidate.suggested_by) == (
        ENTITY, "LOCATION", "news-alice", "en_newshead_lg/")
