"""The command line. ``redline [CORPUS ...]`` opens the reader; the rest are subcommands."""

from __future__ import annotations

import argparse
import importlib
import sys

from tui import __version__
from tui.commands.common import CommandError
from tui.config import ConfigError
from tui.textsafe import safe_line

# name -> module in tui.commands; each module has register(subparsers).
COMMANDS = {
    "open": "tui.commands.open",
    "list": "tui.commands.list",
    "entities": "tui.commands.entities",
    "ner": "tui.commands.ner",
    "export": "tui.commands.export",
    "import": "tui.commands.import_",
    "stats": "tui.commands.stats",
    "check": "tui.commands.check",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that command's (importing one module starts faster)."""
    parser = argparse.ArgumentParser(
        prog="redline",
        description="A keyboard-driven terminal reader and annotator for news articles.",
        epilog="Without a command, redline opens the reader: redline [CORPUS ...] [options]. "
        "Run 'redline COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"redline {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(module_name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The reader is the default command: anything that is not a command name
    # (a corpus path, an option) goes to 'open'.
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv = ["open", *argv]
    parser = build_parser(only=argv[0] if argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    from tui.entities import EntityError
    from tui.store_errors import StoreError

    try:
        return int(args.func(args) or 0)
    except (CommandError, ConfigError, StoreError, EntityError) as err:
        print(f"redline: error: {safe_line(str(err))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `redline export | head` is fine; keep Python from complaining at exit.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
