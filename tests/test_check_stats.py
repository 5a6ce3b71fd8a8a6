"""``redline check`` and ``redline stats`` on the seeds."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tui.cli.commands import check, stats
from tui.cli.main import main
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


def test_check_on_a_missing_store_names_the_folder_it_looked_for(tmp_path: Path, seeds_dir: Path) -> None:
    root = tmp_path / "none"
    assert main(["check", "--store", str(root), "--corpus", str(seeds_dir)]) == 2
    assert not root.exists()


def test_check_reports_a_damaged_file_and_repair_restores_every_annotation(filled, capsys) -> None:
    store, seeds = filled
    path = sorted(store.articles_dir.glob("*.json"))[1]
    path.write_bytes(path.read_bytes()[:50])  # torn
    assert run("check", "--store", str(store.root), "--corpus", str(seeds)) == 1
    out = capsys.readouterr().out
    assert f"damaged: {path}" in out and "redline check --repair" in out
    assert "1 problem: 6 files, 12 annotations" in out
    assert path.read_bytes()  # kept
    assert run("check", "--store", str(store.root), "--corpus", str(seeds), "--repair") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"repaired: {path}: restored 3 annotations")
    assert "ok: 6 files, 15 annotations" in out


def test_check_reports_records_that_do_not_match_their_article(filled, capsys) -> None:
    store, seeds = filled
    article = load_corpus([seeds]).articles[0]
    good = new_annotation(article_id=article.id, text=article.text, article_sha256=article.sha256,
                          start=300, end=310, label="claim", annotator="ann")
    store.add(dict(good, start=301, end=311))  # same length, wrong place: only the text tells
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
    root = tmp_path / "empty"
    root.mkdir()
    assert run("stats", "--store", str(root)) == 0
    assert capsys.readouterr().out.startswith("0 annotations in 0 articles by 0 annotators")


def test_stats_says_one_annotator_not_one_annotators(store_dir: Path, seeds_dir: Path, capsys) -> None:
    article = load_corpus([seeds_dir]).articles[0]
    Store(store_dir).add(new_annotation(article_id=article.id, text=article.text,
                                        article_sha256=article.sha256, start=0, end=5,
                                        label="claim", annotator="ann"))
    assert run("stats", "--store", str(store_dir)) == 0
    assert capsys.readouterr().out.startswith("1 annotation in 1 article by 1 annotator\n")


@pytest.mark.parametrize("command", [["stats"], ["check"], ["export"], ["check", "--repair"]])
def test_read_only_commands_outside_a_project_name_the_store_they_looked_for(
        tmp_path: Path, seeds_dir: Path, monkeypatch, capsys, command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([*command, "--corpus" if command[0] != "stats" else "--store",
                 str(seeds_dir) if command[0] != "stats" else "annotations"]) == 2
    err = capsys.readouterr().err
    assert err == "redline: error: no annotation store at annotations (give the store folder " \
                  "with --store DIR)\n"
    assert not (tmp_path / "annotations").exists()


def test_list_outside_a_project_lists_the_corpus_and_says_there_is_no_store(
        tmp_path: Path, seeds_dir: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["list", str(seeds_dir)]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("redline: warning: no annotation store at annotations")
    assert len(captured.out.splitlines()) == 5


def test_stats_counts_entity_corrections_apart_from_labels(filled, capsys) -> None:
    store, seeds = filled
    article = load_corpus([seeds]).articles[0]
    for start, label in ((0, "PERSON"), (20, "ORG"), (40, "PERSON")):
        store.add(new_annotation(article_id=article.id, text=article.text, article_sha256=article.sha256,
                                 start=start, end=start + 5, label=label, annotator="ann", kind="entity",
                                 suggested_by="spacy:en_core_web_sm 3.8.0"))
    assert run("stats", "--store", str(store.root), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["annotations"] == 18 and data["annotators"]["ann"] == 12
    assert data["labels"] == {"claim": 10, "quote": 5}
    assert data["entity_corrections"] == {"PERSON": 2, "ORG": 1}
    assert run("stats", "--store", str(store.root)) == 0
    out = capsys.readouterr().out
    assert out.startswith("18 annotations in 5 articles by 2 annotators: 15 passage labels, "
                          "3 entity corrections\n")
    labels, entities = out.split("\nlabel\n")[1].split("\nentity corrections\n")
    assert "PERSON" not in labels and "claim" not in entities
    assert entities.splitlines()[:2] == ["  PERSON        2", "  ORG           1"]


def test_check_reads_the_rejections_files_and_names_a_damaged_one(filled, capsys) -> None:
    from tui.core.store.rejections import Rejections

    store, seeds = filled
    article = load_corpus([seeds]).articles[0]
    rejections = Rejections(store.root)
    rejections.reject("ann", article.id, {"sg-1": {"kind": "entity", "label": "ORG", "start": 0,
                                                   "end": 5, "quote": article.text[:5]}})
    rejections.reject("bob", article.id, {"sg-2": {"kind": "quote", "label": "quote", "start": 0,
                                                   "end": 5, "quote": article.text[:5]}})
    assert run("check", "--store", str(store.root), "--corpus", str(seeds)) == 0
    assert capsys.readouterr().out.startswith("ok: 8 files, 15 annotations")
    torn = rejections.path("ann", article.id)
    torn.write_bytes(torn.read_bytes()[:30])
    moved = rejections.path("bob", article.id)
    stray = moved.with_name("elsewhere.json")
    moved.rename(stray)
    assert run("check", "--store", str(store.root), "--corpus", str(seeds)) == 1
    out = capsys.readouterr().out
    assert f"damaged: {torn}: damaged store file (not a rejections file" in out
    assert f"damaged: {stray}: damaged store file (it holds the rejections of 'bob'" in out
    assert "2 problems: 8 files, 15 annotations" in out
    assert torn.read_bytes()  # kept as it was
    assert run("check", "--store", str(store.root), "--corpus", str(seeds), "--json") == 1
    assert len(json.loads(capsys.readouterr().out)["damaged"]) == 2
