"""Keeps the reading position on disk as the reader moves, without slowing a key.

Every motion hands the new position over; a background thread writes the
latest one through the store (a durable save, a few milliseconds), at most
every ``INTERVAL`` seconds while keys keep coming (a write competes with the
keys for the interpreter), so a killed or disconnected session reopens where
it was a moment before the last key. Positions in between are skipped: only
the newest matters.
``flush`` waits for the newest to be written (on quit, hang-up, leaving an
article).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from tui.core.store.errors import StoreError

FLUSH_TIMEOUT = 2.0
INTERVAL = 0.3


class PositionKeeper:
    def __init__(self, save: Callable[[str, int], None], interval: float = INTERVAL) -> None:
        self._save = save
        self._interval = interval
        self._flushing = 0
        self._latest: tuple[str, int] | None = None
        self._written: tuple[str, int] | None = None
        self._busy = False
        self._closed = False
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self.last_error: StoreError | None = None

    def put(self, article_id: str, offset: int) -> None:
        with self._condition:
            if self._closed or (article_id, offset) in (self._latest, self._written):
                return
            self._latest = (article_id, offset)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="positions", daemon=True)
                self._thread.start()
            self._condition.notify_all()

    def flush(self, timeout: float = FLUSH_TIMEOUT) -> bool:
        """Wait until the newest position is on disk; False if that took too long."""
        with self._condition:
            self._flushing += 1
            self._condition.notify_all()
            try:
                return self._condition.wait_for(
                    lambda: self._latest is None and not self._busy, timeout=timeout)
            finally:
                self._flushing -= 1

    def close(self, timeout: float = FLUSH_TIMEOUT) -> None:
        self.flush(timeout)
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._latest is not None or self._closed)
                if self._latest is None:
                    return
                item, self._latest = self._latest, None
                self._busy = True
            try:
                self._save(*item)
                self.last_error = None
            except StoreError as err:
                # A convenience: annotations report their own errors, this only remembers it.
                self.last_error = err
            finally:
                with self._condition:
                    self._busy = False
                    self._written = item
                    self._condition.notify_all()
                    # Pause before the next write, unless someone waits for it.
                    self._condition.wait_for(lambda: self._flushing or self._closed,
                                             timeout=self._interval)
