"""Corpus loading: seeds, feeds, and every kind of bad input the brief lists."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from tui.core.corpus import CorpusError, guess_title, load_corpus

SEED_TITLES = {
    "000_ad06741e8de65daf": "Conflicting Views On NATO’s Alliance In Asia",
    "003_f21837b18716d192": "Military alliance looks to the Far East",
    "004_cf8e7ec26fa382d2": "NATO not likely to intervene in an Indo-Pacific conflict, says MSC chief",
}


def test_seeds_load_with_headlines(seeds_dir: Path) -> None:
    corpus = load_corpus([seeds_dir])
    assert [a.id for a in corpus.articles] == sorted(p.stem for p in seeds_dir.glob("*.txt"))
    assert corpus.warnings == []
    for article_id, title in SEED_TITLES.items():
        assert corpus.get(article_id).title == title
    for article in corpus.articles:
        assert article.title not in ("New Telegraph", "beijingwalker", "Nato flag. Photo: iStock")
        assert article.text == (seeds_dir / f"{article.id}.txt").read_bytes().decode("utf-8")
        assert article.words > 300


def test_titles_are_guessed_without_a_catalog(seeds_copy: Path) -> None:
    (seeds_copy / "catalog.toml").unlink()
    corpus = load_corpus([seeds_copy])
    titles = {a.id: a.title for a in corpus.articles}
    assert titles["000_ad06741e8de65daf"] == SEED_TITLES["000_ad06741e8de65daf"]
    assert titles["004_cf8e7ec26fa382d2"] == SEED_TITLES["004_cf8e7ec26fa382d2"]
    assert "Photo" not in titles["003_f21837b18716d192"]
    assert titles["004_cf8e7ec26fa382d2"] != "beijingwalker"


def test_guess_title_skips_captions_and_user_names() -> None:
    text = "someuser\nMEMBER\n- Joined\n- Messages\nBig storm hits the coast tonight\nBody text."
    assert guess_title(text, "x") == "Big storm hits the coast tonight"
    assert guess_title("", "fallback") == "fallback"
    assert guess_title("# A Markdown heading\n\nbody", "x") == "A Markdown heading"


def test_ids_are_relative_paths_without_suffix(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "story one.md").write_text("# Hi there\n\ntext", encoding="utf-8")
    (tmp_path / "-dash.txt").write_text("Dash text here today", encoding="utf-8")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    corpus = load_corpus([tmp_path])
    assert sorted(a.id for a in corpus.articles) == ["-dash", "a/b/story one"]
    single = load_corpus([tmp_path / "-dash.txt"])
    assert [a.id for a in single.articles] == ["-dash"]


def test_empty_file_is_listed_and_empty(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["empty"]
    assert corpus.articles[0].text == "" and corpus.articles[0].words == 0


def test_binary_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "ok.txt").write_text("fine text", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["ok"]
    assert any("image.txt" in w and "binary" in w for w in corpus.warnings)


def test_invalid_utf8_decodes_with_replacement_and_is_marked(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 au lait \xff\xfe end")
    corpus = load_corpus([tmp_path])
    article = corpus.articles[0]
    assert "\ufffd" in article.text and article.text.endswith(" end")
    assert "invalid UTF-8" in article.decode_note
    assert any("bad.txt" in w for w in corpus.warnings)


def test_bom_crlf_and_tabs(tmp_path: Path) -> None:
    raw = "\ufeffTitle line here now\r\n\r\nA\tB  C\r\nD".encode()
    (tmp_path / "crlf.txt").write_bytes(raw)
    article = load_corpus([tmp_path]).articles[0]
    # The BOM is an encoding marker, not text; CRLF and tabs stay.
    assert article.text == "Title line here now\r\n\r\nA\tB  C\r\nD"
    assert article.text.index("\t") == 24


def test_big_article_and_long_line(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(("word " * 200 + "\n\n") * 5200, encoding="utf-8")
    (tmp_path / "line.txt").write_text("x" * 100_000, encoding="utf-8")
    corpus = load_corpus([tmp_path])
    sizes = {a.id: len(a.text) for a in corpus.articles}
    assert sizes["big"] > 5_000_000
    assert sizes["line"] == 100_000


def test_jsonl_feed_warns_with_line_numbers(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "First story text", "title": "First", "source": "Wire"}),
        "{not json",
        json.dumps({"id": "a2", "title": "no text"}),
        "",
        json.dumps({"id": 7, "text": "Numeric id story", "meta": {"k": 1}}),
        json.dumps(["not", "an", "object"]),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = load_corpus([feed])
    assert [a.id for a in corpus.articles] == ["a1", "7"]
    assert corpus.get("a1").title == "First" and corpus.get("a1").source == "Wire"
    assert corpus.get("7").meta == {"k": 1}
    assert any(w.endswith("feed.jsonl:2: skipped: not JSON (Expecting property name enclosed in double quotes)") for w in corpus.warnings)
    assert any(":3:" in w and "text" in w for w in corpus.warnings)
    assert any(":6:" in w for w in corpus.warnings)


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    feed = tmp_path / "f.jsonl"
    feed.write_text(json.dumps({"id": "x", "text": "one"}) + "\n" + json.dumps({"id": "x", "text": "two"}) + "\n")
    corpus = load_corpus([feed])
    assert [a.text for a in corpus.articles] == ["one"]
    assert any("duplicate id 'x'" in w for w in corpus.warnings)


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file"):
        load_corpus([tmp_path / "nope"])


def test_sha256_is_of_the_exact_text(seeds_dir: Path) -> None:
    import hashlib

    article = load_corpus([seeds_dir]).articles[0]
    assert article.sha256 == hashlib.sha256(article.text.encode()).hexdigest()


def test_lazy_loading_reads_files_when_needed_and_settles(tmp_path: Path, seeds_dir: Path) -> None:
    import shutil

    shutil.copytree(seeds_dir, tmp_path / "c")
    (tmp_path / "c" / "image.txt").write_bytes(b"\x00\x01binary\x00" * 50)
    (tmp_path / "c" / "bad.txt").write_bytes(b"caf\xe9")
    eager = load_corpus([tmp_path / "c"])
    lazy = load_corpus([tmp_path / "c"], lazy=True)
    assert not any(article.loaded for article in lazy.articles)
    assert len(lazy) == len(eager) + 1  # the binary file is only known once read
    first = lazy.get("000_ad06741e8de65daf")
    assert first.title == eager.get(first.id).title  # from the catalog, without reading
    assert not first.loaded
    assert first.text == eager.get(first.id).text and first.loaded
    dropped, warnings = lazy.settle()
    assert dropped == ["image"]
    assert any("binary" in w for w in warnings) and any("invalid UTF-8" in w for w in warnings)
    lazy.drop(dropped, warnings)
    assert [a.id for a in lazy.articles] == [a.id for a in eager.articles]
    assert lazy.get("image") is None
    for article in lazy.articles:
        assert article.text == eager.get(article.id).text
        assert article.sha256 == eager.get(article.id).sha256


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("lazy", [False, True])
def test_a_named_pipe_is_skipped_with_a_warning_not_read(tmp_path: Path, lazy: bool) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "stream.jsonl")
    (tmp_path / "good.txt").write_text("Good text.\n")
    def load():
        corpus = load_corpus([tmp_path], lazy=lazy)
        corpus.drop(*corpus.settle())
        loaded.append(corpus)

    loaded: list = []
    # Reading a pipe would block for ever: a thread, so that a regression fails instead.
    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert loaded, "loading the corpus blocked on the named pipe"
    (corpus,) = loaded
    assert [a.id for a in corpus.articles] == ["good"]
    assert any("pipe.txt: skipped: not a regular file" in w for w in corpus.warnings)
    assert any("stream.jsonl: skipped: not a regular file" in w for w in corpus.warnings)
