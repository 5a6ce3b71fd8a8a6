"""Review: walk the disagreements of articles, one place at a time, into the gold annotator.

The screen shows one group of overlapping versions: the passage with the
highlighted version drawn in reverse and the others underlined (attributes, so
it reads without colour), and the versions with who proposed them and their
notes. Everything it decides goes through ``tui.core.review.Review``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.core import text_units
from tui.core.review import Group, Review, ReviewError, Version
from tui.core.store.errors import StoreError
from tui.core.textsafe import is_unsafe, message_line, placeholder, safe_line
from tui.core.wording import plural
from tui.ui.messages import tell

CONTEXT = 240  # code points of text shown on each side of a group

# Actions that only mean something while a version is being edited.
EDITING = frozenset({"label", "edge", "note", "cancel_edit"})


def _label_bindings() -> list[Binding]:
    return [
        Binding(str(n), f"label({n})", f"Label {n}", id=f"review.label_{n}", show=False,
                tooltip=f"While editing: give the version label {n}")
        for n in range(1, 10)
    ]


@dataclass(frozen=True)
class Draft:
    """A version being edited before it is accepted."""

    version: Version
    start: int
    end: int
    label: str
    note: str


def display(text: str) -> str:
    """Article text for the passage: line breaks kept, tabs as spaces, controls made visible."""
    out = []
    for char in text:
        if char == "\t":
            out.append(" ")
        elif char == "\r":
            continue
        elif char != "\n" and is_unsafe(char):
            out.append(placeholder(char))
        else:
            out.append(char)
    return "".join(out)


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("y", "accept", "Accept", id="review.accept",
                tooltip="Accept the highlighted version (or the edited one) into gold"),
        Binding("d", "reject", "Reject", id="review.reject",
                tooltip="Reject the highlighted version: it is not asked again"),
        Binding("e", "edit", "Edit", id="review.edit",
                tooltip="Edit the highlighted version (label, edges, note), then y accepts it"),
        Binding("A", "accept_agreed", "Accept agreed", id="review.accept_agreed",
                tooltip="Accept every agreed span of the article into gold at once"),
        Binding("n", "group(1)", "Next", id="review.next",
                tooltip="Next disagreement in the article"),
        Binding("N", "group(-1)", "Previous", id="review.prev", show=False,
                tooltip="Previous disagreement in the article"),
        Binding("right_curly_bracket", "article(1)", "Next article", id="review.next_article",
                show=False, tooltip="Next article to review"),
        Binding("left_curly_bracket", "article(-1)", "Previous article",
                id="review.prev_article", show=False, tooltip="Previous article to review"),
        Binding("j", "version(1)", "Next version", id="review.next_version", show=False,
                tooltip="Highlight the next version (also down)"),
        Binding("k", "version(-1)", "Previous version", id="review.prev_version", show=False,
                tooltip="Highlight the previous version (also up)"),
        Binding("u", "undo", "Undo", id="review.undo",
                tooltip="Take back the last decision on this article"),
        *_label_bindings(),
        # The reader's keys for moving an annotation's edges.
        Binding("comma", "edge('start', -1)", "Start ←", id="review.start_left", show=False,
                tooltip="While editing: move the start a word left"),
        Binding("full_stop", "edge('start', 1)", "Start →", id="review.start_right", show=False,
                tooltip="While editing: move the start a word right"),
        Binding("less_than_sign,shift+left", "edge('end', -1)", "End ←", id="review.end_left",
                show=False, tooltip="While editing: move the end a word left"),
        Binding("greater_than_sign,shift+right", "edge('end', 1)", "End →", id="review.end_right",
                show=False, tooltip="While editing: move the end a word right"),
        Binding("c", "note", "Note", id="review.note", show=False,
                tooltip="While editing: write the note gold gets"),
        Binding("escape", "escape", "Back", id="review.escape", show=False,
                tooltip="Stop editing, or go back"),
        Binding("q", "back", "Back", id="review.back"),
    ]

    AUTO_FOCUS = "#review-versions"

    DEFAULT_CSS = """
    ReviewScreen #review-title, ReviewScreen #review-progress, ReviewScreen #review-status {
        height: auto;
        padding: 0 1;
    }
    ReviewScreen #review-title { background: $panel; }
    ReviewScreen #review-passage-box {
        height: 1fr;
        border: round $primary;
        padding: 0 1;
    }
    ReviewScreen #review-versions {
        height: auto;
        max-height: 45%;
    }
    ReviewScreen #review-status { background: $panel; }
    """

    def __init__(self, article_ids: list[str], *, gold: str | None = None,
                 start: int = 0) -> None:
        super().__init__()
        self.article_ids = list(article_ids)
        self.gold_name = gold
        self.article_index = start
        self.review: Review | None = None
        self.group: Group | None = None
        self.draft: Draft | None = None
        self.message = Text("")
        self._versions_place: tuple[int, int] | None = None
        self._highlight: int | None = None  # the version to highlight at the next redraw
        self._keys_state: tuple[bool, ...] | None = None

    # -- layout ---------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="review-title")
        yield Static(id="review-progress")
        with VerticalScroll(id="review-passage-box"):
            yield Static(id="review-passage")
        yield OptionList(id="review-versions")
        yield Static(id="review-status")
        yield Footer()

    @property
    def gold(self) -> str:
        return self.gold_name or self.app.session.settings.gold

    @property
    def versions_list(self) -> OptionList:
        return self.query_one("#review-versions", OptionList)

    def on_mount(self) -> None:
        self._keys_state = ()  # the footer reads the keys once mounted: no refresh needed yet
        self.load_article(self.article_index)

    # -- loading --------------------------------------------------------

    def load_article(self, index: int) -> bool:
        """Open the article at ``index`` of the list; False when it cannot be reviewed."""
        if not self.article_ids:
            self.review = None
            self._show()
            return False
        index = max(0, min(index, len(self.article_ids) - 1))
        article_id = self.article_ids[index]
        article = self.app.session.corpus.get(article_id)
        try:
            if article is None:
                raise ReviewError(f"no article {article_id!r} in the corpus")
            review = Review.open(self.app.store, article, self.gold, self.app.session.annotator)
        except (StoreError, ReviewError) as err:
            if self.review is None:
                self._show()
            self.say(str(err), error=True)
            return False
        self.article_index = index
        self.review = review
        self.draft = None
        self.group = self._next_open(-1)
        self._show()
        return True

    def _open_groups(self) -> list[Group]:
        return [g for g in self.review.disagreements if g.state == "open"] if self.review else []

    def _next_open(self, after: int) -> Group | None:
        """The first open disagreement starting after ``after``, wrapping round."""
        groups = self._open_groups()
        return next((g for g in groups if g.start > after), groups[0] if groups else None)

    def _same_place(self, group: Group | None) -> Group | None:
        """After a reload: the group now at the place ``group`` was."""
        if group is None or self.review is None:
            return None
        return next((g for g in self.review.groups
                     if g.start <= group.start < g.end or group.start <= g.start < group.end), None)

    # -- drawing --------------------------------------------------------

    def _show(self) -> None:
        self._show_title()
        self._show_progress()
        self._show_versions()
        self._show_passage()
        self._show_status()
        self._refresh_keys()

    def _show_title(self) -> None:
        title = Text()
        title.append("Review", style="bold")
        review = self.review
        if review is not None:
            title.append(f"  ·  {safe_line(review.article.title)}")
            title.append(f"  ·  article {self.article_index + 1} of {len(self.article_ids)}",
                         style="dim")
            names = ", ".join(safe_line(n) for n in review.annotators) or "nobody"
            title.append(f"  ·  annotators {names}", style="dim")
        title.append(f"  ·  into {safe_line(self.gold)}", style="bold")
        self.query_one("#review-title", Static).update(title)

    def _show_progress(self) -> None:
        line = Text()
        review = self.review
        if review is None and self.article_ids:
            line.append("Nothing to review: the article could not be opened (see below).")
        elif review is None:
            line.append("Nothing to review: no article was worked on by two annotators or more.")
        else:
            line.append(safe_line(review.summary()))
            if self.group is not None:
                groups = review.disagreements
                at = next((i for i, g in enumerate(groups) if g is self.group), 0)
                line.append(f"  ·  disagreement {at + 1} of {len(groups)}", style="bold")
        self.query_one("#review-progress", Static).update(line)

    def _highlighted(self) -> Version | None:
        if self.group is None:
            return None
        index = self.versions_list.highlighted
        versions = self.group.versions
        if index is None or not 0 <= index < len(versions):
            return versions[0]
        return versions[index]

    def _show_passage(self) -> None:
        passage = self.query_one("#review-passage", Static)
        review, group = self.review, self.group
        if review is None or group is None:
            passage.update(self._done_text())
            return
        text = review.article.text
        chosen = self._highlighted()
        spans = [(v.start, v.end) for v in group.versions]
        if self.draft is not None:
            focus = (self.draft.start, self.draft.end)
        else:
            focus = (chosen.start, chosen.end) if chosen else (group.start, group.end)
        lo = min([focus[0], group.start])
        hi = max([focus[1], group.end])
        begin = max(0, lo - CONTEXT)
        end = min(len(text), hi + CONTEXT)
        # Start and end on word boundaries, so the passage does not open mid-word.
        if begin > 0:
            space = text.find(" ", begin, lo)
            begin = space + 1 if space != -1 else begin
        if end < len(text):
            space = text.rfind(" ", hi, end)
            end = space if space != -1 else end
        cuts = sorted({begin, end, *(p for span in [*spans, focus] for p in span
                                     if begin <= p <= end)})
        out = Text("…" if begin > 0 else "")
        for left, right in zip(cuts, cuts[1:], strict=False):
            style = ""
            if any(s <= left and right <= e for s, e in spans):
                style = "underline"
            if focus[0] <= left and right <= focus[1]:
                style = "reverse bold"
            out.append(display(text[left:right]), style=style)
        if end < len(text):
            out.append("…")
        passage.update(out)

    def _done_text(self) -> Text:
        review = self.review
        out = Text()
        if review is None:
            out.append("There is nothing to review here.", style="bold")
            return out
        out.append("No open disagreement in this article.", style="bold")
        pending = len(review.agreed_pending())
        if pending:
            out.append(f"\n{plural(pending, 'agreed span')} not in {safe_line(self.gold)} yet: "
                       "A accepts them all.")
        later = self._later_article()
        if later is not None:
            out.append("\n} goes to the next article to review.")
        elif self.article_ids:
            out.append("\nThis was the last article to review.")
        return out

    def _show_versions(self) -> None:
        versions = self.versions_list
        keep = versions.highlighted
        group = self.group
        place = None if group is None else (group.start, group.end)
        if place != self._versions_place:
            keep = None  # another place: start from its first version
        if self._highlight is not None:
            keep, self._highlight = self._highlight, None
        self._versions_place = place
        versions.clear_options()
        if self.review is None or group is None:
            return
        options = [Option(self._version_row(v), id=f"v{i}") for i, v in enumerate(group.versions)]
        versions.add_options(options)
        versions.highlighted = keep if keep is not None and keep < len(options) else 0

    def _version_row(self, version: Version) -> Text:
        review = self.review
        assert review is not None
        state = review.version_state(version)
        row = Text()
        mark = {"gold": "✓ in gold ", "rejected": "✗ rejected "}.get(state, "")
        if mark:
            row.append(mark, style="bold" if state == "gold" else "dim")
        row.append(safe_line(version.label), style="bold")
        row.append(f"  {version.start}–{version.end}  ", style="dim")
        row.append(f"“{message_line(version.quote, 70)}”", style="strike" if state == "rejected" else "")
        missing = [n for n in review.annotators if n not in version.by]
        row.append("\n  by " + ", ".join(safe_line(n) for n in version.by))
        if missing:
            row.append("  ·  not by " + ", ".join(safe_line(n) for n in missing), style="dim")
        for who, note in version.notes:
            row.append(f"\n  note ({safe_line(who)}): ", style="dim")
            row.append(message_line(note, 200))
        return row

    def _show_status(self) -> None:
        status = Text()
        if self.draft is not None:
            draft = self.draft
            status.append(" EDIT ", style="bold reverse")
            status.append(f" {safe_line(draft.label)} {draft.start}–{draft.end}", style="bold")
            if draft.note:
                status.append(f"  ·  note: {message_line(draft.note, 60)}")
            status.append("  ·  1-9 label, , . start, < > end, c note, y accept, "
                          "escape cancel", style="dim")
        if self.message.plain:
            if status.plain:
                status.append("  ·  ")
            status.append_text(self.message)
        self.query_one("#review-status", Static).update(status)

    def say(self, message: str, *, error: bool = False) -> None:
        self.message = Text(safe_line(message), style="bold red" if error else "green")
        if error:
            tell(self, message, severity="error", timeout=8)
        if self.is_mounted:
            self._show_status()

    @on(OptionList.OptionHighlighted, "#review-versions")
    def _version_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.draft is None:
            self._show_passage()

    # -- deciding -------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in EDITING:
            return True if self.draft is not None else None
        if action in ("accept", "reject", "edit"):
            return True if self.group is not None else None
        if action == "accept_agreed":
            return True if self.review is not None and self.review.agreed_pending() else None
        return True

    def _refresh_keys(self) -> None:
        # The footer rebuilds its keys on every refresh: only when what is allowed changed.
        state = (self.group is not None, self.draft is not None,
                 bool(self.review and self.review.agreed_pending()))
        if state != self._keys_state:
            if self._keys_state != ():
                self.refresh_bindings()
            self._keys_state = state

    def _after_change(self, before: Group | None, message: str) -> None:
        """Redraw after a decision: stay at an unsettled place, else go to the next one."""
        self.draft = None
        here = self._same_place(before)
        if here is not None and here.state == "open" and not here.agreed:
            self.group = here
            # Stay, on the first version not decided yet.
            review = self.review
            self._highlight = next((i for i, v in enumerate(here.versions)
                                    if review is not None and not review.version_state(v)), None)
        else:
            self.group = self._next_open(before.start if before else -1)
        self.message = Text(safe_line(message), style="green")
        if self.group is None and self.review is not None and not self.review.agreed_pending():
            later = self._later_article()
            if later is not None:
                self.load_article(later)
                self.say(f"{message}; article settled, on to the next one")
                return
        self._show()

    def action_accept(self) -> None:
        review, version = self.review, self._highlighted()
        if review is None or version is None:
            return
        before = self.group
        draft = self.draft
        try:
            if draft is not None:
                saved = review.accept(draft.version, start=draft.start, end=draft.end,
                                      label=draft.label, note=draft.note)
            else:
                saved = review.accept(version)
        except (StoreError, ReviewError) as err:
            self.say(str(err), error=True)
            return
        self._after_change(before, f"accepted {saved['label']} {saved['start']}–{saved['end']} "
                                   f"into {self.gold}")

    def action_reject(self) -> None:
        review, version = self.review, self._highlighted()
        if review is None or version is None:
            return
        before = self.group
        try:
            review.reject(version)
        except (StoreError, ReviewError) as err:
            self.say(str(err), error=True)
            return
        self._after_change(before, f"rejected {version.label} {version.start}–{version.end}")

    def action_accept_agreed(self) -> None:
        review = self.review
        if review is None:
            return
        try:
            added = review.accept_agreed()
        except (StoreError, ReviewError) as err:
            self.say(str(err), error=True)
            return
        self._after_change(self.group, f"accepted {plural(added, 'agreed span')} into {self.gold}")

    def action_undo(self) -> None:
        review = self.review
        if review is None:
            return
        try:
            step = review.undo()
        except (StoreError, ReviewError) as err:
            self.say(str(err), error=True)
            return
        if step is None:
            self.say("nothing to undo in this article")
            return
        self.draft = None
        self.group = self._same_place(Group(step.version.start, step.version.end, [], False))
        self.message = Text(f"undone: {step.kind} {safe_line(step.version.label)} "
                            f"{step.version.start}–{step.version.end}", style="green")
        self._show()

    # -- editing --------------------------------------------------------

    def action_edit(self) -> None:
        version = self._highlighted()
        if version is None:
            return
        self.draft = Draft(version, version.start, version.end, version.label,
                           version.joined_note())
        self.message = Text("")
        self._show_passage()
        self._show_status()
        self._refresh_keys()

    def _move(self, start: int, end: int) -> None:
        draft = self.draft
        if draft is None:
            return
        if not 0 <= start < end <= len(self.review.article.text):
            self.app.bell()
            return
        self.draft = replace(draft, start=start, end=end)
        self._show_passage()
        self._show_status()

    def action_edge(self, edge: str, step: int) -> None:
        draft = self.draft
        if draft is None:
            return
        text = self.review.article.text
        start, end = draft.start, draft.end
        if edge == "start" and step < 0:
            span = text_units.prev_word(text, start)
            start = span[0] if span is not None and span[0] < start else start
        elif edge == "start":
            span = text_units.next_word(text, start)
            start = span[0] if span is not None and span[0] < end else start
        elif step < 0:
            start, end = text_units.shrink_end_by_word(text, start, end)
        else:
            start, end = text_units.extend_end_by_word(text, start, end)
        if (start, end) == (draft.start, draft.end):
            self.app.bell()
            return
        self._move(start, end)

    def action_label(self, number: int) -> None:
        if self.draft is None:
            return
        label = next((lab for lab in self.app.session.labels if lab.key == str(number)), None)
        if label is None:
            self.say(f"no label has key {number}", error=True)
            return
        self.draft = replace(self.draft, label=label.name)
        self._show_status()

    def action_note(self) -> None:
        draft = self.draft
        if draft is None:
            return
        from tui.core.reader_model import NoteRequest
        from tui.ui.screens.note import NoteDialog

        def done(note: str | None) -> None:
            if note is not None and self.draft is not None:
                self.draft = replace(self.draft, note=note)
                self._show_status()

        quote = self.review.article.text[draft.start:draft.end]
        # Nothing is saved until the draft is accepted: no annotation id, no undo step.
        request = NoteRequest(ann_id="", label=draft.label, quote=quote, note=draft.note,
                              joined=False)
        self.app.push_screen(NoteDialog(request), done)

    def action_cancel_edit(self) -> None:
        self.draft = None
        self._show_passage()
        self._show_status()
        self._refresh_keys()

    def action_escape(self) -> None:
        if self.draft is not None:
            self.action_cancel_edit()
        else:
            self.action_back()

    # -- moving ---------------------------------------------------------

    def action_group(self, step: int) -> None:
        if self.review is None:
            return
        groups = self.review.disagreements
        if not groups:
            self.app.bell()
            return
        if self.group is None:
            index = 0 if step > 0 else len(groups) - 1
        else:
            at = next((i for i, g in enumerate(groups) if g is self.group), 0)
            index = (at + step) % len(groups)
        self.group = groups[index]
        self.draft = None
        self.message = Text("")
        self._show()

    def action_version(self, step: int) -> None:
        if step > 0:
            self.versions_list.action_cursor_down()
        else:
            self.versions_list.action_cursor_up()

    def _later_article(self) -> int | None:
        later = self.article_index + 1
        return later if later < len(self.article_ids) else None

    def action_article(self, step: int) -> None:
        index = self.article_index + step
        if not 0 <= index < len(self.article_ids):
            self.app.bell()
            return
        self.load_article(index)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()


def open_review(app, article_id: str | None = None) -> None:
    """Push the review screen: one article, or every article two annotators worked on."""
    from tui.core.review import articles_to_review

    session = app.session
    if article_id is None:
        ids = articles_to_review(app.store, session.corpus, session.settings.gold)
    else:
        ids = [article_id]
    app.push_screen(ReviewScreen(ids, gold=session.settings.gold))
