"""The side panel: the article's annotations in text order, then its entities by type."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.config import Label
from tui.core.entities import Entity
from tui.core.textsafe import safe_line, snippet
from tui.ui.widgets.looks import ENTITY_CLASSES, entity_class, entity_letter, label_style


@dataclass(frozen=True)
class Target:
    """What a row of the panel points at."""

    kind: str  # "annotation", "orphan", "entity"
    ann_id: str = ""
    label: str = ""
    text: str = ""


class SidePanel(OptionList):
    """Rows are Rich ``Text`` objects built from the article: never markup."""

    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | ENTITY_CLASSES

    class Jump(Message):
        def __init__(self, panel: SidePanel, target: Target) -> None:
            super().__init__()
            self.panel = panel
            self.target = target

        @property
        def control(self) -> SidePanel:
            return self.panel

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.targets: dict[str, Target] = {}

    def show(self, annotations: list[dict], orphans: list[dict], entities: list[Entity],
             labels: dict[str, Label], me: str, show_all: bool,
             hidden_types: frozenset[str], pipeline: str) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.targets = {}
        options: list[Option | None] = []

        heading = Text(f"Annotations ({len(annotations)})", style="bold underline")
        options.append(Option(heading, disabled=True))
        if not annotations:
            options.append(Option(Text("none yet: select text, press 1-9", style="dim"), disabled=True))
        for record in annotations:
            label = labels.get(record["label"])
            row = Text()
            row.append(f" {label.letter if label else '?'} ",
                       style=label_style(label.color) + Style(bold=True) if label else "reverse")
            row.append(f" {safe_line(record['label'])}: ", style="bold")
            row.append(f"“{snippet(record['quote'])}”")
            if record.get("note"):
                row.append(f"\n   note: {snippet(record['note'], 60)}", style="italic")
            if show_all or record["annotator"] != me:
                row.append(f"\n   by {safe_line(record['annotator'])}", style="dim")
            options.append(self._option(row, Target("annotation", ann_id=record["id"])))
        if orphans:
            options.append(None)
            options.append(Option(Text(f"Orphans ({len(orphans)}): text changed, quote not found",
                                       style="bold red"), disabled=True))
            for record in orphans:
                row = Text(f" {safe_line(record['label'])}: “{snippet(record['quote'])}”", style="red")
                options.append(self._option(row, Target("orphan", ann_id=record["id"])))

        options.append(None)
        by_type: dict[str, Counter] = defaultdict(Counter)
        for entity in entities:
            by_type[entity.label][entity.text] += 1
        options.append(Option(Text(f"Entities ({len(entities)}) · {safe_line(pipeline)}",
                                   style="bold underline"), disabled=True))
        for kind in sorted(by_type, key=lambda k: (-sum(by_type[k].values()), k)):
            head = Text()
            head.append(f"{entity_letter(kind)} {kind}",
                        style=self.get_component_rich_style(entity_class(kind), partial=True))
            head.append(f"  {sum(by_type[kind].values())}", style="bold")
            if kind in hidden_types:
                head.append("  (hidden)", style="dim")
            options.append(Option(head, disabled=True))
            for name, count in by_type[kind].most_common():
                row = Text(f"   {snippet(name, 34)}")
                if count > 1:
                    row.append(f" ×{count}", style="dim")
                options.append(self._option(row, Target("entity", label=kind, text=name)))
        self.add_options(options)
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted

    def _option(self, prompt: Text, target: Target) -> Option:
        option_id = f"row-{len(self.targets)}"
        self.targets[option_id] = target
        return Option(prompt, id=option_id)

    def target(self) -> Target | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.targets.get(option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self.targets.get(event.option.id or "")
        if target is not None:
            self.post_message(self.Jump(self, target))
