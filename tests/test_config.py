"""Labels and settings files, and the errors the command line gives for them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tui.cli.main import main
from tui.core.config import DEFAULT_LABELS, ConfigError, load_settings, parse_labels


def test_default_labels() -> None:
    assert [(label.key, label.name, label.note) for label in DEFAULT_LABELS] == [
        ("1", "claim", False), ("2", "quote", False), ("3", "factual error", True)]


def test_labels_from_toml() -> None:
    labels = parse_labels('[[label]]\nname = "spin"\nkey = "2"\ncolor = "#aa00ff"\nnote = true\n'
                          '[[label]]\nname = "satire"\nkey = "1"\n')
    assert [(label.key, label.name, label.color, label.note) for label in labels] == [
        ("1", "satire", "grey50", False), ("2", "spin", "#aa00ff", True)]


@pytest.mark.parametrize(("source", "line", "words"), [
    ('[[label]]\nname = "a"\nkey = "1"\n[[label]]\nname = "b"\nkey = "1"\n', 4, "already used"),
    ('[[label]]\nname = "a"\nkey = "0"\n', 1, "one digit"),
    ('[[label]]\nkey = "1"\n', 1, "non-empty string 'name'"),
    ('[[label]]\nname = "a"\ncolor = "not a colour!"\n', 1, "colour"),
    ('[[label]]\nname = "a"\nnote = "yes"\n', 1, "true or false"),
    ('[[label]\nname = "a"\n', 1, "line 1"),
    ('title = "no labels"\n', 1, "no [[label]]"),
])
def test_bad_labels_name_the_line(source: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_labels(source, "labels.toml")
    message = str(caught.value)
    assert f"labels.toml:{line}" in message or f"(at line {line}" in message
    assert words in message
    assert "\n" not in message


def test_settings_keymap(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n[keymap]\n"reader.next_word" = "l"\n[reader]\nshow_all_annotators = true\n')
    settings = load_settings(path)
    assert settings.keymap == {"reader.next_word": "l"}
    assert settings.show_all_annotators and settings.theme == "nord"
    path.write_text("[keymap]\nx = 1\n")
    with pytest.raises(ConfigError):
        load_settings(path)


def test_cli_errors_are_one_line(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "labels.toml"
    bad.write_text('[[label]]\nname = "a"\nkey = "12"\n')
    assert main(["seeds", "--labels", str(bad), "--store", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "labels.toml:1" in err and "one digit" in err
    assert main([str(tmp_path / "missing"), "--store", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("redline: error:") and "no such file" in err
    assert main(["seeds", "--model", "no_such_pipeline", "--store", str(tmp_path / "s")]) == 2
    assert "not installed" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()  # nothing was created for a bad command


def test_no_default_corpus_here(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert "no corpus given and no seeds/ folder here" in err and err.count("\n") == 1


@pytest.mark.parametrize("colour", ["bleu", "dodgerblue", "#12345", "#gggggg", "rgb(1,2)", "red3 on blue"])
def test_a_colour_rich_cannot_draw_is_a_one_line_error_naming_file_and_label(colour: str) -> None:
    source = f'[[label]]\nname = "claim"\nkey = "1"\n\n[[label]]\nname = "spin"\nkey = "2"\ncolor = "{colour}"\n'
    with pytest.raises(ConfigError) as caught:
        parse_labels(source, "labels.toml")
    message = str(caught.value)
    assert message.startswith("labels.toml:5: label 'spin': unknown colour")
    assert repr(colour) in message and "\n" not in message


@pytest.mark.parametrize(("colour", "kept"), [
    ("dodger_blue2", "dodger_blue2"), ("#AA00ff", "#aa00ff"), ("rgb(10, 20, 30)", "rgb(10,20,30)"),
    ("color(120)", "color(120)"), ("Bright_Red", "bright_red"), ("default", "default"),
])
def test_every_colour_rich_knows_is_accepted_and_can_be_drawn(colour: str, kept: str) -> None:
    from rich.console import Console
    from rich.text import Text

    from tui.ui.widgets.looks import label_style

    (label,) = parse_labels(f'[[label]]\nname = "spin"\nkey = "1"\ncolor = "{colour}"\n')
    assert label.color == kept
    style = label_style(label.color)  # how the legend, panel and annotations draw a label
    assert style.bgcolor is not None and not style.reverse
    Console(file=io.StringIO(), force_terminal=True).print(Text(" 1 spin ", style=style))


@pytest.fixture
def no_app(monkeypatch):
    """Starting the app here is a failure (it would wait for keys for ever)."""
    from tui.ui.app import RedlineApp

    def refuse(self, *args, **kwargs):
        raise AssertionError("the app started; the command should have stopped first")

    monkeypatch.setattr(RedlineApp, "run", refuse)


def test_a_bad_colour_stops_the_command_with_one_line(tmp_path: Path, capsys, no_app) -> None:
    labels = tmp_path / "labels.toml"
    labels.write_text('[[label]]\nname = "spin"\nkey = "1"\ncolor = "bleu"\n')
    assert main(["seeds", "--labels", str(labels), "--store", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"redline: error: {labels}:1: label 'spin': unknown colour 'bleu'")


@pytest.mark.parametrize("name", ["quote\\u001b[31m", "bell\\u0007", "csi\\u009b", "rtl\\u202eabc", "tab\\tbed"])
def test_a_label_name_with_control_characters_is_refused(name: str) -> None:
    # Every record and export carries the label; importers refuse such names.
    with pytest.raises(ConfigError) as caught:
        parse_labels(f'[[label]]\nname = "claim"\nkey = "1"\n[[label]]\nname = "{name}"\nkey = "2"\n',
                     "labels.toml")
    message = str(caught.value)
    assert message.startswith("labels.toml:4: label ") and "control characters" in message
    assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f or c == "\u202e" for c in message)


def test_an_annotator_with_control_characters_is_refused(tmp_path: Path, capsys, no_app) -> None:
    assert main(["seeds", "--annotator", "me\x1b[31m", "--store", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert err == "redline: error: --annotator 'me␛[31m': a name must not hold control characters\n"
    assert not (tmp_path / "s").exists()
