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
