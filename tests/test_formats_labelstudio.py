"""Label Studio tasks: one per article, code points (as Label Studio 1.23 counts), notes as textarea results."""

from __future__ import annotations

import json

from tests.test_formats_native import export, parse, sample
from tui.core.formats import labelstudio


def test_tasks_carry_text_regions_and_notes() -> None:
    art, records = sample()
    text, _ = export(labelstudio, [(art, records)], offsets="utf16")
    (task,) = json.loads(text)
    assert task["data"]["text"] == art.text and task["data"]["article_id"] == "a1"
    # One annotation per annotator; who made each region is in the task's meta (Label Studio
    # keeps it), never in completed_by (Label Studio refuses emails it does not know).
    assert len(task["annotations"]) == 2
    assert all("completed_by" not in a for a in task["annotations"])
    by_region = task["meta"]["redline"]["annotators"]
    assert {by_region[r["id"]] for r in task["annotations"][0]["result"]} == {"ann"}
    assert {by_region[r["id"]] for r in task["annotations"][1]["result"]} == {"bob"}
    assert task["meta"]["redline"]["offset_unit"] == "utf16"
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
    assert (found[0].start, found[0].end, found[0].label) == (6, 11, "claim")
    assert found[0].annotator == "labelstudio-user-1" and found[0].ann_id is None
    assert found[1].where == "f.jsonl:3" and "data" in found[1].error
    broken = parse(labelstudio, '[\n{"data": {"text": "a"}},\n{"data": \n]')
    assert broken[-1].where == "f.jsonl:4" and broken[-1].error.startswith("not JSON")


def test_code_points_by_default_as_label_studio_counts() -> None:
    from tui.core.formats import default_unit

    assert default_unit("labelstudio") == "codepoint"
    art, records = sample()
    (task,) = json.loads(export(labelstudio, [(art, records)])[0])
    assert task["meta"]["redline"]["offset_unit"] == "codepoint"
    for region in (r for a in task["annotations"] for r in a["result"] if r["type"] == "labels"):
        assert art.text[region["value"]["start"]:region["value"]["end"]] == region["value"]["text"]


def test_label_studio_own_export_of_our_tasks_keeps_annotators_notes_and_ids() -> None:
    """What Label Studio 1.23.2 gives back: no annotation meta, completed_by a number,
    task meta and result items as they were imported."""
    art, records = sample()
    (task,) = json.loads(export(labelstudio, [(art, records)])[0])
    for number, annotation in enumerate(task["annotations"], start=1):
        annotation.update({"id": number, "completed_by": 1, "was_cancelled": False,
                           "ground_truth": False, "lead_time": None, "task": 1, "project": 1})
    task.update({"id": 1, "drafts": [], "predictions": [], "inner_id": 1})
    found = parse(labelstudio, json.dumps([task]))
    got = sorted((c.ann_id, c.annotator, c.label, c.quote, c.note, c.unit) for c in found)
    assert got == sorted((r["id"], r["annotator"], r["label"], r["quote"], r["note"], "codepoint")
                         for r in records)


def test_regions_keep_kind_and_provenance_through_label_studio() -> None:
    from tests.test_formats_native import article
    from tests.test_formats_prodigy import NEWS, SPACY, corrected
    from tui.core.record import kind_of

    art = article(NEWS)
    records = corrected(art)
    (task,) = json.loads(export(labelstudio, [(art, records)])[0])
    ours = task["meta"]["redline"]
    regions = {r["id"]: r for a in task["annotations"] for r in a["result"] if r["type"] == "labels"}
    for record in records:
        region = regions[record["id"]]
        assert region.get("origin") == ("prediction" if "suggested_by" in record else None)
        assert ours["suggested_by"].get(record["id"]) == record.get("suggested_by")
        assert ours["kinds"].get(record["id"], "span") == kind_of(record)
    assert SPACY in ours["suggested_by"].values()
    for annotation in task["annotations"]:  # as Label Studio's own export gives it back
        annotation.update({"id": 1, "completed_by": 1, "was_cancelled": False})
    found = parse(labelstudio, json.dumps([task]))
    assert sorted((c.ann_id, c.kind, c.suggested_by or "") for c in found) == sorted(
        (r["id"], kind_of(r), r.get("suggested_by", "")) for r in records)
