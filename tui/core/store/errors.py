"""Errors the store raises; every message is one line a person can act on."""


class StoreError(Exception):
    """A save or read that failed: the store is unchanged."""


class DamagedStoreError(StoreError):
    """A store file that does not parse. It is kept as it is, never replaced."""

    def __init__(self, path: str, detail: str, hint: str = "") -> None:
        self.path = path
        self.detail = detail
        self.hint = hint
        message = f"{path}: damaged store file ({detail}); it was left untouched"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class InvalidRecordError(StoreError, ValueError):
    """A record that breaks the schema (or does not match its article): never written."""


class MissingRecordError(StoreError, KeyError):
    """An annotation that is not (or no longer) in the store, e.g. deleted by someone else."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ReadOnlyStoreError(StoreError):
    """A write to a store opened read-only."""
