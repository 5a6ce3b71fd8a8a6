"""The legend under the article: the label keys, the entity types on show, the pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive

from tui.core.config import Label
from tui.core.textsafe import safe_line
from tui.ui.widgets.looks import ENTITY_CLASSES, entity_class, entity_letter, label_style
from tui.ui.widgets.state_line import StateLine


@dataclass(frozen=True)
class LegendInfo:
    labels: tuple[Label, ...] = ()
    kinds: tuple[str, ...] = ()  # entity types in the article
    hidden: frozenset[str] = frozenset()
    show_entities: bool = True
    pipeline: str = ""


class Legend(StateLine):
    COMPONENT_CLASSES = ENTITY_CLASSES | {"legend--dim"}

    info: reactive[LegendInfo] = reactive(LegendInfo, layout=False)



    def build(self) -> Text:
        info = self.info
        dim = self.get_component_rich_style("legend--dim", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for label in info.labels:
            text.append(f" {label.key} ", style=label_style(label.color) + Style(bold=True))
            text.append(f" {safe_line(label.name)}  ")
        text.append("│ ", style=dim)
        if not info.show_entities:
            text.append("entities hidden (t)", style=dim)
        else:
            for kind in info.kinds:
                style = dim + Style(strike=True) if kind in info.hidden else \
                    self.get_component_rich_style(entity_class(kind), partial=True)
                text.append(f"{entity_letter(kind)}:{kind}", style=style)
                text.append(" ")
        if info.pipeline:
            text.append(f" {safe_line(info.pipeline)}", style=dim)
        return text
