"""The annotation store: records, duplicates, file names, damage, full disks, reading state.

Each promise is checked in a way stock TinyDB fails: it rewrites its file in
place, caches document ids per instance, treats an empty file as an empty
database, and keeps everything in one file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import shlex
from pathlib import Path

import pytest

from tui.core.corpus import Article
from tui.core.record import new_annotation, problems
from tui.core.store import Store, file_stem, load_tables
from tui.core.store import annotations as store_module
from tui.core.store import files as durable
from tui.core.store.errors import (
    DamagedStoreError,
    InvalidRecordError,
    MissingRecordError,
    ReadOnlyStoreError,
    StoreError,
)

TEXT = (
    "NATO's secretary-general met ministers in Brussels on Tuesday. "
    "He said the alliance would meet its spending goals. "
    "Critics said the goals were out of reach.\n\nThe meeting ended late."
)


def article(article_id: str = "world/nato-1", text: str = TEXT) -> Article:
    return Article(id=article_id, text=text, title="t")


def make(art: Article, start: int, end: int, label: str = "claim", annotator: str = "ann", **extra) -> dict:
    return new_annotation(article_id=art.id, text=art.text, article_sha256=art.sha256,
                          start=start, end=end, label=label, annotator=annotator, **extra)


@pytest.fixture
def store(store_dir: Path) -> Store:
    return Store(store_dir)


# -- records -------------------------------------------------------------------------------

def test_add_returns_the_record_and_it_is_on_disk(store: Store) -> None:
    art = article()
    record = make(art, 0, 6)
    assert store.add(record) == record
    # A brand-new Store (another process, in effect) sees it: it is in the file.
    assert Store(store.root).for_article(art.id) == [record]
    data = json.loads(store.path_for(art.id).read_bytes())
    assert [doc["id"] for doc in data["annotations"].values()] == [record["id"]]


def test_records_keep_their_uuid_not_tinydb_doc_ids(store: Store) -> None:
    art = article()
    records = [make(art, i, i + 5) for i in range(3)]
    for record in records:
        store.add(record)
    store.delete(art.id, records[0]["id"])
    fresh = make(art, 10, 15)
    store.add(fresh)
    assert {r["id"] for r in store.for_article(art.id)} == {records[1]["id"], records[2]["id"], fresh["id"]}
    assert store.get(art.id, records[1]["id"]) == records[1]


def test_duplicate_is_not_added_and_the_existing_record_is_returned(store: Store) -> None:
    art = article()
    first = store.add(make(art, 7, 22, note="first"))
    again = store.add(make(art, 7, 22, note="second try"))
    assert again == first
    assert len(store.for_article(art.id)) == 1
    # Another label, annotator or span is another annotation.
    store.add(make(art, 7, 22, label="quote"))
    store.add(make(art, 7, 22, annotator="bob"))
    store.add(make(art, 7, 23))
    assert len(store.for_article(art.id)) == 4


def test_invalid_records_are_never_written(store: Store) -> None:
    art = article()
    good = make(art, 0, 6)
    bad_quote = dict(good, quote="XXXXXX")
    with pytest.raises(InvalidRecordError, match="quote does not match"):
        store.add(bad_quote, text=art.text)
    with pytest.raises(InvalidRecordError, match="quote length"):
        store.add(dict(good, quote="short"))
    with pytest.raises(InvalidRecordError, match="start"):
        store.add(dict(good, start="0"))
    with pytest.raises(InvalidRecordError, match="missing field"):
        store.add({k: v for k, v in good.items() if k != "annotator"})
    assert store.for_article(art.id) == []
    assert not store.path_for(art.id).exists()


def test_for_article_is_sorted_by_start_end_id(store: Store) -> None:
    art = article()
    for start, end in [(30, 40), (0, 10), (0, 5), (12, 20)]:
        store.add(make(art, start, end))
    spans = [(r["start"], r["end"]) for r in store.for_article(art.id)]
    assert spans == [(0, 5), (0, 10), (12, 20), (30, 40)]


def test_update_changes_fields_and_moves_updated_at(store: Store) -> None:
    art = article()
    record = store.add(make(art, 0, 6, now="2026-01-01T00:00:00.000000Z"))
    changed = store.update(art.id, record["id"], label="factual error", note="wrong")
    assert changed["label"] == "factual error" and changed["note"] == "wrong"
    assert changed["updated_at"] > record["updated_at"]
    assert changed["created_at"] == record["created_at"]
    assert store.get(art.id, record["id"]) == changed


def test_update_of_the_span_with_text_recomputes_quote_and_context(store: Store) -> None:
    art = article()
    record = store.add(make(art, 0, 6))
    changed = store.update(art.id, record["id"], text=art.text, start=7, end=22)
    assert changed["quote"] == art.text[7:22] == "secretary-gener"
    assert problems(changed, art.text) == []
    with pytest.raises(InvalidRecordError):
        store.update(art.id, record["id"], start=0, end=3)  # quote no longer fits the span


def test_update_refuses_identity_fields_and_missing_records(store: Store) -> None:
    art = article()
    record = store.add(make(art, 0, 6))
    with pytest.raises(InvalidRecordError, match="id"):
        store.update(art.id, record["id"], id="other")
    with pytest.raises(InvalidRecordError, match="colour"):
        store.update(art.id, record["id"], colour="red")
    with pytest.raises(MissingRecordError, match="no longer in the store"):
        store.update(art.id, "no-such-id", note="x")


def test_an_older_edit_loses_to_a_later_one(store: Store) -> None:
    art = article()
    record = store.add(make(art, 0, 6, now="2026-01-01T00:00:00.000000Z"))
    store.update(art.id, record["id"], note="later", updated_at="2026-01-03T00:00:00.000000Z")
    kept = store.update(art.id, record["id"], note="earlier", updated_at="2026-01-02T00:00:00.000000Z")
    assert kept["note"] == "later"
    assert store.get(art.id, record["id"])["note"] == "later"


def test_delete_then_restore_puts_the_same_record_back(store: Store) -> None:
    art = article()
    record = store.add(make(art, 0, 6, note="n"))
    removed = store.delete(art.id, record["id"])
    assert removed == record
    assert store.for_article(art.id) == []
    with pytest.raises(MissingRecordError):
        store.delete(art.id, record["id"])
    assert store.restore(removed) == record
    assert store.for_article(art.id) == [record]


def test_iter_all_counts_and_article_ids(store: Store) -> None:
    one, two = article("b-article"), article("a-article")
    store.add(make(one, 0, 6))
    store.add(make(one, 7, 22, annotator="bob"))
    store.add(make(two, 0, 6))
    assert [(r["article_id"], r["start"]) for r in store.iter_all()] == [
        ("a-article", 0), ("b-article", 0), ("b-article", 7)]
    assert store.counts() == {"a-article": {"ann": 1}, "b-article": {"ann": 1, "bob": 1}}
    assert store.article_ids() == ["a-article", "b-article"]


# -- no stale cache: two stores on one folder behave like two processes -----------------------

def test_two_store_objects_never_lose_each_others_writes(store_dir: Path) -> None:
    first, second = Store(store_dir), Store(store_dir)
    art = article()
    for i in range(10):
        first.add(make(art, i, i + 3))
        second.add(make(art, 20 + i, 20 + i + 3, annotator="bob"))
    assert len(first.for_article(art.id)) == 20
    assert first.counts() == {art.id: {"ann": 10, "bob": 10}}
    record = first.for_article(art.id)[0]
    second.delete(art.id, record["id"])
    assert first.get(art.id, record["id"]) is None
    assert first.counts() == {art.id: {"ann": 9, "bob": 10}}


# -- file names ------------------------------------------------------------------------------

HOSTILE_IDS = ["../../x", "..", ".", "/etc/passwd", "CON", "con", "NUL.txt", "a b", "-rf", "--help",
               ".hidden", "a/b", "a_b", "a\\b", "é", "e\u0301", "x" * 300, "tab\there", "nul\x00byte",
               "new\nline", "", "😀", "a:b", "A", "a"]


def test_hostile_article_ids_stay_inside_the_store_and_never_collide(store: Store) -> None:
    text = "Some text for hostile ids."
    names = set()
    for article_id in HOSTILE_IDS:
        path = store.path_for(article_id)
        assert path.parent == store.articles_dir
        assert not path.name.startswith((".", "-"))
        assert len(path.name.encode()) < 100
        assert "/" not in path.name and "\\" not in path.name and "\x00" not in path.name
        names.add(path.name.casefold())  # distinct even on case-insensitive file systems
        store.add(make(article(article_id, text), 0, 4))
    assert len(names) == len(HOSTILE_IDS)
    assert sorted(os.listdir(store.root)) == ["articles", "readers"]
    for article_id in HOSTILE_IDS:
        assert [r["article_id"] for r in store.for_article(article_id)] == [article_id]
    assert sorted(store.article_ids()) == sorted(HOSTILE_IDS)
    assert file_stem("CON").startswith("CON-")


# -- durability: the exact sequence of a save ---------------------------------------------------

def test_a_save_appends_to_the_journal_then_compacts_through_a_temp_file(store: Store, monkeypatch) -> None:
    art = article()
    store.add(make(art, 0, 6))
    target = store.path_for(art.id)
    events: list[tuple[str, str]] = []
    names: dict[int, tuple[str, int]] = {}
    opened: list[tuple[str, int]] = []
    real_open, real_fsync, real_replace, real_write = os.open, os.fsync, os.replace, os.write

    def spy_open(path, flags, *args, **kwargs):
        fd = real_open(path, flags, *args, **kwargs)
        names[fd] = (os.fspath(path), flags)
        opened.append(names[fd])
        return fd

    def spy_write(fd, data):
        events.append(("write", names.get(fd, ("?", 0))[0]))
        return real_write(fd, data)

    def spy_fsync(fd):
        events.append(("fsync", names.get(fd, ("?", 0))[0]))
        return real_fsync(fd)

    def spy_replace(src, dst):
        events.append(("replace", f"{os.fspath(src)} -> {os.fspath(dst)}"))
        return real_replace(src, dst)

    monkeypatch.setattr(durable.os, "open", spy_open)
    monkeypatch.setattr(durable.os, "write", spy_write)
    monkeypatch.setattr(durable.os, "fsync", spy_fsync)
    monkeypatch.setattr(durable.os, "replace", spy_replace)
    store.add(make(art, 7, 22))  # a small article: the journal is folded in at once
    tmp = f"{target}.tmp"
    journal = f"{target}.journal.1"
    writes = [name for kind, name in events if kind == "write"]
    # The TinyDB file is never written in place: only its temp file and its journals are.
    assert writes and set(writes) <= {tmp, journal, f"{target}.journal.2"}
    appends = [flags for name, flags in opened if name == journal and flags & os.O_WRONLY]
    assert appends and all(flags & os.O_APPEND for flags in appends)
    order = [events.index(("write", journal)), events.index(("fsync", journal)),
             events.index(("fsync", tmp)), events.index(("replace", f"{tmp} -> {target}")),
             events.index(("fsync", str(target.parent)))]
    assert order == sorted(order)
    assert [e for e in events if e[0] == "fsync"][-1] == ("fsync", str(target.parent))
    assert not Path(tmp).exists()


def test_a_save_on_a_big_article_appends_one_line_and_rewrites_nothing(store: Store, monkeypatch) -> None:
    # Flat cost: a save writes its own change, not the article's other annotations.
    art = article(text="".join(f"word{i} " for i in range(3000)))
    store.add_many([make(art, 7 * i, 7 * i + 5) for i in range(400)])
    assert store.path_for(art.id).stat().st_size > 100_000
    written: list[int] = []
    replaced: list[str] = []
    real_write, real_replace = os.write, os.replace
    monkeypatch.setattr(durable.os, "write", lambda fd, data: written.append(len(data)) or real_write(fd, data))
    monkeypatch.setattr(durable.os, "replace", lambda s, d: replaced.append(os.fspath(d)) or real_replace(s, d))
    for i in range(20):
        record = store.add(make(art, 7 * i, 7 * i + 3))
        store.update(art.id, record["id"], note=f"note {i}")
    assert replaced == []
    assert len(written) == 40 and max(written) < 4_000
    assert len(Store(store.root).for_article(art.id)) == 420


def test_each_replace_keeps_the_previous_version(store: Store) -> None:
    art = article()
    first = store.add(make(art, 0, 6))
    store.add(make(art, 7, 22))
    prev = load_tables(Path(f"{store.path_for(art.id)}.prev"))
    assert [doc["id"] for doc in prev["annotations"].values()] == [first["id"]]


# -- damage ----------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"   \n", b'{"annotations": {"1": {"id": "x"', b"\xff\xfe garbage",
                                     b"[1, 2, 3]", b'{"annotations": [1]}'])
def test_a_damaged_file_is_never_treated_as_empty_or_overwritten(store: Store, content: bytes) -> None:
    art = article()
    store.add(make(art, 0, 6))
    store.add(make(art, 7, 22))
    path = store.path_for(art.id)
    path.write_bytes(content)
    for action in (lambda: store.for_article(art.id), lambda: store.add(make(art, 30, 40)),
                   lambda: store.counts(), lambda: list(store.iter_all()),
                   lambda: store.delete(art.id, "x"), lambda: store.add_many([make(art, 50, 60)])):
        with pytest.raises(DamagedStoreError) as caught:
            action()
        message = str(caught.value)
        assert str(path) in message and "\n" not in message
    assert path.read_bytes() == content


def _repair(root: Path) -> str:
    from tui.cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", "--repair", "--store", str(root), "--corpus", str(root)])
    return out.getvalue()


def test_the_damage_message_says_how_to_repair_and_the_repair_loses_nothing(store: Store) -> None:
    art = article()
    first = store.add(make(art, 0, 6))
    second = store.add(make(art, 7, 22))  # the last save: copying .prev back would lose it
    path = store.path_for(art.id)
    path.write_bytes(b'{"annotations": {"1": {"id"')  # torn
    with pytest.raises(DamagedStoreError) as caught:
        store.for_article(art.id)
    hint = caught.value.hint
    assert hint == f"run: redline check --repair --store {shlex.quote(str(store.root))}"
    out = _repair(store.root)
    assert "restored 2 annotations" in out and ".prev" in out
    assert [r["id"] for r in store.for_article(art.id)] == [first["id"], second["id"]]
    assert Path(f"{path}.damaged").read_bytes() == b'{"annotations": {"1": {"id"'


def test_damage_without_a_previous_version_is_repaired_from_the_journals(store: Store) -> None:
    art = article()
    record = store.add(make(art, 0, 6))
    path = store.path_for(art.id)
    assert not Path(f"{path}.prev").exists()
    path.write_bytes(b"nonsense")
    with pytest.raises(DamagedStoreError, match=r"run: redline check --repair"):
        store.for_article(art.id)
    assert "restored 1 annotation of" in _repair(store.root)
    assert store.for_article(art.id) == [record]


def test_counts_can_skip_damaged_files_and_list_them(store: Store) -> None:
    good, bad = article("good"), article("bad")
    store.add(make(good, 0, 6))
    store.add(make(bad, 0, 6))
    store.path_for(bad.id).write_bytes(b"{")
    assert store.counts(skip_damaged=True) == {"good": {"ann": 1}}
    assert [err.path for err in store.damaged] == [str(store.path_for(bad.id))]


def test_a_file_in_the_wrong_place_is_reported_not_used(store: Store) -> None:
    one, two = article("one"), article("two")
    store.add(make(one, 0, 6))
    os.replace(store.path_for(one.id), store.path_for(two.id))
    with pytest.raises(DamagedStoreError, match="belongs to 'one'"):
        store.add(make(two, 0, 6))


# -- full disk, read-only store: visible failure, file untouched ----------------------------------

def _failing(err: int, name: str, original):
    def fail(*args, **kwargs):
        raise OSError(err, os.strerror(err))
    return fail


@pytest.mark.parametrize(("call", "err", "words"), [
    ("write", errno.ENOSPC, "disk is full"),
    ("fsync", errno.EIO, "Input/output error"),
    ("replace", errno.EROFS, "read-only file system"),
    ("open", errno.EACCES, "no permission"),
])
def test_a_failed_save_raises_one_line_and_leaves_the_file_untouched(
        store: Store, monkeypatch, call: str, err: int, words: str) -> None:
    art = article()
    kept = store.add(make(art, 0, 6))
    path = store.path_for(art.id)
    before = path.read_bytes()
    monkeypatch.setattr(durable.os, call, _failing(err, call, getattr(os, call)))
    record = make(art, 7, 22)
    with pytest.raises(StoreError) as caught:
        store.add(record)
    message = str(caught.value)
    assert words in message and str(path) in message and "\n" not in message
    assert "previous version is untouched" in message
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not Path(f"{path}.tmp").exists()
    assert store.for_article(art.id) == [kept]
    # The annotation can be retried once the disk has room again.
    assert store.add(record) == record
    assert len(store.for_article(art.id)) == 2


def test_a_store_folder_that_cannot_be_created_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="must be a folder"):
        Store(blocker)
    with pytest.raises(StoreError, match="cannot use"):
        Store(blocker / "store")


# -- read-only stores ----------------------------------------------------------------------------

def test_readonly_store_on_a_missing_folder_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    root = tmp_path / "absent"
    store = Store(root, readonly=True)
    assert store.counts() == {}
    assert store.article_ids() == []
    assert list(store.iter_all()) == []
    assert store.for_article("x") == []
    assert store.reading_state("ann") == {"last_article": None, "positions": {}, "done": []}
    assert store.reading_states() == {}
    with pytest.raises(ReadOnlyStoreError):
        store.add(make(article(), 0, 6))
    with pytest.raises(ReadOnlyStoreError):
        store.set_done("ann", "x", True)
    assert not root.exists()


def test_readonly_store_reads_a_real_store_without_writing(store: Store) -> None:
    art = article()
    store.add(make(art, 0, 6))
    listing = sorted(p.name for p in store.root.rglob("*"))
    reader = Store(store.root, readonly=True)
    assert reader.counts() == {art.id: {"ann": 1}}
    changed = Article(id=art.id, text="Intro. " + art.text, title="t")
    placed, orphans = reader.anchored(changed)
    assert placed[0]["start"] == 7 and orphans == []
    assert sorted(p.name for p in store.root.rglob("*")) == listing
    assert store.for_article(art.id)[0]["start"] == 0


# -- flat cost: a save touches its own article only ---------------------------------------------

def test_add_and_for_article_touch_only_their_own_article(store: Store, monkeypatch) -> None:
    others = [article(f"other-{i}") for i in range(30)]
    for other in others:
        store.add(make(other, 0, 6))
    art = article("mine")
    touched: list[str] = []
    real_open = os.open

    def spy_open(path, *args, **kwargs):
        touched.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    def no_listing(*args, **kwargs):
        raise AssertionError("a save or a read of one article listed a folder")

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(store_module.os, "scandir", no_listing)
    store.add(make(art, 0, 6))
    store.update(art.id, store.for_article(art.id)[0]["id"], note="x")
    store.for_article(art.id)
    mine = str(store.path_for(art.id))
    # The article's own files, the folder (fsynced after a rename), and the list of articles
    # when the article's first file is written.
    manifest = str(store.articles_dir / "manifest.log")
    assert touched and [p for p in touched if not p.startswith((mine, manifest))
                        and p != str(store.articles_dir)] == []


def test_counts_parses_only_files_that_changed(store: Store, monkeypatch) -> None:
    from tui.core.store import article_files

    arts = [article(f"a{i}") for i in range(25)]
    for art in arts:
        store.add(make(art, 0, 6))
    store.counts()
    parsed: list[Path] = []
    real_load = article_files.load
    monkeypatch.setattr(article_files, "load", lambda paths, *a: parsed.append(paths.base) or real_load(paths, *a))
    fresh = Store(store.root)  # another process: uses the summary cache on disk
    assert len(fresh.counts()) == 25
    assert parsed == []
    store.add(make(arts[3], 7, 22, annotator="bob"))
    parsed.clear()
    assert fresh.counts()["a3"] == {"ann": 1, "bob": 1}
    assert parsed == [store.path_for("a3")]


# -- bulk import ---------------------------------------------------------------------------------

def test_add_many_validates_everything_before_writing_anything(store: Store) -> None:
    one, two = article("one"), article("two")
    records = [make(one, 0, 6), make(two, 0, 6), dict(make(one, 7, 22), quote="nope"), make(two, 7, 22)]
    with pytest.raises(InvalidRecordError, match="record 3"):
        store.add_many(records)
    assert list(store.iter_all()) == []


def test_add_many_adds_per_article_and_imports_nothing_twice(store: Store) -> None:
    one, two = article("one"), article("two")
    existing = store.add(make(one, 0, 6))
    records = [make(one, 7, 22), make(two, 0, 6), make(two, 7, 22), dict(existing),
               make(one, 0, 6)]  # the last is a duplicate by span/label/annotator
    assert store.add_many(records) == 3
    assert store.add_many(records) == 0
    assert store.counts() == {"one": {"ann": 2}, "two": {"ann": 2}}


def test_add_many_writes_each_article_file_once(store: Store, monkeypatch) -> None:
    arts = [article(f"a{i}") for i in range(3)]
    replaced: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(durable.os, "replace",
                        lambda s, d: replaced.append(os.fspath(d)) or real_replace(s, d))
    store.add_many([make(art, i, i + 4) for art in arts for i in range(10)])
    article_files = [d for d in replaced if d.endswith(".json")]
    assert sorted(article_files) == sorted(str(store.path_for(a.id)) for a in arts)


def test_add_many_failing_on_one_article_changes_no_article(store: Store, monkeypatch) -> None:
    arts = [article(f"a{i}") for i in range(3)]
    for art in arts:
        store.add(make(art, 0, 6))
    before = {a.id: store.path_for(a.id).read_bytes() for a in arts}
    real_write = os.write
    calls = {"n": 0}

    def flaky_write(fd, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(durable.os, "write", flaky_write)
    with pytest.raises(StoreError, match="disk is full"):
        store.add_many([make(art, 7, 22) for art in arts])
    monkeypatch.undo()
    assert {a.id: store.path_for(a.id).read_bytes() for a in arts} == before
    assert not list(store.articles_dir.glob("*.tmp"))


# -- reading state ---------------------------------------------------------------------------

def test_reading_state_positions_and_done_marks(store: Store) -> None:
    assert store.reading_state("ann") == {"last_article": None, "positions": {}, "done": []}
    store.set_position("ann", "a", 10)
    store.set_position("ann", "b", 3)
    store.set_done("ann", "a", True)
    store.set_done("bob", "b", True)
    assert store.reading_state("ann") == {"last_article": "b", "positions": {"a": 10, "b": 3}, "done": ["a"]}
    store.set_done("ann", "a", False)
    assert Store(store.root).reading_state("ann")["done"] == []
    assert store.reading_state("bob")["done"] == ["b"]
    assert set(store.reading_states()) == {"ann", "bob"}
    with pytest.raises(InvalidRecordError):
        store.set_position("ann", "a", -1)


def test_reading_state_files_are_safe_and_unchanged_state_is_not_rewritten(store: Store) -> None:
    store.set_position("../../evil", "a", 1)
    assert sorted(os.listdir(store.root)) == ["articles", "readers"]
    assert all(not name.startswith((".", "-")) for name in os.listdir(store.readers_dir))
    path = store.reader_path("../../evil")
    inode = path.stat().st_ino
    store.set_position("../../evil", "a", 1)
    assert path.stat().st_ino == inode  # same content: no write, no fsync
    store.set_position("../../evil", "a", 2)
    assert path.stat().st_ino != inode


def test_file_stem_is_stable() -> None:
    # Store files must be found again by later versions: the naming is part of the format.
    digest = hashlib.sha256(b"world/nato-1").hexdigest()[:16]
    assert file_stem("world/nato-1") == f"world_nato-1-{digest}"


def test_a_killed_writers_temp_file_is_harmless(store: Store) -> None:
    art = article()
    first = store.add(make(art, 0, 6))
    leftover = Path(f"{store.path_for(art.id)}.tmp")
    leftover.write_bytes(b'{"annotations": {"1": {"torn')
    assert store.for_article(art.id) == [first]  # readers never look at it
    assert store.leftovers() == [leftover]
    store.add(make(art, 7, 22))
    assert not leftover.exists()
    assert len(store.for_article(art.id)) == 2


def test_a_folder_that_refuses_a_new_lock_file_says_no_permission(tmp_path: Path, monkeypatch) -> None:
    real_open = os.open

    def refuse_new_files(path, flags, *args):
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, flags, *args)

    monkeypatch.setattr(durable.os, "open", refuse_new_files)
    target = tmp_path / "article.json"
    with pytest.raises(StoreError) as caught, durable.locked(target):
        pass
    message = str(caught.value)
    assert "no permission to write there" in message and str(target) in message
    assert "No such file" not in message
