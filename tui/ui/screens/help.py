"""Help: every key of the screen below, generated from its bindings, grouped by what it is for.

Label keys show the label they apply (from the labels file); keys with no label
are one row. Each row names the binding id that the settings file's
``[keymap]`` remaps.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.core.textsafe import safe_line

# Sections, in order, by binding id (without the screen's prefix); the rest go last.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Move", ("next_word", "prev_word", "next_sentence", "prev_sentence", "next_paragraph",
              "prev_paragraph", "next_entity", "prev_entity", "next_annotation", "prev_annotation",
              "quotation", "next_suggestion", "prev_suggestion", "down", "up")),
    ("Select", ("extend", "grow", "shrink")),
    ("Label", tuple(f"label_{n}" for n in range(1, 10)) + ("relabel",)),
    ("Annotations", ("note", "delete", "start_left", "start_right", "end_left", "end_right", "undo",
                     "redo", "retry", "accept", "reject", "entity_type")),
    ("Search and filter", ("search", "next_match", "prev_match", "filter", "sort", "reverse",
                           "clear")),
    ("Show", ("panel", "entities", "everyone", "suggestions", "compare", "side_by_side")),
    ("Articles", ("open", "done", "next_article", "prev_article", "next_undone", "review", "back",
                  "escape", "quit")),
)


TWO_COLUMNS = 110  # terminal width from which the help is laid out in two columns
NO_LABEL = "no label on this key (labels.toml adds one)"


def describe(app, binding: Binding, *, short: bool = False) -> str:
    """What a binding does, in words (``short``: its name, not its tooltip); a label key
    says which label it applies."""
    name = binding.id or binding.action
    if name.rsplit(".", 1)[-1].startswith("label_"):
        session = getattr(app, "session", None)
        number = name.rsplit("_", 1)[-1]
        label = next((lab for lab in (session.labels if session else ()) if lab.key == number), None)
        if label is None:
            return NO_LABEL
        return f"apply “{safe_line(label.name)}”" + (" (asks for a note)" if label.note else "")
    return binding.description if short else binding.tooltip or binding.description


def _action(what: str, name: str) -> Text:
    text = Text(what)
    text.append(f"  {name}", style="dim")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._content(), id="help-table")

    def _rows(self) -> dict[str, tuple[list[str], str]]:
        """binding id -> (keys, what it does)."""
        rows: dict[str, tuple[list[str], str]] = {}
        for active in self.below.active_bindings.values():
            binding = active.binding
            if not binding.description or not binding.id:
                continue  # Textual's own scrolling keys are not redline's to explain
            name = binding.id
            keys, _ = rows.get(name, ([], ""))
            display = self.app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
            rows[name] = (keys, describe(self.app, binding, short=True))
        return rows

    def _content(self) -> Group:
        rows = self._rows()
        placed: set[str] = set()
        tables = []
        for title, names in (*SECTIONS, ("App", ())):
            table = Table(title=title, title_style="bold", title_justify="left", expand=True,
                          show_edge=False, show_header=False, box=None, padding=(0, 1))
            table.add_column("key", style="bold", no_wrap=True, width=9)
            table.add_column("action and id", ratio=1)
            if title == "App":
                names = tuple(sorted(n for n in rows if n not in placed))
            unassigned: list[str] = []
            for short in names:
                matches = [n for n in rows if n.rsplit(".", 1)[-1] == short and n not in placed] \
                    if title != "App" else [short]
                for name in matches:
                    placed.add(name)
                    keys, what = rows[name]
                    if what == NO_LABEL:
                        unassigned += keys
                        continue
                    table.add_row(Text(" ".join(keys)), _action(what, name))
            if unassigned:
                table.add_row(Text(" ".join(unassigned)),
                              _action("no label on these keys (labels.toml)", "reader.label_N"))
            if table.row_count:
                tables.append(table)
        body: Table | Group = Group(*tables)
        if self.app.size.width >= TWO_COLUMNS and len(tables) > 1:
            # Two columns, balanced by rows, so the whole keymap fits a usual terminal.
            left: list[Table] = []
            right: list[Table] = []
            total = sum(t.row_count + 1 for t in tables)
            for table in tables:
                (left if sum(t.row_count + 1 for t in left) < total / 2 else right).append(table)
            body = Table.grid(expand=True, padding=(0, 2))
            body.add_column(ratio=1)
            body.add_column(ratio=1)
            body.add_row(Group(*left), Group(*right))
        caption = Text(style="dim")
        caption.append("Remap any key in the settings file under ")
        caption.append("[keymap]")  # appended as text: never read as markup
        caption.append(", by the id on the right (for example \"reader.next_word\" = \"w,l\"). "
                       "ctrl+p opens the command palette, where every action is too.")
        return Group(Text("redline keys", style="bold", justify="center"), body, Text(""), caption)

    def action_close(self) -> None:
        self.dismiss(None)
