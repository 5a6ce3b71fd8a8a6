"""Exporting the store: what ``redline export`` and the app's export dialog both run.

Every span is checked against its article's current text before it is
written: a record whose article changed is re-anchored (in the export, not
in the store), and one that cannot be placed, or whose article is not in the
corpus, stops the export with an error rather than being written wrong
(unless ``skip_mismatched``: then it is left out and listed).

Files are written beside their target and renamed into place only when every
file of the export is complete (``per_annotator`` writes one per
annotator), so a failed export leaves none.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tui.core.anchoring import reanchor
from tui.core.corpus import Article, Corpus
from tui.core.formats import CODEPOINT_ONLY, default_unit, module
from tui.core.formats.common import Options
from tui.core.formats.offsets import OffsetError
from tui.core.record import KINDS, Annotation, kind_of, now_iso
from tui.core.store import Store
from tui.core.wording import plural

Progress = Callable[[int], None]  # annotations read so far


class ExportError(Exception):
    """An export that cannot be made; one line that says why. Nothing was written."""


class Mismatch(ExportError):
    """A record that does not match its article and cannot be placed."""



@dataclass
class ExportRequest:
    fmt: str = "native"
    out: str = "-"  # a file, a folder (brat), or "-" for the given stream
    labels: set[str] = field(default_factory=set)
    annotators: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)  # tui.core.record.KINDS; empty: both
    offsets: str | None = None  # None: the format's own unit
    per_annotator: bool = False
    skip_mismatched: bool = False
    spans_key: str = "sc"
    unreviewed_entities: bool = False  # prodigy, spacy: also articles not marked done


@dataclass
class ExportReport:
    count: int = 0
    articles: int = 0
    written: list[tuple[str, int]] = field(default_factory=list)  # (target, annotations)
    warnings: list[str] = field(default_factory=list)  # what a consumer would drop, and the like
    notes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    reanchored: int = 0
    offsets: str = "codepoint"

    def summary(self, fmt: str, per_annotator: bool) -> str:
        """The one line that says what was written."""
        unit = ", utf16 offsets" if self.offsets == "utf16" else ""
        notes = []
        if self.reanchored:
            notes.append(f"{self.reanchored} re-anchored onto the changed text")
        if self.left_out:
            notes.append(f"{len(self.left_out)} left out")
        if per_annotator:
            files = ", ".join(f"{target} ({done})" for target, done in self.written)
            notes.append(f"one {'folder' if fmt == 'brat' else 'file'} per annotator: "
                         f"{files or 'none'}")
        return (f"exported {plural(self.count, 'annotation')} from "
                f"{plural(self.articles, 'article')} ({fmt}{unit})"
                + (f"; {'; '.join(notes)}" if notes else ""))


class Selection:
    """The store's records, filtered, grouped by article and checked against the corpus."""

    def __init__(self, store: Store, corpus: Corpus, request: ExportRequest,
                 annotator: str | None = None, progress: Progress | None = None) -> None:
        self.store = store
        self.corpus = corpus
        self.labels = request.labels
        self.annotators = {annotator} if annotator is not None else request.annotators
        self.articles = request.articles
        self.kinds = request.kinds
        self.skip = request.skip_mismatched
        self.article_ids_written: set[str] = set()
        self.seen = 0
        self.reanchored = 0
        self.left_out: list[str] = []
        self.progress = progress
        self.now = now_iso()

    def wanted(self, record: Annotation) -> bool:
        return not (self.labels and record["label"] not in self.labels
                    or self.annotators and record["annotator"] not in self.annotators
                    or self.articles and record["article_id"] not in self.articles
                    or self.kinds and kind_of(record) not in self.kinds)

    def __iter__(self) -> Iterator[tuple[Article, list[Annotation]]]:
        # One article file at a time, so memory holds one article's records, not the store's.
        article_ids = sorted(self.articles) if self.articles else self.store.article_ids()
        for article_id in article_ids:
            records = [r for r in self.store.for_article(article_id) if self.wanted(r)]
            if records:
                yield from self.checked(article_id, records)

    def problem(self, message: str) -> None:
        if not self.skip:
            raise Mismatch(message)
        self.left_out.append(message)

    def checked(self, article_id: str,
                records: list[Annotation]) -> Iterator[tuple[Article, list[Annotation]]]:
        self.seen += len(records)
        if self.progress is not None:
            self.progress(self.seen)
        article = self.corpus.get(article_id)
        if article is None:
            self.problem(f"article '{article_id}' ({plural(len(records), 'annotation')}) is not in "
                         "the corpus (use --corpus)")
            return
        text = article.text
        good = []
        for record in records:
            start, end = record["start"], record["end"]
            if record["article_sha256"] != article.sha256 or text[start:end] != record["quote"]:
                moved = reanchor(record, text, article.sha256, now=self.now)
                if moved is None:
                    self.problem(f"{article_id}: annotation {record['id']} ({record['label']} at "
                                 f"{start}-{end}) no longer matches the article text and cannot be "
                                 "re-anchored (see redline check)")
                    continue
                record = moved[0]
                self.reanchored += 1
            good.append(record)
        if good:
            self.article_ids_written.add(article_id)
            yield article, good


def annotator_slug(annotator: str) -> str:
    """A file name part for an annotator (names may hold anything)."""
    from tui.core.formats.brat import safe_name

    return safe_name(annotator)


def per_annotator_target(out: str, annotator: str, fmt: str) -> str:
    if fmt == "brat":
        return str(Path(out) / annotator_slug(annotator))
    path = Path(out)
    suffix = "".join(path.suffixes[-1:])
    stem = path.name[: len(path.name) - len(suffix)] if suffix else path.name
    return str(path.with_name(f"{stem}.{annotator_slug(annotator)}{suffix}"))


def annotators_in(store: Store, wanted: set[str]) -> list[str]:
    found = {name for per_article in store.counts().values() for name in per_article}
    return sorted(found & wanted if wanted else found)


# The formats that write corrected NER data, where whether an article was reviewed matters.
NER_FORMATS = ("prodigy", "spacy")


def reviewed_for_ner(store: Store) -> Callable[[str, str], bool]:
    """Whether an annotator reviewed an article for NER: they marked it done (``m``), saying
    they are through with it, entities included. Until then their entity corrections may be a
    few of the article's entities, and training on them as complete would teach the model that
    the entities not yet looked at are none."""
    done = {(annotator, article_id) for annotator, state in store.reading_states().items()
            for article_id in state["done"]}
    return lambda annotator, article_id: (annotator, article_id) in done


def check_request(request: ExportRequest) -> None:
    """Refuse, in one line, what cannot be exported as asked."""
    fmt = request.fmt
    if request.offsets == "utf16" and fmt in CODEPOINT_ONLY:
        raise ExportError(f"--offsets utf16 does not apply to {fmt}: {CODEPOINT_ONLY[fmt]}")
    to_stream = request.out in ("-", "")
    if fmt == "brat" and to_stream:
        raise ExportError("brat writes a folder of .txt and .ann files: give --out DIR")
    if fmt == "spacy" and to_stream:
        raise ExportError("spacy writes a binary DocBin: give --out FILE.spacy")
    if request.per_annotator and fmt != "labelstudio" and to_stream:
        raise ExportError("--per-annotator writes one file per annotator: give --out PATH")
    if request.unreviewed_entities and fmt not in NER_FORMATS:
        raise ExportError(f"--unreviewed-entities applies to {' and '.join(NER_FORMATS)}, whose NER "
                          f"data counts only reviewed articles; {fmt} writes every annotation")
    unknown = request.kinds - set(KINDS)
    if unknown:
        raise ExportError(f"unknown kind {sorted(unknown)[0]!r}: expected {' or '.join(KINDS)}")


def inside_store(path: Path, store_root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(store_root.resolve())
    except OSError:
        return False


def export_target(out: str, store_root: Path, *, folder: bool = False) -> Path:
    """Where an export to ``out`` really writes, or a one-line ExportError.

    Refused: a place inside the store (an export over an article file damaged
    it), something that is not a regular file (a device, a pipe, a folder:
    the export replaces its target by renaming, which would turn
    ``/dev/null`` into a file), and a folder that does not exist. A symbolic
    link is written through: the file it points to is replaced and the link
    stays. ``folder`` is for brat, which writes (and makes) a folder of files.
    """
    path = Path(out)
    if not folder and path.is_symlink():
        path = Path(os.path.realpath(path))
    if inside_store(path, store_root):
        raise ExportError(f"{out}: that is inside the store ({store_root}); export somewhere else")
    if folder:
        if path.exists() and not path.is_dir():
            raise ExportError(f"{out}: exists and is not a folder (brat writes a folder of files)")
    elif path.exists() and not path.is_file():
        raise ExportError(f"{out}: exists and is not a regular file (a folder, a device or a pipe)")
    if not folder and not path.parent.is_dir():  # brat makes its folders
        raise ExportError(f"{path.parent}: no such folder")
    return path


def export(store: Store, corpus: Corpus, request: ExportRequest, *,
           stream: BinaryIO | None = None, progress: Progress | None = None) -> ExportReport:
    """Write the export ``request`` asks for; ``stream`` takes an ``out`` of "-"."""
    check_request(request)
    fmt = request.fmt
    options = Options(offsets=request.offsets or default_unit(fmt), spans_key=request.spans_key,
                      unreviewed_entities=request.unreviewed_entities)
    if fmt in NER_FORMATS:
        options.reviewed = reviewed_for_ner(store)
    # Label Studio holds several annotators in one task: one file is what it wants.
    per_annotator = request.per_annotator and fmt != "labelstudio"
    options.per_annotator = per_annotator
    parts: list[tuple[str | None, str]] = [(None, request.out)]
    if per_annotator:
        parts = [(name, per_annotator_target(request.out, name, fmt))
                 for name in annotators_in(store, request.annotators)]
    exporter = module(fmt)
    selections: list[Selection] = []
    report = ExportReport(offsets=options.offsets)
    if not (request.out in ("-", "") and fmt != "brat"):
        parts = [(annotator, str(export_target(target, store.root, folder=fmt == "brat")))
                 for annotator, target in parts]
    pending: list[tuple[Path, Path]] = []
    target = request.out
    try:
        for annotator, target in parts:
            selection = Selection(store, corpus, request, annotator, progress)
            selections.append(selection)
            done, temp = _write(exporter, fmt, selection, options, target, stream)
            if temp is not None:
                pending.append((temp, Path(target)))
            report.written.append((target, done))
            report.count += done
        for temp, final in pending:
            temp.replace(final)
        pending.clear()
    except Mismatch as err:
        raise ExportError(f"{err}; nothing exported to a file (or stdout stopped at the article "
                          "before); --skip-mismatched leaves such annotations out") from None
    except OffsetError as err:
        raise ExportError(f"offset check failed: {err}") from None
    except OSError as err:
        # Name the file the person asked for, not the temporary one beside it.
        named = err.filename if err.filename and not str(err.filename).endswith(".partial") \
            else target
        raise ExportError(f"{named}: cannot write: {err.strerror or err}") from None
    finally:
        for temp, _ in pending:
            temp.unlink(missing_ok=True)
    report.left_out = [message for selection in selections for message in selection.left_out]
    report.warnings = list(options.warnings)
    report.notes = list(options.notes)
    report.reanchored = sum(selection.reanchored for selection in selections)
    report.articles = len({article for selection in selections
                           for article in selection.article_ids_written})
    return report


def _write(exporter, fmt: str, selection: Selection, options: Options, out: str,
           stream: BinaryIO | None) -> tuple[int, Path | None]:
    """(how many written, the temporary file to rename over ``out`` when all is written)."""
    if fmt == "brat":
        return exporter.export_dir(selection, Path(out), options), None
    if out in ("-", ""):
        if stream is None:
            raise ExportError("give a file to write to")
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n")
        try:
            count = exporter.export(selection, text, options)
            text.flush()
        finally:
            text.detach()
        return count, None
    target = Path(out)
    temp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        if fmt == "spacy":
            count = exporter.export_file(selection, temp, options)
        else:
            with temp.open("w", encoding="utf-8", newline="\n") as handle:
                count = exporter.export(selection, handle, options)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return count, temp
