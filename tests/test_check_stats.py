"""``redline check`` and ``redline stats`` on the seeds."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tui.cli.commands import check, stats
from tui.core.corpus import load_corpus
from tui.core.record import new_annotation
from tui.core.store import Store


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="redline")
    sub = parser.add_subparsers()
    check.register(sub)
    stats.register(sub)
    args = parser.parse_args(list(argv))
    return args.func(args)


@pytest.fixture
def filled(store_dir: Path, seeds_copy: Path) -> tuple[Store, Path]:
    store = Store(store_dir)
    corpus = load_corpus([seeds_copy])
    for number, article in enumerate(corpus.articles):
        for k in range(3):
            store.add(new_annotation(
                article_id=article.id, text=article.text, article_sha256=article.sha256,
                start=100 + 20 * k, end=110 + 20 * k, label=("claim", "quote")[k % 2],
                annotator=("ann", "bob")[number % 2]))
    store.set_done("ann", corpus.articles[0].id, True)
    store.set_done("ann", corpus.articles[2].id, True)
    return store, seeds_copy


def test_check_passes_on_a_healthy_store(filled, capsys) -> None:
    store, seeds = filled
    assert run("check", "--store", str(store.root), "--corpus", str(seeds)) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: 6 files, 15 annotations")


def test_check_on_a_missing_store_is_fine_and_creates_nothing(tmp_path: Path, seeds_dir: Path, capsys) -> None:
    root = tmp_path / "none"
    assert run("check", "--store", str(root), "--corpus", str(seeds_dir)) == 0
    assert "no store there yet" in capsys.readouterr().out
    assert not root.exists()


def test_check_reports_a_damaged_file_with_the_way_back(filled, capsys) -> None:
    store, seeds = filled
    path = sorted(store.articles_dir.glob("*.json"))[1]
    path.write_bytes(path.read_bytes()[:50])  # torn
    assert run("check", "--store", str(store.root), "--corpus", str(seeds)) == 1
    out = capsys.readouterr().out
    assert f"damaged: {path}" in out and "cp " in out and ".prev" in out
    assert "1 problem: 6 files, 12 annotations" in out
    assert path.read_bytes()  # kept


def test_check_reports_records_that_do_not_match_their_article(filled, capsys) -> None:
    store, seeds = filled
    path = sorted(store.articles_dir.glob("*.json"))[0]
    data = json.loads(path.read_bytes())
    doc = next(iter(data["annotations"].values()))
    doc["start"] += 1
    doc["end"] += 1  # same length, wrong place
    path.write_text(json.dumps(data))
    assert run("check", "--store", str(store.root), "--corpus", str(seeds)) == 1
    assert "quote does not match the text" in capsys.readouterr().out


def test_check_lists_orphans_and_counts_moves(filled, capsys) -> None:
    store, seeds = filled
    corpus = load_corpus([seeds])
    moved, orphaned = corpus.articles[0], corpus.articles[1]
    Path(moved.path).write_text("A new first line.\n" + moved.text, encoding="utf-8")
    Path(orphaned.path).write_text("All of it rewritten, nothing left of the old story.", encoding="utf-8")
    assert run("check", "--store", str(store.root), "--corpus", str(seeds)) == 1
    out = capsys.readouterr().out
    assert out.count(f"orphan: {orphaned.id} annotation ") == 3
    assert "note: 3 annotations will move" in out
    assert run("check", "--store", str(store.root), "--corpus", str(seeds), "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and len(report["orphans"]) == 3 and report["will_move"] == 3
    # check reads only: the records are as they were.
    assert len(list(store.iter_all())) == 15


def test_stats_counts_labels_annotators_articles_and_done(filled, capsys) -> None:
    store, _ = filled
    assert run("stats", "--store", str(store.root), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["annotations"] == 15
    assert data["labels"] == {"claim": 10, "quote": 5}
    assert data["annotators"] == {"ann": 9, "bob": 6}
    assert sorted(data["articles"].values()) == [3] * 5
    assert len(data["done"]["ann"]) == 2 and "bob" not in data["done"]
    assert run("stats", "--store", str(store.root)) == 0
    out = capsys.readouterr().out
    assert out.startswith("15 annotations in 5 articles by 2 annotators")
    assert "done 2" in out


def test_stats_on_an_empty_store(tmp_path: Path, capsys) -> None:
    assert run("stats", "--store", str(tmp_path / "none")) == 0
    assert capsys.readouterr().out.startswith("0 annotations in 0 articles")
    assert not (tmp_path / "none").exists()
