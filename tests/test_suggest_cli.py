"""``redline suggest``, and provenance through the store, export and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli.main import COMMANDS, main
from tui.core.corpus import load_corpus
from tui.core.record import new_annotation, ordered, problems
from tui.core.store import Store
from tui.core.suggest.review import Review

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARTICLE = "004_cf8e7ec26fa382d2"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def seeds():
    return load_corpus([str(SEEDS)])


def test_suggest_is_a_command() -> None:
    assert COMMANDS["suggest"] == "tui.cli.commands.suggest"


def test_suggest_prints_jsonl_with_offsets_reasons_and_speakers(capsys, tmp_path, seeds) -> None:
    code, out, err = run(capsys, "suggest", ARTICLE, "--kind", "quote", "--json", "--corpus", SEEDS,
                         "--store", tmp_path / "store")
    assert code == 0, err
    text = seeds.get(ARTICLE).text
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 9
    for line in lines:
        assert text[line["start"]:line["end"]] == line["quote"]
        assert line["kind"] == "quote" and line["label"] == "quote" and line["article_id"] == ARTICLE
        assert line["reason"].startswith("speech: ") and line["suggested_by"] == "rule:quotation/1"
    assert [line["speaker"] for line in lines].count("Christoph Heusgen") == 6
    assert "’" in out  # readable, not ASCII-escaped


def test_suggest_kinds_combine_and_the_plain_output_is_one_line_each(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "suggest", ARTICLE, "--kind", "claim", "--kind", "entity",
                       "--corpus", SEEDS, "--store", tmp_path / "store")
    assert code == 0
    kinds = {line.split("\t")[2] for line in out.splitlines()}
    assert kinds == {"claim", "entity"}
    assert "figure: " in out and "reporting verb: said" in out and "spaCy: PERSON" in out


def test_rejected_and_annotated_suggestions_are_left_out_unless_all(capsys, tmp_path, seeds) -> None:
    store_dir = tmp_path / "store"
    argv = ["suggest", ARTICLE, "--kind", "quote", "--json", "--corpus", SEEDS, "--store", store_dir,
            "--annotator", "ann"]
    _, out, _ = run(capsys, *argv)
    first, second = (json.loads(line) for line in out.splitlines()[:2])
    article = seeds.get(ARTICLE)
    from tui.core.suggest import suggest

    review = Review(Store(store_dir), article, "ann", suggest(article.text, [], kinds=["quote"]))
    review.reject(review.find(first["id"]))
    review.accept(review.find(second["id"]))
    _, out, _ = run(capsys, *argv)
    left = [json.loads(line)["id"] for line in out.splitlines()]
    assert first["id"] not in left and second["id"] not in left and len(left) == 7
    _, out, _ = run(capsys, *argv[:-2], "--annotator", "bob")
    assert len(out.splitlines()) == 9
    _, out, _ = run(capsys, *argv, "--all")
    assert len(out.splitlines()) == 9


def test_suggest_output_is_terminal_safe(capsys, tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "odd.txt").write_text("“Stop \x1b[2J\u202e now, please, all of you,” said Ana Ruiz.\n",
                                    encoding="utf-8")
    code, out, _ = run(capsys, "suggest", "--corpus", corpus, "--store", tmp_path / "store", "--json",
                       "--model", "rule-based")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out
    quote = next(q for q in map(json.loads, out.splitlines()) if q["kind"] == "quote")
    assert quote["quote"].startswith("Stop \x1b[2J\u202e") and quote["speaker"] == "Ana Ruiz"
    code, out, _ = run(capsys, "suggest", "--corpus", corpus, "--store", tmp_path / "store",
                       "--model", "rule-based")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out


def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "suggest", "no-such-article", "--corpus", SEEDS, "--store", tmp_path)
    assert code == 2 and err.startswith("redline: error: no article with id 'no-such-article'")
    assert len(err.splitlines()) == 1
    with pytest.raises(SystemExit) as exit_info:
        main(["suggest", "--kind", "quotes", "--corpus", str(SEEDS)])
    assert exit_info.value.code == 2


# -- provenance in the record, the store and the exports -----------------------------------------

def provenanced(seeds, store_dir: Path) -> list[dict]:
    """Accepted suggestions of two kinds, and a hand-made annotation, in a store."""
    from tui.core.suggest import suggest

    article = seeds.get(ARTICLE)
    review = Review(Store(store_dir), article, "ann", suggest(article.text, [], kinds=["quote"]))
    quote = review.accept(review.pending[0])
    start = article.text.index("Christoph Heusgen")
    entity = review.add_entity(start, start + len("Christoph Heusgen"), "PERSON")
    hand = new_annotation(article_id=article.id, text=article.text, article_sha256=article.sha256,
                          start=0, end=14, label="claim", annotator="bob")
    Store(store_dir).add(hand)
    return [quote, entity, hand]


def test_records_keep_provenance_and_old_records_stay_version_1(seeds, tmp_path) -> None:
    quote, entity, hand = provenanced(seeds, tmp_path / "store")
    assert (quote["schema_version"], entity["schema_version"], hand["schema_version"]) == (2, 2, 1)
    assert "kind" not in hand and "suggested_by" not in hand
    assert entity["kind"] == "entity"
    assert list(ordered({**quote, "extra": 1})) == list(quote)
    assert problems({**hand, "kind": "entity"}) == ["fields 'kind' and 'suggested_by' need schema_version 2"]
    assert problems({**quote, "kind": "span?"})[0].startswith("field 'kind' must be one of span, entity")
    assert problems({**quote, "suggested_by": ""}) == ["field 'suggested_by' must be a non-empty string"]
    stored = {r["id"]: r for r in Store(tmp_path / "store").for_article(ARTICLE)}
    assert stored[quote["id"]] == quote and stored[entity["id"]] == entity


def test_native_export_import_round_trip_is_byte_identical_with_provenance(capsys, seeds, tmp_path) -> None:
    provenanced(seeds, tmp_path / "store")
    common = ["--corpus", SEEDS]
    code, first, err = run(capsys, "export", "--store", tmp_path / "store", *common)
    assert code == 0, err
    lines = [json.loads(line) for line in first.splitlines()]
    assert [line.get("suggested_by") for line in lines].count("rule:quotation/1") == 1
    assert [line.get("kind") for line in lines].count("entity") == 1
    assert list(lines[0])[-1] == "offset_unit"
    exported = tmp_path / "first.jsonl"
    exported.write_text(first, encoding="utf-8")
    # The entity's label (PERSON) is not in labels.toml: entity corrections are still imported.
    code, _, err = run(capsys, "import", exported, "--store", tmp_path / "again", *common)
    assert code == 0, err
    _, second, _ = run(capsys, "export", "--store", tmp_path / "again", *common)
    assert second == first


def test_unknown_labels_of_passages_are_still_refused_on_import(capsys, seeds, tmp_path) -> None:
    provenanced(seeds, tmp_path / "store")
    _, out, _ = run(capsys, "export", "--store", tmp_path / "store", "--corpus", SEEDS)
    lines = [json.loads(line) for line in out.splitlines()]
    bad = [{**line, "label": "PERSON"} if line.get("kind") != "entity" else line for line in lines]
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in bad), encoding="utf-8")
    code, _, err = run(capsys, "import", path, "--store", tmp_path / "other", "--corpus", SEEDS)
    assert code != 0 and "unknown label 'PERSON'" in err
