"""``redline compare`` and ``redline variants`` on the seeds, with a private store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main as cli
from tui.core.compare import sentence_units
from tui.core.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURE = json.loads((ROOT / "tests" / "fixtures" / "alignment_001_000.json").read_text("utf-8"))
PARAPHRASE, ORIGINAL = FIXTURE["article"], FIXTURE["other"]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus([str(SEEDS)])


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_with_prints_the_alignment_as_jsonl(capsys, tmp_path: Path, corpus) -> None:
    code, out, err = run(capsys, "compare", PARAPHRASE, "--with", ORIGINAL, "--json",
                         "--corpus", str(SEEDS), "--store", str(tmp_path))
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    a_text, b_text = corpus.get(PARAPHRASE).text, corpus.get(ORIGINAL).text
    pairs = {}
    for row in rows:
        assert set(row) >= {"a", "b", "score"}
        for side, text in (("a", a_text), ("b", b_text)):
            if row[side] is not None:
                assert text[row[side]["start"]:row[side]["end"]] == row[side]["text"]
        if row["a"] and row["b"]:
            assert 0.55 <= row["score"] <= 1 and "diff" in row and "changes" in row
        else:
            assert row["score"] is None
        if row["a"]:
            pairs[(row["a"]["start"], row["a"]["end"])] = (
                (row["b"]["start"], row["b"]["end"]) if row["b"] else None)
    for sentence in FIXTURE["sentences"]:
        other = sentence["counterpart"]
        assert pairs[(sentence["start"], sentence["end"])] == (
            (other["start"], other["end"]) if other else None)
    assert len(rows) == len(sentence_units(a_text)) + sum(
        1 for row in rows if row["a"] is None)
    paris = next(row for row in rows if row["a"] and "opposition secretary-general" in row["a"]["text"])
    assert "{+Secretary-General of Paris’+}" in paris["diff"]


def test_compare_with_prints_an_aligned_table(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "compare", PARAPHRASE, "--with", ORIGINAL,
                         "--corpus", str(SEEDS), "--store", str(tmp_path))
    assert code == 0, err
    assert "no counterpart" in out and "13 pairs" in out
    assert "[-Stolenberg-]" in out and "{+Stoltenberg+}" in out


def test_compare_against_the_corpus(capsys, tmp_path: Path, corpus) -> None:
    args = ("compare", PARAPHRASE, "--json", "--top", "2", "--corpus", str(SEEDS),
            "--store", str(tmp_path))
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert "built" in err
    rows = [json.loads(line) for line in out.splitlines()]
    firsts = {(r["a"]["start"], r["a"]["end"]): r for r in rows if r["rank"] in (1, None)}
    assert len(firsts) == len(FIXTURE["sentences"])
    for sentence in FIXTURE["sentences"]:
        row = firsts[(sentence["start"], sentence["end"])]
        if sentence["counterpart"] is None:
            assert row["b"] is None and "similar enough" in row["note"]
        else:
            assert row["b"]["article"] == ORIGINAL and row["b"]["start"] == sentence["counterpart"]["start"]
            assert row["b"]["title"] == corpus.get(ORIGINAL).title
    # The second run reads the index from the store.
    code, out2, err = run(capsys, *args)
    assert code == 0 and "read from the cache" in err and out2 == out


def test_compare_table_against_the_corpus(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "compare", PARAPHRASE, "--corpus", str(SEEDS),
                         "--store", str(tmp_path))
    assert code == 0, err
    assert "Conflicting Views On NATO’s Alliance In Asia" in out
    assert "13 of 28 sentences have a counterpart" in err


@pytest.mark.parametrize("argv, message", [
    (("compare", "nope"), "no article with id 'nope'"),
    (("compare", PARAPHRASE, "--with", "nope"), "no article with id 'nope'"),
    (("compare", PARAPHRASE, "--with", PARAPHRASE), "same article on both sides"),
])
def test_compare_bad_ids(capsys, tmp_path: Path, argv, message) -> None:
    code, out, err = run(capsys, *argv, "--corpus", str(SEEDS), "--store", str(tmp_path))
    assert code == 2 and out == ""
    assert err.startswith("redline: error: ") and message in err and len(err.splitlines()) == 1


def test_compare_in_a_corpus_of_one_article(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "compare", PARAPHRASE,
                         "--corpus", str(SEEDS / f"{PARAPHRASE}.txt"), "--store", str(tmp_path))
    assert code == 2
    assert "no other article" in err and len(err.strip().splitlines()) == 2  # index line + error


def test_compare_an_article_without_sentences(capsys, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_text("\n \n", encoding="utf-8")
    (corpus / "other.txt").write_text("A sentence with some words in it.\n", encoding="utf-8")
    code, out, err = run(capsys, "compare", "empty", "--corpus", str(corpus), "--store", str(tmp_path))
    assert code == 2 and "has no sentences" in err
    code, out, err = run(capsys, "compare", "other", "--with", "empty", "--corpus", str(corpus),
                         "--store", str(tmp_path))
    assert code == 2 and "has no sentences" in err


@pytest.mark.parametrize("option", [("--top", "0"), ("--threshold", "2"), ("--threshold", "x")])
def test_compare_bad_options(capsys, option) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["compare", PARAPHRASE, *option])
    assert exit_info.value.code == 2


def test_variants(capsys, tmp_path: Path, corpus) -> None:
    code, out, err = run(capsys, "variants", str(SEEDS), "--json", "--store", str(tmp_path))
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["variant"], r["majority"], r["label"]) for r in rows] == [
        ("Stolenberg", "Stoltenberg", "PERSON")]
    (occurrence,) = rows[0]["occurrences"]
    assert occurrence["article"] == PARAPHRASE
    assert corpus.get(PARAPHRASE).text[occurrence["start"]:occurrence["end"]] == "Stolenberg"
    assert len(rows[0]["majority_articles"]) == 5
    code, out, err = run(capsys, "variants", str(SEEDS), "--store", str(tmp_path))
    assert code == 0 and out.startswith("Stolenberg → Stoltenberg  (PERSON)")
    assert "1 spelling variant among 5 articles" in err
