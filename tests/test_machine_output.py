"""Every machine-readable output escapes what could drive a terminal when it is printed.

A title, id, quote, note or entity may hold C1 controls (U+009B is a one-byte
CSI on some terminals) and bidi overrides (U+202E reverses what follows).
``redline ... --json`` and the exports write them as ``\\uXXXX``: the same JSON
value, inert bytes. Checked through the command line, for each command.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli.main import main
from tui.core.corpus import load_corpus
from tui.core.record import new_annotation
from tui.core.store import Store

CSI, RLO = "\x9b", "\u202e"
STEM = f"evil{RLO}name{CSI}31m"
TEXT = (f"Bulletin {RLO}from{CSI}31m Brussels\n\n"
        f"Secretary-General Jens{RLO}Stoltenberg met Emmanuel Macron in Paris. "
        f"NATO chief Jens{CSI}Stoltenberg visited Tokyo on Monday.\n")


def assert_inert(out: str) -> list[str]:
    """No raw C1 or bidi control in ``out``, but both there escaped. Returns the lines."""
    for char in (CSI, RLO, "\x85", "\u2028"):
        assert char not in out
    assert "\\u009b" in out and "\\u202e" in out
    return [line for line in out.splitlines() if line.strip()]


def values(out: str, fmt: str = "jsonl") -> list:
    """The JSON values written: one per line, or one document (Label Studio's task list)."""
    if fmt == "labelstudio":
        return json.loads(out)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus whose one article has a hostile name and text, and a store with annotations."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"{STEM}.txt").write_text(TEXT, encoding="utf-8")
    (article,) = load_corpus([corpus]).articles
    store_dir = tmp_path / "store"
    store = Store(store_dir)
    start = TEXT.index("Jens")
    store.add(new_annotation(
        article_id=article.id, text=TEXT, article_sha256=article.sha256, start=start,
        end=start + len(f"Jens{RLO}Stoltenberg"), label="claim", annotator="tester",
        note=f"a note {RLO}with{CSI} controls"))
    return corpus, store_dir


def add_orphan(store_dir: Path) -> None:
    """An annotation made on a version of the text that is gone."""
    old = f"Gone text with {RLO}reversed{CSI} words.\n"
    Store(store_dir).add(new_annotation(
        article_id=STEM, text=old, article_sha256="0" * 64, start=15, end=len(old) - 2,
        label="quote", annotator="tester"))


def test_list_json(hostile, capsys) -> None:
    corpus, store = hostile
    assert main(["list", str(corpus), "--store", str(store), "--json"]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    (item,) = values(out)
    assert item["id"] == STEM and RLO in item["title"] and CSI in item["title"]


def test_stats_json(hostile, capsys) -> None:
    _corpus, store = hostile
    assert main(["stats", "--store", str(store), "--json"]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    assert values(out)[0]["articles"] == {STEM: 1}


def test_check_json(hostile, capsys) -> None:
    corpus, store = hostile
    add_orphan(store)
    main(["check", "--store", str(store), "--corpus", str(corpus), "--json"])
    out = capsys.readouterr().out
    assert_inert(out)
    (orphan,) = values(out)[0]["orphans"]
    assert orphan["article_id"] == STEM and RLO in orphan["quote"]


@pytest.mark.parametrize("fmt", ["native", "prodigy", "doccano", "labelstudio", "w3c"])
def test_exports(hostile, capsys, fmt: str) -> None:
    corpus, store = hostile
    argv = ["export", "--store", str(store), "--corpus", str(corpus), "--format", fmt,
            "--out", "-"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    assert f"Jens{RLO}Stoltenberg" in json.dumps(values(out, fmt), ensure_ascii=False)


def test_entities(hostile, capsys) -> None:
    corpus, store = hostile
    assert main(["entities", STEM, "--corpus", str(corpus), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    found = values(out)
    assert all(TEXT[e["start"]:e["end"]] == e["text"] for e in found)
    assert {f"Jens{RLO}Stoltenberg", f"Jens{CSI}Stoltenberg"} <= {e["text"] for e in found}
