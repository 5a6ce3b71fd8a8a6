"""Prodigy JSONL: spaCy's tokens, spans that spaCy aligns strictly."""

from __future__ import annotations

import json

import spacy

from tests.test_formats_native import article, export, parse, sample, span
from tui.core.formats import prodigy


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


def test_overlapping_spans_are_counted_for_ner_consumers() -> None:
    art = article("The Tokyo delegation objected.")
    records = [span(art, "Tokyo delegation"), span(art, "delegation", "quote", "bob")]
    _, opts = export(prodigy, [(art, records)])
    (note,) = opts.notes
    assert note.startswith("prodigy: 1 of 2 spans overlap") and "doc.ents" in note


def test_lines_are_terminal_safe() -> None:
    art = article("Spoof \u202etxt.exe\u202c and \x9b2J here.", title="csi \x9b title")
    text, _ = export(prodigy, [(art, [span(art, "Spoof")])])
    assert "\u202e" not in text and "\x9b" not in text and "\\u202e" in text and "\\u009b" in text
    assert json.loads(text)["text"] == art.text
