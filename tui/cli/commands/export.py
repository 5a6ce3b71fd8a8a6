"""``redline export``: the store's annotations as JSONL or another tool's format.

The work is ``tui.core.exporting`` (the app's export dialog runs the same);
this module reads the options, shows progress on a terminal and prints what
was written.
"""

from __future__ import annotations

import argparse
import sys

from tui.cli.commands.common import (
    CommandError,
    add_corpus_option,
    add_store_argument,
    open_corpus,
    store_dir,
    warn,
)
from tui.core.exporting import ExportError, ExportRequest, check_request, export
from tui.core.formats import EXPORT_FORMATS
from tui.core.record import KINDS
from tui.core.store import Store

MAX_MESSAGES = 20


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "export", help="export annotations (native JSONL, prodigy, spacy, doccano, labelstudio, brat, w3c)",
        description="Export the store's annotations. Filters combine (a record must pass each kind "
                    "given; repeated values of one kind are alternatives). Every span is checked "
                    "against its article's text before it is written.",
    )
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="native",
                        help="output format (default: native)")
    parser.add_argument("--out", metavar="PATH", default="-",
                        help="file, or - for stdout (default); brat: a folder; spacy: a .spacy file")
    parser.add_argument("--label", action="append", metavar="L", help="only this label (repeatable)")
    parser.add_argument("--annotator", action="append", metavar="A", help="only this annotator (repeatable)")
    parser.add_argument("--article", action="append", metavar="ID", help="only this article (repeatable)")
    parser.add_argument("--kind", action="append", choices=KINDS,
                        help="only passage annotations (span) or entity corrections (entity); "
                             "default: both (prodigy writes them in separate tasks)")
    parser.add_argument("--offsets", choices=("codepoint", "utf16"),
                        help="offset unit (default: utf16 for doccano, whose annotator counts UTF-16 "
                             "code units; codepoint otherwise, as Label Studio, spaCy, brat and the W3C "
                             "model count)")
    parser.add_argument("--per-annotator", action="store_true",
                        help="one file per annotator (NAME.ANNOTATOR.EXT; brat: DIR/ANNOTATOR/), for "
                             "tools that cannot hold several annotators' overlapping spans; "
                             "labelstudio always writes one annotation per annotator in a task")
    parser.add_argument("--spans-key", metavar="KEY", default="sc",
                        help="spacy: the doc.spans group that holds the passages (default: sc)")
    parser.add_argument("--unreviewed-entities", action="store_true",
                        help="prodigy, spacy: also write the entity corrections of articles their "
                             "annotator has not marked done (by default only reviewed articles make "
                             "NER data)")
    parser.add_argument("--skip-mismatched", action="store_true",
                        help="leave out annotations that do not match their article (or whose "
                             "article is not in the corpus) with a warning, instead of failing")
    add_corpus_option(parser)
    add_store_argument(parser)
    parser.set_defaults(func=run)



def run(args: argparse.Namespace) -> int:
    request = ExportRequest(
        fmt=args.format, out=args.out, labels=set(args.label or []),
        annotators=set(args.annotator or []), articles=set(args.article or []),
        kinds=set(args.kind or []), offsets=args.offsets, per_annotator=args.per_annotator,
        skip_mismatched=args.skip_mismatched, spans_key=args.spans_key,
        unreviewed_entities=args.unreviewed_entities)
    try:
        check_request(request)
    except ExportError as err:
        raise CommandError(str(err)) from None
    corpus = open_corpus(args, quiet=True)
    store = Store.existing(store_dir(args))
    progress = _progress if sys.stderr.isatty() else None
    try:
        report = export(store, corpus, request, stream=sys.stdout.buffer, progress=progress)
    except ExportError as err:
        raise CommandError(str(err)) from None
    finally:
        if progress is not None:
            sys.stderr.write("\r\x1b[K")
    for message in [*report.warnings, *report.left_out][:MAX_MESSAGES]:
        warn(message)
    extra = len(report.warnings) + len(report.left_out) - MAX_MESSAGES
    if extra > 0:
        warn(f"... and {extra} more")
    for note in report.notes:
        warn(note)
    per_annotator = request.per_annotator and request.fmt != "labelstudio"
    print(report.summary(request.fmt, per_annotator), file=sys.stderr)
    return 1 if report.left_out else 0


def _progress(seen: int) -> None:
    sys.stderr.write(f"\rexporting: {seen} annotations read")
    sys.stderr.flush()
