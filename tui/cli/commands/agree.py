"""``redline agree``: how far annotators agree, per pair and label, and over everyone."""

from __future__ import annotations

import argparse

from tui.cli.commands.common import (
    CommandError,
    add_corpus_option,
    add_store_argument,
    open_corpus,
    store_dir,
)
from tui.core.agreement import Report, compute, gather
from tui.core.config import load_settings
from tui.core.jsonout import dumps
from tui.core.store import Store
from tui.core.textsafe import safe_line
from tui.core.wording import plural


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "agree", help="agreement between annotators (span F1, Cohen's kappa, Krippendorff's alpha)",
        description="Agreement between annotators, for each pair on the articles both worked on "
                    "(annotated or marked done): span precision, recall and F1, exact and "
                    "overlapping (same label, sharing half of the shorter span), and Cohen's "
                    "kappa on spaCy tokens; Krippendorff's alpha (nominal, tokens) over all "
                    "annotators. Precision takes the first of a pair as the reference. The gold "
                    "annotator is left out unless named with --annotator. See docs/agreement.md.",
    )
    parser.add_argument("--label", action="append", metavar="L", help="only this label (repeatable)")
    parser.add_argument("--article", action="append", metavar="ID",
                        help="only this article (repeatable)")
    parser.add_argument("--annotator", action="append", metavar="A",
                        help="only this annotator (repeatable; default: everyone but gold)")
    parser.add_argument("--gold", metavar="NAME",
                        help="the reviewed annotator to leave out (default: [review] gold in the "
                             "settings file, else 'gold')")
    parser.add_argument("--finished", action="store_true",
                        help="count an article for an annotator only when they marked it done")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_corpus_option(parser)
    add_store_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = Store(store_dir(args), readonly=True)
    if not store.root.is_dir():
        raise CommandError(f"{store.root}: no store there (use --store)")
    gold = args.gold or load_settings().gold
    annotators = args.annotator or []
    corpus = open_corpus(args, quiet=True)
    for article_id in args.article or []:
        if corpus.get(article_id) is None:
            raise CommandError(f"no article {article_id!r} in the corpus (see redline list)")
    works, notes = gather(store, corpus, exclude={gold} - set(annotators), annotators=annotators,
                          labels=args.label or [], articles=args.article or [],
                          finished=args.finished)
    report = compute(works, labels=args.label or [], cache=store.root / "cache")
    report.notes[:0] = notes
    if args.json:
        print(dumps(report.to_json()))
    else:
        print("\n".join(table(report)))
    return 0



HEAD = ("pair", "label", "a", "b", "P", "R", "F1", "P", "R", "F1", "kappa")


def table(report: Report) -> list[str]:
    """The report as lines of plain text for a terminal."""
    people = ", ".join(safe_line(name) for name in report.annotators)
    lines = [f"agreement: {plural(len(report.annotators), 'annotator')}"
             + (f" ({people})" if people else "")
             + f", {plural(len(report.articles), 'article')} compared, "
             f"{plural(report.tokens, 'token')}"]
    rows: list[tuple[str, ...]] = []
    reasons: list[str] = []
    for pair in report.pairs:
        name = f"{safe_line(pair.a)} – {safe_line(pair.b)}"
        for index, row in enumerate(pair.rows):
            label = "(all)" if row.label is None else safe_line(row.label)
            rows.append((name if index == 0 else "", label, str(row.a_spans), str(row.b_spans),
                         row.exact.precision.text(), row.exact.recall.text(), row.exact.f1.text(),
                         row.overlap.precision.text(), row.overlap.recall.text(),
                         row.overlap.f1.text(), row.kappa.text()))
            for why in dict.fromkeys(row.reasons().values()):
                reasons.append(f"{name}, {label}: {safe_line(why)}")
    if rows:
        widths = [max(len(r[i]) for r in (HEAD, *rows)) for i in range(len(HEAD))]
        widths[2] = widths[3] = max(widths[2], widths[3], 3)  # "spans" fits over a and b
        spans_at = sum(widths[:2]) + 4
        exact_at = sum(widths[:4]) + 8
        over_at = sum(widths[:7]) + 14
        ruler = [" "] * (sum(widths) + 2 * (len(widths) - 1))
        for at, word in ((spans_at, "spans"), (exact_at, "exact"), (over_at, "overlapping"),
                         (sum(widths[:10]) + 20, "tokens")):
            ruler[at:at + len(word)] = word
        lines += ["", "".join(ruler).rstrip()]
        for values in (HEAD, *rows):
            cells = [values[0].ljust(widths[0]), values[1].ljust(widths[1])]
            cells += [v.rjust(w) for v, w in zip(values[2:], widths[2:], strict=True)]
            lines.append("  ".join(cells).rstrip())
        lines.append("a, b: spans of each annotator of the pair; P, R: b against a as the reference")
    if report.alpha:
        parts = [f"{'(all)' if label is None else safe_line(label)} {score.text()}"
                 for label, score in report.alpha.items()]
        lines += ["", "Krippendorff's alpha (nominal, tokens, all annotators): " + " · ".join(parts)]
        for label, score in report.alpha.items():
            if score.value is None:
                reasons.append(f"alpha, {'(all)' if label is None else safe_line(label)}: "
                               f"{safe_line(score.why)}")
    if reasons:
        lines += ["", "n/a:"] + [f"  {reason}" for reason in dict.fromkeys(reasons)]
    if report.notes:
        lines += ["", "notes:"] + [f"  {safe_line(note)}" for note in report.notes]
    return lines
