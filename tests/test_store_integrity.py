"""Damage is always seen, and repair loses nothing: checksums, lost files, ``check --repair``.

Every case here went unnoticed before store files carried checksums and a
list of articles: a deleted file read as an empty article, a changed label
was used as it was, and the printed recovery (copy ``.prev`` back) lost the
last save.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest
from tinydb import TinyDB

from tui.cli.main import main
from tui.core.corpus import Article
from tui.core.record import new_annotation
from tui.core.store import Store, load_tables
from tui.core.store import files as durable
from tui.core.store.errors import DamagedStoreError

TEXT = "".join(f"Sentence {i} says something about the alliance. " for i in range(300))


def article(article_id: str = "world/nato-1") -> Article:
    return Article(id=article_id, text=TEXT, title="t")


def make(art: Article, start: int, end: int, annotator: str = "ann", **extra) -> dict:
    return new_annotation(article_id=art.id, text=art.text, article_sha256=art.sha256, start=start,
                          end=end, label="claim", annotator=annotator, **extra)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(argv))
    return code, out.getvalue()


ARTICLE_IDS = ("world/nato-1", "one", "two", "good", "bad", "other")


def check(store: Store, *extra: str) -> tuple[int, str]:
    corpus = store.root.parent / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": TEXT}) + "\n" for i in ARTICLE_IDS))
    return run("check", "--store", str(store.root), "--corpus", str(corpus), *extra)


def fill(store: Store, art: Article, count: int) -> list[dict]:
    """``count`` annotations saved one by one (journal, compactions, backups all in play)."""
    return [store.add(make(art, 40 * i, 40 * i + 8)) for i in range(count)]


@pytest.fixture
def store(store_dir: Path) -> Store:
    return Store(store_dir)


def ids(records) -> list[str]:
    return sorted(r["id"] for r in records)


# -- a deleted article file ---------------------------------------------------------------------

@pytest.mark.parametrize("count", [1, 3, 40])
def test_a_deleted_article_file_is_reported_refused_and_restored_with_the_last_save(
        store: Store, count: int) -> None:
    art = article()
    saved = fill(store, art, count)
    store.update(art.id, saved[-1]["id"], note="the very last save")
    expected = Store(store.root).for_article(art.id)
    path = store.path_for(art.id)
    path.unlink()
    code, out = check(store)
    assert code == 1 and "missing store file" in out and str(path) in out
    with pytest.raises(DamagedStoreError, match="deleted or moved"):
        Store(store.root).for_article(art.id)
    code, out = check(store, "--repair")
    assert code == 0, out
    assert f"restored {count} annotation" in out
    fresh = Store(store.root)
    assert fresh.for_article(art.id) == expected
    assert fresh.get(art.id, saved[-1]["id"])["note"] == "the very last save"


def test_an_article_whose_files_are_all_gone_is_reported(store: Store) -> None:
    art = article()
    fill(store, art, 3)
    fill(store, article("other"), 2)
    stem = store.path_for(art.id).name[:-len(".json")]
    for path in store.articles_dir.iterdir():
        if path.name.startswith(stem):
            path.unlink()
    code, out = check(store)
    assert code == 1
    assert "world/nato-1" in out and "nothing is left to restore it from" in out
    code, out = check(store, "--repair")
    assert code == 1 and "nothing is left to restore it from" in out


def test_a_deleted_journal_is_reported_not_read_as_empty(store: Store) -> None:
    # Copying only the *.json files of a store, say, leaves the journals behind.
    art = article()
    fill(store, art, 40)
    state = store._state(art.id)
    journal = state.paths.journal(state.gen)
    assert state.seq > 0, "the last saves must be in the journal for this test"
    journal.unlink()
    with pytest.raises(DamagedStoreError, match="journal"):
        Store(store.root).for_article(art.id)
    code, out = check(store)
    assert code == 1 and str(journal) in out


# -- a changed byte -----------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new"), [(b'"label"', b'"lbael"'), (b'"claim"', b'"clain"'),
                                          (b'"a note"', b'"a nose"'), (b'"start":40', b'"start":41')])
def test_one_changed_byte_that_leaves_valid_json_is_damage(store: Store, old: bytes, new: bytes) -> None:
    art = article()
    first = store.add(make(art, 0, 8, note="a note"))
    second = store.add(make(art, 40, 48))
    path = store.path_for(art.id)
    raw = path.read_bytes()
    assert raw.count(old) >= 1
    changed = raw.replace(old, new, 1)
    json.loads(changed)  # still valid JSON: only a checksum can tell
    path.write_bytes(changed)
    with pytest.raises(DamagedStoreError, match="checksum mismatch") as caught:
        Store(store.root).for_article(art.id)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(DamagedStoreError):
        Store(store.root).add(make(art, 80, 88))  # refused, not written over
    assert path.read_bytes() == changed
    code, out = check(store)
    assert code == 1 and f"damaged: {path}" in out and "checksum mismatch" in out
    code, out = check(store, "--repair")
    assert code == 0, out
    assert Store(store.root).for_article(art.id) == [first, second]
    assert Path(f"{path}.damaged").read_bytes() == changed


def test_a_file_edited_outside_redline_is_damage_even_when_its_content_is_sound(store: Store) -> None:
    art = article()
    store.add(make(art, 0, 8))
    path = store.path_for(art.id)
    path.write_text(json.dumps(json.loads(path.read_bytes()), indent=2))
    with pytest.raises(DamagedStoreError, match="changed outside redline"):
        Store(store.root).for_article(art.id)


# -- journal lines --------------------------------------------------------------------------------

def _journal_with_saves(store: Store, art: Article) -> tuple[Path, list[dict]]:
    saved = fill(store, art, 40)
    state = store._state(art.id)
    assert state.seq >= 2
    return state.paths.journal(state.gen), saved


def test_a_damaged_copy_in_a_journal_line_is_refused_and_repaired_from_the_other(store: Store) -> None:
    art = article()
    journal, _saved = _journal_with_saves(store, art)
    expected = Store(store.root).for_article(art.id)
    lines = journal.read_bytes().split(b"\n")
    first, tab, second = lines[1].partition(b"\t")
    lines[1] = first.replace(b"claim", b"clXim") + tab + second
    journal.write_bytes(b"\n".join(lines))
    with pytest.raises(DamagedStoreError, match="line 2: checksum mismatch in its first copy"):
        Store(store.root).for_article(art.id)
    code, out = check(store, "--repair")
    assert code == 0, out
    assert "line 2 from the second copy" in out
    assert Store(store.root).for_article(art.id) == expected


def test_a_journal_line_damaged_in_both_copies_is_reported_as_lost(store: Store) -> None:
    art = article()
    journal, _saved = _journal_with_saves(store, art)
    lines = journal.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"claim", b"clXim")
    journal.write_bytes(b"\n".join(lines))
    code, out = check(store)
    assert code == 1 and "both copies" in out
    code, out = check(store, "--repair")
    assert code == 1
    assert "COULD NOT RESTORE: line 3 of" in out


def test_a_removed_journal_line_is_seen(store: Store) -> None:
    art = article()
    journal, _saved = _journal_with_saves(store, art)
    lines = journal.read_bytes().split(b"\n")
    del lines[1]
    journal.write_bytes(b"\n".join(lines))
    with pytest.raises(DamagedStoreError, match="a line is missing"):
        Store(store.root).for_article(art.id)


def test_a_torn_last_journal_line_is_not_damage_and_the_next_save_cuts_it(store: Store) -> None:
    art = article()
    journal, _saved = _journal_with_saves(store, art)
    expected = Store(store.root).for_article(art.id)
    with journal.open("ab") as handle:
        handle.write(b"0badc0de {\"n\": 99, \"op\": \"put\", \"rec")  # a save killed mid-write
    assert Store(store.root).for_article(art.id) == expected
    code, _out = check(store)
    assert code == 0
    writer = Store(store.root)
    added = writer.add(make(art, 3000, 3008))
    assert Store(store.root).for_article(art.id) == sorted(
        [*expected, added], key=lambda r: (r["start"], r["end"], r["id"]))
    assert b"0badc0de" not in journal.read_bytes()


def test_a_journal_moved_from_another_article_is_damage(store: Store) -> None:
    one, two = article("one"), article("two")
    journal_one, _ = _journal_with_saves(store, one)
    journal_two, _ = _journal_with_saves(store, two)
    os.replace(journal_one, journal_two)
    with pytest.raises(DamagedStoreError, match="belongs to 'one'"):
        Store(store.root).for_article("two")


# -- what the app sees ------------------------------------------------------------------------------

def test_counts_keep_healthy_articles_and_name_the_damaged_one(store: Store) -> None:
    good, bad = article("good"), article("bad")
    fill(store, good, 2)
    fill(store, bad, 2)
    path = store.path_for("bad")
    path.write_bytes(path.read_bytes().replace(b"claim", b"clXim", 1))
    fresh = Store(store.root)
    assert fresh.counts(skip_damaged=True) == {"good": {"ann": 2}}
    assert [(err.article_id, err.path) for err in fresh.damaged] == [("bad", str(path))]


def test_a_damaged_reading_state_is_reported_and_restored_from_its_backup(store: Store) -> None:
    store.set_position("ann", "a", 10)
    store.set_position("ann", "a", 20)
    path = store.reader_path("ann")
    path.write_bytes(path.read_bytes().replace(b'"a":20', b'"a":29'))
    with pytest.raises(DamagedStoreError, match="checksum mismatch"):
        Store(store.root).reading_state("ann")
    code, out = check(store, "--repair")
    assert code == 0, out
    assert "restored the reading state of 'ann'" in out
    assert Store(store.root).reading_state("ann")["positions"] == {"a": 10}


# -- the format of record ---------------------------------------------------------------------------

def test_plain_tinydb_reads_every_annotation_after_compaction(store: Store) -> None:
    art = article()
    saved = fill(store, art, 40)
    store.delete(art.id, saved[5]["id"])
    store.compact(art.id)
    db = TinyDB(store.path_for(art.id), access_mode="r")
    try:
        in_tinydb = db.table("annotations").all()
    finally:
        db.close()
    assert sorted(map(dict, in_tinydb), key=lambda r: r["id"]) == \
        sorted(store.for_article(art.id), key=lambda r: r["id"])


def test_files_of_an_older_redline_are_read_noted_and_upgraded_by_repair(store: Store) -> None:
    art = article()
    record = make(art, 0, 8)
    legacy = {"annotations": {"1": record},
              "_meta": {"1": {"owner": art.id, "kind": "annotations", "format": 1}}}
    store.path_for(art.id).write_text(json.dumps(legacy))
    assert Store(store.root).for_article(art.id) == [record]
    code, out = check(store)
    assert code == 0 and "carry no checksum" in out
    code, out = check(store, "--repair")
    assert code == 0 and "rewritten with a checksum" in out
    assert load_tables(store.path_for(art.id))["_meta"]["1"]["format"] == 2
    code, out = check(store)
    assert "carry no checksum" not in out
    added = store.add(make(art, 40, 48))  # and it takes new saves as any other
    assert Store(store.root).for_article(art.id) == [record, added]


# -- folders ------------------------------------------------------------------------------------

def test_the_store_folders_are_made_durable_in_their_parents(tmp_path: Path, monkeypatch) -> None:
    synced: list[Path] = []
    real = durable.fsync_dir
    monkeypatch.setattr(durable, "fsync_dir", lambda folder: synced.append(Path(folder)) or real(folder))
    root = tmp_path / "deep" / "store"
    Store(root)
    assert tmp_path in synced and tmp_path / "deep" in synced and root in synced


def test_odd_text_survives_the_journal_and_compaction(store: Store) -> None:
    # A lone surrogate (from a file that was not UTF-8), controls, tabs, newlines, RTL, emoji.
    art = article()
    note = "bad \udcff byte, tab\there,\nnew line, \u202eRTL, \x1b[31m, 👍🏽 \u2028"
    records = [store.add(make(art, 40 * i, 40 * i + 8, note=note)) for i in range(3)]
    assert Store(store.root).for_article(art.id) == records  # read back from the journal
    store.compact(art.id)
    assert Store(store.root).for_article(art.id) == records  # and from the TinyDB file
    assert check(store)[0] == 0


def test_an_imported_article_is_read_from_its_base_and_its_journal_is_still_checked(
        store: Store, monkeypatch) -> None:
    from tui.core.store import article_files

    art = article()
    store.add_many([make(art, 40 * i, 40 * i + 8) for i in range(50)])
    parsed: list[int] = []
    real = article_files.decode_lines
    monkeypatch.setattr(article_files, "decode_lines",
                        lambda raw, *a, **k: parsed.append(len(raw)) or real(raw, *a, **k))
    assert len(Store(store.root).for_article(art.id)) == 50
    assert parsed == []  # the journal's 50 lines are in the base: not parsed again
    journal = store._state(art.id).paths.journal(1)
    journal.write_bytes(journal.read_bytes()[:1000])  # but cutting them off is still seen
    with pytest.raises(DamagedStoreError, match="shorter than its base says"):
        Store(store.root).for_article(art.id)
