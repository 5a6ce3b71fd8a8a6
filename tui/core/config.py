"""Labels, settings, paths and the annotator's identity.

Nothing here imports Textual: the CLI and the tests use it directly.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.textsafe import has_control, safe_line

DEFAULT_CORPUS = "seeds"
DEFAULT_STORE = "annotations"
DEFAULT_GOLD = "gold"
SETTINGS_ENV = "REDLINE_CONFIG"


class ConfigError(Exception):
    """A labels or settings file that cannot be used; the message names the line."""


@dataclass(frozen=True)
class Label:
    name: str
    key: str
    color: str
    note: bool = False  # ask for a note when the label is applied

    @property
    def letter(self) -> str:
        """A one-character mark for places colour cannot reach (gutter, NO_COLOR)."""
        return self.name[:1].upper() or "?"


DEFAULT_LABELS: tuple[Label, ...] = (
    Label("claim", "1", "dodger_blue2"),
    Label("quote", "2", "green4"),
    Label("factual error", "3", "red3", note=True),
)


def parse_colour(value: object) -> str | None:
    """A colour as Rich will draw it (``dodger_blue2``, ``#aa00ff``, ``rgb(1,2,3)``), or None.

    Rich's own parser decides, so every colour accepted here can be drawn: a
    name that only looks like one (``bleu``) would fail when first styled.
    Whitespace is dropped because the colour goes into style strings.
    """
    from rich.color import Color, ColorParseError

    text = "".join(str(value).split()).lower()
    try:
        Color.parse(text)
    except ColorParseError:
        return None
    return text


def _line_of(source: str, index: int, header: str = "[[label]]") -> int:
    """1-based line number of the ``index``-th ``[[label]]`` table in ``source``."""
    count = -1
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip().startswith(header):
            count += 1
            if count == index:
                return number
    return 1


def parse_labels(source: str, name: str = "labels.toml") -> tuple[Label, ...]:
    """Labels from TOML: a list of ``[[label]]`` tables with name, key, color, note."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{name}: {err}") from None
    entries = data.get("label")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{name}:1: no [[label]] tables (each needs name and key)")
    labels: list[Label] = []
    keys: set[str] = set()
    names: set[str] = set()
    for index, entry in enumerate(entries):
        where = f"{name}:{_line_of(source, index)}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: [[label]] must be a table")
        label_name = entry.get("name")
        if not isinstance(label_name, str) or not label_name.strip():
            raise ConfigError(f"{where}: label needs a non-empty string 'name'")
        if has_control(label_name):
            raise ConfigError(f"{where}: label {safe_line(label_name)!r}: a name must not hold "
                              "control characters")
        key = str(entry.get("key", len(labels) + 1))
        if key not in "123456789" or len(key) != 1:
            raise ConfigError(f"{where}: label '{label_name}': key must be one digit 1-9, not {key!r}")
        if key in keys:
            raise ConfigError(f"{where}: label '{label_name}': key {key} is already used")
        if label_name in names:
            raise ConfigError(f"{where}: label '{label_name}' is defined twice")
        color = parse_colour(entry.get("color", "grey50"))
        if color is None:
            raise ConfigError(f"{where}: label '{label_name}': unknown colour {entry['color']!r} "
                              "(a colour name such as 'dodger_blue2', or '#rrggbb')")
        note = entry.get("note", False)
        if not isinstance(note, bool):
            raise ConfigError(f"{where}: label '{label_name}': 'note' must be true or false")
        keys.add(key)
        names.add(label_name)
        labels.append(Label(label_name.strip(), key, color, note))
    return tuple(sorted(labels, key=lambda label: label.key))


def load_labels(path: str | os.PathLike | None) -> tuple[Label, ...]:
    if path is None:
        return DEFAULT_LABELS
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read labels: {getattr(err, 'strerror', None) or err}") from None
    return parse_labels(source, str(path))


def annotator_name(explicit: str | None = None) -> str:
    if explicit:
        return explicit.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "anonymous"


def settings_path() -> Path:
    if os.environ.get(SETTINGS_ENV):
        return Path(os.environ[SETTINGS_ENV])
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "redline" / "config.toml"


@dataclass
class Settings:
    """User settings: ``[keymap]`` maps binding ids to keys, ``[reader]`` toggles,
    ``[review] gold`` the annotator that review writes the reviewed set into."""

    keymap: dict[str, str] = field(default_factory=dict)
    show_all_annotators: bool = False
    theme: str = ""
    reader_width: int = 100  # the widest the text column gets, in cells (centred beyond)
    gold: str = DEFAULT_GOLD


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    if not path.is_file():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: {err}") from None
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise ConfigError(f"{path}: [keymap] must map binding ids to key strings")
    reader = data.get("reader", {})
    if not isinstance(reader, dict):
        raise ConfigError(f"{path}: [reader] must be a table")
    width = reader.get("width", 100)
    if not isinstance(width, int) or isinstance(width, bool) or not 20 <= width <= 1000:
        raise ConfigError(f"{path}: [reader] width must be a number of cells from 20 to 1000")
    review = data.get("review", {})
    gold = review.get("gold", DEFAULT_GOLD) if isinstance(review, dict) else None
    if not isinstance(gold, str) or not gold.strip():
        raise ConfigError(f"{path}: [review] gold must be a non-empty annotator name")
    return Settings(
        keymap={str(k): v for k, v in keymap.items()},
        show_all_annotators=bool(reader.get("show_all_annotators", False)),
        theme=str(data.get("theme", "")),
        reader_width=width,
        gold=gold.strip(),
    )


_THEME_LINE = re.compile(r"^[ \t]*theme[ \t]*=.*$", re.M)


def save_theme(theme: str, path: Path | None = None) -> None:
    """Remember a theme picked in the app: the settings file's top-level ``theme`` line.

    Only that line changes (comments and the rest of the file stay as written); the
    file is replaced atomically. A theme line inside a table is left alone.
    """
    path = path or settings_path()
    try:
        source = path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read settings: {getattr(err, 'strerror', None) or err}") \
            from None
    line = f"theme = {json.dumps(theme)}"
    top = source.split("\n[", 1)[0] if not source.startswith("[") else ""
    if _THEME_LINE.search(top):
        head = _THEME_LINE.sub(line.replace("\\", "\\\\"), top, count=1)
        updated = head + source[len(top):]
    else:
        updated = f"{line}\n{source}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_text(updated, encoding="utf-8")
        os.replace(temp, path)
    except OSError as err:
        raise ConfigError(f"{path}: cannot save the theme: {err.strerror or err}") from None
