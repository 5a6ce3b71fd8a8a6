"""Stopping slow work that nobody waits for any more.

Long jobs (recognising a long article, building the sentence index, the
corpus-wide name scan) run in workers and ask a ``CancelCheck`` between
steps; when it says so they raise ``Cancelled``. One class for all of them,
so a caller catches one thing.
"""

from __future__ import annotations

from collections.abc import Callable

CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """The work stopped because its caller no longer wants the result."""
