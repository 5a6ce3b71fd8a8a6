"""The annotation store: durable TinyDB files shared by several processes."""

from tui.core.store.annotations import (
    ANNOTATIONS,
    FILE_FORMAT,
    META,
    READERS_DIR,
    Store,
    _encode,
    dup_key,
    file_stem,
    load_tables,
)

__all__ = ["ANNOTATIONS", "FILE_FORMAT", "META", "READERS_DIR", "Store", "_encode", "dup_key",
           "file_stem", "load_tables"]
