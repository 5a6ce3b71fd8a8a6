"""How entities, annotations, matches and the selection look.

Every entity type has an attribute (bold, italic, dim, plain) as well as a
colour and an underline, so types stay apart with ``NO_COLOR=1`` and in
16-colour terminals; the legend shows each type with its letter.
"""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style

# type -> (letter for the legend and panel, colour, attribute)
ENTITY_LOOK: dict[str, tuple[str, str, str]] = {
    "PERSON": ("P", "bright_magenta", "bold"),
    "ORG": ("O", "bright_cyan", ""),
    "GPE": ("G", "bright_green", "italic"),
    "LOC": ("L", "bright_green", "italic"),
    "FAC": ("F", "bright_green", "italic"),
    "NORP": ("N", "bright_yellow", ""),
    "EVENT": ("E", "bright_yellow", "bold"),
    "LAW": ("W", "bright_yellow", ""),
    "WORK_OF_ART": ("A", "bright_yellow", ""),
    "PRODUCT": ("R", "bright_yellow", ""),
    "LANGUAGE": ("U", "bright_yellow", ""),
    "DATE": ("D", "bright_blue", "dim"),
    "TIME": ("T", "bright_blue", "dim"),
    "CARDINAL": ("#", "bright_blue", ""),
    "ORDINAL": ("#", "bright_blue", ""),
    "QUANTITY": ("#", "bright_blue", ""),
    "PERCENT": ("%", "bright_blue", ""),
    "MONEY": ("$", "bright_blue", ""),
}
_OTHER_LOOK = ("?", "bright_black", "")


def entity_look(label: str) -> tuple[str, str, str]:
    return ENTITY_LOOK.get(label, _OTHER_LOOK)


@lru_cache(maxsize=256)
def entity_style(label: str) -> Style:
    _, color, attribute = entity_look(label)
    return Style.parse(f"{color} underline {attribute}".strip())


@lru_cache(maxsize=256)
def annotation_style(color: str) -> Style:
    # The background carries the label; bold keeps annotated text apart
    # from plain text where there is no colour.
    return Style.parse(f"bold on {color}")


SELECTION = Style(reverse=True)
MATCH = Style.parse("black on yellow")
CURRENT_MATCH = Style.parse("black on bright_yellow bold underline")
UNSAVED = Style.parse("bold white on red")
GUTTER = Style.parse("bold")


@lru_cache(maxsize=4096)
def combine(*styles: Style | None) -> Style:
    result = Style()
    for style in styles:
        if style is not None:
            result += style
    return result
