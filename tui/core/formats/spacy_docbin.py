"""spaCy DocBin (``.spacy``): one Doc per article, ready for ``spacy train``.

Tokens are spaCy's English tokenizer's (``spacy.blank("en")``), as in the
Prodigy export, and spans are aligned the same way (widened to whole tokens
with a warning when a selection cut a word). Passages (claims, quotes, ...)
go in ``doc.spans[KEY]`` (``sc`` by default, the span categorizer's key;
``--spans-key`` sets another); entity corrections go in ``doc.ents``, and
only they: a model entity the annotator rejected or never reviewed is not
there.

``doc.ents`` is set from an article's entity corrections when the annotators
who made them marked it done (reviewed for NER): every other token is then
"outside" (no entity), as in Prodigy's ``ner.correct``. With
``unreviewed_entities``, the corrections of articles not marked done are set
too, with every other token *missing*, so training learns only what the
annotator confirmed. Entities are left unset (missing) in a Doc where two
annotators' corrections differ, or where corrections overlap (spaCy refuses
overlapping entities, E1010); the export says how many. ``doc.user_data``
carries the article's id, title and source.

Offsets are code points, spaCy's unit. Notes and annotators are not carried.
"""

from __future__ import annotations

from pathlib import Path

from tui.core.formats.common import overlapped, per_annotator_hint
from tui.core.formats.prodigy import NerCorrections, aligned, tokenizer_while
from tui.core.record import ENTITY, kind_of

SUFFIX = ".spacy"
# What the Docs hold: tokens, whitespace and entities (spans travel as span groups). spaCy's
# default attributes add tags, heads, lemmas and the like, all empty here: serializing them took
# five times as long and twice the memory for 100,000 annotations.
ATTRS = ["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"]


def export_file(groups, path: Path, options) -> int:
    from spacy.tokens import DocBin, Span

    count = 0
    differing = overlapping = 0
    corrections = NerCorrections("spacy", options)
    tokenize, groups = tokenizer_while(groups)
    docs = DocBin(attrs=ATTRS, store_user_data=True)
    for article, records in groups:
        doc = tokenize(article.text)
        passages = [r for r in records if kind_of(r) != ENTITY]
        filled = False
        if passages:
            spans = [Span(doc, span.start, span.end, label=record["label"]) for record in passages
                     if (span := aligned(doc, article, record, options, "spacy")) is not None]
            doc.spans[options.spans_key] = spans
            count += len(spans)
            filled = True
        versions: dict[str, frozenset[tuple[int, int, str]]] = {}
        written = 0  # entity corrections that go in doc.ents if the versions agree
        complete = True
        for annotator, own, reviewed in corrections.of(article.id, records):
            complete = complete and reviewed
            placed = [(span.start, span.end, record["label"]) for record in own
                      if (span := aligned(doc, article, record, options, "spacy")) is not None]
            versions[annotator] = frozenset(placed)
            written += len(placed)
        if len(set(versions.values())) > 1:
            differing += 1
        elif versions:
            (ents,) = set(versions.values())
            if overlapped((start, end) for start, end, _ in ents):
                overlapping += 1
            else:
                doc.set_ents([Span(doc, start, end, label=label) for start, end, label in sorted(ents)],
                             default="outside" if complete else "missing")
                count += written
                filled = True
        if filled:
            doc.user_data["redline"] = {"article_id": article.id, "title": article.title,
                                        "source": article.source}
            add_lean(docs, doc)
    path.write_bytes(docs.to_bytes())
    if differing:
        options.notes.append(
            f"spacy: {differing} article{'s have' if differing != 1 else ' has'} entity corrections "
            "that differ between annotators: their doc.ents are left unset (missing)"
            + per_annotator_hint(options) + "; redline review builds one gold version")
    if overlapping:
        options.notes.append(
            f"spacy: {overlapping} article{'s have' if overlapping != 1 else ' has'} overlapping entity "
            "corrections: their doc.ents are left unset (spaCy refuses overlapping entities)")
    options.notes.extend(corrections.notes(
        "their doc.ents hold the corrected entities and every other token is missing, not 'no entity'"))
    return count


def add_lean(docs, doc) -> None:
    """``DocBin.add`` with only the strings these Docs refer to.

    ``DocBin.add`` stores nine string attributes of every token (text, tag,
    lemma, norm, morph, dep and three entity ones), making a Python ``Token``
    per token: at 100,000 annotations, 1.3 million of them, the largest part
    of the export. The Docs here hold ORTH, SPACY, ENT_IOB and ENT_TYPE and
    span groups, so the strings needed are the distinct ORTH and ENT_TYPE
    values and the spans' labels and ids; reading the file back gives the same
    Docs (``tests/test_formats_spacy.py`` compares them). A spaCy whose
    ``DocBin`` is laid out otherwise gets its own ``add``.
    """
    import numpy
    import srsly
    from spacy.attrs import ENT_TYPE, ORTH, SPACY

    if not all(hasattr(docs, name) for name in ("tokens", "spaces", "flags", "cats", "user_data",
                                                "span_groups", "strings", "store_user_data")):
        docs.add(doc)
        return
    array = doc.to_array(docs.attrs)
    if len(array.shape) == 1:
        array = array.reshape((array.shape[0], 1))
    docs.tokens.append(array)
    spaces = doc.to_array(SPACY)
    docs.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
    docs.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
    strings = doc.vocab.strings
    for column, attr in enumerate(docs.attrs):
        if attr in (ORTH, ENT_TYPE):
            for key in numpy.unique(array[:, column]).tolist():
                if key:
                    docs.strings.add(strings[key])
    docs.cats.append(doc.cats)
    if docs.store_user_data:
        docs.user_data.append(srsly.msgpack_dumps(doc.user_data))
    docs.span_groups.append(doc.spans.to_bytes())
    for group in doc.spans.values():
        for span in group:
            docs.strings.add(span.label_)
            if span.kb_id in strings:
                docs.strings.add(span.kb_id_)
            if span.id in strings:
                docs.strings.add(span.id_)

