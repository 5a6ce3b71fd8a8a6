"""The Textual (and Rich) behaviour redline relies on, pinned.

Textual 8 differs from older docs and examples. Each test here states one
behaviour the code depends on; if an upgrade changes it, this file says which
assumption broke, before a user finds out.
"""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult, InvalidThemeError, SystemCommand
from textual.binding import Binding
from textual.widgets import Input, Static

from tests.conftest import screen_lines


class Bare(App):
    BINDINGS = [Binding("x", "bell", "Ring", id="bare.ring")]

    def compose(self) -> ComposeResult:
        yield Static("body", id="body")


def shown(app: App) -> str:
    """The screen as one line of words, toast edges dropped (a wrapped toast reads on)."""
    return " ".join(" ".join(screen_lines(app)).replace("▌", " ").split())


async def test_notify_with_a_rich_text_crashes_when_the_toast_is_drawn() -> None:
    # Why every message goes through ui.messages.tell as a plain string.
    app = Bare()
    with pytest.raises(AttributeError, match="'Text' object has no attribute"):
        async with app.run_test(notifications=True, size=(80, 24)) as pilot:
            app.notify(Text("saved"))
            await pilot.pause()
    assert app.return_code == 1


async def test_run_test_hides_toasts_unless_asked() -> None:
    # Why every Pilot test passes notifications=True: without it a crashing toast goes unseen.
    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify("hidden message")
        await pilot.pause()
        assert "hidden message" not in shown(app)
    app = Bare()
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        app.notify("shown message")
        await pilot.pause()
        assert "shown message" in shown(app)


async def test_notify_parses_markup_unless_told_not_to() -> None:
    hostile = "title [bold]x[/bold] and [@click=app.quit]click[/]"
    app = Bare()
    async with app.run_test(notifications=True, size=(100, 24)) as pilot:
        app.notify(hostile, markup=False, timeout=30)
        await pilot.pause()
        assert hostile in shown(app)  # literal, brackets and all
        app.notify("second [bold]y[/bold] end", timeout=30)  # the default: markup
        await pilot.pause()
        assert "second y end" in shown(app)
        assert app.is_running


async def test_a_static_shows_a_text_literally() -> None:
    # Article text, titles and notes are drawn as Text objects, never markup strings.
    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#body", Static).update(Text("[bold]x[/bold] [@click=app.quit]q[/]"))
        await pilot.pause()
        assert "[bold]x[/bold] [@click=app.quit]q[/]" in shown(app)


def test_a_rich_table_reads_a_string_caption_as_markup() -> None:
    # Why the help screen's caption is a Text: "[keymap]" in a string is eaten.
    def caption_of(caption) -> str:
        table = Table(caption=caption, expand=True)
        table.add_column("key")
        console = Console(width=100)
        with console.capture() as captured:
            console.print(table)
        return captured.get()

    assert "[keymap]" not in caption_of("under [keymap], by id")
    assert "[keymap]" in caption_of(Text("under [keymap], by id"))


async def test_an_unknown_theme_raises() -> None:
    # The settings' theme is tried, and an unknown name becomes a warning.
    app = Bare()
    async with app.run_test(size=(80, 24)):
        with pytest.raises(InvalidThemeError):
            app.theme = "no-such-theme"


async def test_bindings_with_ids_can_be_remapped_and_are_listed_with_their_keys() -> None:
    # The settings' [keymap], the help screen and the command palette use these.
    app = Bare()
    app.set_keymap({"bare.ring": "y"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        active = app.screen.active_bindings
        assert "y" in active and "x" not in active
        binding = active["y"].binding
        assert binding.id == "bare.ring" and active["y"].node is app
        assert app.get_key_display(binding) == "y"
        commands = list(app.get_system_commands(app.screen))
        assert all(isinstance(command, SystemCommand) for command in commands)


async def test_a_priority_binding_wins_over_a_focused_input() -> None:
    # ctrl+q quits even while typing a note or a search.
    class WithInput(App):
        BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

        def compose(self) -> ComposeResult:
            yield Input()

    app = WithInput()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


def test_an_input_selects_its_text_when_focused() -> None:
    # Reopening search shows the last query selected: typing replaces it.
    assert Input().select_on_focus is True


def test_the_linux_driver_reads_stdin_and_draws_on_stderr() -> None:
    # Why the reader refuses to start unless stdin, stdout and stderr are terminals.
    import inspect

    from textual.drivers.linux_driver import LinuxDriver

    source = inspect.getsource(LinuxDriver.__init__)
    assert "self._file = sys.__stderr__" in source
    assert "sys.__stdin__.fileno()" in source


def test_toasts_are_60_cells_wide_with_a_left_edge() -> None:
    # The end-to-end tests read toasts off the screen by this shape.
    from textual.widgets._toast import Toast

    css = Toast.DEFAULT_CSS
    assert "width: 60;" in css and "max-width: 50%;" in css
    assert "border-left: outer" in css
