"""Pick an entity type: for a missed entity, or one the model labelled wrong."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.entities import ENTITY_TYPES
from tui.core.textsafe import snippet
from tui.ui.widgets.looks import entity_letter


class EntityTypeDialog(ModalScreen[str | None]):
    """Returns the chosen type (enter), or None (escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="entity_type.cancel")]

    def __init__(self, quote: str, current: str = "") -> None:
        super().__init__()
        self.quote = quote
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="entity-type-box"):
            heading = Text()
            heading.append("Entity type for ", style="bold")
            heading.append(f"“{snippet(self.quote, 50)}”", style="italic")
            if self.current:
                heading.append(f"  (the model says {self.current})", style="dim")
            yield Static(heading)
            yield OptionList(*(Option(Text(f"{entity_letter(kind)}  {kind}  {ENTITY_TYPES[kind]}"), id=kind)
                               for kind in ENTITY_TYPES), id="entity-types")

    def on_mount(self) -> None:
        options = self.query_one("#entity-types", OptionList)
        options.focus()
        if self.current in ENTITY_TYPES:
            options.highlighted = list(ENTITY_TYPES).index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
