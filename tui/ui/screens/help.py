"""Help: every key of the screen below, generated from its bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-table")

    def _table(self) -> Table:
        table = Table(title="redline keys", title_style="bold", expand=True, show_edge=False)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("action")
        table.add_column("", style="dim")
        rows: dict[str, tuple[list[str], str, str]] = {}
        for _key, active in self.below.active_bindings.items():
            binding = active.binding
            if not binding.description:
                continue
            name = binding.id or binding.action
            keys, description, tip = rows.get(name, ([], binding.description, binding.tooltip))
            display = self.app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
            rows[name] = (keys, description, tip)
        def order(name: str) -> int:
            # The screen's own keys first, then the app's, then generic scrolling.
            if name.startswith(("reader.", "library.")):
                return 0
            return 1 if name.startswith("app.") else 2

        for name, (keys, description, tip) in sorted(rows.items(), key=lambda item: order(item[0])):
            table.add_row(Text(" ".join(keys)), Text(description),
                          Text(f"{tip}  [{name}]" if tip else f"[{name}]"))
        table.caption = ("Keys can be remapped in the settings file under [keymap], "
                         "by the id in brackets. ctrl+p opens the command palette.")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
