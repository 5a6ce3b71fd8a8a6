"""JSON for machines that a terminal can print safely.

``json.dumps`` escapes C0 controls but writes DEL, C1 controls (U+009B is a
one-byte CSI on some terminals), bidi overrides and line separators as they
are, so a title or note could drive a terminal when the output is printed.
Those are written as ``\\uXXXX`` escapes: the same JSON value, inert bytes.
Lone surrogates from odd input are escaped too, so the output always encodes.
"""

from __future__ import annotations

import json
import re

_UNSAFE_IN_JSON = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def terminal_safe(json_text: str) -> str:
    """JSON text with every character that could act on a terminal escaped."""
    return _UNSAFE_IN_JSON.sub(_escape, json_text)


def dumps(data: object) -> str:
    """One JSON value on one line, readable (UTF-8 kept) and safe to print."""
    return terminal_safe(json.dumps(data, ensure_ascii=False, separators=(", ", ": ")))
