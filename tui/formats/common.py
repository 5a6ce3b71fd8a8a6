"""What the format modules share: options, import candidates, ids for records without one."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

# Ids for imported spans that carry none: the same span, label and annotator
# always get the same id, so importing a file twice adds nothing.
IMPORT_NAMESPACE = uuid.UUID("6f1d2b1e-3c55-4a59-9b8e-2f1c7d0a9e41")


@dataclass
class Options:
    offsets: str = "codepoint"  # or "utf16"
    annotator: str = "imported"
    warnings: list[str] = field(default_factory=list)


@dataclass
class Candidate:
    """One annotation read from a file, not yet validated."""

    where: str  # "FILE:LINE" for messages
    article_id: str | None = None
    text: str | None = None  # the article text the file carries, for matching
    start: int | None = None
    end: int | None = None
    unit: str = "codepoint"
    label: str | None = None
    note: str = ""
    annotator: str | None = None
    quote: str | None = None
    record: dict | None = None  # a complete native record (lossless import)
    ann_id: str | None = None
    created: str | None = None
    modified: str | None = None
    error: str | None = None


def stable_id(article_id: str, start: int, end: int, label: str, annotator: str) -> str:
    return str(uuid.uuid5(IMPORT_NAMESPACE, f"{article_id}\x1f{start}\x1f{end}\x1f{label}\x1f{annotator}"))


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


def read_jsonl(path: str, handle) -> Iterator[tuple[str, object | None, str | None]]:
    """(where, object, error) for each non-blank line."""
    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield where, json.loads(raw), None
        except json.JSONDecodeError as err:
            yield where, None, f"not JSON ({err.msg} at column {err.colno})"
