"""Native JSONL: one annotation per line, every store field plus ``offset_unit``.

Keys in a fixed order (``tui.core.record.FIELDS``, then ``offset_unit``) and
records sorted by article, start, end, id, so two exports of the same store
are byte-identical and diff cleanly. Lossless: import gives back the same
records. The schema is docs/annotation.schema.json.

Offsets are code points. ``--offsets utf16`` writes UTF-16 code units
instead (for JavaScript consumers) and says so in ``offset_unit``; import
converts them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from tui.core.formats.common import Candidate, Groups, Options, dumps, read_jsonl
from tui.core.formats.offsets import UNITS, Utf16Map
from tui.core.record import FIELDS, ordered

OFFSET_UNIT = "codepoint"


def export(groups: Groups, out: TextIO, options: Options) -> int:
    count = 0
    utf16 = options.offsets == "utf16"
    for article, records in groups:
        convert = Utf16Map(article.text) if utf16 else None
        for record in records:
            line = ordered(record)
            if convert is not None:
                line["start"], line["end"] = convert.span_to_utf16(record["start"], record["end"],
                                                                  record["quote"])
            line["offset_unit"] = options.offsets  # type: ignore[typeddict-unknown-key]
            out.write(dumps(line) + "\n")
            count += 1
    return count


def parse(path: str, handle, options) -> Iterator[Candidate]:
    for where, item, error in read_jsonl(path, handle):
        if error:
            yield Candidate(where, error=error)
            continue
        if not isinstance(item, dict):
            yield Candidate(where, error="not a JSON object")
            continue
        unit = item.get("offset_unit", options.offsets)
        if unit not in UNITS:
            yield Candidate(where, error=f"offset_unit {unit!r}: expected one of {', '.join(UNITS)}")
            continue
        missing = [name for name in FIELDS if name not in item]
        if missing:
            yield Candidate(where, error=f"missing field(s): {', '.join(missing)}")
            continue
        record = ordered(item)
        yield Candidate(where, article_id=record["article_id"], record=record, unit=unit,
                        start=record["start"], end=record["end"], label=record["label"])
