"""The annotation store: durable TinyDB files shared by several processes.

Split by job: ``files`` (durable writes, appends, locks), ``fileformat`` (the
bytes of each file and their checksums), ``article_files`` (one article's base,
journal and backup), ``annotations`` (the ``Store``), ``summary`` (the
library's counts), ``reading_state``, ``manifest``, ``integrity`` (check and
repair), ``errors``.

The names below load on first use: importing ``tui.core.store.errors`` (as the
app does at start-up) must not pay for TinyDB and the store's modules before
the first screen is drawn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.core.store.annotations import ANNOTATIONS, ARTICLES_DIR, READERS_DIR, Store, dup_key
    from tui.core.store.errors import (
        DamagedStoreError,
        InvalidRecordError,
        MissingRecordError,
        NoStoreError,
        ReadOnlyStoreError,
        StoreError,
    )
    from tui.core.store.fileformat import FORMAT as FILE_FORMAT
    from tui.core.store.fileformat import META, file_stem, load_tables
    from tui.core.store.reading_state import ReadingState

_WHERE = {
    "ANNOTATIONS": ("annotations", "ANNOTATIONS"),
    "ARTICLES_DIR": ("annotations", "ARTICLES_DIR"),
    "READERS_DIR": ("annotations", "READERS_DIR"),
    "Store": ("annotations", "Store"),
    "dup_key": ("annotations", "dup_key"),
    "DamagedStoreError": ("errors", "DamagedStoreError"),
    "InvalidRecordError": ("errors", "InvalidRecordError"),
    "MissingRecordError": ("errors", "MissingRecordError"),
    "NoStoreError": ("errors", "NoStoreError"),
    "ReadOnlyStoreError": ("errors", "ReadOnlyStoreError"),
    "StoreError": ("errors", "StoreError"),
    "FILE_FORMAT": ("fileformat", "FORMAT"),
    "META": ("fileformat", "META"),
    "file_stem": ("fileformat", "file_stem"),
    "load_tables": ("fileformat", "load_tables"),
    "ReadingState": ("reading_state", "ReadingState"),
}

__all__ = ["ANNOTATIONS", "ARTICLES_DIR", "FILE_FORMAT", "META", "READERS_DIR", "DamagedStoreError",
           "InvalidRecordError", "MissingRecordError", "NoStoreError", "ReadOnlyStoreError",
           "ReadingState", "Store", "StoreError", "dup_key", "file_stem", "load_tables"]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module 'tui.core.store' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"tui.core.store.{module}"), attribute)
    globals()[name] = value
    return value
