"""The note dialog: what is wrong, the correction or the source."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.core.textsafe import safe_line
from tui.ui.widgets.side_panel import snippet


class NoteDialog(ModalScreen[str | None]):
    """Returns the note (enter), or None (escape: the note stays as it was)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, label: str, quote: str, note: str = "") -> None:
        super().__init__()
        self.label = label
        self.quote = quote
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            heading = Text()
            heading.append(f"Note for {safe_line(self.label)}", style="bold")
            heading.append(f"\n“{snippet(self.quote, 70)}”", style="italic")
            hint = ("What is wrong, and the correction or its source."
                    if self.label == "factual error" else "Your note on this passage.")
            heading.append(f"\n{hint} enter saves, escape leaves it as it was.", style="dim")
            yield Static(heading, id="note-heading")
            yield Input(value=self.note, placeholder="note", id="note-input")

    def on_mount(self) -> None:
        self.query_one("#note-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
