"""Corrected NER data through the command line: entity corrections made in a review of the
model's entities, exported for Prodigy and spaCy, and read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from tests.test_export_import import run
from tui.core.corpus import load_corpus
from tui.core.entities import Entity, PipelineInfo
from tui.core.record import ENTITY, kind_of, new_annotation
from tui.core.store import Store
from tui.core.store.rejections import Rejections
from tui.core.suggest.entity import suggestions
from tui.core.suggest.review import Review

NEWS = ("Jens Stoltenberg met officials of NATO in Tokyo on Tuesday, the ministry said.\n\n"
        "Critics 👍🏽 said the 東京 meeting changed nothing.")
OTHER = "Angela Merkel spoke in Berlin."
MODEL = PipelineInfo("en_core_web_sm", "3.8.0")
BY = "spacy:en_core_web_sm 3.8.0"


def found(text: str, *items: tuple[str, str]) -> list[Entity]:
    return [Entity(text.index(quote), text.index(quote) + len(quote), label, quote) for quote, label in items]


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Path, Path]:
    """alice reviews the model's entities of "news" (accepts, relabels, rejects, adds one) and
    marks it done; bob accepts one entity of "other" and has not marked it done."""
    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir()
    (corpus / "news.txt").write_text(NEWS, encoding="utf-8")
    (corpus / "other.txt").write_text(OTHER, encoding="utf-8")
    articles = load_corpus([corpus]).by_id
    store = Store(store_dir)
    news = articles["news"]
    model = suggestions(news.text, found(news.text, ("Jens Stoltenberg", "PERSON"), ("NATO", "GPE"),
                                         ("Tokyo", "GPE"), ("the ministry", "ORG")), MODEL)
    review = Review(store, news, "alice", model)
    person, nato, tokyo, ministry = model
    review.accept(person)
    review.accept(nato, label="ORG")  # relabelled
    review.accept(tokyo)
    review.reject(ministry)
    start = news.text.index("Tuesday")
    review.add_entity(start, start + len("Tuesday"), "DATE")  # the model missed it
    start = news.text.index("Critics")
    store.add(new_annotation(article_id=news.id, text=news.text, article_sha256=news.sha256,
                             start=start, end=news.text.index(" meeting"), label="claim", annotator="alice"))
    store.set_done("alice", "news", True)
    other = articles["other"]
    (merkel, _) = suggestions(other.text, found(other.text, ("Angela Merkel", "PERSON"), ("Berlin", "GPE")), MODEL)
    Review(store, other, "bob", [merkel]).accept(merkel)
    return corpus, store_dir


def key(record: dict) -> tuple:
    return (record["article_id"], record["start"], record["end"], record["quote"], record["label"],
            kind_of(record), record.get("suggested_by"), record["annotator"])


def test_the_review_made_the_expected_corrections(reviewed) -> None:
    _, store_dir = reviewed
    records = list(Store(store_dir).iter_all())
    assert sorted((r["quote"], r["label"], r.get("suggested_by")) for r in records if kind_of(r) == ENTITY) == [
        ("Angela Merkel", "PERSON", BY), ("Jens Stoltenberg", "PERSON", BY), ("NATO", "ORG", BY),
        ("Tokyo", "GPE", BY), ("Tuesday", "DATE", None)]
    rejected = Rejections(store_dir).rejected("alice", "news")
    assert [entry["quote"] for entry in rejected.values()] == ["the ministry"]


def test_prodigy_round_trip_gives_the_same_records(reviewed, tmp_path, capsys) -> None:
    corpus, store_dir = reviewed
    path = tmp_path / "ner.jsonl"
    code, _, err = run("export", "--store", store_dir, "--corpus", corpus, "--format", "prodigy",
                       "--unreviewed-entities", "--out", path, capsys=capsys)
    assert code == 0, err
    tasks = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(t["meta"]["id"], t["_view_id"], t.get("_annotator_id")) for t in tasks] == [
        ("news", "spans_manual", "alice"), ("news", "ner_manual", "alice"), ("other", "ner_manual", "bob")]
    code, _, err = run("import", path, "--format", "prodigy", "--store", tmp_path / "again",
                       "--corpus", corpus, capsys=capsys)
    assert code == 0 and err.startswith("6 imported"), err
    assert sorted(map(key, Store(tmp_path / "again").iter_all())) == sorted(
        map(key, Store(store_dir).iter_all()))
    code, _, err = run("import", path, "--format", "prodigy", "--store", tmp_path / "again",
                       "--corpus", corpus, capsys=capsys)
    assert code == 0 and err.startswith("0 imported, 6 already present")


def test_prodigy_ner_tasks_hold_reviewed_corrections_only(reviewed, capsys) -> None:
    corpus, store_dir = reviewed
    code, out, err = run("export", "--store", store_dir, "--corpus", corpus, "--format", "prodigy",
                         "--kind", "entity", capsys=capsys)
    assert code == 0
    (task,) = (json.loads(line) for line in out.splitlines())  # bob has not marked "other" done
    assert task["_view_id"] == "ner_manual" and task["_annotator_id"] == "alice"
    got = [(task["text"][s["start"]:s["end"]], s["label"], s.get("source")) for s in task["spans"]]
    assert got == [("Jens Stoltenberg", "PERSON", BY), ("NATO", "ORG", BY), ("Tokyo", "GPE", BY),
                   ("Tuesday", "DATE", None)]  # not the ministry: alice rejected it
    assert "1 entity correction in 1 article not marked done" in err and "--unreviewed-entities" in err
    nlp = spacy.blank("en")
    doc = nlp.make_doc(task["text"])
    spans = [doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
             for s in task["spans"]]
    doc.set_ents(spans, default="outside")
    assert [(e.text, e.label_) for e in doc.ents] == [(text, label) for text, label, _ in got]
    _, out, _ = run("export", "--store", store_dir, "--corpus", corpus, "--format", "prodigy",
                    "--kind", "span", capsys=capsys)
    assert [json.loads(line)["_view_id"] for line in out.splitlines()] == ["spans_manual"]


def test_spacy_doc_ents_equal_the_corrections(reviewed, tmp_path, capsys) -> None:
    corpus, store_dir = reviewed
    path = tmp_path / "train.spacy"
    code, _, err = run("export", "--store", store_dir, "--corpus", corpus, "--format", "spacy",
                       "--out", path, capsys=capsys)
    assert code == 0, err
    (doc,) = DocBin().from_disk(path).get_docs(spacy.blank("en").vocab)  # "other": not reviewed
    assert doc.user_data["redline"]["article_id"] == "news"
    corrections = sorted((r["start"], r["end"], r["label"]) for r in Store(store_dir).for_article("news")
                         if kind_of(r) == ENTITY and r["annotator"] == "alice")
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == corrections
    for e in doc.ents:
        strict = doc.char_span(e.start_char, e.end_char, alignment_mode="strict")
        assert strict is not None and (strict.start, strict.end) == (e.start, e.end)
    assert "ministry" not in {e.text for e in doc.ents}
    assert [(s.text, s.label_) for s in doc.spans["sc"]] == [("Critics 👍🏽 said the 東京", "claim")]


@pytest.mark.parametrize("fmt", ["w3c", "labelstudio"])
def test_kind_and_provenance_survive_w3c_and_label_studio(fmt, reviewed, tmp_path, capsys) -> None:
    corpus, store_dir = reviewed
    path = tmp_path / f"out.{fmt}"
    assert run("export", "--store", store_dir, "--corpus", corpus, "--format", fmt, "--out", path,
               capsys=capsys)[0] == 0
    # Entity types are not labels of labels.toml: no --add-labels needed.
    code, _, err = run("import", path, "--format", fmt, "--store", tmp_path / "again", "--corpus", corpus,
                       capsys=capsys)
    assert code == 0, err
    assert sorted(map(key, Store(tmp_path / "again").iter_all())) == sorted(
        map(key, Store(store_dir).iter_all()))


def test_kind_filters_every_format_and_unreviewed_entities_only_applies_to_ner_data(reviewed, capsys) -> None:
    corpus, store_dir = reviewed
    _, out, _ = run("export", "--store", store_dir, "--corpus", corpus, "--kind", "entity", capsys=capsys)
    assert {json.loads(line)["kind"] for line in out.splitlines()} == {"entity"}
    assert len(out.splitlines()) == 5
    code, _, err = run("export", "--store", store_dir, "--corpus", corpus, "--unreviewed-entities",
                       capsys=capsys)
    assert code == 2 and "--unreviewed-entities applies to prodigy and spacy" in err
