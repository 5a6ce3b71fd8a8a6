"""The annotation record: its fields, their order, and how one is made and checked.

Offsets are code points into the exact article text, end exclusive, so
``text[start:end] == quote`` holds for every record. Everything that stores,
exports or imports an annotation goes through this module.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypedDict

# Version 2 added the optional ``kind`` and ``suggested_by``. A record carries
# the lowest version that describes it (1 when it has neither field), so
# records made by hand stay readable by older redline, which rejects only what
# it would misread: provenance or entity corrections it does not know.
SCHEMA_VERSION = 2
CONTEXT_CHARS = 32

# Field order is part of the export format: keep it stable.
FIELDS: tuple[str, ...] = (
    "id",
    "article_id",
    "article_sha256",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "label",
    "note",
    "annotator",
    "created_at",
    "updated_at",
    "schema_version",
)
# Present only when they say something: no ``kind`` means "span", no
# ``suggested_by`` means made by hand. Written after FIELDS, in this order.
OPTIONAL_FIELDS: tuple[str, ...] = ("kind", "suggested_by")
ALL_FIELDS: tuple[str, ...] = FIELDS + OPTIONAL_FIELDS
SPAN = "span"  # an annotation of a passage (claim, quote, ...)
ENTITY = "entity"  # a corrected named entity: its label is an entity type (PERSON, ORG, ...)
KINDS: tuple[str, ...] = (SPAN, ENTITY)


class _Provenance(TypedDict, total=False):
    kind: str  # KINDS; absent means SPAN
    suggested_by: str  # "rule:quotation/1", "spacy:en_core_web_sm 3.8.0"; absent: made by hand


class Annotation(_Provenance):
    """One stored annotation. A TypedDict, not a class: records are JSON objects on
    disk and in every export, and TinyDB hands them back as dicts. Optional fields
    go in as ``NotRequired[...]`` (and in FIELDS, after the required ones)."""

    id: str
    article_id: str
    article_sha256: str
    start: int  # code points into the exact article text
    end: int  # exclusive
    quote: str  # == text[start:end]
    prefix: str
    suffix: str
    label: str
    note: str
    annotator: str
    created_at: str  # UTC, ISO 8601 with microseconds
    updated_at: str
    schema_version: int


_STR_FIELDS = ("id", "article_id", "article_sha256", "quote", "prefix", "suffix", "label",
               "note", "annotator", "created_at", "updated_at")


def now_iso() -> str:
    """UTC timestamp, ISO 8601 with microseconds, so later edits sort later."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix selectors around ``text[start:end]``."""
    return text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS]


def new_annotation(
    *,
    article_id: str,
    text: str,
    article_sha256: str,
    start: int,
    end: int,
    label: str,
    annotator: str,
    note: str = "",
    ann_id: str | None = None,
    now: str | None = None,
    kind: str = SPAN,
    suggested_by: str | None = None,
) -> Annotation:
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"span {start}-{end} is outside the text (length {len(text)})")
    stamp = now or now_iso()
    prefix, suffix = context(text, start, end)
    record: Annotation = {
        "id": ann_id or str(uuid.uuid4()),
        "article_id": article_id,
        "article_sha256": article_sha256,
        "start": start,
        "end": end,
        "quote": text[start:end],
        "prefix": prefix,
        "suffix": suffix,
        "label": label,
        "note": note,
        "annotator": annotator,
        "created_at": stamp,
        "updated_at": stamp,
        "schema_version": 1,
    }
    if kind != SPAN:
        record["kind"] = kind
    if suggested_by is not None:
        record["suggested_by"] = suggested_by
    record["schema_version"] = version_for(record)
    found = _provenance_problems(record)
    if found:
        raise ValueError("; ".join(found))
    return record


def version_for(record: Mapping[str, Any]) -> int:
    """The lowest schema version that describes ``record``."""
    return 2 if any(name in record for name in OPTIONAL_FIELDS) else 1


def kind_of(record: Mapping[str, Any]) -> str:
    return record.get("kind", SPAN)


def ordered(record: Mapping[str, Any]) -> Annotation:
    """The record with its fields in canonical order (unknown fields dropped)."""
    return {name: record[name] for name in ALL_FIELDS if name in record}  # type: ignore[return-value]


def problems(record: Mapping[str, Any], text: str | None = None) -> list[str]:
    """Why a record is not valid; empty when it is.

    With ``text``, the offsets and quote are checked against the article.
    """
    found: list[str] = []
    for name in FIELDS:
        if name not in record:
            found.append(f"missing field '{name}'")
    if found:
        return found
    for name in _STR_FIELDS:
        if not isinstance(record[name], str):
            found.append(f"field '{name}' must be a string")
    for name in ("start", "end", "schema_version"):
        if not isinstance(record[name], int) or isinstance(record[name], bool):
            found.append(f"field '{name}' must be an integer")
    found += _provenance_problems(record)
    if found:
        return found
    start, end = record["start"], record["end"]
    if not 0 <= start < end:
        found.append(f"bad span {start}-{end}")
    elif len(record["quote"]) != end - start:
        found.append(f"quote length {len(record['quote'])} does not match span {start}-{end}")
    if text is not None and not found:
        if end > len(text):
            found.append(f"span {start}-{end} is outside the text (length {len(text)})")
        elif text[start:end] != record["quote"]:
            found.append(f"quote does not match the text at {start}-{end}")
    return found


def _provenance_problems(record: Mapping[str, Any]) -> list[str]:
    found = []
    if "kind" in record and record["kind"] not in KINDS:
        found.append(f"field 'kind' must be one of {', '.join(KINDS)}, not {record['kind']!r}")
    if "suggested_by" in record and (not isinstance(record["suggested_by"], str)
                                     or not record["suggested_by"].strip()):
        found.append("field 'suggested_by' must be a non-empty string")
    if (found == [] and version_for(record) > 1 and isinstance(record.get("schema_version"), int)
            and record["schema_version"] < 2):
        found.append("fields 'kind' and 'suggested_by' need schema_version 2")
    return found
