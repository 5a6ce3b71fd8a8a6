"""Export and import formats, one module each.

Every exporter takes ``(groups, out, options)`` where ``groups`` yields
``(article, records)`` per article in id order, with records sorted by
start, end, id; every importer turns a file into ``Candidate`` objects that
the import command validates before anything is written.
"""

from __future__ import annotations

EXPORT_FORMATS = ("native", "prodigy", "doccano", "labelstudio", "brat", "w3c")
IMPORT_FORMATS = ("native", "prodigy", "doccano", "labelstudio", "w3c")

# Where a format's consumers count UTF-16 code units, that is its default unit.
DEFAULT_UNITS = {"doccano": "utf16", "labelstudio": "utf16"}


def module(name: str):
    import importlib

    return importlib.import_module(f"tui.formats.{name}")
