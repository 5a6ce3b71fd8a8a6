"""The search field at the bottom of the reader: shown by `/`, gone after enter or escape."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    BINDINGS = [Binding("escape", "close", "Close search", id="search.close", show=False)]

    class Search(Message):
        """Search for ``query`` (empty: clear the search)."""

        def __init__(self, bar: SearchBar, query: str) -> None:
            super().__init__()
            self.bar = bar
            self.query = query

        @property
        def control(self) -> SearchBar:
            return self.bar

    class Closed(Message):
        def __init__(self, bar: SearchBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> SearchBar:
            return self.bar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="search (enter: find, escape: close)", id=id)
        self.display = False

    def open(self, query: str) -> None:
        self.display = True
        self.value = query
        self.focus()

    def _on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.display = False
        self.post_message(self.Search(self, event.value))

    def _on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # nobody above listens to keystrokes

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed(self))
