"""``redline check``: verify the store, like SQLite's integrity_check.

Every store file must parse; every record must pass the schema, sit in the file
of its article and match that article's text (offsets and quote). Records whose
article text changed are re-anchored in memory (nothing is written): those that
would move are fine, those that cannot be placed are orphans. Exit 0 only when
all is well, 1 when something needs attention, 2 on bad input.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from tui.cli.commands.common import (
    CommandError,
    add_corpus_option,
    add_store_argument,
    open_corpus,
    store_dir,
)
from tui.core.anchoring import reanchor
from tui.core.corpus import Corpus
from tui.core.jsonout import dumps
from tui.core.record import problems
from tui.core.store import READERS_DIR, Store, dup_key, load_tables
from tui.core.store.errors import StoreError
from tui.core.textsafe import safe_line


@dataclass
class Report:
    files: int = 0
    records: int = 0
    damaged: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    orphans: list[dict] = field(default_factory=list)
    moved: int = 0
    leftovers: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.damaged or self.invalid or self.orphans)

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "files": self.files,
            "annotations": self.records,
            "damaged": self.damaged,
            "invalid": self.invalid,
            "orphans": [{"id": r["id"], "article_id": r["article_id"], "label": r["label"],
                         "annotator": r["annotator"], "quote": r["quote"], "reason": r["reason"]}
                        for r in self.orphans],
            "will_move": self.moved,
            "leftover_temp_files": [str(p) for p in self.leftovers],
        }


def check_store(store: Store, corpus: Corpus) -> Report:
    report = Report(leftovers=store.leftovers())
    seen_ids: dict[str, Path] = {}
    for path in store.files():
        report.files += 1
        if path.parent.name == READERS_DIR:
            try:
                load_tables(path)
            except StoreError as err:
                report.damaged.append(str(err))
            continue
        try:
            owner, records = store.read_file(path)
        except StoreError as err:
            report.damaged.append(str(err))
            continue
        if owner is not None and store.path_for(owner) != path:
            report.invalid.append(f"{path}: holds article {owner!r} but that article's file is "
                                  f"{store.path_for(owner).name}")
        keys: set[tuple] = set()
        for record in records:
            report.records += 1
            _check_record(record, path, owner, corpus, report, seen_ids, keys)
    return report


def _check_record(record: dict, path: Path, owner: str | None, corpus: Corpus, report: Report,
                  seen_ids: dict[str, Path], keys: set[tuple]) -> None:
    where = f"{path}: annotation {record.get('id', '?')}"
    found = problems(record)
    if found:
        report.invalid.append(f"{where}: {'; '.join(found)}")
        return
    if record["article_id"] != owner:
        report.invalid.append(f"{where}: belongs to article {record['article_id']!r}, not {owner!r}")
    if record["id"] in seen_ids:
        report.invalid.append(f"{where}: id also used in {seen_ids[record['id']]}")
    seen_ids[record["id"]] = path
    key = dup_key(record)
    if key in keys:
        report.invalid.append(f"{where}: duplicate of another annotation (same span, label, annotator)")
    keys.add(key)
    article = corpus.get(record["article_id"])
    if article is None:
        report.orphans.append({**record, "reason": "its article is not in the corpus"})
        return
    if record["article_sha256"] == article.sha256:
        found = problems(record, article.text)
        if found:
            report.invalid.append(f"{where}: {'; '.join(found)}")
        return
    if reanchor(record, article.text, article.sha256) is None:
        report.orphans.append({**record, "reason": "the article's text changed and the quote is gone"})
    else:
        report.moved += 1


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "check", help="verify the annotation store",
        description="Parse every store file, validate every annotation against its article "
        "(offsets, quote), and list damaged files and orphaned annotations. "
        "Exit status 0 only when all is well, 1 when something needs attention.")
    add_store_argument(parser)
    add_corpus_option(parser)
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = store_dir(args)
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"{folder}: not a folder (give the store folder with --store DIR)")
    corpus = open_corpus(args)
    report = check_store(Store(folder, readonly=True), corpus)
    if args.json:
        print(dumps(report.as_json()))
        return 0 if report.ok else 1
    for message in report.damaged:
        print(f"damaged: {safe_line(message)}")
    for message in report.invalid:
        print(f"invalid: {safe_line(message)}")
    for orphan in report.orphans:
        quote = orphan["quote"] if len(orphan["quote"]) <= 60 else orphan["quote"][:59] + "…"
        print(safe_line(f"orphan: {orphan['article_id']} annotation {orphan['id']} "
                        f"({orphan['label']}, {orphan['annotator']}) \"{quote}\": {orphan['reason']}"))
    if report.moved:
        print(f"note: {report.moved} annotations will move to the changed text of their article "
              "when it is next opened")
    if report.leftovers:
        print(f"note: {len(report.leftovers)} temp files left by interrupted saves "
              "(harmless; the next save of that file replaces them)")
    found = len(report.damaged) + len(report.invalid) + len(report.orphans)
    summary = (f"{report.files} file{'s' * (report.files != 1)}, "
               f"{report.records} annotation{'s' * (report.records != 1)} in {folder}")
    if not folder.exists():
        summary += " (no store there yet)"
    print(f"ok: {summary}" if report.ok else f"{found} problem{'s' * (found != 1)}: {summary}")
    return 0 if report.ok else 1
