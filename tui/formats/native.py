"""Native JSONL: one annotation per line, every store field plus ``offset_unit``.

Keys in a fixed order and records sorted by article, start, end, id, so two
exports of the same store are byte-identical. Lossless: import gives back
the same records.
"""

from __future__ import annotations

from tui.formats.common import Candidate, dumps, read_jsonl
from tui.record import FIELDS, ordered

OFFSET_UNIT = "codepoint"


def export(groups, out, options) -> int:
    count = 0
    for _article, records in groups:
        for record in records:
            out.write(dumps({**ordered(record), "offset_unit": OFFSET_UNIT}) + "\n")
            count += 1
    return count


def parse(path: str, handle, options) -> list[Candidate]:
    found = []
    for where, item, error in read_jsonl(path, handle):
        if error:
            found.append(Candidate(where, error=error))
            continue
        if not isinstance(item, dict):
            found.append(Candidate(where, error="not a JSON object"))
            continue
        unit = item.get("offset_unit", OFFSET_UNIT)
        if unit != OFFSET_UNIT:
            found.append(Candidate(where, error=f"offset_unit {unit!r}: native records count code points"))
            continue
        missing = [name for name in FIELDS if name not in item]
        if missing:
            found.append(Candidate(where, error=f"missing field(s): {', '.join(missing)}"))
            continue
        record = ordered(item)
        found.append(Candidate(where, article_id=str(record["article_id"]), record=record,
                               start=record["start"], end=record["end"], label=record["label"]))
    return found
