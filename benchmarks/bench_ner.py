"""Entity recognition over the seeds: redline's Recognizer beside spaCy called directly.

    python benchmarks/bench_ner.py [--runs 5] [--corpus seeds]

Timed, each as the median of ``--runs`` rounds, the contenders alternating in
every round (the order rotates from round to round), after one warm-up each:

- ``redline``: ``Recognizer.recognize`` of ``tui.core.entities`` (cache off), i.e. the
  pipeline as ``load_recognizer`` loads it (no parser, tagger, lemmatizer,
  attribute ruler or senter), one ``nlp.pipe`` over the article's paragraphs;
- ``spaCy nlp(text)``: ``spacy.load(NAME)`` with every component, called once per
  article on the whole text (the yardstick the target refers to);
- ``spaCy nlp.pipe(paragraphs)``: the same full pipeline over each article's
  paragraph texts (what redline asks of spaCy, without its trimming);
- ``slim nlp.pipe(paragraphs)``: the pipeline redline loads, called directly,
  so the difference to ``redline`` is the cost of redline's own code.

Also: the cache-hit time (``entities_for`` with a warm ``EntityCache``), the
load times, and whether the slim pipeline finds the same entities as the full
one paragraph by paragraph (and how whole-article recognition differs).
Target: ``redline`` at most 1.2x ``spaCy nlp(text)``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.core.corpus import load_corpus  # noqa: E402
from tui.core.entities import (  # noqa: E402
    EntityCache,
    entities_for,
    find_pipeline,
    load_recognizer,
)
from tui.core.text_units import paragraph_spans  # noqa: E402

TARGET = 1.2


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", default=str(ROOT / "seeds"))
    args = parser.parse_args()

    articles = load_corpus([args.corpus]).articles
    info = find_pipeline()
    if info.fallback:
        print("no spaCy pipeline installed; nothing to compare", file=sys.stderr)
        return 1

    load_slim = time.perf_counter()
    recognizer = load_recognizer(info)
    load_slim = time.perf_counter() - load_slim
    import spacy

    load_full = time.perf_counter()
    nlp = spacy.load(info.name)
    load_full = time.perf_counter() - load_full
    slim = recognizer.nlp

    texts = [article.text for article in articles]
    paras = [[text[s:e] for s, e in paragraph_spans(text)] for text in texts]
    chars = sum(len(t) for t in texts)

    def run_redline() -> None:
        for text in texts:
            recognizer.recognize(text)

    def run_direct() -> None:
        for text in texts:
            nlp(text)

    def run_full_pipe() -> None:
        for chunk in paras:
            for _ in nlp.pipe(chunk):
                pass

    def run_slim_pipe() -> None:
        for chunk in paras:
            for _ in slim.pipe(chunk, batch_size=64):
                pass

    with tempfile.TemporaryDirectory() as tmp:
        cache = EntityCache(tmp)
        for article in articles:
            entities_for(article.text, article.sha256, recognizer, cache)

        def run_cache_hit() -> None:
            for article in articles:
                entities_for(article.text, article.sha256, recognizer, cache)

        contenders = {
            "redline Recognizer (cache off)": run_redline,
            "spaCy nlp(text), full pipeline": run_direct,
            "spaCy nlp.pipe(paragraphs), full pipeline": run_full_pipe,
            "slim nlp.pipe(paragraphs), redline's pipeline": run_slim_pipe,
            "redline, cache hit": run_cache_hit,
        }
        names = list(contenders)
        for fn in contenders.values():
            fn()  # warm-up
        times: dict[str, list[float]] = {name: [] for name in names}
        for round_ in range(args.runs):
            order = names[round_ % len(names):] + names[:round_ % len(names)]
            for name in order:
                times[name].append(timed(contenders[name]))

    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["spaCy nlp(text), full pipeline"]

    # Same entities? Per paragraph: slim (as redline loads it) against the full pipeline.
    same = differ = 0
    diffs: list[str] = []
    for chunk in paras:
        for para, slim_doc, full_doc in zip(chunk, slim.pipe(chunk), nlp.pipe(chunk), strict=True):
            a = [(e.start_char, e.end_char, e.label_) for e in slim_doc.ents]
            b = [(e.start_char, e.end_char, e.label_) for e in full_doc.ents]
            if a == b:
                same += 1
            else:
                differ += 1
                diffs.append(f"{para[:60]!r}: slim {a} vs full {b}")
    # Whole-article recognition (no paragraph split) against redline's per-paragraph result.
    whole_only = para_only = crossing = 0
    for text in texts:
        ours = {(e.start, e.end, e.label) for e in recognizer.recognize(text)}
        whole = {(e.start_char, e.end_char, e.label_) for e in nlp(text).ents}
        whole_only += len(whole - ours)
        para_only += len(ours - whole)
        crossing += sum(1 for s, e, _ in whole if "\n" in text[s:e])
    total = sum(len(recognizer.recognize(text)) for text in texts)

    print(f"{len(articles)} articles, {chars:,} code points, {sum(map(len, paras))} paragraphs, "
          f"{total} entities; {info.description}; median of {args.runs} runs")
    print(f"load: redline's pipeline {load_slim:.2f} s, full pipeline {load_full:.2f} s "
          f"(after spaCy is imported by the first)")
    print()
    print("| contender | median ms | per article ms | vs nlp(text) |")
    print("|---|---:|---:|---:|")
    for name in names:
        ms = medians[name] * 1000
        ratio = medians[name] / base
        shown = f"{ratio:.2f}x" if ratio >= 0.01 else f"{ratio:.4f}x"
        print(f"| {name} | {ms:.2f} | {ms / len(articles):.2f} | {shown} |")
    print()
    ratio = medians["redline Recognizer (cache off)"] / base
    print(f"target: redline at most {TARGET}x nlp(text): {ratio:.2f}x, "
          f"{'met' if ratio <= TARGET else 'MISSED'}")
    print(f"redline vs its own pipeline called directly: "
          f"{medians['redline Recognizer (cache off)'] / medians[names[3]]:.2f}x")
    print(f"same entities per paragraph, redline's pipeline vs the full one: {same} of {same + differ} "
          f"paragraphs identical")
    for line in diffs[:10]:
        print(f"  differs: {line}")
    print(f"whole-article nlp(text) vs per paragraph: {whole_only} entities only in the whole-text "
          f"run ({crossing} of them cross a line break), {para_only} only per paragraph")
    return 0


if __name__ == "__main__":
    sys.exit(main())
