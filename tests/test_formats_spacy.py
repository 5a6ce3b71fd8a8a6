"""spaCy DocBin: spans in doc.spans[key], doc.ents only where no spans overlap."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.tokens import DocBin

from tests.test_formats_native import article, sample, span
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
    assert [(e.text, e.label_) for e in second.ents] == [("minister", "claim"),
                                                         ("the budget was balanced", "quote")]
    assert first.user_data["redline"]["article_id"] == "a1"


def test_overlapping_spans_leave_ents_empty_and_say_so(tmp_path: Path) -> None:
    art = article("The Tokyo delegation objected.")
    records = [span(art, "Tokyo delegation"), span(art, "delegation", "quote", "bob")]
    options = Options()
    module("spacy").export_file([(art, records)], tmp_path / "t.spacy", options)
    (doc,) = load(tmp_path / "t.spacy")
    assert len(doc.spans["sc"]) == 2 and list(doc.ents) == []
    assert options.notes and "doc.ents are left empty" in options.notes[0]
