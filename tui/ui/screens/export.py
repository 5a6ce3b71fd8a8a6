"""Export from inside the app: format, which articles, whose annotations, labels, path.

The export itself is ``tui.core.exporting`` (what ``redline export`` runs),
in a worker that only posts messages: progress while it reads, then the one
line that says what was written, or why nothing was.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tui.core.exporting import ExportError, ExportRequest, export, inside_store
from tui.core.formats import EXPORT_FORMATS
from tui.core.store.errors import StoreError
from tui.core.textsafe import message_line
from tui.ui.messages import ReportsWorkerErrors, tell

SUFFIXES = {"native": ".jsonl", "prodigy": ".jsonl", "doccano": ".jsonl", "w3c": ".jsonl",
            "labelstudio": ".json", "spacy": ".spacy", "brat": ""}
DEFAULT_FOLDER = "exports"  # relative to where redline runs
PROGRESS_EVERY = 0.1  # seconds between progress messages


@dataclass
class ExportProgress(Message):
    seen: int


@dataclass
class ExportDone(Message):
    line: str
    warnings: list[str]
    error: bool = False


class ExportDialog(ReportsWorkerErrors, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="export.close"),
        Binding("ctrl+e", "export", "Export", id="export.run", priority=True),
    ]

    def __init__(self, article_id: str | None = None) -> None:
        super().__init__()
        self.article_id = article_id  # the open article, if any
        self.running = False
        self._confirmed: ExportRequest | None = None  # the export asked to replace a file

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(Text("Export annotations", style="bold"))
            with Horizontal(classes="export-row"):
                yield Label("Format")
                yield Select([(name, name) for name in EXPORT_FORMATS], value="native",
                             allow_blank=False, id="export-format")
            with Horizontal(classes="export-row"):
                yield Label("Articles")
                choices = [("every article", "all")]
                if self.article_id is not None:
                    choices.insert(0, ("this article", "this"))
                yield Select(choices, value=choices[0][1], allow_blank=False, id="export-articles")
            with Horizontal(classes="export-row"):
                yield Label("Annotators")
                yield Select([("mine", "me"), ("everyone's", "all")], value="me",
                             allow_blank=False, id="export-annotators")
            with Horizontal(classes="export-row"):
                yield Label("Labels")
                yield Input(placeholder="every label (or: claim, factual error)", id="export-labels")
            with Horizontal(classes="export-row"):
                yield Label("To")
                yield Input(self._default_path("native"), id="export-path")
            with Horizontal(classes="export-row"):
                yield Button("Export (ctrl+e)", id="export-go", variant="primary")
            yield Static(id="export-status")

    def on_mount(self) -> None:
        self.query_one("#export-format", Select).focus()

    def _default_path(self, fmt: str) -> str:
        return str(Path(DEFAULT_FOLDER) / f"redline-{fmt}{SUFFIXES[fmt]}")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "export-format":
            path = self.query_one("#export-path", Input)
            # Follow the format while the path is still one this dialog made.
            if path.value.startswith(str(Path(DEFAULT_FOLDER) / "redline-")):
                path.value = self._default_path(str(event.value))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_export()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def _request(self) -> ExportRequest:
        app = self.app
        fmt = str(self.query_one("#export-format", Select).value)
        labels = {name.strip() for name in self.query_one("#export-labels", Input).value.split(",")
                  if name.strip()}
        whose = self.query_one("#export-annotators", Select).value
        which = self.query_one("#export-articles", Select).value
        out = self.query_one("#export-path", Input).value.strip()
        return ExportRequest(
            fmt=fmt, out=os.path.expanduser(out) if out else out, labels=labels,
            annotators={app.session.annotator} if whose == "me" else set(),
            articles={self.article_id} if which == "this" and self.article_id else set(),
            # Several annotators' overlapping spans: one file each where a format needs it.
            per_annotator=whose == "all" and fmt in ("doccano", "prodigy"))

    def action_export(self) -> None:
        if self.running:
            return
        request = self._request()
        if not request.out:
            self._status("give a path to write to", error=True)
            return
        target = Path(request.out)
        if target.is_file() and request.fmt != "brat" and self._confirmed != request:
            # A file is replaced only when asked twice for the same export.
            self._confirmed = request
            self._status(f"{request.out} exists: press ctrl+e again to replace it", error=True)
            return
        self._confirmed = None
        self.running = True
        self._status(f"exporting {request.fmt}…")
        self._run(request)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _run(self, request: ExportRequest) -> None:
        app = self.app
        last = 0.0

        def progress(seen: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY:
                last = now
                self.post_message(ExportProgress(seen))

        try:
            target = Path(request.out)
            folder = target if request.fmt == "brat" else target.parent
            if not inside_store(folder, app.store.root):
                # Like a save dialog, this one makes the folder it is told to write into
                # (the export refuses a place inside the store).
                folder.mkdir(parents=True, exist_ok=True)
            report = export(app.store, app.session.corpus, request, progress=progress)
        except (ExportError, StoreError) as err:
            self.post_message(ExportDone(f"nothing exported: {err}", [], error=True))
            return
        except OSError as err:
            self.post_message(ExportDone(f"nothing exported: {request.out}: "
                                         f"{err.strerror or err}", [], error=True))
            return
        per_annotator = request.per_annotator and request.fmt != "labelstudio"
        line = report.summary(request.fmt, per_annotator)
        if not per_annotator:
            line += f" → {request.out}"
        self.post_message(ExportDone(line, [*report.warnings, *report.left_out, *report.notes]))

    def on_export_progress(self, message: ExportProgress) -> None:
        self._status(f"exporting: {message.seen} annotations read")

    def on_export_done(self, message: ExportDone) -> None:
        self.running = False
        status = Text(message_line(message.line), style="bold red" if message.error else "bold")
        for warning in message.warnings[:5]:
            status.append(f"\n{message_line(warning)}", style="dim")
        self.query_one("#export-status", Static).update(status)
        tell(self, message.line, severity="error" if message.error else "information")

    def _status(self, line: str, *, error: bool = False) -> None:
        self.query_one("#export-status", Static).update(
            Text(message_line(line), style="bold red" if error else ""))

    def action_close(self) -> None:
        self.dismiss(None)
