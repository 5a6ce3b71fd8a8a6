"""The sentence index of a corpus: TF-IDF vectors that pick candidates in milliseconds.

Every sentence of every article is a row of a sparse TF-IDF matrix
(scikit-learn's ``TfidfVectorizer`` over content-word prefixes). The matrix
is kept column-major, so a lookup touches only the postings of the
passage's own terms: 300,000 sentences are narrowed to a few dozen
candidates before rapidfuzz scores them.

The index is cached on disk by the corpus's fingerprint (every article's
id and text hash), in one ``.npz`` file read with ``allow_pickle=False``: a
store shared by several annotators never runs code from a cache file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from tui.core.cancel import CancelCheck, Cancelled
from tui.core.compare.units import MAX_UNIT, Span, sentence_units
from tui.core.compare.words import STEM, index_terms
from tui.core.corpus import Article

FORMAT = 1
KEEP_CACHES = 3  # older index files beyond this many are removed

SPLITTING = "finding sentences"
VECTORIZING = "indexing words"
LOADING = "reading the cached index"


@dataclass(frozen=True, slots=True)
class Progress:
    phase: str
    done: int
    total: int

    @property
    def text(self) -> str:
        if self.phase == SPLITTING:
            return f"{self.phase}: {self.done:,} of {self.total:,} articles"
        if self.phase == VECTORIZING:
            return f"{self.phase}: {self.done:,} of {self.total:,} sentences"
        return self.phase

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


ProgressCallback = Callable[[Progress], None]


def fingerprint(articles: Sequence[Article]) -> str:
    data = json.dumps([FORMAT, STEM, MAX_UNIT, [[a.id, a.sha256] for a in articles]])
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def _vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=index_terms, sublinear_tf=True, dtype=np.float32,
                           vocabulary=vocabulary)


class SentenceIndex:
    """Rows are sentences, grouped by article in corpus order."""

    def __init__(self, ids: list[str], offsets: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                 matrix: sparse.csc_matrix, vectorizer: TfidfVectorizer | None,
                 fingerprint: str) -> None:
        self.ids = ids
        self.offsets = offsets  # rows of article i: offsets[i] .. offsets[i + 1]
        self.starts = starts
        self.ends = ends
        self.matrix = matrix
        self.vectorizer = vectorizer  # None: no word in the corpus to index
        self.fingerprint = fingerprint
        self._position = {article_id: i for i, article_id in enumerate(ids)}

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def article_count(self) -> int:
        return len(self.ids)

    def position(self, article_id: str) -> int | None:
        return self._position.get(article_id)

    def rows_of(self, article_id: str) -> range:
        i = self._position.get(article_id)
        return range(0) if i is None else range(int(self.offsets[i]), int(self.offsets[i + 1]))

    def article_of(self, row: int) -> int:
        return int(np.searchsorted(self.offsets, row, side="right")) - 1

    def span(self, row: int) -> Span:
        return int(self.starts[row]), int(self.ends[row])

    @property
    def nbytes(self) -> int:
        m = self.matrix
        return (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes + self.starts.nbytes
                + self.ends.nbytes + self.offsets.nbytes)

    def candidates(self, passage: str, *, exclude: str | None = None, limit: int = 80) -> list[int]:
        """Rows most like ``passage`` by TF-IDF cosine, best first (none with no shared term)."""
        if self.vectorizer is None:
            return []
        query = self.vectorizer.transform([passage])
        if query.nnz == 0 or len(self) == 0:
            return []
        columns = self.matrix[:, query.indices]
        scores = np.asarray(columns @ query.data).ravel()
        rows = self.rows_of(exclude) if exclude is not None else range(0)
        if len(rows):
            scores[rows.start:rows.stop] = 0.0
        found = np.flatnonzero(scores)
        if len(found) > limit:
            found = found[np.argpartition(scores[found], -limit)[-limit:]]
        order = np.argsort(-scores[found], kind="stable")
        return [int(row) for row in found[order]]

    # -- on disk -------------------------------------------------------------

    def save(self, path: Path) -> None:
        vocabulary = self.vectorizer.vocabulary_ if self.vectorizer is not None else {}
        terms = [""] * len(vocabulary)
        for term, column in vocabulary.items():
            terms[column] = term
        idf = self.vectorizer.idf_ if self.vectorizer is not None else np.zeros(0)
        meta = {"format": FORMAT, "fingerprint": self.fingerprint, "ids": self.ids}
        arrays = {
            "meta": np.frombuffer(json.dumps(meta).encode("utf-8", "surrogatepass"), np.uint8),
            "terms": np.frombuffer("\n".join(terms).encode("utf-8"), np.uint8),
            "idf": idf.astype(np.float32),
            "offsets": self.offsets, "starts": self.starts, "ends": self.ends,
            "data": self.matrix.data, "indices": self.matrix.indices,
            "indptr": self.matrix.indptr, "shape": np.array(self.matrix.shape, np.int64),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, **arrays)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    @classmethod
    def load(cls, path: Path, expected: str) -> SentenceIndex | None:
        """The index in ``path`` if it is for ``expected``; None if missing, stale or unreadable."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(data["meta"].tobytes().decode("utf-8", "surrogatepass"))
                if meta.get("format") != FORMAT or meta.get("fingerprint") != expected:
                    return None
                terms = data["terms"].tobytes().decode("utf-8")
                vocabulary = {term: i for i, term in enumerate(terms.split("\n"))} if terms else {}
                shape = tuple(int(n) for n in data["shape"])
                matrix = sparse.csc_matrix((data["data"], data["indices"], data["indptr"]), shape=shape)
                vectorizer = None
                if vocabulary:
                    vectorizer = _vectorizer(vocabulary)
                    vectorizer.idf_ = data["idf"]
                ids = [str(article_id) for article_id in meta["ids"]]
                index = cls(ids, data["offsets"], data["starts"], data["ends"], matrix, vectorizer,
                            expected)
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None
        if len(index.offsets) != len(ids) + 1 or matrix.shape[0] != len(index.starts):
            return None
        return index


def build(articles: Sequence[Article], progress: ProgressCallback | None = None,
          cancelled: CancelCheck | None = None) -> SentenceIndex:
    """Index every sentence of ``articles``. Slow (seconds for thousands of articles): call it in a worker."""
    report = progress or (lambda _progress: None)
    total = len(articles)
    step = max(1, total // 200)
    offsets = [0]
    starts: list[int] = []
    ends: list[int] = []
    for number, article in enumerate(articles, start=1):
        if cancelled is not None and number % 16 == 0 and cancelled():
            raise Cancelled()
        for start, end in sentence_units(article.text):
            starts.append(start)
            ends.append(end)
        offsets.append(len(starts))
        if number % step == 0 or number == total:
            report(Progress(SPLITTING, number, total))

    rows = len(starts)

    def documents() -> Iterator[str]:
        sent_step = max(1, rows // 200)
        row = 0
        for i, article in enumerate(articles):
            text = article.text
            for row in range(offsets[i], offsets[i + 1]):
                if row % sent_step == 0:
                    if cancelled is not None and cancelled():
                        raise Cancelled()
                    report(Progress(VECTORIZING, row, rows))
                yield text[starts[row]:ends[row]]
        report(Progress(VECTORIZING, rows, rows))

    vectorizer: TfidfVectorizer | None = _vectorizer()
    try:
        matrix = vectorizer.fit_transform(documents()).tocsc()  # type: ignore[union-attr]
    except ValueError:  # not one indexable word in the whole corpus ("empty vocabulary")
        vectorizer = None
        matrix = sparse.csc_matrix((rows, 0), dtype=np.float32)
    matrix.sort_indices()
    return SentenceIndex(
        [a.id for a in articles], np.asarray(offsets, np.int64), np.asarray(starts, np.int64),
        np.asarray(ends, np.int64), matrix, vectorizer, fingerprint(articles))


class IndexCache:
    """Index files under ``<store>/cache/compare``, one per corpus fingerprint."""

    def __init__(self, store_root: str | os.PathLike) -> None:
        self.folder = Path(store_root) / "cache" / "compare"

    def path(self, fingerprint: str) -> Path:
        return self.folder / f"index-{fingerprint[:32]}.npz"

    def get(self, fingerprint: str) -> SentenceIndex | None:
        path = self.path(fingerprint)
        return SentenceIndex.load(path, fingerprint) if path.is_file() else None

    def put(self, index: SentenceIndex) -> None:
        try:
            index.save(self.path(index.fingerprint))
            self._prune(keep=self.path(index.fingerprint))
        except OSError:
            pass  # an unwritable store only makes the next start slower

    def _prune(self, keep: Path) -> None:
        files = sorted(self.folder.glob("index-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [f for f in files if f != keep][KEEP_CACHES - 1:]:
            with contextlib.suppress(OSError):
                old.unlink()
