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

SCHEMA_VERSION = 1
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


class Annotation(TypedDict):
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
        "schema_version": SCHEMA_VERSION,
    }
    return record


def ordered(record: Mapping[str, Any]) -> Annotation:
    """The record with its fields in canonical order (unknown fields dropped)."""
    return {name: record[name] for name in FIELDS if name in record}  # type: ignore[return-value]


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
