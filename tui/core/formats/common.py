"""What the format modules share: options, import candidates, ids for records without one."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from tui.core import jsonout
from tui.core.record import Annotation

if TYPE_CHECKING:
    from tui.core.corpus import Article

# What every exporter takes: each article with its annotations, one article at a time.
Groups: TypeAlias = "Iterable[tuple[Article, list[Annotation]]]"

# Ids for imported spans that carry none: the same span, label and annotator
# always get the same id, so importing a file twice adds nothing.
IMPORT_NAMESPACE = uuid.UUID("6f1d2b1e-3c55-4a59-9b8e-2f1c7d0a9e41")


@dataclass
class Options:
    offsets: str = "codepoint"  # or "utf16"
    annotator: str = "imported"
    spans_key: str = "sc"  # the spaCy DocBin's span group
    per_annotator: bool = False  # one file per annotator is being written
    # Whether an annotator reviewed an article for NER (marked it done): (annotator, article
    # id) -> bool. The training formats (prodigy, spacy) write the entity corrections of
    # reviewed articles as complete NER data, and leave the others out unless
    # ``unreviewed_entities``. The default counts every article as reviewed.
    reviewed: Callable[[str, str], bool] = lambda annotator, article_id: True
    unreviewed_entities: bool = False
    warnings: list[str] = field(default_factory=list)  # one per record, capped when printed
    notes: list[str] = field(default_factory=list)  # summaries, always printed


def per_annotator_hint(options: Options) -> str:
    return "" if options.per_annotator else "; --per-annotator writes one file per annotator"


def overlapped(spans: Iterable[tuple[int, int]]) -> int:
    """How many spans overlap one kept before them, keeping from the left.

    This is doccano 1.8.4's rule for a project without overlapping spans
    (``Spans.clean``: sort by start, keep a span that starts at or after the
    end of the last one kept), and the count of spans that ``doc.ents`` or a
    Prodigy ``ner`` task cannot hold beside the others.
    """
    dropped = 0
    kept_end = -1
    for start, end in sorted(spans, key=lambda span: span[0]):
        if start >= kept_end:
            kept_end = end
        else:
            dropped += 1
    return dropped


@dataclass
class Candidate:
    """One annotation read from a file, not yet validated."""

    where: str  # "FILE:LINE" for messages
    article_id: str | None = None
    text: str | None = None  # the article text the file carries, for matching
    start: object = None  # as found in the file: checked later
    end: object = None
    unit: str = "codepoint"
    label: object = None
    note: str = ""
    annotator: str | None = None
    quote: str | None = None
    record: Annotation | None = None  # a complete native record (lossless import)
    kind: str = "span"  # tui.core.record.KINDS
    suggested_by: str | None = None  # the rule or model that suggested it
    ann_id: str | None = None
    created: str | None = None
    modified: str | None = None
    error: str | None = None


_NAMESPACE_BYTES = IMPORT_NAMESPACE.bytes


def stable_id(article_id: str, start: int, end: int, label: str, annotator: str) -> str:
    """``uuid.uuid5(IMPORT_NAMESPACE, ...)``, computed without building UUID objects
    (a third of a 100,000-record import's conversion time went there)."""
    name = f"{article_id}\x1f{start}\x1f{end}\x1f{label}\x1f{annotator}".encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    hexed = digest.hex()
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def dumps(data: object) -> str:
    return jsonout.dumps(data)


try:
    # orjson parses a 100,000-record import three times faster than json; the
    # objects are the same, and json is still the judge of what is not JSON.
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson is a dependency, but optional here
    from json import loads as _fast_loads  # type: ignore[assignment]


def read_jsonl(path: str, handle: Iterable[str]) -> Iterator[tuple[str, object | None, str | None]]:
    """(where, object, error) for each non-blank line."""
    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield where, _fast_loads(raw), None
            continue
        except ValueError:
            pass  # not JSON to the fast parser: let json say why, with its column
        try:
            yield where, json.loads(raw), None
        except json.JSONDecodeError as err:
            yield where, None, f"not JSON ({err.msg} at column {err.colno})"
        except RecursionError:
            yield where, None, "not JSON (nested too deeply)"


def read_json_array(path: str, source: str) -> Iterator[tuple[str, object | None, str | None]]:
    """(where, element, error) for each element of a top-level JSON list, with its line.

    ``json.load`` would lose the positions; decoding element by element keeps
    the line each one starts on, for the error messages. A single object is
    taken as a list of one.
    """
    decoder = json.JSONDecoder()
    lines = _Lines(source)
    position = _skip_space(source, 0)
    if source.startswith("{", position):
        source, position = f"[{source[position:]}]", 0
        lines = _Lines(source)
    if not source.startswith("[", position):
        yield f"{path}:{lines.at(position)}", None, "not JSON: expected a list of tasks"
        return
    position = _skip_space(source, position + 1)
    if source.startswith("]", position):
        return
    while True:
        where = f"{path}:{lines.at(position)}"
        try:
            item, position = decoder.raw_decode(source, position)
        except json.JSONDecodeError as err:
            yield f"{path}:{err.lineno}", None, f"not JSON ({err.msg} at column {err.colno})"
            return
        except RecursionError:
            yield where, None, "not JSON (nested too deeply)"
            return
        yield where, item, None
        position = _skip_space(source, position)
        if source.startswith(",", position):
            position = _skip_space(source, position + 1)
            continue
        if source.startswith("]", position) and not source[position + 1:].strip():
            return
        yield f"{path}:{lines.at(position)}", None, "not JSON (expected ',' or ']' here)"
        return


def _skip_space(source: str, position: int) -> int:
    while position < len(source) and source[position] in " \t\r\n":
        position += 1
    return position


class _Lines:
    """Line numbers of increasing positions, counted once (a file may hold 100,000 tasks)."""

    def __init__(self, source: str) -> None:
        self.source, self.position, self.line = source, 0, 1

    def at(self, position: int) -> int:
        if position < self.position:
            return self.source.count("\n", 0, position) + 1
        self.line += self.source.count("\n", self.position, position)
        self.position = position
        return self.line
