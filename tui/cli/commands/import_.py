"""``redline import FILE``: annotations from native JSONL or another tool's format.

Every record is validated before anything is written (all or nothing), then
the lot goes to the store in one ``Store.add_many`` call, which writes each
article's file once. Records already in the store are skipped; a record whose
id is stored with other content is a conflict (nothing is imported) unless
``--update`` says to replace the stored one. Two records with one id in one
file are a conflict too.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from collections.abc import Iterable
from typing import NamedTuple, TextIO

from tui.cli.commands.common import (
    CommandError,
    add_corpus_option,
    add_store_argument,
    open_corpus,
    store_dir,
)
from tui.core.anchoring import reanchor
from tui.core.config import load_labels
from tui.core.corpus import Article, Corpus
from tui.core.formats import IMPORT_FORMATS, checks, default_unit, module
from tui.core.formats.common import Candidate, Options, stable_id
from tui.core.formats.offsets import OffsetError, Utf16Map
from tui.core.record import (
    ENTITY,
    SCHEMA_VERSION,
    SPAN,
    Annotation,
    kind_of,
    new_annotation,
    now_iso,
    problems,
)
from tui.core.store import Store
from tui.core.textsafe import safe_line

MAX_ERRORS = 20


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "import", help="import annotations (all or nothing)",
        description="Import annotations into the store. Every record is checked first (JSON, fields, "
                    "known article, offsets, quote, label); any error imports nothing. Records "
                    "already in the store are skipped, so importing twice adds nothing.",
    )
    parser.add_argument("file", metavar="FILE", help="the file to import (- for stdin)")
    parser.add_argument("--format", choices=IMPORT_FORMATS, default="native",
                        help="input format (default: native)")
    parser.add_argument("--offsets", choices=("codepoint", "utf16"),
                        help="offset unit for records that do not name theirs in offset_unit "
                             "(default: utf16 for doccano, codepoint otherwise)")
    parser.add_argument("--annotator", metavar="NAME", default="imported",
                        help="annotator for records that do not carry one (default: imported)")
    parser.add_argument("--labels", metavar="FILE",
                        help="labels TOML (default: labels.toml beside the corpus, else the built-in labels)")
    parser.add_argument("--add-labels", action="store_true",
                        help="accept labels that are not defined instead of failing")
    parser.add_argument("--update", action="store_true",
                        help="replace stored annotations whose id is in the file with other content "
                             "(without it, such a record is a conflict and nothing is imported)")
    add_corpus_option(parser)
    add_store_argument(parser)
    parser.set_defaults(func=run)


class Converter:
    """Candidates to store records, with the reason when one cannot be imported."""

    def __init__(self, corpus: Corpus, labels: set[str] | None, options: Options, match_text: bool) -> None:
        self.corpus = corpus
        self.labels = labels
        self.options = options
        self.by_text = {a.text: a.id for a in corpus.articles} if match_text else {}
        self.maps: dict[int, Utf16Map] = {}
        self.now = now_iso()
        self.reanchored = 0

    def units(self, text: str) -> Utf16Map:
        # Keyed by identity: the texts met are the corpus's and each input line's.
        found = self.maps.get(id(text))
        if found is None or found.text is not text:
            if len(self.maps) > 64:
                self.maps.clear()
            found = self.maps[id(text)] = Utf16Map(text)
        return found

    def article(self, candidate: Candidate) -> Article:
        if candidate.article_id is not None:
            article = self.corpus.get(str(candidate.article_id))
            if article is None:
                raise ValueError(f"unknown article '{candidate.article_id}': not in the corpus (use --corpus)")
            return article
        if candidate.text is not None:
            article_id = self.by_text.get(candidate.text)
            if article_id is None:
                raise ValueError("no article in the corpus has this text, and the record names none "
                                 "(use --corpus)")
            return self.corpus.get(article_id)
        raise ValueError("the record names no article")

    def label(self, label: object, kind: str = SPAN) -> str:
        if not isinstance(label, str) or not label.strip():
            what = "an entity type" if kind == ENTITY else "a non-empty string"
            raise ValueError(f"bad label {label!r}: expected {what}")
        # An entity correction's label is an entity type of the NER scheme, not a label
        # from labels.toml.
        if kind != ENTITY and self.labels is not None and label not in self.labels:
            raise ValueError(f"unknown label '{label}' (define it in labels.toml or use --add-labels)")
        return label

    def to_codepoints(self, text: str, start: object, end: object, unit: str) -> tuple[int, int]:
        for value in (start, end):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"start and end must be integers, not {value!r}")
        if unit == "utf16":
            convert = self.units(text)
            limit = convert.utf16_length()
            if not 0 <= start < end <= limit:
                raise ValueError(f"span {start}-{end} (UTF-16) is outside the text (length {limit})")
            try:
                return convert.from_utf16(start), convert.from_utf16(end)
            except OffsetError as err:
                raise ValueError(str(err)) from None
        if unit != "codepoint":
            raise ValueError(f"unknown offset unit {unit!r}")
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}-{end} is outside the text (length {len(text)})")
        return start, end

    def place(self, record: Annotation, article: Article) -> Annotation:
        """The record on the article's current text (re-anchored if the text changed)."""
        start, end = record["start"], record["end"]
        if record["article_sha256"] == article.sha256:
            if end > len(article.text):
                raise ValueError(f"span {start}-{end} is outside article '{article.id}' "
                                 f"(length {len(article.text)})")
            if article.text[start:end] != record["quote"]:
                raise ValueError(f"quote {record['quote'][:40]!r} does not match article "
                                 f"'{article.id}' at {start}-{end}")
            return record
        moved = reanchor(record, article.text, article.sha256, now=self.now)
        if moved is None:
            raise ValueError(f"article '{article.id}' changed and the quote "
                             f"{record['quote'][:40]!r} is no longer in it")
        self.reanchored += 1
        return moved[0]

    def __call__(self, candidate: Candidate) -> Annotation:
        if candidate.error:
            raise ValueError(candidate.error)
        article = self.article(candidate)
        if candidate.record is not None:
            return self.native(candidate, article)
        label = self.label(candidate.label, candidate.kind)
        # Offsets count in the text the file carries (the article's, unless it changed).
        text = candidate.text if candidate.text is not None else article.text
        start, end = self.to_codepoints(text, candidate.start, candidate.end, candidate.unit)
        if candidate.quote is not None and text[start:end] != candidate.quote:
            raise ValueError(f"quote {candidate.quote[:40]!r} does not match the text at {start}-{end}")
        annotator = candidate.annotator or self.options.annotator
        for name, value in (("note", candidate.note), ("annotator", annotator),
                            ("created", candidate.created), ("modified", candidate.modified)):
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} must be a string, not {value!r}")
        same_text = text is article.text or text == article.text
        record = new_annotation(
            article_id=article.id, text=text,
            article_sha256=article.sha256 if same_text else "",
            start=start, end=end, label=label, annotator=annotator, note=candidate.note or "",
            ann_id=candidate.ann_id or stable_id(article.id, start, end, label, annotator),
            now=candidate.created or self.now, kind=candidate.kind, suggested_by=candidate.suggested_by,
        )
        if candidate.modified:
            record["updated_at"] = candidate.modified
        record = record if same_text else self.place(record, article)
        checks.record_fields(record)
        return record

    def native(self, candidate: Candidate, article: Article) -> Annotation:
        record = dict(candidate.record)
        if candidate.unit == "utf16":
            record["start"], record["end"] = self.to_codepoints(article.text, record["start"],
                                                                record["end"], "utf16")
        found = problems(record)
        if found:
            raise ValueError("; ".join(found))
        if record["schema_version"] > SCHEMA_VERSION:
            raise ValueError(f"schema version {record['schema_version']} is newer than this redline "
                             f"understands ({SCHEMA_VERSION}); upgrade redline")
        self.label(record["label"], kind_of(record))
        record = self.place(record, article)
        checks.record_fields(record)
        return record


class NotUtf8(Exception):
    """A byte that is not UTF-8, by line and by offset in the file."""


def locate_bad_byte(path: str, name: str) -> str:
    """Where the first byte that is not UTF-8 is: line, offset in the file, column in bytes.

    Only read when decoding failed: the text stream reports an offset within
    its own buffer, not the file's.
    """
    offset = 0
    with open(path, "rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as err:
                return (f"{name}:{number}: not UTF-8: byte 0x{line[err.start]:02x} at offset "
                        f"{offset + err.start} of the file (column {err.start + 1} in bytes); nothing imported")
            offset += len(line)
    return f"{name}: not UTF-8; nothing imported"


def read_input(path: str) -> tuple[TextIO, str]:
    """The file (or stdin) as text, and the name to give it in messages.

    Decoded as it is read, a line at a time for JSON Lines: a 100 MB file with
    emoji would take 400 MB as one string. Standard input is read whole first,
    so that a byte that is not UTF-8 can be placed in it too.
    """
    if path == "-":
        data = sys.stdin.buffer.read()
        try:
            return io.StringIO(data.decode("utf-8-sig")), "<stdin>"
        except UnicodeDecodeError:
            with tempfile.NamedTemporaryFile(delete=False) as copy:
                copy.write(data)
            try:
                raise NotUtf8(locate_bad_byte(copy.name, "<stdin>")) from None
            finally:
                os.unlink(copy.name)
    try:
        return open(path, encoding="utf-8-sig", newline="\n"), path  # noqa: SIM115 - closed by the caller
    except OSError as err:
        raise CommandError(f"{path}: cannot read: {err.strerror or err}") from None


class Origin(NamedTuple):  # a tuple: 100,000 of them are made in an import
    where: str  # FILE:LINE
    own_id: bool  # the file gave the id (else redline made it from the span)


def convert_all(candidates: Iterable[Candidate],
                convert: Converter) -> tuple[list[Annotation], list[Origin], list[str], int]:
    """(records, where each came from, the first errors, how many errors)."""
    records: list[Annotation] = []
    origins: list[Origin] = []
    errors: list[str] = []
    count = 0
    for candidate in candidates:
        try:
            records.append(convert(candidate))
        except ValueError as err:
            count += 1
            if len(errors) < MAX_ERRORS:
                errors.append(f"{candidate.where}: {err}")
            continue
        origins.append(Origin(candidate.where, candidate.record is not None or bool(candidate.ann_id)))
    return records, origins, errors, count


# What makes two records with one id the same annotation (timestamps and context may differ).
CONTENT = ("article_id", "start", "end", "quote", "label", "note", "annotator")


def differences(stored: Annotation, record: Annotation) -> list[str]:
    return [name for name in CONTENT if stored.get(name) != record[name]]


def describe(name: str, stored: Annotation, record: Annotation) -> str:
    return f"{name} {str(stored.get(name))[:30]!r} in the store, {str(record[name])[:30]!r} here"


def same_ids(records: list[Annotation], origins: list[Origin]) -> tuple[list[Annotation], list[Origin], list[str]]:
    """(records without repeats, their origins, conflicts): a file's id twice is a conflict,
    unless redline made the id from the span (then the same span twice is one annotation)."""
    first: dict[str, int] = {}
    kept: list[Annotation] = []
    kept_origins: list[Origin] = []
    conflicts: list[str] = []
    for record, origin in zip(records, origins, strict=True):
        seen = first.get(record["id"])
        if seen is None:
            first[record["id"]] = len(kept)
            kept.append(record)
            kept_origins.append(origin)
            continue
        made = not origin.own_id and not kept_origins[seen].own_id
        if made and not differences(kept[seen], record):
            continue
        line = kept_origins[seen].where.rsplit(":", 1)[-1]
        conflicts.append(f"{origin.where}: conflict: id {record['id']!r} is also on line {line}")
    return kept, kept_origins, conflicts


def stored_conflicts(store: Store, records: list[Annotation],
                     origins: list[Origin]) -> list[tuple[Annotation, Annotation, str]]:
    """(stored, new, where) for each record whose id is stored, in its article, with other content."""
    found: list[tuple[Annotation, Annotation, str]] = []
    by_article: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        by_article.setdefault(record["article_id"], []).append(index)
    for article_id, indexes in by_article.items():
        stored = {doc["id"]: doc for doc in store.for_article(article_id)}
        if not stored:
            continue
        for index in indexes:
            old = stored.get(records[index]["id"])
            if old is not None and differences(old, records[index]):
                found.append((old, records[index], origins[index].where))
    return found


def replace(store: Store, old: Annotation, new: Annotation) -> None:
    changes = {name: new[name] for name in ("start", "end", "quote", "prefix", "suffix", "label", "note",
                                            "annotator", "article_sha256") if old.get(name) != new[name]}
    if new["updated_at"] > old["updated_at"]:
        changes["updated_at"] = new["updated_at"]  # else the store stamps the replacement as newest
    store.update(old["article_id"], old["id"], **changes)


def report(errors: list[str], count: int, name: str, what: str) -> CommandError:
    for message in errors[:MAX_ERRORS]:
        print(f"redline: error: {safe_line(message)}", file=sys.stderr)
    if count > min(len(errors), MAX_ERRORS):
        print(f"redline: error: ... and {count - min(len(errors), MAX_ERRORS)} more", file=sys.stderr)
    return CommandError(f"nothing imported: {count} {what}{'s' if count != 1 else ''} in {name}")


def run(args: argparse.Namespace) -> int:
    corpus = open_corpus(args, quiet=True)
    options = Options(offsets=args.offsets or default_unit(args.format), annotator=args.annotator)
    labels = None if args.add_labels else {
        label.name for label in load_labels(args.labels or corpus.label_file)}
    convert = Converter(corpus, labels, options, match_text=args.format != "native")
    try:
        handle, name = read_input(args.file)
        with handle:
            candidates = module(args.format).parse(name, handle, options)
            records, origins, errors, count = convert_all(candidates, convert)
    except NotUtf8 as err:
        raise CommandError(str(err)) from None
    except UnicodeDecodeError:
        raise CommandError(locate_bad_byte(args.file, args.file)) from None
    except OSError as err:
        raise CommandError(f"{args.file}: cannot read: {err.strerror or err}") from None
    if errors:
        raise report(errors, count, name, "bad record")
    records, origins, conflicts = same_ids(records, origins)
    if conflicts:
        raise report(conflicts, len(conflicts), name, "conflicting record")
    if not records:
        print(f"0 imported, 0 already present: no annotations in {name}", file=sys.stderr)
        return 0
    store = Store(store_dir(args))
    pairs = stored_conflicts(store, records, origins)
    if pairs and not args.update:
        messages = [f"{where}: conflict: id {new['id']!r} is stored with other content ("
                    + "; ".join(describe(field, old, new) for field in differences(old, new))
                    + "); --update replaces it" for old, new, where in pairs]
        raise report(messages, len(messages), name, "conflicting record")
    replacing = {new["id"] for _, new, _ in pairs}
    added = store.add_many([r for r in records if r["id"] not in replacing], checked=True)
    for old, new, _ in pairs:
        replace(store, old, new)
    articles = len({r["article_id"] for r in records})
    present = len(records) - added - len(pairs)
    notes = f"; {convert.reanchored} re-anchored onto changed articles" if convert.reanchored else ""
    updated = f", {len(pairs)} replaced" if pairs else ""
    print(f"{added} imported, {present} already present{updated} "
          f"({articles} article{'s' if articles != 1 else ''}, store {store.root}){notes}", file=sys.stderr)
    if args.add_labels:
        known = {label.name for label in load_labels(args.labels or corpus.label_file)}
        unknown = sorted({r["label"] for r in records if kind_of(r) != ENTITY} - known)
        if unknown:
            print(f"labels not in the label set: {', '.join(unknown)} (add them to labels.toml to give "
                  "them a key and a colour)", file=sys.stderr)
    return 0
