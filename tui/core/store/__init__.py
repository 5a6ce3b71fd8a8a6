"""The annotation store: durable TinyDB files shared by several processes.

Split by job: ``files`` (durable writes, appends, locks), ``fileformat`` (the
bytes of each file and their checksums), ``article_files`` (one article's base,
journal and backup), ``annotations`` (the ``Store``), ``summary`` (the
library's counts), ``reading_state``, ``manifest``, ``integrity`` (check and
repair), ``errors``.
"""

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

__all__ = ["ANNOTATIONS", "ARTICLES_DIR", "FILE_FORMAT", "META", "READERS_DIR", "DamagedStoreError",
           "InvalidRecordError", "MissingRecordError", "NoStoreError", "ReadOnlyStoreError",
           "ReadingState", "Store", "StoreError", "dup_key", "file_stem", "load_tables"]
