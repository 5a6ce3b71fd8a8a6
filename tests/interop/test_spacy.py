"""spaCy loads the DocBin and the Prodigy JSONL; every span aligns strictly on the right text."""

from __future__ import annotations

import json

import pytest

from tests.interop.conftest import export

spacy = pytest.importorskip("spacy", reason="spaCy is needed (pip install -e '.[test]')")


def strict_spans(doc, spans) -> list:
    return [doc.char_span(start, end, label=label, alignment_mode="strict") for start, end, label in spans]


def test_docbin_loads_with_every_span_strictly_aligned(test_set, tmp_path) -> None:
    from spacy.tokens import DocBin

    path = tmp_path / "train.spacy"
    err = export(test_set, "spacy", path)
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    assert len(docs) == len(test_set.articles)
    total = 0
    overlapping_docs = 0
    for doc in docs:
        article = test_set.articles[doc.user_data["redline"]["article_id"]]
        assert doc.text == article.text
        wanted = []
        for record in (r for r in test_set.records if r["article_id"] == article.id):
            # spaCy's English tokenizer does not split CJK: such a selection is widened to the
            # whole token, and the export says so.
            expanded = doc.char_span(record["start"], record["end"], alignment_mode="expand")
            wanted.append((expanded.start_char, expanded.end_char, record["label"]))
            if (expanded.start_char, expanded.end_char) != (record["start"], record["end"]):
                assert f"at {record['start']}-{record['end']} aligned to token edges" in err
        got = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"])
        assert got == sorted(wanted)
        again = strict_spans(doc, got)
        assert all(span is not None for span in again)
        assert [span.text for span in again] == [article.text[s:e] for s, e, _ in got]
        total += len(got)
        if len(doc.ents) == 0:
            overlapping_docs += 1
        else:
            assert sorted((e.start_char, e.end_char, e.label_) for e in doc.ents) == got
    assert total == len(test_set.records)
    assert f"spacy: {overlapping_docs} articles have overlapping spans" in err


def test_per_annotator_docbins_hold_ents_where_each_annotator_did_not_overlap(test_set, tmp_path) -> None:
    from spacy.tokens import DocBin

    export(test_set, "spacy", tmp_path / "train.spacy", "--per-annotator")
    nlp = spacy.blank("en")
    for name in ("alice", "bob"):
        docs = list(DocBin().from_disk(tmp_path / f"train.{name}.spacy").get_docs(nlp.vocab))
        spans = sum(len(doc.spans["sc"]) for doc in docs)
        assert spans == len(test_set.by_annotator(name))
        assert any(len(doc.ents) for doc in docs)


def test_prodigy_lines_load_into_spacy_strictly(test_set, tmp_path) -> None:
    path = tmp_path / "prodigy.jsonl"
    export(test_set, "prodigy", path)
    nlp = spacy.blank("en")
    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        task = json.loads(line)
        doc = nlp.make_doc(task["text"])
        assert [t.text for t in doc] == [t["text"] for t in task["tokens"]]
        spans = strict_spans(doc, [(s["start"], s["end"], s["label"]) for s in task["spans"]])
        assert all(span is not None for span in spans)
        doc.spans["sc"] = spans
        count += len(spans)
    assert count == len(test_set.records)
