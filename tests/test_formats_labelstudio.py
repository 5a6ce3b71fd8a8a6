"""Label Studio tasks: one per article, UTF-16 offsets, notes as textarea results."""

from __future__ import annotations

import json

from tests.test_formats_native import export, parse, sample
from tui.core.formats import labelstudio


def test_tasks_carry_text_regions_and_notes() -> None:
    art, records = sample()
    text, _ = export(labelstudio, [(art, records)], offsets="utf16")
    (task,) = json.loads(text)
    assert task["data"]["text"] == art.text and task["data"]["article_id"] == "a1"
    assert sorted(a["meta"]["annotator"] for a in task["annotations"]) == ["ann", "bob"]
    encoded = art.text.encode("utf-16-le")
    regions = [r for a in task["annotations"] for r in a["result"] if r["type"] == "labels"]
    assert len(regions) == len(records)
    for region in regions:
        value = region["value"]
        assert region["from_name"] == "label" and region["to_name"] == "text"
        assert encoded[2 * value["start"]:2 * value["end"]].decode("utf-16-le") == value["text"]
    notes = [r for a in task["annotations"] for r in a["result"] if r["type"] == "textarea"]
    assert [n["value"]["text"] for n in notes] == [["thumbs\nup"]]


def test_parse_round_trips_spans_notes_annotators() -> None:
    art, records = sample()
    text, _ = export(labelstudio, [(art, records)], offsets="utf16")
    found = parse(labelstudio, text)
    assert all(c.error is None for c in found)
    got = sorted((c.annotator, c.label, c.quote, c.note, c.unit) for c in found)
    assert got == sorted((r["annotator"], r["label"], r["quote"], r["note"], "utf16") for r in records)


def test_parse_accepts_label_studio_own_export_and_names_lines() -> None:
    own = [{"id": 7, "data": {"text": "Hello world"},
            "annotations": [{"completed_by": 1, "result": [
                {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": 6, "end": 11, "text": "world", "labels": ["claim"]}}]}]},
           {"id": 8, "data": {"txt": "oops"}}]
    source = "[\n" + ",\n".join(json.dumps(t) for t in own) + "\n]\n"
    found = parse(labelstudio, source, offsets="utf16")
    assert (found[0].start, found[0].end, found[0].label, found[0].annotator) == (6, 11, "claim", None)
    assert found[1].where == "f.jsonl:3" and "data" in found[1].error
    broken = parse(labelstudio, '[\n{"data": {"text": "a"}},\n{"data": \n]')
    assert broken[-1].where == "f.jsonl:4" and broken[-1].error.startswith("not JSON")
