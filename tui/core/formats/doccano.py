"""doccano sequence labelling JSONL: ``{"text", "label": [[start, end, "LABEL"], ...]}``.

One article per line. doccano 1.8.4 counts offsets in UTF-16 code units: its
annotator (v-annotator 0.1.28) maps them with JavaScript's ``String.length``,
unless the project counts grapheme clusters (``grapheme_mode``, off by
default). So UTF-16 is the default here; ``--offsets codepoint`` writes code
points instead. Every line names its unit in ``offset_unit``, beside
``article_id``, ``title`` and ``source`` (doccano keeps extra keys as
metadata), and import honours it.

doccano has no place for annotators or notes: every span of an article goes
in one ``label`` list, and a project without "Allow overlapping spans" (the
default) drops the spans that overlap an earlier one, without a word. The
export counts them; ``--per-annotator`` writes one file per annotator.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from tui.core.formats.common import (
    Candidate,
    Groups,
    Options,
    dumps,
    overlapped,
    per_annotator_hint,
    read_jsonl,
)
from tui.core.formats.offsets import Utf16Map

DEFAULT_UNIT = "utf16"


def export(groups: Groups, out: TextIO, options: Options) -> int:
    count = 0
    dropped = dropped_articles = 0
    for article, records in groups:
        convert = Utf16Map(article.text) if options.offsets == "utf16" else None
        labels: list[tuple[int, int, str]] = []
        for record in records:
            start, end = record["start"], record["end"]
            if convert is not None:
                start, end = convert.span_to_utf16(start, end, record["quote"])
            labels.append((start, end, record["label"]))
            count += 1
        lost = overlapped((start, end) for start, end, _ in labels)
        if lost:
            dropped += lost
            dropped_articles += 1
        out.write(dumps({
            "text": article.text, "label": labels, "article_id": article.id,
            "title": article.title, "source": article.source,
            "offset_unit": options.offsets,
        }) + "\n")
    if dropped:
        options.notes.append(
            f"doccano: {dropped} of {count} spans overlap an earlier span of their article "
            f"({dropped_articles} article{'s' if dropped_articles != 1 else ''}); a doccano project "
            "without \"Allow overlapping spans\" drops them on import, without a word"
            + per_annotator_hint(options))
    return count


def _is_span(span: object) -> bool:
    return (isinstance(span, list) and len(span) == 3
            and all(isinstance(n, int) and not isinstance(n, bool) for n in span[:2])
            and isinstance(span[2], str))


def parse(path: str, handle, options) -> Iterator[Candidate]:
    for where, item, error in read_jsonl(path, handle):
        if error or not isinstance(item, dict):
            yield Candidate(where, error=error or "not a JSON object")
            continue
        text = item.get("text")
        spans = item.get("label", item.get("labels", []))
        if not isinstance(text, str) or not isinstance(spans, list):
            yield Candidate(where, error='needs "text" (string) and "label" (list)')
            continue
        unit = item.get("offset_unit", options.offsets)
        article_id = item.get("article_id")
        for span in spans:
            if not _is_span(span):
                yield Candidate(where, error=f"bad span {span!r}: expected [start, end, \"LABEL\"]")
                continue
            yield Candidate(where, article_id=article_id if isinstance(article_id, str) else None,
                            text=text, start=span[0], end=span[1], unit=unit, label=span[2],
                            annotator=item.get("annotator") if isinstance(item.get("annotator"), str) else None)
