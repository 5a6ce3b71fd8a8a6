"""Small corpora with the input real users bring: binary files, bad feeds, odd encodings."""

from __future__ import annotations

import json
from pathlib import Path

GOOD_TEXT = "NATO ministers met in Brussels on Tuesday. They talked about Asia.\n"

# Markup, escape sequences (CSI, OSC title, C1 CSI, BEL), bidi override, CJK,
# emoji with ZWJ and a flag, combining marks, CRLF line ends.
HOSTILE_TEXT = (
    "Hostile [bold red]markup[/] and [@click=app.quit]click me[/] stay literal.\r\n"
    "\r\n"
    "Escapes \x1b[2J\x1b]0;pwned\x07 C1 \x9b31m bidi \u202ereversed\u202c end.\r\n"
    "\r\n"
    "CJK 北大西洋公约组织 emoji 👩‍👩‍👧 flag 🇫🇷 combining e\u0301 RTL שלום עולם.\r\n"
)


def binary_bytes() -> bytes:
    return bytes(range(256)) * 8


def add_binary(folder: Path, name: str = "photo.txt") -> Path:
    path = folder / name
    path.write_bytes(binary_bytes())
    return path


def add_feed(folder: Path, name: str = "feed.jsonl") -> Path:
    """A feed whose second line is not JSON; the first and third are good articles."""
    path = folder / name
    lines = [
        json.dumps({"id": "feed-good", "title": "Feed story about NATO", "text": GOOD_TEXT}),
        '{"id": "broken", "text": "no closing brace"',
        json.dumps({"id": "feed-second", "title": "Second feed story", "text": GOOD_TEXT}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def add_latin1(folder: Path, name: str = "latin1.txt") -> Path:
    path = folder / name
    path.write_bytes("Café au lait in München: a naïve résumé of NATO.\n".encode("latin-1"))
    return path


def add_good(folder: Path, name: str = "good.txt", text: str = GOOD_TEXT) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def add_empty(folder: Path, name: str = "empty.txt") -> Path:
    path = folder / name
    path.write_bytes(b"")
    return path


def add_hostile(folder: Path, name: str = "-hostile name.txt") -> Path:
    path = folder / name
    path.write_bytes(HOSTILE_TEXT.encode("utf-8"))
    return path
