"""brat standoff: ``<id>.txt`` (the article, byte for byte) and ``<id>.ann`` per article.

Offsets are code points, as brat's Python server counts them. A span that
crosses a line break is written as fragments (``start end;start end``), as
brat requires; labels with spaces or other characters brat does not allow in
type names are mapped to safe names, listed in ``annotation.conf``. Notes are
``AnnotatorNotes``, on one line, without control characters.

brat reads ``.ann`` files with ``readlines()`` on a decoded stream, which
breaks lines at every character ``str.splitlines`` knows (form feed, U+0085,
U+2028, ...), not only at ``\n``: spans are cut into fragments at all of them,
and notes never hold one. ``annotation.conf`` allows any overlap between
types (``<OVERLAP>``), since annotators may label the same or nested passages
differently; without it brat's verifier reports them as errors.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tui.core.formats.common import Groups, Options
from tui.core.textsafe import safe_line

# What str.splitlines (and so brat's readlines) takes for a line break.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
OVERLAP_RULE = "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"


def safe_type(label: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]", "_", label.strip()) or "label"
    return name if name[0].isalpha() else f"L_{name}"


def safe_name(article_id: str) -> str:
    """A flat, safe file name for an article id (ids may be paths)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", article_id).strip("._-")[:80] or "article"
    if slug == article_id:
        return slug
    return f"{slug}-{hashlib.sha256(article_id.encode()).hexdigest()[:8]}"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``[start, end)`` between line breaks, without empty ones."""
    pieces = []
    position = start
    for index in range(start, end):
        if text[index] in LINE_BREAKS:
            if index > position:
                pieces.append((position, index))
            position = index + 1
    if end > position:
        pieces.append((position, end))
    return pieces


def note_line(note: str) -> str:
    """A note as one line of plain text: controls shown as placeholders, whitespace runs as one space."""
    return safe_line(" ".join(note.split()))


def export_dir(groups: Groups, folder: Path, options: Options) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    types: dict[str, str] = {}
    for article, records in groups:
        name = safe_name(article.id)
        (folder / f"{name}.txt").write_bytes(article.text.encode("utf-8"))
        lines = []
        note_number = 0
        for number, record in enumerate(records, start=1):
            kind = safe_type(record["label"])
            types[kind] = record["label"]
            pieces = fragments(article.text, record["start"], record["end"])
            if not pieces:
                options.warnings.append(f"{article.id}: {record['label']} at {record['start']}-"
                                        f"{record['end']} holds only line breaks; brat cannot show it, "
                                        "left out of the brat export")
                continue
            where = ";".join(f"{s} {e}" for s, e in pieces)
            shown = " ".join(article.text[s:e] for s, e in pieces)
            lines.append(f"T{number}\t{kind} {where}\t{shown}")
            if record["note"]:
                note_number += 1
                note = note_line(record["note"])
                lines.append(f"#{note_number}\tAnnotatorNotes T{number}\t{note}")
            count += 1
        (folder / f"{name}.ann").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    conf = ["[entities]", *sorted(types), "", "[relations]", OVERLAP_RULE, "", "[events]", "",
            "[attributes]", ""]
    (folder / "annotation.conf").write_text("\n".join(conf) + "\n", encoding="utf-8")
    return count
