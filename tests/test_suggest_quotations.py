"""Speech quotations against a hand-checked set: the seeds, plus articles written for the set.

tests/fixtures/quotations/gold.json lists every pair of quotation marks in
those articles, as speech (with the acceptable names of its speaker) or not
(scare quotes: terms, names, titles). A suggestion counts when its span is
exactly a gold speech span (the text inside the marks).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.core import entities as en
from tui.core.suggest import QUOTE, suggest

ROOT = Path(__file__).resolve().parent.parent
GOLD = json.loads((ROOT / "tests" / "fixtures" / "quotations" / "gold.json").read_text(encoding="utf-8"))
MSC_CHIEF = ("Christoph Heusgen", "Heusgen")


@dataclass
class Score:
    found: int = 0  # suggested and speech
    wrong: int = 0  # suggested, not speech
    missed: int = 0
    speakers: int = 0  # found with an acceptable speaker

    @property
    def precision(self) -> float:
        return self.found / ((self.found + self.wrong) or 1)

    @property
    def recall(self) -> float:
        return self.found / ((self.found + self.missed) or 1)

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers / (self.found or 1)

    def __str__(self) -> str:
        return (f"precision {self.precision:.3f} ({self.found}/{self.found + self.wrong}), "
                f"recall {self.recall:.3f} ({self.found}/{self.found + self.missed}), "
                f"speaker {self.speaker_accuracy:.3f} ({self.speakers}/{self.found})")


@pytest.fixture(scope="module", params=["spacy", "rule-based"])
def recognizer(request) -> en.Recognizer:
    return en.load_recognizer(en.find_pipeline(None if request.param == "spacy" else "rule-based"))


def articles(group: str) -> list[dict]:
    return [a for a in GOLD["articles"] if group == "all" or a["file"].startswith(group)]


def predicted(article: dict, recognizer: en.Recognizer):
    text = (ROOT / article["file"]).read_text(encoding="utf-8")
    return text, suggest(text, recognizer.recognize(text), recognizer.info, kinds=[QUOTE])


def score(group: str, recognizer: en.Recognizer) -> Score:
    total = Score()
    for article in articles(group):
        text, found = predicted(article, recognizer)
        gold = {(q["start"], q["end"]): q for q in article["speech"]}
        for suggestion in found:
            match = gold.get((suggestion.start, suggestion.end))
            if match is None:
                total.wrong += 1
                continue
            total.found += 1
            total.speakers += suggestion.speaker in match["speakers"]
        total.missed += len(gold.keys() - {(s.start, s.end) for s in found})
    return total


def test_gold_spans_are_exact() -> None:
    for article in GOLD["articles"]:
        text = (ROOT / article["file"]).read_text(encoding="utf-8")
        for item in article["speech"] + article["not_speech"]:
            assert text[item["start"]:item["end"]] == item["quote"]
    assert sum(len(a["speech"]) for a in articles("seeds/")) == 16
    assert sum(len(a["not_speech"]) for a in articles("seeds/")) == 5


@pytest.mark.parametrize("group", ["seeds/", "all"])
def test_speech_quotations_meet_the_goal(group: str, recognizer: en.Recognizer) -> None:
    result = score(group, recognizer)
    print(f"{group} with {recognizer.info.name}: {result}")
    assert result.recall >= 0.9, str(result)
    assert result.precision >= 0.85, str(result)


@pytest.mark.parametrize("group", ["seeds/", "all"])
def test_speakers_with_spacy(group: str) -> None:
    result = score(group, en.load_recognizer(en.find_pipeline()))
    assert result.speaker_accuracy >= 0.9, str(result)


def test_every_speech_quotation_of_the_msc_chief_in_004_is_found_with_him() -> None:
    article = next(a for a in GOLD["articles"] if "004_" in a["file"])
    text, found = predicted(article, en.load_recognizer(en.find_pipeline()))
    his = [q for q in article["speech"] if q["speakers"][0] == MSC_CHIEF[0]]
    assert len(his) == 6
    by_span = {(s.start, s.end): s for s in found}
    for quotation in his:
        suggestion = by_span.get((quotation["start"], quotation["end"]))
        assert suggestion is not None, quotation["quote"]
        assert suggestion.speaker == MSC_CHIEF[0]
        assert suggestion.note == f"speaker: {MSC_CHIEF[0]}"
        assert suggestion.reason.startswith("speech: ")


def test_scare_quotes_of_the_seeds_are_not_suggested(recognizer: en.Recognizer) -> None:
    for article in articles("seeds/"):
        _text, found = predicted(article, recognizer)
        spans = {(s.start, s.end) for s in found}
        for item in article["not_speech"]:
            assert (item["start"], item["end"]) not in spans, item
