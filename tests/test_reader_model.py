"""The reader's behaviour without a terminal: motions, modes, labels, notes, search, retries."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tui.core.config import DEFAULT_LABELS
from tui.core.corpus import Article, load_corpus
from tui.core.entities import Entity
from tui.core.position_keeper import PositionKeeper
from tui.core.reader_model import (
    ANNOTATIONS,
    SELECTION,
    NoteRequest,
    ReaderModel,
)
from tui.core.store import Store
from tui.core.store.errors import StoreError

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "000_ad06741e8de65daf"


@pytest.fixture(scope="module")
def seed() -> Article:
    return load_corpus([str(ROOT / "seeds")]).get(ARTICLE)


def make(seed: Article, store_dir: Path, annotator: str = "alice", position: int = 0) -> ReaderModel:
    model = ReaderModel(seed, Store(store_dir), annotator, DEFAULT_LABELS)
    model.load(position)
    return model


def selected(model: ReaderModel) -> str:
    start, end = model.selection
    return model.text[start:end]


def stored(store_dir: Path) -> list[dict]:
    return Store(store_dir, readonly=True).for_article(ARTICLE)


def test_opens_on_the_word_at_the_saved_position(seed: Article, store_dir: Path) -> None:
    assert selected(make(seed, store_dir)) == "New"
    offset = seed.text.index("Stoltenberg") + 3
    assert selected(make(seed, store_dir, position=offset)) == "Stoltenberg"


def test_motions_by_name_and_the_changes_they_report(seed: Article, store_dir: Path) -> None:
    model = make(seed, store_dir)
    seen: list[set[str]] = []
    model.on_change = seen.append
    assert model.move("next_word") and selected(model) == "Telegraph"
    assert SELECTION in seen[-1]
    model.move("next_paragraph")
    model.move("next_paragraph")
    assert selected(model).startswith("There may be a push")
    model.move("next_sentence")
    assert selected(model).startswith("While Stoltenberg")
    with pytest.raises(KeyError):
        model.move("teleport")


def test_prev_sentence_from_a_sentences_first_word_selects_that_sentence(seed: Article,
                                                                         store_dir: Path) -> None:
    model = make(seed, store_dir, position=seed.text.index("While Stoltenberg"))
    assert selected(model) == "While"
    model.move("prev_sentence")
    assert selected(model).startswith("While Stoltenberg and others")
    model.move("prev_sentence")  # now the whole sentence is selected: the one before it
    assert selected(model).startswith("There may be a push")


def test_quotation_again_moves_to_the_next_and_skips_scare_quotes(store_dir: Path,
                                                                  tmp_path: Path) -> None:
    text = ('A “Asian NATO” idea. “We will not move,” the minister said. '
            '“Nor will we,” said another.')
    article = Article("q", text)
    model = ReaderModel(article, Store(store_dir), "alice", DEFAULT_LABELS)
    model.load(0)
    model.move("quotation")
    assert selected(model) == "We will not move,"
    model.move("quotation")
    assert selected(model) == "Nor will we,"
    # Inside a scare quote, `"` takes the quotation around the cursor all the same.
    model.go((text.index("Asian"), text.index("Asian") + 5))
    model.move("quotation")
    assert selected(model) == "Asian NATO"


def test_extend_mode_grows_from_the_anchor_and_escape_leaves_it(seed: Article, store_dir: Path) -> None:
    model = make(seed, store_dir)
    model.toggle_extend()
    model.move("next_word")
    model.move("next_word")
    assert selected(model) == "New Telegraph\n\nConflicting"
    assert model.escape() and model.extend_anchor is None
    assert not model.escape()  # nothing left to leave: the screen goes back


def test_a_label_saves_at_once_and_its_note_joins_it_in_the_history(seed: Article,
                                                                    store_dir: Path) -> None:
    model = make(seed, store_dir)
    assert model.press_label("1") is None
    assert [r["label"] for r in stored(store_dir)] == ["claim"]
    model.move("next_word")
    request = model.press_label("3")
    assert isinstance(request, NoteRequest) and request.joined
    # The annotation is on disk before the note is asked for.
    assert sorted(r["label"] for r in stored(store_dir)) == ["claim", "factual error"]
    model.set_note(request, "Telegraph is a newspaper")
    notes = {r["label"]: r["note"] for r in stored(store_dir)}
    assert notes["factual error"] == "Telegraph is a newspaper"
    model.undo()  # one step: the label and its note
    assert [r["label"] for r in stored(store_dir)] == ["claim"]
    model.redo()
    notes = {r["label"]: r["note"] for r in stored(store_dir)}
    assert notes["factual error"] == "Telegraph is a newspaper"


def test_the_same_label_twice_says_so_and_adds_nothing(seed: Article, store_dir: Path) -> None:
    model = make(seed, store_dir)
    model.press_label("1")
    model.press_label("1")
    assert len(stored(store_dir)) == 1
    assert model.message is not None and "already labelled claim" in model.message.text


def test_relabel_into_a_label_that_asks_for_a_note_asks_for_it(seed: Article, store_dir: Path) -> None:
    model = make(seed, store_dir)
    model.press_label("1")
    model.arm_relabel()
    request = model.press_label("3")
    assert request is not None and request.label == "factual error"
    model.set_note(request, "why")
    assert [(r["label"], r["note"]) for r in stored(store_dir)] == [("factual error", "why")]
    model.undo()
    assert [(r["label"], r["note"]) for r in stored(store_dir)] == [("claim", "")]


def test_relabel_onto_an_existing_twin_changes_nothing(seed: Article, store_dir: Path) -> None:
    model = make(seed, store_dir)
    model.press_label("1")
    model.press_label("2")
    model.arm_relabel()
    model.press_label("2")  # the claim would become a second quote on the same span
    assert sorted(r["label"] for r in stored(store_dir)) == ["claim", "quote"]
    assert "already labelled quote" in model.message.text


def test_no_label_on_a_key_and_an_empty_selection_are_errors(store_dir: Path) -> None:
    model = ReaderModel(Article("empty", ""), Store(store_dir), "alice", DEFAULT_LABELS)
    model.load(0)
    model.press_label("4")
    assert model.message.error and "no label on key 4" in model.message.text
    model.press_label("1")
    assert model.message.error and "select some text first" in model.message.text
    assert not model.move("next_word")


def test_delete_and_note_need_an_annotation_of_mine(seed: Article, store_dir: Path) -> None:
    make(seed, store_dir, annotator="bob").press_label("1")
    model = make(seed, store_dir)
    model.delete()
    assert model.message.error and "no annotation of yours" in model.message.text
    assert model.note_request() is None
    assert len(stored(store_dir)) == 1


def test_edges_move_by_a_word_as_one_undoable_edit(seed: Article, store_dir: Path) -> None:
    model = make(seed, store_dir, position=seed.text.index("Emmanuel Macron"))
    model.press_label("1")
    assert selected(model) == "Emmanuel"
    model.adjust_edge("end", 1)
    assert [r["quote"] for r in stored(store_dir)] == ["Emmanuel Macron"]
    model.adjust_edge("start", -1)
    assert [r["quote"] for r in stored(store_dir)] == ["President, Emmanuel Macron"]
    model.adjust_edge("start", 1)
    assert [r["quote"] for r in stored(store_dir)] == ["Emmanuel Macron"]
    model.undo()
    assert [r["quote"] for r in stored(store_dir)] == ["President, Emmanuel Macron"]
    for record in stored(store_dir):
        assert seed.text[record["start"]:record["end"]] == record["quote"]


def test_search_wraps_and_knows_when_the_selection_is_on_a_match(seed: Article, store_dir: Path) -> None:
    model = make(seed, store_dir)
    model.find("nato")
    assert selected(model) == "NATO" and model.current_match() == 0
    count = len(model.search.matches)
    for _ in range(count):
        model.next_match(1)
    assert model.current_match() == 0
    model.move("next_word")
    assert model.current_match() is None  # moved off the match: no "match 1/n"
    model.find("no such words")
    assert model.message.error and not model.search.matches


def test_a_failed_save_is_kept_unsaved_with_its_note_and_retried(seed: Article, store_dir: Path,
                                                                 monkeypatch) -> None:
    model = make(seed, store_dir)
    real_add = model.editor.store.add

    def full_disk(record, **kwargs):
        raise StoreError("could not save: the disk is full")

    monkeypatch.setattr(model.editor.store, "add", full_disk)
    request = model.press_label("3")
    assert len(model.pending) == 1 and "NOT SAVED" in model.message.text
    model.set_note(request, "kept while unsaved")
    assert stored(store_dir) == []
    model.retry()
    assert len(model.pending) == 1  # still failing: still kept
    monkeypatch.setattr(model.editor.store, "add", real_add)
    changes: list[set[str]] = []
    model.on_change = changes.append
    model.retry()
    assert model.pending == []
    assert [(r["label"], r["note"]) for r in stored(store_dir)] == [("factual error",
                                                                     "kept while unsaved")]
    assert any(ANNOTATIONS in parts for parts in changes)


def test_entity_motions_skip_hidden_types(seed: Article, store_dir: Path) -> None:
    model = make(seed, store_dir)
    text = seed.text
    people = Entity(text.index("Stoltenberg"), text.index("Stoltenberg") + 11, "PERSON", "Stoltenberg")
    place = Entity(text.index("Japan"), text.index("Japan") + 5, "GPE", "Japan")
    model.set_entities([place, people])
    model.move("next_entity")
    assert selected(model) == "Stoltenberg"
    model.toggle_type("GPE")
    assert not model.move("next_entity")


def test_position_keeper_writes_the_latest_position_in_the_background(tmp_path: Path) -> None:
    written: list[tuple[str, int]] = []
    gate = threading.Event()

    def save(article_id: str, offset: int) -> None:
        gate.wait(5)
        written.append((article_id, offset))

    keeper = PositionKeeper(save)
    keeper.put("a", 1)
    for offset in range(2, 50):
        keeper.put("a", offset)  # while the first write is held up
    gate.set()
    assert keeper.flush()
    assert written[-1] == ("a", 49) and len(written) <= 3
    keeper.close()


def test_position_keeper_survives_a_failing_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    Store(store)
    keeper = PositionKeeper(lambda a, o: Store(store).set_position("alice", a, o))
    os.chmod(store / "readers", 0o500)
    try:
        keeper.put("a", 5)
        assert keeper.flush()
        assert keeper.last_error is not None or os.geteuid() == 0
    finally:
        os.chmod(store / "readers", 0o700)
    keeper.put("a", 6)
    assert keeper.flush()
    assert Store(store, readonly=True).reading_state("alice")["positions"] == {"a": 6}


def test_flag_labels_a_span_with_a_prepared_note_and_keeps_an_earlier_note(seed: Article,
                                                                           store_dir: Path) -> None:
    model = make(seed, store_dir)
    start = seed.text.index("Emmanuel Macron")
    end = start + len("Emmanuel Macron")
    request = model.flag(start, end, "factual error", "Other title: their wording")
    assert request is not None and request.note == "Other title: their wording"
    assert [(r["quote"], r["note"]) for r in stored(store_dir)] == [
        ("Emmanuel Macron", "Other title: their wording")]
    model.set_note(request, "Mine now")
    model.flag(start, end, "factual error", "A third title: more")
    assert [r["note"] for r in stored(store_dir)] == ["Mine now\nA third title: more"]
    assert model.flag(start, end, "no such label", "x") is None and model.message.error
