"""``redline check``: verify the store, like SQLite's integrity_check; ``--repair`` mends it.

Every store file must pass its checksums (any changed byte is damage), every
article the store has written must still have its files, every record must pass
the schema, sit in the file of its article and match that article's text
(offsets and quote), and every file of rejected suggestions must read as one
(a damaged one is named and kept; nothing repairs it but its backup). Records whose article text changed are re-anchored in
memory (nothing is written): those that would move are fine, those that cannot
be placed are orphans. ``--repair`` first rebuilds damaged or lost files from
their backups and journals and prints what it restored from where; nothing is
ever restored without it. Exit 0 only when all is well, 1 when something needs
attention, 2 on bad input.
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
from tui.core.record import Annotation, problems
from tui.core.store import Store, dup_key
from tui.core.store.errors import DamagedStoreError, StoreError
from tui.core.store.integrity import Health, Repair, repair, verify
from tui.core.store.rejections import Rejections
from tui.core.textsafe import safe_line


@dataclass
class Orphan:
    record: Annotation
    reason: str


@dataclass
class Report:
    files: int = 0
    records: int = 0
    damaged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    moved: int = 0
    notes: list[str] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)
    repaired: list[Repair] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.damaged or self.missing or self.invalid or self.orphans
                    or any(not r.ok for r in self.repaired))

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "files": self.files,
            "annotations": self.records,
            "repaired": [{"path": str(r.path), "article_id": r.article_id, "restored": r.restored,
                          "sources": r.sources, "kept_as": [str(p) for p in r.kept_as],
                          "lost": r.lost, "message": r.describe()} for r in self.repaired],
            "damaged": self.damaged,
            "missing": self.missing,
            "invalid": self.invalid,
            "orphans": [{"id": o.record["id"], "article_id": o.record["article_id"],
                         "label": o.record["label"], "annotator": o.record["annotator"],
                         "quote": o.record["quote"], "reason": o.reason} for o in self.orphans],
            "will_move": self.moved,
            "notes": self.notes,
            "leftover_temp_files": [str(p) for p in self.leftovers],
        }


def check_store(store: Store, corpus: Corpus | None, health: Health | None = None) -> Report:
    health = health or verify(store)
    report = Report(files=health.files, leftovers=health.leftovers)
    report.damaged = [str(err) for err in health.damaged] + health.manifest_damage
    report.missing = health.missing
    if health.legacy:
        report.notes.append(f"{len(health.legacy)} file{'s' * (len(health.legacy) != 1)} written by "
                            "an older redline carry no checksum; --repair adds one")
    if health.unlisted:
        report.notes.append(f"{len(health.unlisted)} article{'s' * (len(health.unlisted) != 1)} "
                            "missing from the store's list of articles; --repair lists them")
    seen_ids: dict[str, Path] = {}
    for scan in health.articles:
        if scan.article_id is not None and store.path_for(scan.article_id) != scan.path:
            report.invalid.append(f"{scan.path}: holds article {scan.article_id!r} but that "
                                  f"article's file is {store.path_for(scan.article_id).name}")
        keys: set[tuple[str, int, int, str, str]] = set()
        for record in scan.records:
            report.records += 1
            _check_record(record, scan.path, scan.article_id, corpus, report, seen_ids, keys)
    _check_rejections(store, report)
    return report


def _check_rejections(store: Store, report: Report) -> None:
    """Each annotator's rejected suggestions: a damaged file would bring them all back."""
    rejections = Rejections(store.root, readonly=True)
    for path in rejections.files():
        report.files += 1
        try:
            rejections.verify(path)
        except DamagedStoreError as err:
            report.damaged.append(str(err))
        except StoreError as err:
            report.invalid.append(str(err))


def _check_record(record: Annotation, path: Path, owner: str | None, corpus: Corpus | None,
                  report: Report, seen_ids: dict[str, Path],
                  keys: set[tuple[str, int, int, str, str]]) -> None:
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
    if corpus is None:
        return
    article = corpus.get(record["article_id"])
    if article is None:
        report.orphans.append(Orphan(record, "its article is not in the corpus"))
        return
    if record["article_sha256"] == article.sha256:
        found = problems(record, article.text)
        if found:
            report.invalid.append(f"{where}: {'; '.join(found)}")
        return
    if reanchor(record, article.text, article.sha256) is None:
        report.orphans.append(Orphan(record, "the article's text changed and the quote is gone "
                                             "or no longer in its context"))
    else:
        report.moved += 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "check", help="verify the annotation store (--repair mends it)",
        description="Verify every store file's checksums, report damaged and missing files "
        "(the files of rejected suggestions too), validate every annotation against its article (offsets, quote), and list orphaned "
        "annotations. With --repair, rebuild damaged or missing files from their backups and "
        "journals first, and print what was restored from where. Exit status 0 only when all "
        "is well, 1 when something needs attention.")
    add_store_argument(parser)
    add_corpus_option(parser)
    parser.add_argument("--repair", action="store_true",
                        help="rebuild damaged or missing files from their backups and journals "
                             "(damaged files are kept as *.damaged)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = store_dir(args)
    store = Store.existing(folder)
    repaired: list[Repair] = []
    if args.repair:
        # The corpus is not needed to repair: a missing default corpus only skips the text checks.
        repaired = repair(Store(folder))
    corpus: Corpus | None
    try:
        corpus = open_corpus(args)
    except CommandError:
        if not args.repair:
            raise
        corpus = None
    report = check_store(Store.existing(folder) if args.repair else store, corpus)
    report.repaired = repaired
    if corpus is None:
        report.notes.append("no corpus: annotations were not checked against their articles' text")
    if args.json:
        print(dumps(report.as_json()))
        return 0 if report.ok else 1
    for done in report.repaired:
        print(safe_line(f"{'repaired' if done.ok else 'partly repaired'}: {done.describe()}"))
    for message in report.damaged:
        print(f"damaged: {safe_line(message)}")
    for message in report.missing:
        print(f"missing: {safe_line(message)}")
    for message in report.invalid:
        print(f"invalid: {safe_line(message)}")
    for orphan in report.orphans:
        record = orphan.record
        quote = record["quote"] if len(record["quote"]) <= 60 else record["quote"][:59] + "…"
        print(safe_line(f"orphan: {record['article_id']} annotation {record['id']} "
                        f"({record['label']}, {record['annotator']}) \"{quote}\": {orphan.reason}"))
    if report.moved:
        print(f"note: {report.moved} annotation{'s' * (report.moved != 1)} will move to the changed "
              "text of their article when it is next opened")
    for note in report.notes:
        print(f"note: {safe_line(note)}")
    if report.leftovers:
        print(f"note: {len(report.leftovers)} temp file{'s' * (len(report.leftovers) != 1)} left by "
              "interrupted saves (harmless; the next save of that file replaces them)")
    found = len(report.damaged) + len(report.missing) + len(report.invalid) + len(report.orphans)
    summary = (f"{report.files} file{'s' * (report.files != 1)}, "
               f"{report.records} annotation{'s' * (report.records != 1)} in {folder}")
    print(f"ok: {summary}" if report.ok else f"{found} problem{'s' * (found != 1)}: {summary}")
    return 0 if report.ok else 1
