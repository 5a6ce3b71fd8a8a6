"""How entity types and labels look: letters, component classes, label colours.

The styles themselves live in ``redline.tcss`` as component classes over theme
variables, so dark and light themes, 16 colours and ``NO_COLOR`` are handled
in one place. Every entity type also has a text attribute and a letter, so
types stay apart where there is no colour.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color, ColorParseError
from rich.style import Style

# spaCy type -> (letter for the legend and panel, look: a component class suffix)
ENTITY_KINDS: dict[str, tuple[str, str]] = {
    "PERSON": ("P", "person"),
    "ORG": ("O", "org"),
    "GPE": ("G", "place"),
    "LOC": ("L", "place"),
    "FAC": ("F", "place"),
    "NORP": ("N", "group"),
    "EVENT": ("E", "group"),
    "LAW": ("W", "group"),
    "WORK_OF_ART": ("A", "group"),
    "PRODUCT": ("R", "group"),
    "LANGUAGE": ("U", "group"),
    "DATE": ("D", "time"),
    "TIME": ("T", "time"),
    "CARDINAL": ("#", "number"),
    "ORDINAL": ("#", "number"),
    "QUANTITY": ("#", "number"),
    "PERCENT": ("%", "number"),
    "MONEY": ("$", "number"),
}
_OTHER = ("?", "other")
ENTITY_CLASSES = frozenset(f"entity--{look}" for _, look in (*ENTITY_KINDS.values(), _OTHER))


def entity_letter(label: str) -> str:
    return ENTITY_KINDS.get(label, _OTHER)[0]


def entity_class(label: str) -> str:
    """The component class that styles entities of type ``label``."""
    return f"entity--{ENTITY_KINDS.get(label, _OTHER)[1]}"


@lru_cache(maxsize=256)
def label_style(color: str) -> Style:
    """A label's colour as a background, with text that stays readable on it.

    Label colours come from the labels file (Rich colour names or hex); the text
    colour is black or white by the colour's luminance, so a claim is readable
    in any theme.
    """
    try:
        rgb = Color.parse(color).get_truecolor()
    except ColorParseError:
        return Style(bold=True, reverse=True)
    luminance = (0.2126 * rgb.red + 0.7152 * rgb.green + 0.0722 * rgb.blue) / 255
    text = "black" if luminance > 0.5 else "white"
    return Style(color=text, bgcolor=color)
