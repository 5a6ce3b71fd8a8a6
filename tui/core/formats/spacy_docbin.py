"""spaCy DocBin (``.spacy``): one Doc per article, ready for ``spacy train``.

Tokens are spaCy's English tokenizer's (``spacy.blank("en")``), as in the
Prodigy export, and spans are aligned the same way (widened to whole tokens
with a warning when a selection cut a word). Every span goes in
``doc.spans[KEY]`` (``sc`` by default, the span categorizer's key;
``--spans-key`` sets another). ``doc.ents`` holds them too, but only in a
Doc where no two spans share a token: spaCy refuses overlapping entities
(E1010), and the export says how many Docs were left without ``ents``.
``doc.user_data`` carries the article's id, title and source.

Offsets are code points, spaCy's unit. Notes and annotators are not carried.
"""

from __future__ import annotations

from pathlib import Path

from tui.core.formats.common import overlapped, per_annotator_hint
from tui.core.formats.prodigy import aligned, tokenizer_while

SUFFIX = ".spacy"
# What the Docs hold: tokens, whitespace and entities (spans travel as span groups). spaCy's
# default attributes add tags, heads, lemmas and the like, all empty here: serializing them took
# five times as long and twice the memory for 100,000 annotations.
ATTRS = ["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"]


def export_file(groups, path: Path, options) -> int:
    from spacy.tokens import DocBin, Span

    count = 0
    without_ents = 0
    tokenize, groups = tokenizer_while(groups)
    docs = DocBin(attrs=ATTRS, store_user_data=True)
    for article, records in groups:
        doc = tokenize(article.text)
        spans = []
        for record in records:
            span = aligned(doc, article, record, options, "spacy")
            if span is not None:
                spans.append(Span(doc, span.start, span.end, label=record["label"]))
                count += 1
        doc.spans[options.spans_key] = spans
        if overlapped((span.start, span.end) for span in spans):
            without_ents += 1
        else:
            doc.ents = spans
        doc.user_data["redline"] = {"article_id": article.id, "title": article.title,
                                    "source": article.source}
        docs.add(doc)
    path.write_bytes(docs.to_bytes())
    if without_ents:
        options.notes.append(
            f"spacy: {without_ents} article{'s have' if without_ents != 1 else ' has'} overlapping spans: "
            f"their doc.ents are left empty (spaCy refuses overlapping entities); every span is in "
            f"doc.spans[{options.spans_key!r}]" + per_annotator_hint(options))
    return count
