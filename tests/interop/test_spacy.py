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
        # Passages are not entities: doc.ents stays unset (missing), never "no entity".
        assert list(doc.ents) == [] and {t.ent_iob_ for t in doc} == {""}
    assert total == len(test_set.records)


def test_per_annotator_docbins_hold_each_annotators_spans(test_set, tmp_path) -> None:
    from spacy.tokens import DocBin

    export(test_set, "spacy", tmp_path / "train.spacy", "--per-annotator")
    nlp = spacy.blank("en")
    for name in ("alice", "bob"):
        docs = list(DocBin().from_disk(tmp_path / f"train.{name}.spacy").get_docs(nlp.vocab))
        spans = sum(len(doc.spans["sc"]) for doc in docs)
        assert spans == len(test_set.by_annotator(name))


# Entity corrections on the emoji article: (quote, type, annotator).
CORRECTIONS = [("東京", "GPE", "alice"), ("Tuesday", "DATE", "alice"), ("café́", "ORG", "alice"),
               ("東京", "LOC", "bob")]


def test_docbin_ents_are_each_reviewed_annotators_corrections(test_set, tmp_path) -> None:
    import shutil

    from spacy.tokens import DocBin

    from tests.interop.conftest import EMOJI_ID, redline
    from tui.core.record import new_annotation
    from tui.core.store import Store

    store = tmp_path / "store"
    shutil.copytree(test_set.store, store)
    article = test_set.articles[EMOJI_ID]
    corrections = []
    for quote, label, annotator in CORRECTIONS:
        start = article.text.index(quote)
        corrections.append(new_annotation(
            article_id=article.id, text=article.text, article_sha256=article.sha256, start=start,
            end=start + len(quote), label=label, annotator=annotator, kind="entity",
            suggested_by="spacy:en_core_web_sm 3.8.0"))
    Store(store).add_many(corrections)
    Store(store).set_done("alice", EMOJI_ID, True)
    out = tmp_path / "ner.spacy"
    err = redline("export", "--format", "spacy", "--kind", "entity", "--per-annotator", "--store", store,
                  "--corpus", test_set.corpus, "--out", out).stderr
    assert "1 entity correction in 1 article not marked done" in err  # bob's
    nlp = spacy.blank("en")
    (doc,) = DocBin().from_disk(tmp_path / "ner.alice.spacy").get_docs(nlp.vocab)
    assert doc.text == article.text and not doc.spans
    wanted = sorted((r["start"], r["end"], r["label"]) for r in corrections if r["annotator"] == "alice")
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == wanted
    assert all(s is not None for s in strict_spans(doc, wanted))
    assert {t.ent_iob_ for t in doc if not t.ent_type_} == {"O"}  # reviewed: the rest is no entity
    assert list(DocBin().from_disk(tmp_path / "ner.bob.spacy").get_docs(nlp.vocab)) == []


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
