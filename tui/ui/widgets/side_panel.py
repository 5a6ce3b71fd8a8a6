"""The side panel: counts per label, the article's annotations and entities, the full note.

Rows are Rich ``Text`` objects built from the article and the records: never
markup. The list keeps the focus while the reader jumps to its rows, so the
arrows keep walking the list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.config import Label
from tui.core.entities import Entity
from tui.core.record import Annotation
from tui.core.suggest.model import Suggestion
from tui.core.textsafe import safe_line, snippet
from tui.ui.widgets.looks import ENTITY_CLASSES, entity_class, entity_letter, label_style


@dataclass(frozen=True)
class Target:
    """What a row of the panel points at."""

    kind: str  # "annotation", "orphan", "entity", "variant"
    ann_id: str = ""
    label: str = ""
    text: str = ""
    start: int = -1
    end: int = -1


@dataclass(frozen=True)
class PanelData:
    annotations: tuple[Annotation, ...] = ()  # as filtered
    total: int = 0  # visible before the label filter
    counts: tuple[tuple[Label, int], ...] = ()
    label_filter: str | None = None
    orphans: tuple[Annotation, ...] = ()
    entities: tuple[Entity, ...] = ()
    hidden_types: frozenset[str] = frozenset()
    pipeline: str = ""
    me: str = ""
    show_all: bool = False
    variants: tuple[tuple[str, str, str, int, int], ...] = ()  # (rare, usual, where, start, end)
    suggestions: tuple[Suggestion, ...] = ()  # quotations and claims left to review
    suggestion_counts: dict[str, int] = field(default_factory=dict)


class RowList(OptionList):
    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | ENTITY_CLASSES | {"row-list--dim"}
    BINDINGS = [Binding("escape", "leave", "Back to the text", id="panel.leave", show=False)]

    def action_leave(self) -> None:
        self.screen.query_one("#article").focus()


class SidePanel(Vertical):
    class Jump(Message):
        def __init__(self, panel: SidePanel, target: Target) -> None:
            super().__init__()
            self.panel = panel
            self.target = target

        @property
        def control(self) -> SidePanel:
            return self.panel

    class Highlighted(Message):
        """A row was highlighted: the reader shows its note."""

        def __init__(self, panel: SidePanel, target: Target | None) -> None:
            super().__init__()
            self.panel = panel
            self.target = target

        @property
        def control(self) -> SidePanel:
            return self.panel

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.targets: dict[str, Target] = {}
        self.data = PanelData()

    def compose(self) -> ComposeResult:
        yield Static(id="panel-counts")
        yield RowList(id="panel-rows")
        yield Static(id="panel-note")

    @property
    def rows(self) -> RowList:
        return self.query_one("#panel-rows", RowList)

    def focus(self, scroll_visible: bool = True) -> SidePanel:
        self.rows.focus(scroll_visible)
        return self

    # -- content --------------------------------------------------------------------------------

    def show(self, data: PanelData) -> None:
        self.data = data
        self.query_one("#panel-counts", Static).update(self._counts(data))
        rows = self.rows
        highlighted = rows.highlighted
        rows.clear_options()
        self.targets = {}
        options: list[Option | None] = []
        options += self._annotation_rows(data)
        if data.variants:
            options.append(None)
            options += self._variant_rows(data)
        options.append(None)
        options += self._entity_rows(data)
        if data.suggestion_counts:
            options.append(None)
            options += self._suggestion_rows(data)
        rows.add_options(options)
        if highlighted is not None and highlighted < rows.option_count:
            rows.highlighted = highlighted

    def _counts(self, data: PanelData) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for label, count in data.counts:
            chosen = data.label_filter in (None, label.name)
            style = label_style(label.color) + Style(bold=True) if chosen else Style(dim=True)
            text.append(f" {label.key} ", style=style)
            text.append(f" {safe_line(label.name)} {count}  ", style=None if chosen else "dim")
        text.append("\nf: " + ("every label" if data.label_filter else "one label at a time"),
                    style="dim")
        return text

    def _annotation_rows(self, data: PanelData) -> list[Option | None]:
        labels = {label.name: label for label, _ in data.counts}
        heading = Text(style="bold underline")
        if data.label_filter:
            heading.append(f"{safe_line(data.label_filter)} only ({len(data.annotations)} of "
                           f"{data.total})")
        else:
            heading.append(f"Annotations ({len(data.annotations)})")
        options: list[Option | None] = [Option(heading, disabled=True)]
        if not data.annotations:
            hint = "none with this label" if data.label_filter else "none yet: select text, press 1-9"
            options.append(Option(Text(hint, style="dim"), disabled=True))
        for record in data.annotations:
            label = labels.get(record["label"])
            row = Text()
            row.append(f" {label.letter if label else '?'} ",
                       style=label_style(label.color) + Style(bold=True) if label else "reverse")
            row.append(f" {safe_line(record['label'])}: ", style="bold")
            row.append(f"“{snippet(record['quote'], 60)}”")
            if record["note"]:
                row.append(f"\n   ✎ {snippet(record['note'], 80)}", style="italic")
            if data.show_all or record["annotator"] != data.me:
                row.append(f"\n   by {safe_line(record['annotator'])}", style="dim")
            options.append(self._option(row, Target("annotation", ann_id=record["id"],
                                                    start=record["start"], end=record["end"])))
        if data.orphans:
            options.append(None)
            options.append(Option(Text(f"Orphans ({len(data.orphans)}): text changed, quote not found",
                                       style="bold"), disabled=True))
            for record in data.orphans:
                row = Text(f" ! {safe_line(record['label'])}: “{snippet(record['quote'], 60)}”")
                options.append(self._option(row, Target("orphan", ann_id=record["id"])))
        return options

    def _variant_rows(self, data: PanelData) -> list[Option | None]:
        options: list[Option | None] = [
            Option(Text(f"Name variants ({len(data.variants)})", style="bold underline"), disabled=True)]
        for rare, usual, where, start, end in data.variants:
            row = Text()
            row.append(f" ≠ {safe_line(rare)}", style="bold")
            row.append(f"  usually “{safe_line(usual)}”")
            if where:
                row.append(f"\n   {safe_line(where)}", style="dim")
            options.append(self._option(row, Target("variant", text=rare, start=start, end=end)))
        return options

    def _suggestion_rows(self, data: PanelData) -> list[Option | None]:
        counts = ", ".join(f"{count} {kind}" for kind, count in data.suggestion_counts.items())
        options: list[Option | None] = [
            Option(Text(f"Suggestions left: {counts}", style="bold underline"), disabled=True)]
        if not data.suggestions:
            options.append(Option(Text("hidden (z shows them)" if data.suggestion_counts
                                       and sum(data.suggestion_counts.values()) else "none left",
                                       style="dim"), disabled=True))
        for suggestion in data.suggestions:
            row = Text()
            row.append(f" {suggestion.kind[0]} ", style="reverse")
            row.append(f" “{snippet(suggestion.quote, 56)}”")
            row.append(f"\n   {safe_line(suggestion.reason)}", style="dim")
            options.append(self._option(row, Target("suggestion", ann_id=suggestion.id,
                                                    start=suggestion.start, end=suggestion.end)))
        return options

    def _entity_rows(self, data: PanelData) -> list[Option | None]:
        by_type: dict[str, Counter] = defaultdict(Counter)
        for entity in data.entities:
            by_type[entity.label][entity.text] += 1
        options: list[Option | None] = [
            Option(Text(f"Entities ({len(data.entities)}) · {safe_line(data.pipeline)}",
                        style="bold underline"), disabled=True)]
        rows = self.rows
        for kind in sorted(by_type, key=lambda k: (-sum(by_type[k].values()), k)):
            head = Text()
            head.append(f"{entity_letter(kind)} {kind}",
                        style=rows.get_component_rich_style(entity_class(kind), partial=True))
            head.append(f"  {sum(by_type[kind].values())}", style="bold")
            if kind in data.hidden_types:
                head.append("  (hidden)", style="dim")
            options.append(Option(head, disabled=True))
            for name, count in by_type[kind].most_common():
                row = Text(f"   {snippet(name, 50)}")
                if count > 1:
                    row.append(f" ×{count}", style="dim")
                options.append(self._option(row, Target("entity", label=kind, text=name)))
        return options

    def _option(self, prompt: Text, target: Target) -> Option:
        option_id = f"row-{len(self.targets)}"
        self.targets[option_id] = target
        return Option(prompt, id=option_id)

    def show_note(self, record: Annotation | None) -> None:
        """The full note of ``record`` (the annotation under the cursor, or the row's)."""
        note = self.query_one("#panel-note", Static)
        if record is None:
            note.update(Text("No annotation here. c writes a note on yours.", style="dim"))
            return
        text = Text()
        text.append(f"{safe_line(record['label'])}", style="bold")
        text.append(f" by {safe_line(record['annotator'])}\n", style="dim")
        text.append(f"“{snippet(record['quote'], 200)}”\n", style="italic")
        if record["note"]:
            # Lines of the note are kept; each is made safe on its own.
            text.append("\n".join(safe_line(line) for line in record["note"].splitlines()))
        else:
            text.append("no note (c to write one)", style="dim")
        note.update(text)

    # -- rows -------------------------------------------------------------------------------------

    def target(self) -> Target | None:
        rows = self.rows
        if rows.highlighted is None:
            return None
        option = rows.get_option_at_index(rows.highlighted)
        return self.targets.get(option.id or "")

    def select_annotation(self, ann_id: str) -> None:
        """Highlight the row of ``ann_id`` (after a jump from the text)."""
        for index in range(self.rows.option_count):
            option = self.rows.get_option_at_index(index)
            target = self.targets.get(option.id or "")
            if target is not None and target.ann_id == ann_id:
                self.rows.highlighted = index
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self.targets.get(event.option.id or "")
        if target is not None:
            self.post_message(self.Jump(self, target))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self, self.targets.get(event.option.id or "")))
