"""doccano sequence labelling JSONL: ``{"text", "label": [[start, end, "LABEL"], ...]}``.

doccano counts offsets in UTF-16 code units (JavaScript strings), so that is
the default here and every line says which unit it uses in ``offset_unit``;
``--offsets codepoint`` writes code points instead.
"""

from __future__ import annotations

from tui.formats.common import Candidate, dumps, read_jsonl
from tui.formats.offsets import Utf16Map


def export(groups, out, options) -> int:
    count = 0
    for article, records in groups:
        convert = Utf16Map(article.text) if options.offsets == "utf16" else None
        labels = []
        for record in records:
            start, end = record["start"], record["end"]
            if convert is not None:
                start, end = convert.to_utf16(start), convert.to_utf16(end)
            labels.append([start, end, record["label"]])
            count += 1
        out.write(dumps({
            "text": article.text, "label": labels, "article_id": article.id,
            "title": article.title, "source": article.source,
            "offset_unit": options.offsets,
        }) + "\n")
    return count


def parse(path: str, handle, options) -> list[Candidate]:
    found = []
    for where, item, error in read_jsonl(path, handle):
        if error or not isinstance(item, dict):
            found.append(Candidate(where, error=error or "not a JSON object"))
            continue
        text = item.get("text")
        spans = item.get("label", item.get("labels", []))
        if not isinstance(text, str) or not isinstance(spans, list):
            found.append(Candidate(where, error='needs "text" (string) and "label" (list)'))
            continue
        unit = item.get("offset_unit", options.offsets)
        for span in spans:
            if not (isinstance(span, list) and len(span) == 3 and isinstance(span[0], int)
                    and isinstance(span[1], int) and isinstance(span[2], str)):
                found.append(Candidate(where, error=f"bad span {span!r}: expected [start, end, label]"))
                continue
            found.append(Candidate(where, article_id=item.get("article_id"), text=text,
                                   start=span[0], end=span[1], unit=unit, label=span[2],
                                   annotator=item.get("annotator")))
    return found
