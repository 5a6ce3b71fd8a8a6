"""Every look is legible in every theme: text against what it is drawn on, by WCAG contrast.

Component classes take their colours from the theme; this resolves each one as the app
does and checks it against the background it is drawn on. (A colour such as ``$text-muted``
is "auto": in a component class it has no background to be relative to, and came out white
on the light theme's light grey.)
"""

from __future__ import annotations

import pytest
from rich.color import Color

from tests.test_app_reader import open_article

THEMES = ["textual-dark", "textual-light", "nord", "gruvbox", "solarized-light", "textual-ansi"]
MINIMUM = 3.0  # WCAG's contrast for large text; body text of a terminal reads like it


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        value = value / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = color.get_truecolor()
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(a: Color, b: Color) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def drawn(style, base) -> tuple[Color, Color]:
    """(text colour, background) of a component style over the widget's own style."""
    fg = style.color or base.color
    bg = style.bgcolor or base.bgcolor
    return (bg, fg) if style.reverse else (fg, bg)


@pytest.mark.parametrize("theme", THEMES)
async def test_every_look_of_the_reader_is_legible(make_app, theme: str) -> None:
    from tui.core.config import Settings

    app = make_app(settings=Settings(theme=theme))
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("tab")
        widgets = [screen.view, screen.query_one("#status"), screen.query_one("#legend"),
                   screen.query_one("#reader-title"), screen.panel.rows]
        poor = []
        for widget in widgets:
            base = widget.rich_style
            for name in sorted(widget.COMPONENT_CLASSES):
                if name.startswith("option-list--"):
                    continue  # Textual's own, drawn as Textual draws them
                style = widget.get_component_rich_style(name, partial=True)
                if style.color is None and style.bgcolor is None:
                    continue  # attributes only: drawn in the widget's own colours
                fg, bg = drawn(style, base)
                if fg is None or bg is None or fg.is_default or bg.is_default:
                    continue
                ratio = contrast(fg, bg)
                if ratio < MINIMUM:
                    poor.append(f"{type(widget).__name__} .{name}: {ratio:.2f}")
        assert poor == [], "\n".join(poor)
