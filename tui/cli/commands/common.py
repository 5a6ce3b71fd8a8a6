"""What the subcommands share: options, opening the corpus and store, errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.core.config import DEFAULT_CORPUS, DEFAULT_STORE
from tui.core.corpus import Corpus, CorpusError, load_corpus
from tui.core.textsafe import safe_line


class CommandError(Exception):
    """Bad input to a command: printed as one line, exit code 2."""


def add_corpus_arguments(parser: argparse.ArgumentParser, *, many: bool = True) -> None:
    parser.add_argument(
        "corpus",
        nargs="*" if many else "?",
        metavar="CORPUS",
        help=f"folders, .txt/.md files or .jsonl feeds (default: {DEFAULT_CORPUS}/)",
    )


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", metavar="DIR", default=DEFAULT_STORE,
        help=f"annotation store folder (default: {DEFAULT_STORE}/)",
    )


def add_corpus_option(parser: argparse.ArgumentParser) -> None:
    """For commands whose positional argument is something else (an article id, a file)."""
    parser.add_argument(
        "--corpus", metavar="PATH", action="append", default=None,
        help=f"corpus folder or file; repeatable (default: {DEFAULT_CORPUS}/)",
    )


def corpus_paths(args: argparse.Namespace) -> list[str]:
    paths = getattr(args, "corpus", None) or []
    if isinstance(paths, str):
        paths = [paths]
    return list(paths) or [DEFAULT_CORPUS]


def open_corpus(args: argparse.Namespace, *, quiet: bool = False, lazy: bool = False) -> Corpus:
    paths = corpus_paths(args)
    try:
        corpus = load_corpus(paths, lazy=lazy)
    except CorpusError as err:
        if paths == [DEFAULT_CORPUS] and not Path(DEFAULT_CORPUS).exists():
            raise CommandError(f"no corpus given and no {DEFAULT_CORPUS}/ folder here: "
                               "name a folder, file or .jsonl feed") from None
        raise CommandError(str(err)) from None
    if not quiet:
        for warning in corpus.warnings:
            warn(warning)
    return corpus


def store_dir(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "store", None) or DEFAULT_STORE)


def warn(message: str) -> None:
    print(f"redline: warning: {safe_line(message)}", file=sys.stderr)
