"""The command line. ``redline [CORPUS ...]`` opens the reader; the rest are subcommands."""

from __future__ import annotations

import argparse
import importlib
import sys

from tui import __version__
from tui.cli.commands.common import CommandError
from tui.core.config import ConfigError
from tui.core.textsafe import safe_line

# name -> module in tui.cli.commands; each module has register(subparsers).
COMMANDS = {
    "open": "tui.cli.commands.open",
    "list": "tui.cli.commands.list",
    "entities": "tui.cli.commands.entities",
    "ner": "tui.cli.commands.ner",
    "export": "tui.cli.commands.export",
    "import": "tui.cli.commands.import_",
    "stats": "tui.cli.commands.stats",
    "check": "tui.cli.commands.check",
    "compare": "tui.cli.commands.compare",
    "variants": "tui.cli.commands.variants",
    "agree": "tui.cli.commands.agree",
    "review": "tui.cli.commands.review",
    "suggest": "tui.cli.commands.suggest",
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


def _user_errors() -> tuple[type[Exception], ...]:
    """The errors that are the user's to fix: one line and exit status 2, no traceback.

    Imported only once something failed: the entity module pulls in the text
    segmentation (and the regex engine), which the reader's first frame does
    not need.
    """
    from tui.core.entities import EntityError
    from tui.core.store.errors import StoreError

    return (CommandError, ConfigError, StoreError, EntityError)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The reader is the default command: anything that is not a command name
    # (a corpus path, an option) goes to 'open'.
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv = ["open", *argv]
    parser = build_parser(only=argv[0] if argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # `redline export | head` is fine; keep Python from complaining at exit.
        sys.stderr.close()
        return 0
    except Exception as err:
        if not isinstance(err, _user_errors()):
            raise
        print(f"redline: error: {safe_line(str(err))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
