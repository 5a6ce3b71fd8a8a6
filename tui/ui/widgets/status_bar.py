"""The reader's status line: mode, the last message, the selection and what is under it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive

from tui.core.reader_model import Feedback
from tui.core.textsafe import safe_line
from tui.ui.widgets.looks import ENTITY_CLASSES
from tui.ui.widgets.state_line import StateLine


@dataclass(frozen=True)
class StatusInfo:
    selection: tuple[int, int] = (0, 0)
    extend: bool = False
    relabel: bool = False
    here: tuple[str, ...] = ()  # labels under the cursor ("claim", "quote (bob)")
    entity: str = ""
    entity_class: str = ""
    match: tuple[int, int, bool] | None = None  # (number, of, capped)
    unsaved: int = 0
    message: Feedback | None = None
    variant: str = ""  # a rare spelling under the cursor: what it usually is
    suggestion: str = ""  # the suggestion under the cursor, with its reason


class StatusBar(StateLine):
    """One line, cut with an ellipsis rather than wrapped: it never pushes the text up."""

    COMPONENT_CLASSES = ENTITY_CLASSES | {
        "status-bar--mode", "status-bar--error", "status-bar--warning", "status-bar--ok",
        "status-bar--unsaved", "status-bar--dim",
    }

    info: reactive[StatusInfo] = reactive(StatusInfo, layout=False)



    def _style(self, name: str):
        return self.get_component_rich_style(f"status-bar--{name}", partial=True)

    def build(self) -> Text:
        info = self.info
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if info.relabel:
            text.append(" RELABEL: press 1-9 ", style=self._style("mode"))
            text.append(" ")
        if info.extend:
            text.append(" EXTEND ", style=self._style("mode"))
            text.append(" ")
        if info.unsaved:
            text.append(f"{info.unsaved} UNSAVED (ctrl+s retries)", style=self._style("unsaved"))
            text.append("  ·  ")
        message = info.message
        if message is not None:
            kind = "error" if message.error else "warning" if message.warning else "ok"
            text.append(safe_line(message.text), style=self._style(kind))
            text.append("  ·  ")
        start, end = info.selection
        text.append(f"{start}–{end}", style="bold")
        text.append(f" ({end - start} chars)", style=self._style("dim"))
        if info.here:
            text.append("  ·  ")
            text.append(", ".join(safe_line(name) for name in info.here), style="bold")
        if info.entity:
            text.append("  ·  ")
            text.append(info.entity, style=self.get_component_rich_style(info.entity_class,
                                                                         partial=True))
        if info.suggestion:
            text.append("  ·  ")
            text.append(safe_line(info.suggestion), style=self._style("dim"))
        if info.variant:
            text.append("  ·  ")
            text.append(safe_line(info.variant), style=self._style("warning"))
        if info.match is not None:
            number, total, capped = info.match
            text.append(f"  ·  match {number}/{total}{'+' if capped else ''}")
        return text
