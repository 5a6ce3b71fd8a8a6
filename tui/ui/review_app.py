"""The app started by ``redline review``: the library, with the review screen on top."""

from __future__ import annotations

from textual import events

from tui.core.session import Session
from tui.ui.app import RedlineApp


class ReviewApp(RedlineApp):
    """RedlineApp that opens on the review of the given articles; q goes to the library."""

    def __init__(self, session: Session, article_ids: list[str]) -> None:
        super().__init__(session)
        self.article_ids = article_ids

    def on_mount(self, event: events.Mount) -> None:
        from tui.ui.screens.review import ReviewScreen

        # Textual calls every class's on_mount, subclass first; run RedlineApp's here
        # instead, so the review screen goes on top of the library it pushes.
        event.prevent_default()
        super().on_mount()
        self.push_screen(ReviewScreen(self.article_ids, gold=self.session.settings.gold))
