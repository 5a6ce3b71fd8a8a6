"""The bytes of the store's files, and the checksums that prove nobody changed them.

Base files (``articles/<stem>.json``, ``readers/<stem>.json``) are TinyDB JSON
databases: ``TinyDB(path).table("annotations").all()`` reads them. Their first
table, ``_meta``, opens the file and carries a SHA-256 of the whole file::

    {"_meta":{"1":{"checksum":"sha256:<64 hex>","format":2,...}},"annotations":{"1":{...},...}}

The digest is computed with its own 64 hex digits replaced by zeros, so any
changed byte anywhere (a key, a label, a note, the checksum itself) is seen.
Files of format 1 (written before checksums) are read as they are, and get a
checksum the next time they are written.

Journal files hold one change per line. Each line carries its entry twice,
each copy with a CRC-32 of its JSON, so one damaged copy is repaired from the
other::

    <crc32 hex> <json>\\t<crc32 hex> <json>\\n

JSON escapes control characters, so neither a tab nor a newline occurs inside it.
A last line without its newline was cut short by a killed process: its save
never returned, and it is ignored.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tui.core.store.errors import DamagedStoreError, StoreError
from tui.core.store.files import describe_os_error

META = "_meta"
FORMAT = 2
CHECKSUM_HEAD = b'{"_meta":{"1":{"checksum":"sha256:'
_DIGEST_HEX = 64
_ZEROS = b"0" * _DIGEST_HEX
_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_stem(key: str) -> str:
    """A safe, readable, collision-free file name stem for an article id or annotator.

    Part of the format: later versions must find the same files again.
    """
    slug = _SLUG_UNSAFE.sub("_", key).strip("._-")[:40].rstrip("._-") or "x"
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{slug}-{digest}"


def encode(data: Any) -> bytes:
    # ASCII-only JSON: portable, and lone surrogates from odd input cannot break the encoding.
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def decode_json(raw: bytes) -> Any:
    """orjson when it can (3x faster); json for what orjson refuses (lone surrogates)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


# -- base files ------------------------------------------------------------------------------

def encode_base(meta: dict[str, Any], tables: dict[str, dict[str, Any]]) -> bytes:
    """A TinyDB file whose ``_meta`` document opens the file and carries its checksum."""
    head = {"checksum": "sha256:" + "0" * _DIGEST_HEX, **meta, "format": FORMAT}
    raw = bytearray(encode({META: {"1": head}, **tables}))
    assert raw.startswith(CHECKSUM_HEAD)
    at = len(CHECKSUM_HEAD)
    raw[at:at + _DIGEST_HEX] = hashlib.sha256(raw).hexdigest().encode("ascii")
    return bytes(raw)


def _digest_ok(raw: bytes) -> bool:
    at = len(CHECKSUM_HEAD)
    digest = hashlib.sha256(CHECKSUM_HEAD)
    digest.update(_ZEROS)
    digest.update(memoryview(raw)[at + _DIGEST_HEX:])
    return digest.hexdigest().encode("ascii") == raw[at:at + _DIGEST_HEX]


@dataclass
class BaseFile:
    meta: dict[str, Any]
    tables: dict[str, dict[str, Any]]
    checked: bool  # False for format-1 files, which carry no checksum


def decode_base(raw: bytes, path: Path) -> BaseFile:
    """The parsed file; DamagedStoreError when it is not a whole, unchanged store file."""
    def damaged(detail: str) -> DamagedStoreError:
        return DamagedStoreError(str(path), detail)

    if not raw.strip():
        raise damaged("the file is empty")
    try:
        data = decode_json(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise damaged(f"not JSON: {err}") from None
    except RecursionError:
        raise damaged("not a store file (nested too deeply)") from None
    if not isinstance(data, dict):
        raise damaged("not a store file (top level is not an object)")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise damaged(f"not a store file (table {name!r} is not a table of objects)")
    docs = list(data.get(META, {}).values())
    meta = dict(docs[0]) if docs else {}
    version = meta.get("format", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        raise damaged("not a store file (bad format number)")
    if version > FORMAT:
        raise StoreError(f"{path}: written by a newer redline (file format {version}, this one "
                         f"reads up to {FORMAT}); upgrade redline")
    checked = version >= 2
    if checked:
        if not raw.startswith(CHECKSUM_HEAD) or len(raw) < len(CHECKSUM_HEAD) + _DIGEST_HEX:
            raise damaged("its checksum is missing: it was changed outside redline")
        if not _digest_ok(raw):
            raise damaged("checksum mismatch: a byte changed since redline wrote it")
    tables = {name: table for name, table in data.items() if name != META}
    return BaseFile(meta, tables, checked)


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise DamagedStoreError(str(path), "a folder where a store file should be") from None
    except OSError as err:
        raise StoreError(f"cannot read {path}: {describe_os_error(err)}") from None


def load_tables(path: Path) -> dict[str, Any] | None:
    """Every table of a base file (``_meta`` included), None when it does not exist.

    Damage (torn, not JSON, a failed checksum) raises DamagedStoreError.
    """
    raw = read_bytes(path)
    if raw is None:
        return None
    base = decode_base(raw, path)
    return {META: {"1": base.meta}, **base.tables}


# -- journal lines ---------------------------------------------------------------------------

def _encode_entry(entry: dict[str, Any]) -> bytes:
    # orjson escapes every control character (no raw tab or newline in its output) and
    # writes UTF-8, whose bytes never include those two: safe for the line format, and
    # ten times faster than json. json (ASCII) takes what orjson refuses: lone surrogates.
    try:
        return orjson.dumps(entry)
    except TypeError:
        return encode(entry)


def encode_line(entry: dict[str, Any]) -> bytes:
    body = _encode_entry(entry)
    copy = b"%08x %s" % (zlib.crc32(body), body)
    return copy + b"\t" + copy + b"\n"


def encode_lines(entries: Iterable[dict[str, Any]]) -> bytes:
    return b"".join(encode_line(entry) for entry in entries)


def _copy(part: bytes) -> dict[str, Any] | None:
    if len(part) < 10 or part[8:9] != b" ":
        return None
    body = part[9:]
    try:
        if int(part[:8], 16) != zlib.crc32(body):
            return None
        entry = decode_json(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return entry if isinstance(entry, dict) else None


@dataclass
class Lines:
    """Entries read from a journal, with what was wrong with it."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the line number of each entry
    end: int = 0  # bytes of whole lines read: where the next line starts
    torn: bool = False  # bytes after the last whole line (a save that never returned)
    mended: list[int] = field(default_factory=list)  # lines whose first copy was damaged
    lost: list[int] = field(default_factory=list)  # lines with both copies damaged


def decode_lines(raw: bytes | memoryview, start: int = 0, first_line: int = 1) -> Lines:
    """The entries of ``raw[start:]``; line numbers in ``mended``/``lost`` count from ``first_line``."""
    data = bytes(raw[start:]) if start else bytes(raw)
    out = Lines(end=start)
    position = 0
    number = first_line
    while True:
        newline = data.find(b"\n", position)
        if newline < 0:
            out.torn = position < len(data)
            break
        line = data[position:newline]
        first, _, second = line.partition(b"\t")
        entry = _copy(first)
        if entry is None:
            entry = _copy(second)
            if entry is None:
                out.lost.append(number)
            else:
                out.mended.append(number)
        if entry is not None:
            out.entries.append(entry)
            out.numbers.append(number)
        position = newline + 1
        number += 1
    out.end = start + position
    return out
