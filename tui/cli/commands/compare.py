"""``redline compare ARTICLE [--with ARTICLE]``: what other articles say, sentence by sentence."""

from __future__ import annotations

import argparse
import shutil
import sys
import time

from tui.cli.commands.common import (
    CommandError,
    add_corpus_option,
    add_store_argument,
    open_corpus,
    store_dir,
)
from tui.core.jsonout import dumps
from tui.core.textsafe import safe_line


def _score(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError("must be above 0 and at most 1")
    return number


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def register(sub: argparse._SubParsersAction) -> None:
    from tui.core.compare.similarity import THRESHOLD

    parser = sub.add_parser(
        "compare", help="find each sentence's counterparts in other articles, or align two articles",
        description="Without --with: for each sentence of ARTICLE, the most similar passages in the "
                    "other articles of the corpus, with a word diff ([-only here-] {+only there+}). "
                    "With --with: the two articles aligned sentence by sentence, and the sentences "
                    "that have no counterpart. Offsets are code points, end exclusive; scores run "
                    "from 0 to 1. The corpus's sentence index is cached in the store.",
    )
    parser.add_argument("article", metavar="ARTICLE", help="the article's id (see redline list)")
    parser.add_argument("--with", dest="other", metavar="ARTICLE",
                        help="align with this article instead of searching the corpus")
    parser.add_argument("--top", type=_positive, default=3, metavar="K",
                        help="matches per sentence (default: 3; not with --with)")
    parser.add_argument("--threshold", type=_score, default=THRESHOLD, metavar="SCORE",
                        help=f"lowest score that counts as a match (default: {THRESHOLD})")
    parser.add_argument("--json", action="store_true",
                        help="JSON Lines for scripts instead of a table")
    add_corpus_option(parser)
    add_store_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tui.core.compare import CompareEngine, CompareError

    corpus = open_corpus(args)
    article = _article(corpus, args.article)
    engine = CompareEngine(corpus, store_dir(args), threshold=args.threshold)
    try:
        if args.other is not None:
            other = _article(corpus, args.other)
            alignment = engine.align(article, other)
            (_print_alignment_json if args.json else _print_alignment)(article, other, alignment)
        else:
            _build_index(engine)
            results = engine.similar_sentences(article, top=args.top)
            (_print_matches_json if args.json else _print_matches)(article, results, engine)
    except CompareError as err:
        raise CommandError(str(err)) from None
    return 0


def _article(corpus, article_id: str):
    article = corpus.get(article_id)
    if article is None:
        raise CommandError(f"no article with id '{article_id}' (see: redline list)")
    return article


def _build_index(engine) -> None:
    started = time.perf_counter()
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress as Bar

        with Bar(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("sentence index", total=None)

            def show(progress) -> None:
                bar.update(task, description=progress.text, completed=progress.done,
                           total=progress.total or None)

            index = engine.ensure_index(show)
    else:
        index = engine.ensure_index()
    how = "read from the cache" if engine.from_cache else "built"
    print(f"sentence index: {len(index):,} sentences of {index.article_count:,} articles, "
          f"{how} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def _side(article, start: int, end: int, *, title: bool = False) -> dict:
    side = {"article": article.id, "start": start, "end": end, "text": article.text[start:end]}
    if title:
        side["title"] = article.title
    return side


# -- one article against the corpus -------------------------------------------

def _print_matches_json(article, results, engine) -> None:
    from tui.core.compare import render_wdiff

    out = sys.stdout
    for (start, end), result in results:
        base = {"a": _side(article, start, end)}
        if result is None:
            out.write(dumps({**base, "b": None, "score": None, "rank": None,
                             "note": "too short to compare"}) + "\n")
            continue
        if not result.matches:
            out.write(dumps({**base, "b": None, "score": None, "rank": None,
                             "note": result.notice}) + "\n")
            continue
        for rank, match in enumerate(result.matches, start=1):
            other = engine.corpus.get(match.article_id)
            out.write(dumps({**base, "b": _side(other, match.start, match.end, title=True),
                             "score": match.score, "rank": rank,
                             "diff": render_wdiff(match.diff), "changes": match.changes}) + "\n")


def _print_matches(article, results, engine) -> None:
    from rich.table import Table
    from rich.text import Text

    from tui.core.compare import render_wdiff

    table = Table(show_lines=True, expand=True, title=Text(safe_line(article.title)),
                  caption=Text(f"[-…-] only in this article, {{+…+}} only in the other; "
                               f"threshold {engine.threshold:.2f}"))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("this article", ratio=1)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("other articles: their wording against this one", ratio=2)
    found = 0
    for number, ((start, end), result) in enumerate(results, start=1):
        sentence = Text(safe_line(article.text[start:end]))
        if result is None or not result.matches:
            why = "too short to compare" if result is None else "no counterpart"
            table.add_row(str(number), sentence, "", Text(f"— {why} —", style="dim"))
            continue
        found += 1
        scores, cells = [], []
        for match in result.matches:
            scores.append(f"{match.score:.2f}")
            cell = Text(f"{safe_line(match.title)} ({safe_line(match.article_id)} "
                        f"{match.start}-{match.end})\n", style="bold")
            cell.append(safe_line(render_wdiff(match.diff)))
            for change in match.changes:
                cell.append(f"\n  {safe_line(change)}", style="italic")
            cells.append(cell)
        table.add_row(str(number), sentence, "\n\n".join(scores) if len(scores) == 1 else
                      Text("\n".join(scores)), Text("\n\n").join(cells))
    _console().print(table)
    print(f"{found} of {len(results)} sentences have a counterpart elsewhere", file=sys.stderr)


# -- two articles side by side --------------------------------------------------

def _print_alignment_json(article, other, alignment) -> None:
    from tui.core.compare import render_wdiff, summary

    out = sys.stdout
    for row in alignment.rows:
        record = {
            "a": _side(article, *row.a) if row.a else None,
            "b": _side(other, *row.b) if row.b else None,
            "score": row.score,
        }
        if row.paired:
            record.update(moved=row.moved, diff=render_wdiff(row.diff), changes=summary(row.diff))
        out.write(dumps(record) + "\n")


def _print_alignment(article, other, alignment) -> None:
    from rich.table import Table
    from rich.text import Text

    pairs = len(alignment.pairs)
    only_a = sum(1 for row in alignment.rows if row.b is None)
    only_b = sum(1 for row in alignment.rows if row.a is None)
    table = Table(show_lines=True, expand=True,
                  caption=Text(f"{pairs} pairs; {only_a} sentences only in {article.id}, "
                               f"{only_b} only in {other.id} (threshold {alignment.threshold:.2f}). "
                               "[-…-] only on the left, {+…+} only on the right."))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(Text(f"{safe_line(article.title)}\n{safe_line(article.id)}"), ratio=1)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column(Text(f"{safe_line(other.title)}\n{safe_line(other.id)}"), ratio=1)
    none = Text("— no counterpart —", style="dim")
    for number, row in enumerate(alignment.rows, start=1):
        if row.paired:
            left = Text(safe_line(_one_side(row.diff, "a")))
            right = Text(safe_line(_one_side(row.diff, "b")))
            score = f"{row.score:.2f}" + (" moved" if row.moved else "")
        else:
            left = Text(safe_line(article.text[row.a[0]:row.a[1]])) if row.a else none
            right = Text(safe_line(other.text[row.b[0]:row.b[1]])) if row.b else none
            score = ""
        table.add_row(str(number), left, score, right)
    _console().print(table)


def _one_side(diff, side: str) -> str:
    """One side of a diff, its own changes marked: deletions on a, insertions on b."""
    out: list[str] = []
    for piece in diff:
        if piece.op == "equal":
            text = piece.a_text if side == "a" else piece.b_text
            space = piece.a_space if side == "a" else piece.b_space
        elif piece.op == "delete" and side == "a":
            text, space = f"[-{piece.a_text}-]", piece.a_space
        elif piece.op == "insert" and side == "b":
            text, space = f"{{+{piece.b_text}+}}", piece.b_space
        else:
            continue
        if out and space:
            out.append(" ")
        out.append(text)
    return "".join(out)


def _console():
    from rich.console import Console

    width = shutil.get_terminal_size((120, 40)).columns if sys.stdout.isatty() else 120
    return Console(width=max(60, width), highlight=False, soft_wrap=False)
