"""Errors the store raises; every message is one line a person can act on."""

from __future__ import annotations


class StoreError(Exception):
    """A save or read that failed: the store is unchanged."""


class DamagedStoreError(StoreError):
    """A store file that fails its checks. It is kept as it is, never replaced."""

    def __init__(self, path: str, detail: str, hint: str = "", *,
                 article_id: str | None = None, missing: bool = False) -> None:
        self.path = path
        self.detail = detail
        self.hint = hint
        # The article whose file this is, when known (the library marks its row).
        self.article_id = article_id
        self.missing = missing
        if missing:
            message = f"{path}: missing store file ({detail})"
        else:
            message = f"{path}: damaged store file ({detail}); it was left untouched"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class NoStoreError(StoreError):
    """A read-only command pointed at a folder that does not exist."""


class InvalidRecordError(StoreError, ValueError):
    """A record that breaks the schema (or does not match its article): never written."""


class MissingRecordError(StoreError, KeyError):
    """An annotation that is not (or no longer) in the store, e.g. deleted by someone else."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ReadOnlyStoreError(StoreError):
    """A write to a store opened read-only."""
