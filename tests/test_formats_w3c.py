"""W3C Web Annotation JSON-LD lines: quote and position selectors agree with the text."""

from __future__ import annotations

import json

from tests.test_formats_native import article, export, parse, sample, span
from tui.core.formats import w3c


def test_selectors_equal_the_text_and_bodies_carry_label_and_note() -> None:
    art, records = sample()
    text, _ = export(w3c, [(art, records)])
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == len(records)
    for item, record in zip(lines, records, strict=True):
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld" and item["type"] == "Annotation"
        assert item["id"] == w3c.annotation_iri(record["id"]) != f"urn:uuid:{record['id']}"  # not UUIDs
        assert item["target"]["source"] == "urn:redline:article:a1"
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert art.text[position["start"]:position["end"]] == quote["exact"]
        assert art.text[:position["start"]].endswith(quote["prefix"])
        assert art.text[position["end"]:].startswith(quote["suffix"])
        tags = [b["value"] for b in item["body"] if b["purpose"] == "tagging"]
        notes = [b["value"] for b in item["body"] if b["purpose"] == "commenting"]
        assert tags == [record["label"]] and notes == ([record["note"]] if record["note"] else [])
        assert item["creator"]["name"] == record["annotator"]
        assert item["created"] == record["created_at"] and item["modified"] == record["updated_at"]


def test_scope_is_the_article_url_when_known() -> None:
    art, records = sample()
    art.url = "https://example.org/story"
    item = json.loads(export(w3c, [(art, records[:1])])[0])
    assert item["target"]["scope"] == "https://example.org/story"


def test_parse_keeps_ids_and_reports_what_is_missing() -> None:
    art, records = sample()
    text, _ = export(w3c, [(art, records)])
    found = parse(w3c, text + json.dumps({"type": "Annotation", "target": "x"}) + "\n")
    assert [c.ann_id for c in found[:-1]] == [r["id"] for r in records]
    assert [c.start for c in found[:-1]] == [r["start"] for r in records]
    assert found[-1].where == f"f.jsonl:{len(records) + 1}" and "TextPositionSelector" in found[-1].error
    assert article().id == "a1"


def test_source_and_id_are_iris_for_ids_with_spaces_and_percent() -> None:
    art = article("Tokyo said no.", "world news/tokyo office 100%")
    record = span(art, "Tokyo")
    record["id"] = "import 7"
    item = json.loads(export(w3c, [(art, [record])])[0])
    assert item["target"]["source"] == "urn:redline:article:world%20news/tokyo%20office%20100%25"
    assert item["id"] == "urn:redline:annotation:import%207"
    assert not any(ch in item["target"]["source"] + item["id"] for ch in ' <>"{}|\\^`')
    (found,) = parse(w3c, json.dumps(item))
    assert (found.article_id, found.ann_id) == ("world news/tokyo office 100%", "import 7")


def test_uuid_ids_stay_urn_uuid() -> None:
    art = article()
    record = span(art, "東京")
    record["id"] = "0b7c6f0e-8d3a-4c1e-9f4b-2a6d5e8c1f00"
    item = json.loads(export(w3c, [(art, [record])])[0])
    assert item["id"] == "urn:uuid:0b7c6f0e-8d3a-4c1e-9f4b-2a6d5e8c1f00"
    assert parse(w3c, json.dumps(item))[0].ann_id == record["id"]


def test_entity_corrections_classify_and_their_label_names_the_software_that_suggested_it() -> None:
    from tests.test_formats_prodigy import NEWS, SPACY, corrected
    from tui.core.record import ENTITY, SPAN, kind_of

    art = article(NEWS)
    records = corrected(art)
    lines = [json.loads(line) for line in export(w3c, [(art, records)])[0].splitlines()]
    for item, record in zip(lines, records, strict=True):
        (label,) = [b for b in item["body"] if b["value"] == record["label"]]
        purpose = "classifying" if kind_of(record) == ENTITY else "tagging"
        assert item["motivation"] == label["purpose"] == purpose
        assert label.get("creator") == ({"type": "Software", "name": SPACY}
                                        if "suggested_by" in record else None)
        assert item["creator"] == {"type": "Person", "name": record["annotator"]}
    found = parse(w3c, "\n".join(json.dumps(item) for item in lines))
    assert [(c.kind, c.label, c.suggested_by, c.annotator) for c in found] == [
        (kind_of(r), r["label"], r.get("suggested_by"), r["annotator"]) for r in records]
    assert {c.kind for c in found} == {SPAN, ENTITY}
