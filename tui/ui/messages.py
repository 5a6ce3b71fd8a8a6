"""The one way a message reaches the user as a toast.

Textual 8's ``notify()`` takes a plain string and parses it as markup unless
told not to; a Rich ``Text`` crashes the toast when it is drawn. Messages
often carry article text, titles, file names or notes, so every message is
made one safe line (control characters and bidi overrides shown as
placeholders) and shown with ``markup=False``: ``[bold]`` stays literal.
"""

from __future__ import annotations

from typing import Literal

from textual.dom import DOMNode

from tui.core.textsafe import message_line

Severity = Literal["information", "warning", "error"]


def tell(node: DOMNode, message: str, *, severity: Severity = "information",
         timeout: float | None = None) -> None:
    """Show ``message`` as a toast: one line of plain, safe text."""
    node.app.notify(message_line(message), severity=severity, timeout=timeout, markup=False)
