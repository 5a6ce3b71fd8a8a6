"""The note dialog: what is wrong, and the correction or its source.

The annotation is saved before the dialog opens; the note is an edit of it.
A multi-line editor: enter saves, ctrl+j starts a new line, escape leaves
the note as it was. If the terminal goes away while the dialog is open, the
typed text is saved as the note (``save_before_exit``).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tui.core.reader_model import NoteRequest
from tui.core.textsafe import safe_line, snippet
from tui.ui.messages import tell

NOTE_LIMIT = 20_000


class NoteArea(TextArea):
    """A TextArea where enter saves: notes are mostly one line, sometimes a few."""

    BINDINGS = [
        Binding("enter", "save", "Save note", id="note.save", priority=True),
        Binding("ctrl+j", "newline", "New line", id="note.newline", priority=True),
    ]

    def action_save(self) -> None:
        self.screen.action_save()  # type: ignore[attr-defined]

    def action_newline(self) -> None:
        self.insert("\n")


class NoteDialog(ModalScreen[str | None]):
    """Returns the note (enter), or None (escape: the note stays as it was)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, request: NoteRequest, save_draft: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.request = request
        self.save_draft = save_draft

    def compose(self) -> ComposeResult:
        request = self.request
        with Vertical(id="note-box"):
            heading = Text()
            heading.append(f"Note for {safe_line(request.label)}", style="bold")
            heading.append(f"\n“{snippet(request.quote, 70)}”", style="italic")
            hint = ("What is wrong, and the correction or its source."
                    if request.label == "factual error" else "Your note on this passage.")
            heading.append(f"\n{hint}")
            yield Static(heading, id="note-heading")
            area = NoteArea(request.note, id="note-input", soft_wrap=True, show_line_numbers=False,
                            tab_behavior="focus")
            area.max_checkpoints = 200
            yield area
            yield Static(Text("enter saves · ctrl+j new line · escape leaves the note as it was",
                              style="dim"), id="note-hint")

    @property
    def text(self) -> str:
        return self.query_one("#note-input", NoteArea).text

    def on_mount(self) -> None:
        area = self.query_one("#note-input", NoteArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        note = self.text.strip()
        if len(note) > NOTE_LIMIT:
            tell(self, f"the note has {len(note)} characters; keep it under {NOTE_LIMIT}",
                 severity="error")
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def save_before_exit(self) -> None:
        """The terminal is going away: keep what was typed."""
        note = self.text.strip()
        if self.save_draft is not None and note != self.request.note and len(note) <= NOTE_LIMIT:
            self.save_draft(note)
