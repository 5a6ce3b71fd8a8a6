"""A line of text drawn from one state object: set ``info`` and the line redraws.

The reader pushes its model's state down into these (status, legend, header);
they rebuild their text when the state or the theme changes, and only then.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StateLine(Static):
    """Subclasses declare ``info = reactive(TheirState, layout=False)`` and ``build()``."""

    def build(self) -> Text:
        raise NotImplementedError

    def watch_info(self) -> None:
        self.update(self.build(), layout=False)

    def notify_style_update(self) -> None:
        # Component styles come from the theme: a new theme means new text styles.
        super().notify_style_update()
        if self.is_mounted:
            self.update(self.build(), layout=False)
