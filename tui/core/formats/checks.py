"""Checks every imported record passes besides ``record.problems``: fields a
hostile or broken file could fill with something the store must not hold.

An empty id, a timestamp that is not RFC 3339, control characters (or bidi
overrides) in an annotator, a label or a suggestion's provenance, a note longer than ``NOTE_LIMIT``.
Timestamps that pass are written the way redline writes them (UTC, six
fractional digits, ``Z``), so the store's comparisons of ``updated_at``
strings stay right.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

from tui.core.record import Annotation

NOTE_LIMIT = 20_000

_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")
# redline's own form, fields in range; only days past the 28th need the calendar.
_CANONICAL = re.compile(
    r"(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)\.\d{6}Z")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def timestamp(name: str, value: str) -> str:
    """The timestamp in redline's form; ValueError when it is not RFC 3339."""
    canonical = _CANONICAL.fullmatch(value)
    if canonical and canonical.group(3) <= "28":  # the usual case, 200,000 times in an import
        return value
    return _timestamp(name, value)


@lru_cache(maxsize=4096)  # an import from another tool stamps every record alike
def _timestamp(name: str, value: str) -> str:
    canonical = _CANONICAL.fullmatch(value)
    if canonical:
        try:
            year, month, day, hour, minute, second = map(int, canonical.groups())
            datetime(year, month, day, hour, minute, second)  # February 30th and the like raise
            return value
        except ValueError:
            pass
    elif _RFC3339.fullmatch(value):
        try:
            moment = datetime.fromisoformat(value.upper())
            return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        except ValueError:
            pass
    raise ValueError(f"{name} {value[:40]!r} is not an RFC 3339 timestamp "
                     "(like 2026-11-23T10:00:00.000000Z)")


@lru_cache(maxsize=4096)  # a file has few annotators and labels, repeated on every line
def plain_name(name: str, value: str) -> None:
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"{name} {value[:40]!r} holds a control character (U+{ord(found.group()):04X})")


def record_fields(record: Annotation) -> None:
    """Raise ValueError for the first field that must not be stored; fix timestamps in place."""
    if not record["id"] or record["id"].isspace():
        raise ValueError("empty id")
    plain_name("annotator", record["annotator"])
    plain_name("label", record["label"])
    if "suggested_by" in record:
        plain_name("suggested_by", record["suggested_by"])
    if len(record["note"]) > NOTE_LIMIT:
        raise ValueError(f"note of {len(record['note']):,} characters (the limit is {NOTE_LIMIT:,})")
    record["created_at"] = timestamp("created_at", record["created_at"])
    if record["updated_at"] != record["created_at"]:
        record["updated_at"] = timestamp("updated_at", record["updated_at"])
