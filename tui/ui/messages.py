"""The one way a message reaches the user as a toast, and text for the command palette.

Textual 8's ``notify()`` takes a plain string and parses it as markup unless
told not to; a Rich ``Text`` crashes the toast when it is drawn. Messages
often carry article text, titles, file names or notes, so every message is
made one safe line (control characters and bidi overrides shown as
placeholders) and shown with ``markup=False``: ``[bold]`` stays literal.
"""

from __future__ import annotations

from typing import Literal

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from tui.core.textsafe import message_line

Severity = Literal["information", "warning", "error"]


def tell(node: DOMNode, message: str, *, severity: Severity = "information",
         timeout: float | None = None) -> None:
    """Show ``message`` as a toast: one line of plain, safe text."""
    node.app.notify(message_line(message), severity=severity, timeout=timeout, markup=False)


def palette_text(text: str) -> str:
    """``text`` made one safe line that Textual's markup reads back as itself.

    The command palette reads its titles and help as markup, with no way to
    turn that off: a title such as ``Side by side with: [/] …`` raised
    MarkupError and took the app down when the palette opened. Escaping every
    ``[`` is enough for Textual's parser (a backslash before anything else is
    literal).
    """
    return message_line(text).replace("[", "\\[")


class ReportsWorkerErrors:
    """For screens and the app: background work that fails says so and the app stays up.

    Their workers run with ``exit_on_error=False``; a failure (a bug, not an expected
    error, which the worker reports itself) becomes a toast naming the work.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            name = event.worker.group or event.worker.name or "background work"
            tell(self, f"{name} failed: {event.worker.error!r}", severity="error", timeout=15)  # type: ignore[arg-type]
