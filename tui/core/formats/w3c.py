"""W3C Web Annotation: JSON Lines, one Annotation (JSON-LD) per line.

JSON Lines rather than one AnnotationCollection, so the file streams and
diffs like the native export. Each Annotation has a ``TextualBody`` tagging
with the label (classifying, for an entity correction's type; its
``creator`` is the Software that suggested it, when one did), another
commenting with the note, and a target with a
``TextQuoteSelector`` (exact, prefix, suffix) and a ``TextPositionSelector``
in code points, as the model specifies. ``target.source`` is
``urn:redline:article:<id>``, the id percent-encoded so that the source is
an IRI even when the id holds spaces or other characters IRIs forbid (JSON-LD
to RDF drops a triple whose object is not one); the article's url, when
known, is ``target.scope``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO
from urllib.parse import quote, unquote

from tui.core.formats.common import Candidate, Groups, Options, dumps, read_jsonl
from tui.core.record import ENTITY, SPAN, kind_of

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The motivation and the label body's purpose: a passage label tags the text; an entity
# correction's type classifies it ("classifying: ... to classify the Target as something").
TAGGING, CLASSIFYING = "tagging", "classifying"
SOURCE_PREFIX = "urn:redline:article:"
# Kept as they are: unreserved characters and the path punctuation of ids like "world/tokyo".
_ID_SAFE = "/-._~!$&'()*+,;=:@"


def source_iri(article_id: str) -> str:
    return SOURCE_PREFIX + quote(article_id, safe=_ID_SAFE)


def article_id_of(source: str) -> str:
    return unquote(source[len(SOURCE_PREFIX):], errors="strict")


ANNOTATION_PREFIX = "urn:redline:annotation:"


# A UUID as redline writes them (uuid4 and uuid5, lower case).
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def annotation_iri(ann_id: str) -> str:
    """``urn:uuid:`` for the usual UUID ids; other ids (from imports) percent-encoded."""
    if _UUID.fullmatch(ann_id):
        return f"urn:uuid:{ann_id}"
    return ANNOTATION_PREFIX + quote(ann_id, safe=_ID_SAFE)


def annotation_id_of(iri: str) -> str | None:
    if iri.startswith("urn:uuid:"):
        return iri[len("urn:uuid:"):]
    if iri.startswith(ANNOTATION_PREFIX):
        return unquote(iri[len(ANNOTATION_PREFIX):])
    return None


def export(groups: Groups, out: TextIO, options: Options) -> int:
    count = 0
    for article, records in groups:
        source = source_iri(article.id)
        for record in records:
            purpose = CLASSIFYING if kind_of(record) == ENTITY else TAGGING
            label: dict = {"type": "TextualBody", "purpose": purpose, "value": record["label"]}
            if "suggested_by" in record:
                # The label's own creator: the rule or model that suggested it (the annotator,
                # who accepted it, is the Annotation's creator).
                label["creator"] = {"type": "Software", "name": record["suggested_by"]}
            body = [label]
            if record["note"]:
                body.append({"type": "TextualBody", "purpose": "commenting", "value": record["note"],
                             "format": "text/plain"})
            target = {
                "source": source,
                "selector": [
                    {"type": "TextQuoteSelector", "exact": record["quote"],
                     "prefix": record["prefix"], "suffix": record["suffix"]},
                    {"type": "TextPositionSelector", "start": record["start"], "end": record["end"]},
                ],
            }
            if article.url:
                target["scope"] = article.url
            out.write(dumps({
                "@context": CONTEXT, "id": annotation_iri(record["id"]), "type": "Annotation",
                "motivation": purpose, "creator": {"type": "Person", "name": record["annotator"]},
                "created": record["created_at"], "modified": record["updated_at"],
                "body": body, "target": target,
            }) + "\n")
            count += 1
    return count


def parse(path: str, handle, options) -> Iterator[Candidate]:
    for where, item, error in read_jsonl(path, handle):
        if error or not isinstance(item, dict):
            yield (Candidate(where, error=error or "not a JSON object"))
            continue
        target = item.get("target") or {}
        source = target.get("source", "") if isinstance(target, dict) else ""
        selectors = target.get("selector", []) if isinstance(target, dict) else []
        if isinstance(selectors, dict):
            selectors = [selectors]
        position = next((s for s in selectors if isinstance(s, dict)
                         and s.get("type") == "TextPositionSelector"), None)
        quote = next((s for s in selectors if isinstance(s, dict)
                      and s.get("type") == "TextQuoteSelector"), None)
        bodies = item.get("body", [])
        if isinstance(bodies, dict):
            bodies = [bodies]
        tags = [b for b in bodies if isinstance(b, dict) and b.get("purpose") in (TAGGING, CLASSIFYING)]
        notes = [b.get("value") for b in bodies if isinstance(b, dict) and b.get("purpose") == "commenting"]
        if not source.startswith(SOURCE_PREFIX) or position is None or not tags:
            yield (Candidate(where, error="needs target.source urn:redline:article:ID, "
                                                "a TextPositionSelector and a tagging (or classifying) body"))
            continue
        try:
            article_id = article_id_of(source)
        except UnicodeDecodeError:
            yield Candidate(where, error=f"target.source {source!r}: its percent-escapes are not UTF-8")
            continue
        ann_id = str(item.get("id", ""))
        creator = item.get("creator")
        software = tags[0].get("creator")
        suggested_by = software.get("name") if isinstance(software, dict) else None
        yield (Candidate(
            where, article_id=article_id, start=position.get("start"),
            end=position.get("end"), label=tags[0].get("value"),
            kind=ENTITY if tags[0].get("purpose") == CLASSIFYING else SPAN,
            suggested_by=suggested_by if isinstance(suggested_by, str) and suggested_by.strip() else None,
            note="\n".join(n for n in notes if isinstance(n, str)),
            annotator=creator.get("name") if isinstance(creator, dict) else None,
            quote=quote.get("exact") if quote else None,
            ann_id=annotation_id_of(ann_id),
            created=item.get("created"), modified=item.get("modified"),
        ))
