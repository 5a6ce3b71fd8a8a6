"""``redline review [ARTICLE]``: walk disagreements between annotators into a gold annotator."""

from __future__ import annotations

import argparse
from dataclasses import replace

from tui.cli.commands.common import CommandError, add_corpus_option, add_store_argument, store_dir
from tui.cli.commands.open import build_session
from tui.core.review import articles_to_review
from tui.core.session import Session
from tui.core.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "review", help="review disagreements between annotators into a gold annotator",
        description="Open the review screen: for each article two or more annotators worked on "
                    "(or just ARTICLE_ID), the places where they disagree, who said what and "
                    "their notes. y accepts a version into the gold annotator, d rejects it (not "
                    "asked again), e edits it first, A accepts every agreed span. "
                    "'redline export --annotator gold' then gives the reviewed set.",
    )
    parser.add_argument("article", nargs="?", metavar="ARTICLE_ID",
                        help="review only this article (default: every article to review)")
    parser.add_argument("--gold", metavar="NAME",
                        help="annotator the reviewed set is written as (default: [review] gold "
                             "in the settings file, else 'gold')")
    parser.add_argument("--annotator", metavar="NAME",
                        help="who is reviewing, recorded with each rejection (default: the login user)")
    parser.add_argument("--labels", metavar="FILE",
                        help="labels TOML file (default: labels.toml beside the corpus)")
    add_corpus_option(parser)
    add_store_argument(parser)
    parser.set_defaults(func=run, model=None)


def prepare(args: argparse.Namespace) -> tuple[Session, list[str]]:
    """The session (gold name in its settings) and the articles to review, in corpus order."""
    if not store_dir(args).is_dir():
        raise CommandError(f"{store_dir(args)}: no store there (use --store)")
    session = build_session(args)
    if args.gold is not None:
        if not args.gold.strip():
            raise CommandError("--gold must not be empty")
        session.settings = replace(session.settings, gold=args.gold.strip())
    gold = session.settings.gold
    if args.article is not None:
        if session.corpus.get(args.article) is None:
            raise CommandError(f"no article {args.article!r} in the corpus (see redline list)")
        return session, [args.article]
    ids = articles_to_review(Store(store_dir(args), readonly=True), session.corpus, gold)
    if not ids:
        raise CommandError("nothing to review: no article was worked on by two annotators or "
                           "more (annotated or marked done)")
    return session, ids


def run(args: argparse.Namespace) -> int:
    session, ids = prepare(args)
    app = build_app(session, ids)
    app.run()
    return app.return_code or 0


def build_app(session, ids: list[str]):
    """The app, opened on the review of ``ids`` with the library below it."""
    from tui.ui.app import RedlineApp
    from tui.ui.screens.review import ReviewScreen

    gold = session.settings.gold
    return RedlineApp(session, start=lambda app: app.push_screen(ReviewScreen(ids, gold=gold)))
