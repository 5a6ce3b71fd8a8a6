"""doccano JSONL: UTF-16 offsets by default, code points on request."""

from __future__ import annotations

import json

from tests.test_formats_native import export, parse, sample
from tui.core.formats import doccano


def test_utf16_offsets_by_default_give_the_quote_in_utf16() -> None:
    art, records = sample()
    text, _ = export(doccano, [(art, records)], offsets="utf16")
    (line,) = text.splitlines()
    data = json.loads(line)
    assert data["text"] == art.text and data["article_id"] == "a1" and data["offset_unit"] == "utf16"
    encoded = art.text.encode("utf-16-le")
    assert [encoded[2 * s:2 * e].decode("utf-16-le") for s, e, _ in data["label"]] == [r["quote"] for r in records]
    # The emoji before them shift UTF-16 offsets: code points would point elsewhere.
    assert [s for s, _, _ in data["label"]] != [r["start"] for r in records]


def test_codepoint_offsets_on_request() -> None:
    art, records = sample()
    text, _ = export(doccano, [(art, records)], offsets="codepoint")
    data = json.loads(text)
    assert data["offset_unit"] == "codepoint"
    assert [[r["start"], r["end"], r["label"]] for r in records] == data["label"]


def test_parse_reads_spans_in_the_declared_unit() -> None:
    art, records = sample()
    text, _ = export(doccano, [(art, records)], offsets="utf16")
    found = parse(doccano, text, offsets="codepoint")  # the line's offset_unit wins
    assert {c.unit for c in found} == {"utf16"}
    assert [c.label for c in found] == [r["label"] for r in records]
    plain = parse(doccano, json.dumps({"text": "ab", "label": [[0, 1, "claim"]]}), offsets="utf16")
    assert plain[0].unit == "utf16" and plain[0].article_id is None


def test_parse_reports_bad_spans_with_line_numbers() -> None:
    source = "\n".join([json.dumps({"text": "ab", "label": [[0, 1, "claim"]]}),
                        json.dumps({"text": "ab", "label": [[0, "1", "claim"]]}),
                        json.dumps({"label": []})])
    found = parse(doccano, source)
    assert found[0].error is None
    assert found[1].where == "f.jsonl:2" and "bad span" in found[1].error
    assert found[2].where == "f.jsonl:3" and '"text"' in found[2].error


def test_counts_the_spans_a_default_doccano_project_drops() -> None:
    from tests.test_formats_native import article, span

    art = article("Tokyo delegation said no. Paris agreed.")
    records = [span(art, "Tokyo delegation"), span(art, "delegation", "quote", "bob"),
               span(art, "Tokyo delegation", "quote", "bob"), span(art, "Paris")]
    records.sort(key=lambda r: (r["start"], r["end"], r["id"]))
    _, opts = export(doccano, [(art, records)])
    (note,) = opts.notes
    assert note.startswith("doccano: 2 of 4 spans overlap") and "--per-annotator" in note
    _, alone = export(doccano, [(art, [r for r in records if r["annotator"] == "ann"])])
    assert alone.notes == []


def test_overlapped_follows_doccano_spans_clean() -> None:
    from tui.core.formats.common import overlapped

    # doccano 1.8.4 Spans.clean: sorted by start, kept when start >= end of the last kept.
    assert overlapped([(0, 5), (5, 9)]) == 0
    assert overlapped([(0, 5), (0, 5)]) == 1
    assert overlapped([(0, 10), (2, 4), (4, 12), (10, 11)]) == 2
