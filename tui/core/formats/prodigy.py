"""Prodigy / spaCy JSONL: tasks with ``text``, ``tokens`` and ``spans``, as Prodigy's recipes save them.

Passages and entity corrections never share a task: an article's passages
(everyone's, which may overlap) are one ``spans_manual`` task, as
``spans.manual`` saves them; each annotator's entity corrections of the
article are one ``ner_manual`` task, as ``ner.correct`` saves them, so that
training NER from the file reads entity tasks only. An entity task holds the
annotator's own entity annotations and nothing else (a model entity they
rejected, or never reviewed, is not in it), and is written only for an
article the annotator marked done (reviewed for NER), since Prodigy reads an
answered ``ner_manual`` task as complete: every token outside its spans is
"no entity".

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
    read_jsonl,
)
from tui.core.jsonout import terminal_safe
from tui.core.record import ENTITY, SPAN, kind_of
from tui.core.tokens import tokenizer

# Prodigy's interfaces: ner_manual (ner.manual, ner.correct) holds one annotator's complete,
# non-overlapping entities; spans_manual (spans.manual) holds spans that may overlap.
NER_VIEW = "ner_manual"
SPANS_VIEW = "spans_manual"
ENTITY_VIEWS = (NER_VIEW, "ner")  # tasks whose spans are entities, when read back


def token_list(text: str, doc) -> list[dict]:
    """Prodigy's tokens, read from the Doc's arrays: a Token object per token costs 3x more."""
    from spacy.attrs import IDX, LENGTH, SPACY

    array = doc.to_array([IDX, LENGTH, SPACY])
    starts = array[:, 0].tolist()
    ends = (array[:, 0] + array[:, 1]).tolist()
    spaces = array[:, 2].astype(bool).tolist()
    return [{"text": text[start:end], "start": start, "end": end, "id": number, "ws": space}
            for number, (start, end, space) in enumerate(zip(starts, ends, spaces, strict=True))]


def encoded(tokens: list[dict]):
    """The tokens as JSON, once: an article's passage task and each of its entity tasks
    carry the same tokens (the list itself when orjson refuses it, for ``line_json``)."""
    try:
        return orjson.Fragment(orjson.dumps(tokens))
    except TypeError:
        return tokens


def line_json(task: dict, plain: bool, tokens: list[dict]) -> str:
    """One task as compact JSON, safe to print; ``tokens`` are the task's own, in case its
    ``tokens`` is their encoded ``Fragment``.

    orjson encodes the 1.3 million token objects of a 100,000-annotation export
    several times faster than ``json``; what it leaves as is that a terminal
    could act on (C1 controls, bidi overrides, line separators) is escaped
    after, unless ``plain`` says the strings hold none (tokens are slices of
    the text, so checking the text, title, source and labels is enough).
    """
    try:
        line = orjson.dumps(task).decode()
    except TypeError:  # a lone surrogate from odd input: json escapes it
        return dumps({**task, "tokens": tokens})
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


def task_spans(doc, article, records, options) -> list[dict]:
    """Prodigy's spans of ``records`` on spaCy's tokens; ``source`` names the rule or model
    that suggested one, as Prodigy's ner.correct does for the model's spans."""
    spans = []
    for record in records:
        span = aligned(doc, article, record, options, "prodigy")
        if span is None:
            continue
        item = {"start": span.start_char, "end": span.end_char, "token_start": span.start,
                "token_end": span.end - 1, "label": record["label"]}
        if "suggested_by" in record:
            item["source"] = record["suggested_by"]
        spans.append(item)
    return spans


def by_annotator(records) -> dict[str, list]:
    found: dict[str, list] = {}
    for record in records:
        found.setdefault(record["annotator"], []).append(record)
    return dict(sorted(found.items()))


def export(groups, out, options) -> int:
    """One ``spans_manual`` task per article with its passages (everyone's), then one
    ``ner_manual`` task per annotator who reviewed the article for NER, with that annotator's
    entity corrections only: the corrected NER data, as Prodigy's ner.correct writes it."""
    count = 0
    overlapping = overlapping_tasks = 0
    corrections = NerCorrections("prodigy", options)
    tokenize, groups = tokenizer_while(groups)
    for article, records in groups:
        doc = tokenize(article.text)
        tokens = None
        meta = {"id": article.id, "source": article.source, "title": article.title}
        passages = [r for r in records if kind_of(r) != ENTITY]
        tasks: list[tuple[str, list[dict], set[str]]] = []
        if passages or not records:  # an article given without records: its (empty) passage task
            tasks.append((SPANS_VIEW, task_spans(doc, article, passages, options),
                          {r["annotator"] for r in passages}))
        for annotator, own, _reviewed in corrections.of(article.id, records):
            spans = task_spans(doc, article, own, options)
            dropped = overlapped((item["token_start"], item["token_end"] + 1) for item in spans)
            if dropped:
                overlapping += dropped
                overlapping_tasks += 1
            tasks.append((NER_VIEW, spans, {annotator}))
        for view, spans, annotators in tasks:
            if tokens is None:
                tokens = token_list(article.text, doc)
                shared = encoded(tokens)
            task = {"text": article.text, "tokens": shared, "spans": spans, "meta": meta,
                    "_view_id": view, "answer": "accept"}
            if len(annotators) == 1:
                # Who answered, in the fields Prodigy writes for it.
                (task["_annotator_id"],) = annotators
                task["_session_id"] = task["_annotator_id"]
            plain = is_plain(article.text, article.title, article.source, *annotators,
                             *(s["label"] for s in spans), *(s.get("source", "") for s in spans))
            out.write(line_json(task, plain, tokens) + "\n")
            count += len(spans)
    if overlapping:
        options.notes.append(
            f"prodigy: {overlapping} entity span{'s' if overlapping != 1 else ''} overlap another "
            f"entity of the same annotator ({overlapping_tasks} task{'s' if overlapping_tasks != 1 else ''}); "
            "Prodigy's ner_manual and spaCy's doc.ents cannot hold them")
    options.notes.extend(corrections.notes("Prodigy reads a ner_manual task as complete: its "
                                           "unmarked tokens as no entity"))
    return count


class NerCorrections:
    """Each annotator's entity corrections of an article, as the NER exports take them: those
    of an article its annotator did not mark done (not reviewed for NER) are left out unless
    ``--unreviewed-entities``, and counted for the closing note either way."""

    def __init__(self, fmt: str, options) -> None:
        self.fmt = fmt
        self.options = options
        self.unreviewed: set[tuple[str, str]] = set()  # (annotator, article id)
        self.left_out = 0

    def of(self, article_id: str, records) -> Iterator[tuple[str, list[dict], bool]]:
        """(annotator, their corrections, reviewed) for each annotator written."""
        for annotator, own in by_annotator(r for r in records if kind_of(r) == ENTITY).items():
            reviewed = self.options.reviewed(annotator, article_id)
            if not reviewed:
                self.unreviewed.add((annotator, article_id))
                if not self.options.unreviewed_entities:
                    self.left_out += len(own)
                    continue
            yield annotator, own, reviewed

    def notes(self, written_as: str) -> list[str]:
        """What became of the entity corrections of articles their annotator did not mark done."""
        if not self.unreviewed:
            return []
        articles = len({article_id for _, article_id in self.unreviewed})
        where = f"{articles} article{'s' if articles != 1 else ''} not marked done by their annotator"
        if not self.options.unreviewed_entities:
            left = self.left_out
            return [f"{self.fmt}: {left} entity correction{'s' if left != 1 else ''} in {where} left "
                    "out of the NER data (an article counts as reviewed for NER once its annotator "
                    "marks it done; --unreviewed-entities writes them too)"]
        return [f"{self.fmt}: entity corrections in {where} written too (--unreviewed-entities); "
                f"{written_as}"]


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
        kind = ENTITY if item.get("_view_id") in ENTITY_VIEWS else SPAN
        annotator = item.get("_annotator_id")
        for span in spans:
            if not isinstance(span, dict) or not all(k in span for k in ("start", "end", "label")):
                yield (Candidate(where, error=f"bad span {span!r}: needs start, end, label"))
                continue
            source = span.get("source")
            yield (Candidate(where, article_id=meta.get("id"), text=text, start=span["start"],
                             end=span["end"], label=span["label"], kind=kind,
                             annotator=annotator if isinstance(annotator, str) and annotator else None,
                             suggested_by=source if isinstance(source, str) and source.strip() else None))
