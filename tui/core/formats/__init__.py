"""Export and import formats, one module each.

Every module is pure: ``export(groups, out, options) -> count`` writes to a
text stream, where ``groups`` yields ``(article, records)`` per article in id
order with records sorted by start, end, id, already checked against the
article text; ``parse(path, handle, options)`` yields ``Candidate`` objects
that the import command validates before anything is written. brat writes a
folder instead: ``export_dir(groups, folder, options)``; spacy a binary file:
``export_file(groups, path, options)``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

EXPORT_FORMATS = ("native", "prodigy", "spacy", "doccano", "labelstudio", "brat", "w3c")
IMPORT_FORMATS = ("native", "prodigy", "doccano", "labelstudio", "w3c")

# Module of each format, where its name is not the format's (a module named spacy would shadow spaCy).
MODULES = {"spacy": "spacy_docbin"}
# Where a format's consumers count UTF-16 code units, that is its default unit.
DEFAULT_UNITS = {"doccano": "utf16"}
# Formats whose unit is fixed by their consumers or their specification.
CODEPOINT_ONLY = {
    "prodigy": "spaCy counts code points",
    "spacy": "spaCy counts code points",
    "brat": "brat counts code points",
    "w3c": "the Web Annotation model's TextPositionSelector counts code points",
}


def module(name: str) -> ModuleType:
    return importlib.import_module(f"tui.core.formats.{MODULES.get(name, name)}")


def default_unit(name: str) -> str:
    return DEFAULT_UNITS.get(name, "codepoint")
