"""``redline [CORPUS ...]``: open the reader (the default command)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tui.cli.commands.common import (
    CommandError,
    add_corpus_arguments,
    add_store_argument,
    corpus_paths,
    open_corpus,
    store_dir,
)
from tui.core.config import annotator_name, load_labels, load_settings
from tui.core.session import Session
from tui.core.textsafe import has_control, safe_line


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "open", help="open the reader (the default command)",
        description="Open the reader on a corpus: folders, .txt/.md files, .jsonl feeds.",
    )
    add_corpus_arguments(parser)
    add_store_argument(parser)
    parser.add_argument("--annotator", metavar="NAME", help="who is annotating (default: the login user)")
    parser.add_argument("--labels", metavar="FILE", help="labels TOML file (default: labels.toml beside the corpus, else claim/quote/factual error)")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline for entities (default: the best English one installed)")
    parser.set_defaults(func=run)


def build_session(args: argparse.Namespace) -> Session:
    # Lazy: files are read as they are shown, the rest right after the first frame.
    corpus = open_corpus(args, quiet=True, lazy=True)
    label_path = args.labels or corpus.label_file
    labels = load_labels(label_path)
    store = store_dir(args)
    if store.exists() and not store.is_dir():
        raise CommandError(f"{store}: the store must be a folder")
    annotator = annotator_name(args.annotator)
    if not annotator:
        raise CommandError("--annotator must not be empty")
    if has_control(annotator):
        raise CommandError(f"--annotator {safe_line(annotator)!r}: a name must not hold control characters")
    if args.model:
        from tui.core.entities import find_pipeline

        find_pipeline(args.model)  # fails early, with the list of installed ones
    paths = corpus_paths(args)
    return Session(
        corpus=corpus,
        store_root=store,
        annotator=annotator,
        labels=labels,
        model=args.model,
        settings=load_settings(),
        corpus_name=", ".join(str(Path(p)) for p in paths),
    )


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed
        return False


def terminal_problem() -> str | None:
    """Why the reader cannot run here, or None.

    Textual reads keys from standard input and draws on standard error; with
    any of the three streams redirected the screen would be escape codes in a
    file or a pipe, and on a dumb terminal escape codes on the screen.
    """
    for name, stream in (("input", sys.stdin), ("output", sys.stdout), ("error", sys.stderr)):
        if not _is_terminal(stream):
            return (f"the reader needs a terminal, and standard {name} is not one "
                    "(in scripts use the subcommands: redline list, export, stats, check)")
    if os.environ.get("TERM", "").strip().lower() == "dumb":
        return ("the reader needs a terminal that can move the cursor, and TERM=dumb cannot "
                "(set TERM, for example TERM=xterm-256color)")
    return None


def run(args: argparse.Namespace) -> int:
    session = build_session(args)  # bad arguments are reported first, terminal or not
    problem = terminal_problem()
    if problem:
        raise CommandError(problem)
    from tui.ui.app import RedlineApp

    app = RedlineApp(session)
    app.run()
    return app.return_code or 0
