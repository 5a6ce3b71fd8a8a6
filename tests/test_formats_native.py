"""Native JSONL, as pure functions; also the helpers the other format tests share."""

from __future__ import annotations

import io
import json

from tui.core.corpus import Article
from tui.core.formats import native
from tui.core.formats.common import Options
from tui.core.record import FIELDS, KINDS, OPTIONAL_FIELDS, new_annotation

TEXT = "Tokyo 東京 said 👍🏽 no.\r\nThe 🇯🇵 flag; café́ and 👨‍👩‍👧 family."
STAMP = "2026-11-23T10:00:00.000000Z"


def article(text: str = TEXT, article_id: str = "a1", **kwargs) -> Article:
    return Article(id=article_id, text=text, title=kwargs.pop("title", "A title"),
                   source=kwargs.pop("source", "Wire"), **kwargs)


def span(art: Article, quote: str, label: str = "claim", annotator: str = "ann", note: str = "",
         occurrence: int = 0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = art.text.index(quote, start + 1)
    return new_annotation(article_id=art.id, text=art.text, article_sha256=art.sha256, start=start,
                          end=start + len(quote), label=label, annotator=annotator, note=note,
                          ann_id=f"{art.id}-{start}-{label}-{annotator}", now=STAMP)


def sample() -> tuple[Article, list[dict]]:
    art = article()
    records = [span(art, "東京"), span(art, "👍🏽", "quote", note="thumbs\nup"),
               span(art, "🇯🇵 flag", "factual error", "bob"), span(art, "café́"),
               span(art, "👨‍👩‍👧 family", "quote"), span(art, "no.\r\nThe", "claim", "bob")]
    records.sort(key=lambda r: (r["start"], r["end"], r["id"]))
    return art, records


def provenanced(art: Article) -> dict:
    """An accepted entity suggestion: a record with both optional fields."""
    start = art.text.index("Tokyo")
    return new_annotation(article_id=art.id, text=art.text, article_sha256=art.sha256, start=start,
                          end=start + 5, label="GPE", annotator="ann", ann_id=f"{art.id}-entity",
                          now=STAMP, kind="entity", suggested_by="spacy:en_core_web_sm 3.8.0")


def export(module, groups, **options) -> tuple[str, Options]:
    out = io.StringIO()
    opts = Options(**options)
    module.export(groups, out, opts)
    return out.getvalue(), opts


def parse(module, source: str, **options) -> list:
    return list(module.parse("f.jsonl", io.StringIO(source), Options(**options)))


def test_one_line_per_record_keys_in_order_with_offset_unit() -> None:
    art, records = sample()
    text, _ = export(native, [(art, records)])
    lines = text.splitlines()
    assert len(lines) == len(records)
    for line, record in zip(lines, records, strict=True):
        data = json.loads(line)
        assert list(data) == [*FIELDS, "offset_unit"]
        assert data["offset_unit"] == "codepoint"
        assert art.text[data["start"]:data["end"]] == data["quote"] == record["quote"]


def test_export_is_deterministic_and_readable_unicode() -> None:
    art, records = sample()
    first, _ = export(native, [(art, records)])
    second, _ = export(native, [(art, [dict(r) for r in records])])
    assert first == second
    assert "東京" in first  # not \\u escapes: diffs stay readable


def test_parse_gives_back_the_same_records() -> None:
    art, records = sample()
    text, _ = export(native, [(art, records)])
    found = parse(native, text)
    assert [c.record for c in found] == records
    assert [c.where for c in found] == [f"f.jsonl:{n}" for n in range(1, len(records) + 1)]


def test_utf16_export_counts_code_units_and_parse_keeps_the_unit() -> None:
    art, records = sample()
    text, _ = export(native, [(art, records)], offsets="utf16")
    encoded = art.text.encode("utf-16-le")
    for line in text.splitlines():
        data = json.loads(line)
        assert data["offset_unit"] == "utf16"
        assert encoded[2 * data["start"]:2 * data["end"]].decode("utf-16-le") == data["quote"]
    assert {c.unit for c in parse(native, text)} == {"utf16"}


def test_parse_reports_bad_lines_with_their_numbers() -> None:
    art, records = sample()
    good = json.dumps(records[0])
    partial = json.dumps({k: v for k, v in records[0].items() if k != "quote"})
    source = f"{good}\n{{not json\n\n[1, 2]\n{partial}\n" + json.dumps({**records[0], "offset_unit": "bytes"})
    found = parse(native, source)
    assert found[0].error is None
    assert [(c.where, c.error.split(" (")[0]) for c in found[1:]] == [
        ("f.jsonl:2", "not JSON"),
        ("f.jsonl:4", "not a JSON object"),
        ("f.jsonl:5", "missing field(s): quote"),
        ("f.jsonl:6", "offset_unit 'bytes': expected one of codepoint, utf16"),
    ]


def test_json_schema_lists_the_record_fields_in_order_and_the_version() -> None:
    from pathlib import Path

    from tui.core.record import SCHEMA_VERSION

    schema = json.loads((Path(__file__).parent.parent / "docs" / "annotation.schema.json").read_text())
    assert list(schema["properties"]) == [*FIELDS, *OPTIONAL_FIELDS, "offset_unit"]
    assert schema["required"] == list(FIELDS)
    assert schema["properties"]["schema_version"]["enum"] == list(range(1, SCHEMA_VERSION + 1))
    assert schema["properties"]["kind"]["enum"] == list(KINDS)
    assert f"/{SCHEMA_VERSION}.json" in schema["$id"]
    art, records = sample()
    records.append(provenanced(art))
    lines = export(native, [(art, records)])[0].splitlines()
    assert {"kind", "suggested_by"} <= set(json.loads(lines[-1]))
    for line in lines:
        data = json.loads(line)
        assert set(data) <= set(schema["properties"])
        assert data["schema_version"] in schema["properties"]["schema_version"]["enum"]
        for name, rule in schema["properties"].items():
            if name not in data:
                assert name not in schema["required"]
                continue
            kind = {"string": str, "integer": int}.get(rule.get("type"))
            assert kind is None or isinstance(data[name], kind)
            assert "enum" not in rule or data[name] in rule["enum"]
