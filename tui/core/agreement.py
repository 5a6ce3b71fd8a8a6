"""Agreement between annotators: span F1, Cohen's kappa and Krippendorff's alpha.

What is compared (``docs/agreement.md`` says the same at more length):

* An annotator *worked on* an article when they have at least one annotation on
  it or marked it done (with ``finished=True``: only when they marked it done).
  Marking an article done with no annotation says "nothing to tag here", and
  that counts against a colleague's spans. The reviewed ``gold`` annotator is
  left out unless asked for.
* A pair of annotators is compared on the articles both worked on; Krippendorff's
  alpha uses every article at least two annotators worked on, and an annotator
  who did not work on an article is missing data there, not a "no".
* Spans: precision, recall and F1 of annotator b's spans against annotator a's
  (a is the reference: precision is the share of b's spans that a also has,
  recall the share of a's spans that b also has). *Exact*: same start, end and
  label. *Overlapping*: same label, and the spans share at least half of the
  shorter one (``2 * overlap >= min(len_a, len_b)``, in code points). A span
  counts as matched when any span of the other annotator matches it. F1 is the
  harmonic mean of precision and recall; "all labels" adds the counts of every
  label (micro average).
* Tokens: the non-space tokens of spaCy's English tokenizer (``tui.core.tokens``);
  punctuation tokens count, whitespace does not. An annotator gives a token a
  label when one of their spans with that label covers at least one code point
  of it. Per label the value is yes/no; for "all labels" the value is the set of
  labels on the token (none, {claim}, {claim, quote}, ...), one category per set,
  so overlapping labels on a token are a value of their own, not a tie to break.
  Cohen's kappa is computed per pair on those values; Krippendorff's alpha
  (nominal) over all annotators at once, from the coincidence matrix (the tests
  hold it to the ``krippendorff`` package and to published examples).

Nothing divides by zero: a figure that cannot be computed is ``None`` with the
reason beside it (one annotator only, no shared article, a label nobody or only
one annotator used, no variation for kappa or alpha to measure).
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from tui.core.anchoring import reanchor
from tui.core.matching import overlapping
from tui.core.record import now_iso
from tui.core.tokens import Tokens, tokenizer_name

ALL = None  # the "all labels" row
# A token's value is the bit set of its labels, in a 64-bit integer.
MAX_TOKEN_LABELS = 62
MAX_LISTED = 5


# -- results --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    """A figure, or None with the reason it cannot be computed."""

    value: float | None
    why: str = ""

    def text(self, digits: int = 3) -> str:
        return "n/a" if self.value is None else f"{self.value:.{digits}f}"

    def to_json(self) -> float | None:
        return None if self.value is None else round(self.value, 6)


def ratio(part: int, whole: int, why: str) -> Score:
    return Score(part / whole) if whole else Score(None, why)


@dataclass(frozen=True)
class Spans:
    """Precision, recall and F1 of one pair on one label (or all)."""

    precision: Score
    recall: Score
    f1: Score

    @classmethod
    def of(cls, matched_a: int, total_a: int, matched_b: int, total_b: int,
           a: str, b: str, what: str) -> Spans:
        if not total_a and not total_b:
            why = f"neither {a} nor {b} tagged {what} on the articles both worked on"
            return cls(Score(None, why), Score(None, why), Score(None, why))
        precision = ratio(matched_b, total_b, f"{b} tagged no {what} on the articles both worked on")
        recall = ratio(matched_a, total_a, f"{a} tagged no {what} on the articles both worked on")
        if precision.value is None or recall.value is None or precision.value + recall.value == 0:
            f1 = Score(0.0)  # one side has spans and none of them is matched
        else:
            f1 = Score(2 * precision.value * recall.value / (precision.value + recall.value))
        return cls(precision, recall, f1)

    def to_json(self) -> dict:
        return {"precision": self.precision.to_json(), "recall": self.recall.to_json(),
                "f1": self.f1.to_json()}


@dataclass(frozen=True)
class PairRow:
    label: str | None  # None: all labels
    a_spans: int
    b_spans: int
    exact: Spans
    overlap: Spans
    kappa: Score

    def reasons(self) -> dict[str, str]:
        """metric name -> why it is n/a, for the figures that are."""
        found = {}
        for kind in ("exact", "overlap"):
            for name in ("precision", "recall", "f1"):
                score = getattr(getattr(self, kind), name)
                if score.value is None:
                    found[f"{kind}.{name}"] = score.why
        if self.kappa.value is None:
            found["kappa"] = self.kappa.why
        return found

    def to_json(self) -> dict:
        data = {"label": self.label, "a_spans": self.a_spans, "b_spans": self.b_spans,
                "exact": self.exact.to_json(), "overlap": self.overlap.to_json(),
                "kappa": self.kappa.to_json()}
        reasons = self.reasons()
        if reasons:
            data["n/a"] = reasons
        return data


@dataclass
class PairReport:
    a: str
    b: str
    articles: int
    tokens: int
    rows: list[PairRow]  # all labels first, then each label

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b, "articles": self.articles, "tokens": self.tokens,
                "rows": [row.to_json() for row in self.rows]}


@dataclass
class Report:
    annotators: list[str]  # everyone who worked on the articles gathered
    labels: list[str]
    articles: list[str]  # compared: two or more annotators worked on each
    tokens: int  # tokens of those articles: the units of alpha
    pairs: list[PairReport]
    alpha: dict[str | None, Score]  # None: all labels
    notes: list[str] = field(default_factory=list)
    tokenizer: str = ""

    def to_json(self) -> dict:
        return {
            "annotators": self.annotators,
            "labels": self.labels,
            "articles": len(self.articles),
            "tokens": self.tokens,
            "tokenizer": self.tokenizer,
            "pairs": [pair.to_json() for pair in self.pairs],
            "alpha": [{"label": label, "alpha": score.to_json(),
                       **({"n/a": score.why} if score.value is None else {})}
                      for label, score in self.alpha.items()],
            "notes": self.notes,
            "units": {
                "worked_on": "an annotator worked on an article with at least one annotation on "
                             "it or when they marked it done",
                "pairs": "each pair on the articles both worked on; a is the reference "
                         "(precision: share of b's spans a also has)",
                "overlap": "same label and 2 * shared code points >= length of the shorter span",
                "tokens": "non-space spaCy tokens; a span labels every token it touches",
                "all_labels_token_value": "the set of labels on the token, one category per set",
                "alpha": "nominal, over all annotators; missing where an annotator did not "
                         "work on the article",
            },
        }


# -- what is compared -----------------------------------------------------------------------

@dataclass
class ArticleWork:
    """One article: its text (None when token units are not wanted) and who did what."""

    article_id: str
    text: str | None
    spans: dict[str, list[tuple[int, int, str]]]  # annotator -> (start, end, label)
    worked: set[str]  # annotators who worked on it (see the module docstring)
    sha256: str | None = None  # of the text: the key of its cached tokens


def gather(store: Any, corpus: Any, *, exclude: Iterable[str] = (), annotators: Iterable[str] = (),
           labels: Iterable[str] = (), articles: Iterable[str] = (),
           finished: bool = False) -> tuple[list[ArticleWork], list[str]]:
    """The articles to compare, from the store's public API, and a line for each oddity.

    Records whose article changed are re-anchored onto its current text; those
    that cannot be placed, and articles missing from the corpus, are left out
    with a note.
    """
    exclude, only = set(exclude), set(annotators)
    wanted_labels, wanted_articles = set(labels), list(dict.fromkeys(articles))
    notes: list[str] = []

    def keep(who: str) -> bool:
        return who not in exclude and (not only or who in only)

    done = {who: set(state["done"]) for who, state in store.reading_states().items() if keep(who)}
    if wanted_articles:
        records: Iterable[dict] = (r for aid in wanted_articles for r in store.for_article(aid))
    else:
        records = store.iter_all()
    by_article: dict[str, dict[str, list[dict]]] = {aid: {} for aid in wanted_articles}
    for record in records:
        if keep(record["annotator"]):
            by_article.setdefault(record["article_id"], {}).setdefault(
                record["annotator"], []).append(record)
    for ids in done.values():
        for aid in ids:
            if not wanted_articles or aid in by_article:
                by_article.setdefault(aid, {})

    works: list[ArticleWork] = []
    missing: list[str] = []
    unfinished: list[str] = []
    lost = not_done = 0
    now = now_iso()
    for aid in sorted(by_article):
        per = by_article[aid]
        marked = {who for who, ids in done.items() if aid in ids}
        worked = marked if finished else marked | set(per)
        if not worked:
            if finished and per:
                unfinished.append(aid)
            else:
                notes.append(f"article {aid}: nobody annotated it or marked it done")
            continue
        article = corpus.get(aid)
        if article is None:
            missing.append(aid)
            continue
        text = article.text
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for who, records in per.items():
            if who not in worked:
                not_done += len(records)
                continue
            kept = spans.setdefault(who, [])
            for record in records:
                if wanted_labels and record["label"] not in wanted_labels:
                    continue
                start, end = record["start"], record["end"]
                if record["article_sha256"] != article.sha256 or text[start:end] != record["quote"]:
                    moved = reanchor(record, text, article.sha256, now=now)  # type: ignore[arg-type]
                    if moved is None:
                        lost += 1
                        continue
                    start, end = moved[0]["start"], moved[0]["end"]
                kept.append((start, end, record["label"]))
        works.append(ArticleWork(aid, text, spans, worked, article.sha256))
    if missing:
        notes.append(f"{_some(missing)}: not in the corpus, left out (use --corpus)")
    if unfinished:
        notes.append(f"{_some(unfinished)}: annotated, but marked done by nobody: left out")
    if not_done:
        notes.append(f"{not_done} annotations on articles their annotator did not mark done "
                     "were left out")
    if lost:
        notes.append(f"{lost} annotations no longer match their article's text and were left "
                     "out (see redline check)")
    return works, notes


def _some(ids: list[str]) -> str:
    """'article X', or '7 articles (X, Y, ... and 2 more)'."""
    if len(ids) == 1:
        return f"article {ids[0]}"
    more = f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else ""
    return f"{len(ids)} articles ({', '.join(ids[:MAX_LISTED])}{more})"


# -- the computation ------------------------------------------------------------------------

def _span_matches(spans: list[tuple[int, int, int, int]], people: int) -> tuple[np.ndarray, ...]:
    """For spans (start, end, label index, annotator index) of one article: which
    annotators match each span, exactly and by overlap (span x annotator booleans).

    Only pairs of spans that overlap are looked at: sorted by start, span j overlaps
    an earlier span i when it starts before i ends.
    """
    arr = np.array(spans, dtype=np.int64)
    arr = arr[np.argsort(arr[:, 0], kind="stable")]
    start, end, label, who = arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3]
    count = len(arr)
    reach = np.searchsorted(start, end, side="left")  # spans starting before each one ends
    after = np.maximum(reach - np.arange(1, count + 1), 0)
    first = np.repeat(np.arange(count), after)
    step = np.arange(len(first)) - np.repeat(np.cumsum(after) - after, after)
    second = first + 1 + step
    same = label[first] == label[second]
    shared = np.minimum(end[first], end[second]) - start[second]
    shorter = np.minimum(end[first] - start[first], end[second] - start[second])
    exact = same & (start[first] == start[second]) & (end[first] == end[second])
    overlap = same & (shared > 0) & (2 * shared >= shorter)  # matching.overlapping, vectorized
    exact_by = np.zeros((count, people), dtype=bool)
    overlap_by = np.zeros((count, people), dtype=bool)
    for matched, table in ((exact, exact_by), (overlap, overlap_by)):
        i, j = first[matched], second[matched]
        table[i, who[j]] = True
        table[j, who[i]] = True
    return label, who, exact_by, overlap_by


class _Tally:
    """Counts gathered article by article; figures are computed from them at the end."""

    def __init__(self, people: list[str], labels: list[str], tokens: Tokens | None,
                 why_no_tokens: str = "token units were not asked for") -> None:
        self.people = people
        self.labels = labels
        self.tokens = tokens
        self.why_no_tokens = why_no_tokens
        m, n = len(people), len(labels)
        self.articles = np.zeros((m, m), dtype=np.int64)
        self.spans = np.zeros((n, m, m), dtype=np.int64)  # [l, a, b]: a's spans, b also worked
        self.exact = np.zeros((n, m, m), dtype=np.int64)  # [l, a, b]: a's spans b matched
        self.overlap = np.zeros((n, m, m), dtype=np.int64)
        self.pair_tokens = np.zeros((m, m), dtype=np.int64)
        # (a, b, annotators on the article) -> {(a's value, b's value): tokens}, where a
        # token's value is the bit set of the labels on it.
        self.joint_tables: dict[tuple[int, int, int], dict[tuple[int, int], int]] = {}
        self.unit_tokens = 0
        self.index = {name: i for i, name in enumerate(people)}
        self.label_index = {name: i for i, name in enumerate(labels)}

    def add(self, work: ArticleWork) -> None:
        who = sorted(self.index[name] for name in work.worked)
        if len(who) < 2:
            return
        worked = np.zeros(len(self.people), dtype=bool)
        worked[who] = True
        self.articles += np.outer(worked, worked)
        spans = [(s, e, self.label_index[lab], self.index[name])
                 for name, items in work.spans.items() for s, e, lab in items]
        if spans:
            label, owner, exact_by, overlap_by = _span_matches(spans, len(self.people))
            per = np.zeros((len(self.labels), len(self.people)), dtype=np.int64)
            np.add.at(per, (label, owner), 1)
            self.spans += per[:, :, None] * worked[None, None, :]
            np.add.at(self.exact, (label, owner), exact_by)
            np.add.at(self.overlap, (label, owner), overlap_by)
        if self.tokens is not None and work.text is not None:
            self._add_tokens(work, who)

    def _add_tokens(self, work: ArticleWork, who: list[int]) -> None:
        assert self.tokens is not None and work.text is not None  # checked by the caller
        starts, ends = self.tokens.spans(work.text, work.sha256)
        count, coders = len(starts), len(who)
        if not count:
            return
        # Each annotator's label bit set on each token: +1 where a span starts covering
        # tokens, -1 where it stops, summed along the text.
        marks = [(row, self.label_index[lab], s, e) for row, person in enumerate(who)
                 for s, e, lab in work.spans.get(self.people[person], [])]
        values = np.zeros((coders, count), dtype=np.int64)
        if marks:
            arr = np.array(marks, dtype=np.int64)
            first = np.searchsorted(ends, arr[:, 2], side="right")
            last = np.searchsorted(starts, arr[:, 3], side="left")
            edges = np.zeros((coders, len(self.labels), count + 1), dtype=np.int64)
            np.add.at(edges, (arr[:, 0], arr[:, 1], first), 1)
            np.add.at(edges, (arr[:, 0], arr[:, 1], last), -1)
            covered = np.cumsum(edges, axis=2)[:, :, :count] > 0
            bits = np.left_shift(1, np.arange(len(self.labels), dtype=np.int64))
            values = (covered * bits[None, :, None]).sum(axis=1)
        # Joint counts of every pair at once, over the article's distinct values.
        top = int(values.max())
        if top < 1 << 16:  # the usual case: a few labels; a lookup table beats sorting
            kinds = np.flatnonzero(np.bincount(values.ravel(), minlength=top + 1))
            lookup = np.zeros(top + 1, dtype=np.int64)
            lookup[kinds] = np.arange(len(kinds))
            inverse = lookup[values]
        else:
            kinds, inverse = np.unique(values, return_inverse=True)
            inverse = inverse.reshape(coders, count)
        size = len(kinds)
        pairs = list(combinations(range(coders), 2))
        left = np.array([i for i, _ in pairs])
        right = np.array([j for _, j in pairs])
        keys = (np.arange(len(pairs))[:, None] * size + inverse[left]) * size + inverse[right]
        joint = np.bincount(keys.ravel(), minlength=len(pairs) * size * size)
        found = np.flatnonzero(joint)
        kinds_list = kinds.tolist()
        for key, n in zip(found.tolist(), joint[found].tolist(), strict=True):
            pair, rest = divmod(key, size * size)
            va, vb = divmod(rest, size)
            i, j = pairs[pair]
            table = self.joint_tables.setdefault((who[i], who[j], coders), {})
            value = (kinds_list[va], kinds_list[vb])
            table[value] = table.get(value, 0) + n
        for i, j in pairs:
            self.pair_tokens[who[i], who[j]] += count
        self.unit_tokens += count

    def joints(self) -> dict[tuple[int, int, int], dict[tuple[int, int], int]]:
        """(a, b, annotators on the article) -> {(a's value, b's value): tokens}."""
        return self.joint_tables

    # -- figures ----------------------------------------------------------------------------

    def pair(self, a: int, b: int) -> PairReport:
        name_a, name_b = self.people[a], self.people[b]
        joint = self._joint(a, b)
        rows = []
        for l_index in [None, *range(len(self.labels))]:
            pick = slice(None) if l_index is None else l_index
            what = "anything" if l_index is None else repr(self.labels[l_index])
            total_a = int(self.spans[pick, a, b].sum())
            total_b = int(self.spans[pick, b, a].sum())

            def spans_of(table: np.ndarray, pick=pick, total_a=total_a, total_b=total_b,
                         what=what) -> Spans:
                return Spans.of(int(table[pick, a, b].sum()), total_a,
                                int(table[pick, b, a].sum()), total_b, name_a, name_b, what)

            rows.append(PairRow(
                label=None if l_index is None else self.labels[l_index],
                a_spans=total_a, b_spans=total_b,
                exact=spans_of(self.exact), overlap=spans_of(self.overlap),
                kappa=self._kappa(joint, l_index, name_a, name_b, what),
            ))
        return PairReport(name_a, name_b, int(self.articles[a, b]), int(self.pair_tokens[a, b]), rows)

    def _joint(self, a: int, b: int) -> dict[tuple[int, int], int] | None:
        """(a's value, b's value) -> tokens, over the tokens of the articles both worked on."""
        if self.tokens is None:
            return None
        joint: dict[tuple[int, int], int] = {}
        for (pa, pb, _coders), table in self.joints().items():
            if (pa, pb) == (a, b):
                for values, n in table.items():
                    joint[values] = joint.get(values, 0) + n
        return joint

    def _kappa(self, joint: dict[tuple[int, int], int] | None, l_index: int | None,
               a: str, b: str, what: str) -> Score:
        if joint is None:
            return Score(None, self.why_no_tokens)
        return cohen_kappa(_project(joint, l_index),
                           why_empty=f"{a} and {b} share no article with tokens",
                           why_flat=f"{a} and {b} gave every token the same value for {what} "
                                    "(no variation: kappa is undefined)")

    def alphas(self) -> dict[str | None, Score]:
        """Krippendorff's alpha per label and for all labels, from the pairs' joint tables.

        A unit (token) coded by m annotators adds 1/(m - 1) to the coincidence cell
        (x, y) for every ordered pair of its annotators valuing it x and y
        (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"). So the
        coincidence matrix is the sum, over pairs and over the number of annotators
        on the article, of the pair's joint table (both ways) over m - 1: the same
        tables kappa uses, counted once, with exact fractions.
        """
        labels: list[str | None] = [ALL, *self.labels]
        if self.tokens is None:
            return {label: Score(None, self.why_no_tokens) for label in labels}
        if not self.unit_tokens:
            why = "no article with tokens was worked on by two or more annotators"
            return {label: Score(None, why) for label in labels}
        coincidences: dict[tuple[int, int], Fraction] = {}
        for (_a, _b, coders), table in self.joints().items():
            for (va, vb), n in table.items():
                share = Fraction(n, coders - 1)
                coincidences[(va, vb)] = coincidences.get((va, vb), 0) + share
                coincidences[(vb, va)] = coincidences.get((vb, va), 0) + share
        result: dict[str | None, Score] = {}
        for index, label in enumerate(labels):
            what = "anything" if label is None else repr(label)
            result[label] = nominal_alpha(
                _project(coincidences, None if label is None else index - 1),
                why_flat=f"every annotator gave every token the same value for {what} "
                         "(no variation: alpha is undefined)")
        return result


def _project(table: dict[tuple[int, int], Any], bit: int | None) -> dict[tuple[int, int], Any]:
    """A table over bit sets of labels, seen as yes/no for one label (None: as it is)."""
    if bit is None:
        return table
    out: dict[tuple[int, int], Any] = {}
    for (va, vb), n in table.items():
        key = ((va >> bit) & 1, (vb >> bit) & 1)
        out[key] = out.get(key, 0) + n
    return out


def cohen_kappa(table: dict[tuple[Any, Any], int], *, why_empty: str = "no units",
                why_flat: str = "no variation: kappa is undefined") -> Score:
    """Cohen's kappa from a contingency table {(a's value, b's value): count}."""
    total = sum(table.values())
    if not total:
        return Score(None, why_empty)
    agree = sum(n for (va, vb), n in table.items() if va == vb)
    row: dict[Any, int] = {}
    col: dict[Any, int] = {}
    for (va, vb), n in table.items():
        row[va] = row.get(va, 0) + n
        col[vb] = col.get(vb, 0) + n
    chance = sum(n * col.get(value, 0) for value, n in row.items())  # times total**2
    if chance == total * total:
        return Score(None, why_flat)
    return Score((total * agree - chance) / (total * total - chance))


def nominal_alpha(coincidences: dict[tuple[Any, Any], Fraction | int], *,
                  why_flat: str = "only one value was used: alpha is undefined") -> Score:
    """Krippendorff's alpha (nominal) from a coincidence matrix {(value, value): weight}:
    1 - (n - 1) * sum of o[c, k] over c != k / sum of n_c * n_k over c != k."""
    totals: dict[Any, Fraction | int] = {}
    for (value, _other), weight in coincidences.items():
        totals[value] = totals.get(value, 0) + weight
    n = sum(totals.values())
    if not n:
        return Score(None, "no unit was coded by two or more annotators")
    expected = n * n - sum(t * t for t in totals.values())
    if not expected:
        return Score(None, why_flat)
    observed = sum(w for (c, k), w in coincidences.items() if c != k)
    return Score(float(1 - (n - 1) * Fraction(observed) / Fraction(expected)))


def compute(works: Iterable[ArticleWork], *, labels: Iterable[str] = (),
            tokens: bool = True, cache: str | os.PathLike | None = None) -> Report:
    """The agreement report over the articles given (see the module docstring).

    ``cache``: a folder where the articles' tokens are kept by text sha256
    (``<store>/cache``), so later runs need not tokenize again.
    """
    works = list(works)
    compared = [w for w in works if len(w.worked) >= 2]
    people = sorted({name for w in compared for name in w.worked})
    everyone = sorted({name for w in works for name in w.worked})
    used: dict[str, set[str]] = {}
    for work in compared:
        for name, items in work.spans.items():
            for _s, _e, label in items:
                used.setdefault(label, set()).add(name)
    wanted = list(dict.fromkeys(labels))
    label_list = wanted or sorted(used)
    notes: list[str] = []
    if len(everyone) < 2:
        who = f"only {everyone[0]}" if everyone else "nobody"
        notes.append(f"{who} worked on these articles: agreement needs two annotators or more")
    elif not compared:
        notes.append("no article was worked on by two annotators or more: nothing to compare")
    single = [w.article_id for w in works if len(w.worked) == 1]
    if single and len(everyone) >= 2:
        notes.append(f"{_some(single)}: worked on by one annotator only, not compared")
    for label in label_list:
        names = used.get(label, set())
        if not names and compared:
            notes.append(f"label {label!r}: nobody used it on the compared articles")
        elif len(names) == 1 and len(people) > 1:
            notes.append(f"label {label!r}: only {next(iter(names))} used it on the compared "
                         "articles (F1 0 for every pair with them, n/a for the others)")
    if len(label_list) > MAX_TOKEN_LABELS:
        tokens = False
        why = f"more than {MAX_TOKEN_LABELS} labels: token figures are left out (use --label)"
        notes.append(why)
    else:
        why = "token units were not asked for"
    tally = _Tally(people, label_list, Tokens(cache) if tokens else None, why)
    for work in compared:
        tally.add(ArticleWork(work.article_id, work.text,
                              {name: [s for s in items if s[2] in tally.label_index]
                               for name, items in work.spans.items()}, work.worked, work.sha256))
    pairs = [tally.pair(a, b) for a, b in combinations(range(len(people)), 2)
             if tally.articles[a, b]]
    return Report(
        annotators=everyone, labels=label_list, articles=[w.article_id for w in compared],
        tokens=tally.unit_tokens, pairs=pairs, alpha=tally.alphas(),
        notes=notes, tokenizer=tokenizer_name() if tokens and compared else "",
    )


# -- per article, for the library -----------------------------------------------------------

@dataclass(frozen=True)
class ArticleAgreement:
    """Overlapping span F1 (all labels) of one article, averaged over its pairs."""

    f1: Score
    annotators: tuple[str, ...]


def article_agreement(store: Any, article_ids: Iterable[str] | None = None, *,
                      exclude: Iterable[str] = ("gold",),
                      counts: dict[str, dict[str, int]] | None = None,
                      done: dict[str, set[str]] | None = None) -> dict[str, ArticleAgreement]:
    """Agreement of each article two or more annotators worked on (others are left out).

    Spans only, no text and no tokens: the store's ``counts()`` picks the articles,
    and only those with two or more annotators are read (one file each). Pass the
    ``counts`` (and the ``done`` marks, annotator -> article ids) already at hand
    to save reading them again.
    """
    exclude = set(exclude)
    counts = store.counts() if counts is None else counts
    if done is None:
        done = {who: set(state["done"]) for who, state in store.reading_states().items()}
    done = {who: set(ids) for who, ids in done.items() if who not in exclude}
    wanted = set(counts) | {aid for ids in done.values() for aid in ids}
    if article_ids is not None:
        wanted &= set(article_ids)
    result: dict[str, ArticleAgreement] = {}
    for aid in sorted(wanted):
        worked = {who for who in counts.get(aid, {}) if who not in exclude}
        worked |= {who for who, ids in done.items() if aid in ids}
        if len(worked) < 2:
            continue
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for record in store.for_article(aid):
            if record["annotator"] in worked:
                spans.setdefault(record["annotator"], []).append(
                    (record["start"], record["end"], record["label"]))
        result[aid] = _article_f1(ArticleWork(aid, None, spans, worked))
    return result


def _matched(spans: list[tuple[int, int, str]], others: list[tuple[int, int, str]]) -> int:
    """How many of ``spans`` an overlapping span of ``others`` with the same label matches."""
    if not spans or not others:
        return 0
    others = sorted(others)
    starts = [o[0] for o in others]
    longest = max(o[1] - o[0] for o in others)
    found = 0
    for span in spans:
        lo = bisect_left(starts, span[0] - longest)
        hi = bisect_left(starts, span[1])
        if any(o[2] == span[2] and overlapping(span, o) for o in others[lo:hi]):
            found += 1
    return found


def _article_f1(work: ArticleWork) -> ArticleAgreement:
    people = sorted(work.worked)
    scores = []
    for a, b in combinations(people, 2):
        mine, theirs = work.spans.get(a, []), work.spans.get(b, [])
        result = Spans.of(_matched(mine, theirs), len(mine), _matched(theirs, mine), len(theirs),
                          a, b, "anything")
        if result.f1.value is not None:
            scores.append(result.f1.value)
    if not scores:
        return ArticleAgreement(Score(None, "nobody tagged anything (all marked it done)"),
                                tuple(people))
    return ArticleAgreement(Score(sum(scores) / len(scores)), tuple(people))
