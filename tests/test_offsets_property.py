"""Random Unicode texts and spans: every format's offsets give back the quote in its unit."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli.commands.import_ import Converter
from tui.core.corpus import Article, Corpus
from tui.core.formats import doccano, labelstudio, native, prodigy, w3c
from tui.core.formats.common import Options
from tui.core.formats.offsets import OffsetError, Utf16Map
from tui.core.record import new_annotation

PIECES = ["a", "Z", " ", ".", "東", "京", "👍🏽", "👨‍👩‍👧", "🇯🇵", "🇫🇷", "é", "e\u0301", "\r\n", "\n", "\t",
          "𝔘", "\u05d0\u05d1", "ﷺ", "\ufeff", "\u200d"]

texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)


@st.composite
def text_and_spans(draw):
    text = draw(texts)
    bounds = st.integers(0, len(text))
    spans = []
    for _ in range(draw(st.integers(1, 5))):
        a, b = draw(bounds), draw(bounds)
        if a != b:
            spans.append((min(a, b), max(a, b)))
    return text, spans


def records_for(text: str, spans) -> tuple[Article, list[dict]]:
    art = Article(id="p", text=text, title="t")
    records = [new_annotation(article_id="p", text=text, article_sha256=art.sha256, start=s, end=e,
                              label="claim", annotator="ann", ann_id=f"id-{s}-{e}",
                              now="2026-11-23T00:00:00.000000Z")
               for s, e in sorted(set(spans))]
    return art, records


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le", "surrogatepass")[2 * start:2 * end].decode("utf-16-le", "surrogatepass")


QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(texts)
def test_utf16_conversion_round_trips(text: str) -> None:
    convert = Utf16Map(text)
    valid = set()
    for offset in range(len(text) + 1):
        unit = convert.to_utf16(offset)
        assert unit == len(text[:offset].encode("utf-16-le")) // 2
        assert convert.from_utf16(unit) == offset
        valid.add(unit)
    assert convert.utf16_length() == len(text.encode("utf-16-le")) // 2
    for unit in set(range(convert.utf16_length() + 1)) - valid:
        with pytest.raises(OffsetError):
            convert.from_utf16(unit)


def export(module, art, records, unit="codepoint") -> str:
    out = io.StringIO()
    module.export([(art, records)], out, Options(offsets=unit))
    return out.getvalue()


def reimported(module, source: str, art: Article, unit: str) -> list[tuple[int, int]]:
    convert = Converter(Corpus([art]), None, Options(offsets=unit), match_text=True)
    found = [convert(c) for c in module.parse("f", io.StringIO(source), Options(offsets=unit))]
    for record in found:
        assert art.text[record["start"]:record["end"]] == record["quote"]
    return sorted((r["start"], r["end"]) for r in found)


@QUICK
@given(text_and_spans(), st.sampled_from(["codepoint", "utf16"]))
def test_native_doccano_labelstudio_offsets_give_the_quote_in_their_unit(case, unit) -> None:
    art, records = records_for(*case)
    expected = sorted((r["start"], r["end"]) for r in records)
    quotes = sorted(r["quote"] for r in records)
    cut = utf16_slice if unit == "utf16" else (lambda t, s, e: t[s:e])

    lines = [json.loads(line) for line in export(native, art, records, unit).splitlines()]
    assert sorted(cut(art.text, x["start"], x["end"]) for x in lines) == quotes
    assert reimported(native, export(native, art, records, unit), art, unit) == expected

    (doc,) = [json.loads(line) for line in export(doccano, art, records, unit).splitlines()]
    assert sorted(cut(doc["text"], s, e) for s, e, _ in doc["label"]) == quotes
    assert reimported(doccano, export(doccano, art, records, unit), art, unit) == expected

    (task,) = json.loads(export(labelstudio, art, records, unit))
    values = [r["value"] for a in task["annotations"] for r in a["result"]]
    assert sorted(cut(task["data"]["text"], v["start"], v["end"]) for v in values) == quotes
    assert reimported(labelstudio, export(labelstudio, art, records, unit), art, unit) == expected


@QUICK
@given(text_and_spans())
def test_w3c_position_selectors_equal_quote_selectors(case) -> None:
    art, records = records_for(*case)
    source = export(w3c, art, records)
    for line in source.splitlines():
        quote, position = json.loads(line)["target"]["selector"]
        assert art.text[position["start"]:position["end"]] == quote["exact"]
    assert reimported(w3c, source, art, "codepoint") == sorted((r["start"], r["end"]) for r in records)


@settings(max_examples=30, deadline=None)
@given(text_and_spans())
def test_prodigy_spans_align_strictly_with_spacy(case) -> None:
    art, records = records_for(*case)
    task = json.loads(export(prodigy, art, records))
    doc = prodigy.tokenizer()(art.text)
    for item in task["spans"]:
        aligned = doc.char_span(item["start"], item["end"], alignment_mode="strict")
        assert aligned is not None
        assert (aligned.start, aligned.end - 1) == (item["token_start"], item["token_end"])
