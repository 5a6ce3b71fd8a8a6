"""Make untrusted text safe to put on a terminal.

Article text, titles, notes and file names may hold escape sequences, other
C0/C1 control characters and bidi overrides. None of them may reach the
terminal: they are shown as visible placeholders instead. The stored text is
never changed; only what is displayed is.
"""

from __future__ import annotations

import re

# C0 (but tab/newline are handled by the caller), DEL, C1, bidi embeddings,
# overrides and isolates, and the line/paragraph separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def placeholder(char: str) -> str:
    """A single-cell visible stand-in for an unsafe character."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: ␛ for ESC, ␀ for NUL, ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 and bidi controls: the replacement character


def is_unsafe(char: str) -> bool:
    return _UNSAFE.match(char) is not None


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character (tab and newline included) or a bidi control.

    Names (labels, annotators) must not: they are written into every record
    and export, and other tools reject them.
    """
    return any(char in "\t\n" or is_unsafe(char) for char in text)


def safe_line(text: str) -> str:
    """One line of display text: unsafe characters and line breaks made visible."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _UNSAFE.sub(lambda m: placeholder(m.group()), text)


MESSAGE_LIMIT = 300


def message_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message for the screen: one safe line, cut to ``limit`` characters."""
    line = " ".join(safe_line(str(text)).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def snippet(text: str, limit: int = 40) -> str:
    """A short excerpt of ``text`` on one safe line, cut with an ellipsis."""
    line = safe_line(" ".join(text.split()))
    return line if len(line) <= limit else line[: limit - 1] + "…"
