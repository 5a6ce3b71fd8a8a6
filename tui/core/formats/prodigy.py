"""Prodigy / spaCy JSONL: one article per line with ``text``, ``tokens`` and ``spans``.

Tokens come from spaCy's English tokenizer (``spacy.blank("en")``), the
same one Prodigy and ``spacy.training`` use for English. A span whose edges
are not token edges (a selection that cut a word) is widened to the tokens
it touches, with a warning, so that ``Doc.char_span(start, end,
alignment_mode="strict")`` aligns every span of the file.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from typing import Any

import orjson

from tui.core.formats.common import (
    Candidate,
    dumps,
    overlapped,
    per_annotator_hint,
    read_jsonl,
)
from tui.core.jsonout import terminal_safe
from tui.core.tokens import tokenizer


def token_list(text: str, doc) -> list[dict]:
    """Prodigy's tokens, read from the Doc's arrays: a Token object per token costs 3x more."""
    from spacy.attrs import IDX, LENGTH, SPACY

    array = doc.to_array([IDX, LENGTH, SPACY])
    starts = array[:, 0].tolist()
    ends = (array[:, 0] + array[:, 1]).tolist()
    spaces = array[:, 2].astype(bool).tolist()
    return [{"text": text[start:end], "start": start, "end": end, "id": number, "ws": space}
            for number, (start, end, space) in enumerate(zip(starts, ends, spaces, strict=True))]


def line_json(task: dict, plain: bool) -> str:
    """One task as compact JSON, safe to print.

    orjson encodes the 1.3 million token objects of a 100,000-annotation export
    several times faster than ``json``; what it leaves as is that a terminal
    could act on (C1 controls, bidi overrides, line separators) is escaped
    after, unless ``plain`` says the strings hold none (tokens are slices of
    the text, so checking the text, title, source and labels is enough).
    """
    try:
        line = orjson.dumps(task).decode()
    except TypeError:  # a lone surrogate from odd input: json escapes it
        return dumps(task)
    return line if plain else terminal_safe(line)


def is_plain(*strings: str) -> bool:
    return all(terminal_safe(string) == string for string in strings)


def aligned(doc, article, record, options, fmt: str):
    """The record's span on spaCy's tokens: exact, else widened to the tokens it touches
    (with a warning), else None (whitespace only, with a warning)."""
    start, end = record["start"], record["end"]
    # One lookup: "expand" gives the strict span itself when both edges are token edges.
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and span.start_char == start and span.end_char == end:
        return span
    # The text, not span.text: that makes a Token object per token.
    if span is None or not article.text[span.start_char:span.end_char].strip():
        options.warnings.append(
            f"{article.id}: {record['label']} at {record['start']}-{record['end']} "
            f"covers no token; left out of the {fmt} export")
        return None
    options.warnings.append(
        f"{article.id}: {record['label']} at {record['start']}-{record['end']} aligned "
        f"to token edges {span.start_char}-{span.end_char}")
    return span


def overlap_note(fmt: str, overlapping: int, total: int, articles: int, consumer: str, options) -> str:
    return (f"{fmt}: {overlapping} of {total} spans overlap another span of their article "
            f"({articles} article{'s' if articles != 1 else ''}); {consumer}" + per_annotator_hint(options))


def tokenizer_while(groups):
    """(the tokenizer, the groups): spaCy is imported in a thread while the first group is read,
    which lists the store's articles (their files are read and parsed: I/O and json, beside
    spaCy's module loading)."""
    loading = threading.Thread(target=tokenizer, daemon=True)
    loading.start()
    groups = iter(groups)
    first = next(groups, None)
    loading.join()
    return tokenizer(), itertools.chain([first] if first is not None else [], groups)


def export(groups, out, options) -> int:
    count = 0
    overlapping = overlapping_articles = 0
    tokenize, groups = tokenizer_while(groups)
    for article, records in groups:
        doc = tokenize(article.text)
        spans = []
        for record in records:
            span = aligned(doc, article, record, options, "prodigy")
            if span is None:
                continue
            spans.append({"start": span.start_char, "end": span.end_char,
                          "token_start": span.start, "token_end": span.end - 1,
                          "label": record["label"]})
            count += 1
        dropped = overlapped((item["token_start"], item["token_end"] + 1) for item in spans)
        if dropped:
            overlapping += dropped
            overlapping_articles += 1
        meta = {"id": article.id, "source": article.source, "title": article.title}
        plain = is_plain(article.text, article.title, article.source, *(s["label"] for s in spans))
        out.write(line_json({"text": article.text, "tokens": token_list(article.text, doc), "spans": spans,
                             "meta": meta, "answer": "accept"}, plain) + "\n")
    if overlapping:
        options.notes.append(overlap_note(
            "prodigy", overlapping, count, overlapping_articles,
            "Prodigy's ner recipes and spaCy's doc.ents cannot hold them (spans.manual and "
            "doc.spans can)", options))
    return count


def parse(path: str, handle, options) -> Iterator[Candidate]:
    for where, item, error in read_jsonl(path, handle):
        if error or not isinstance(item, dict):
            yield (Candidate(where, error=error or "not a JSON object"))
            continue
        if item.get("answer", "accept") != "accept":
            continue  # rejected or ignored examples carry no labels to keep
        text = item.get("text")
        spans = item.get("spans", [])
        if not isinstance(text, str) or not isinstance(spans, list):
            yield (Candidate(where, error='needs "text" (string) and "spans" (list)'))
            continue
        meta: Any = item.get("meta") if isinstance(item.get("meta"), dict) else {}
        for span in spans:
            if not isinstance(span, dict) or not all(k in span for k in ("start", "end", "label")):
                yield (Candidate(where, error=f"bad span {span!r}: needs start, end, label"))
                continue
            yield (Candidate(where, article_id=meta.get("id"), text=text, start=span["start"],
                                   end=span["end"], label=span["label"]))
