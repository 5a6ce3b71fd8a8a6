"""Label Studio JSON tasks: ``data.text`` and ``annotations[].result[]`` of type ``labels``.

A JSON list, one task per article (each on its own line, so messages can
name it), one annotation per annotator. Label Studio 1.23's Text tag counts
offsets in code points (its RichText ``domManager`` splits text with
``[...text]``), so that is the default; ``--offsets utf16`` exists for other
browser tools that read these tasks. A note travels as a ``textarea`` result
with the region's id, which is how Label Studio keeps per-region text.

What survives Label Studio's own export: ``data``, the task's ``meta`` and
every result item as written; annotation-level ``meta`` is dropped and
``completed_by`` becomes Label Studio's user id (an email it does not know
is refused on import, so none is written). The task's
``meta.redline`` therefore carries what Label Studio would lose: the
annotator of each region (keyed by region id, which is the annotation id),
the offset unit, and for entity corrections and accepted suggestions the
region's kind and the rule or model that suggested it (such a region is also
``origin: "prediction"``, Label Studio's own mark of a proposed region).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from tui.core.formats.common import Candidate, Groups, Options, read_json_array
from tui.core.formats.offsets import Utf16Map
from tui.core.jsonout import dumps
from tui.core.record import SPAN, kind_of

DEFAULT_UNIT = "codepoint"
FROM_LABEL = "label"
FROM_NOTE = "note"
TO_NAME = "text"
META_KEY = "redline"


def export(groups: Groups, out: TextIO, options: Options) -> int:
    count = 0
    out.write("[")
    first = True
    for article, records in groups:
        convert = Utf16Map(article.text) if options.offsets == "utf16" else None
        by_annotator: dict[str, list] = {}
        annotators: dict[str, str] = {}
        kinds: dict[str, str] = {}
        suggested: dict[str, str] = {}
        for record in records:
            start, end = record["start"], record["end"]
            if convert is not None:
                start, end = convert.span_to_utf16(start, end, record["quote"])
            region = record["id"]
            annotators[region] = record["annotator"]
            results = by_annotator.setdefault(record["annotator"], [])
            item = {
                "id": region, "from_name": FROM_LABEL, "to_name": TO_NAME, "type": "labels",
                "value": {"start": start, "end": end, "text": record["quote"],
                          "labels": [record["label"]]},
            }
            if kind_of(record) != SPAN:
                kinds[region] = kind_of(record)
            if "suggested_by" in record:
                item["origin"] = "prediction"  # Label Studio's mark of a region a model proposed
                suggested[region] = record["suggested_by"]
            results.append(item)
            if record["note"]:
                results.append({
                    "id": region, "from_name": FROM_NOTE, "to_name": TO_NAME, "type": "textarea",
                    "value": {"start": start, "end": end, "text": [record["note"]]},
                })
            count += 1
        task = {
            "data": {"text": article.text, "article_id": article.id, "title": article.title,
                     "source": article.source},
            "meta": {META_KEY: {"offset_unit": options.offsets, "annotators": annotators,
                                **({"kinds": kinds} if kinds else {}),
                                **({"suggested_by": suggested} if suggested else {})}},
            "annotations": [{"result": results} for _, results in sorted(by_annotator.items())],
        }
        out.write(("\n" if first else ",\n") + dumps(task))
        first = False
    out.write("\n]\n")
    return count


def _annotator(annotation: dict, region: object, known: dict) -> str | None:
    """Who made a region: redline's own record of it, else what Label Studio says."""
    if isinstance(region, str) and isinstance(known.get(region), str):
        return known[region]
    meta = annotation.get("meta")  # files written by earlier redline versions
    if isinstance(meta, dict) and isinstance(meta.get("annotator"), str):
        return meta["annotator"]
    who = annotation.get("completed_by")
    if isinstance(who, dict) and isinstance(who.get("email"), str):
        return who["email"]
    if isinstance(who, int) and not isinstance(who, bool):
        # Label Studio's export names its users by number only.
        return f"labelstudio-user-{who}"
    return None


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _redline_meta(task: dict) -> dict:
    meta = task.get("meta")
    found = meta.get(META_KEY) if isinstance(meta, dict) else None
    return found if isinstance(found, dict) else {}


def parse(path: str, handle, options) -> Iterator[Candidate]:
    task: Any  # parsed JSON: checked below
    for where, task, error in read_json_array(path, handle.read()):
        if error:
            yield Candidate(where, error=error)
            continue
        data: Any = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            yield Candidate(where, error='a task needs "data": {"text": ...}')
            continue
        article_id = data.get("article_id") if isinstance(data.get("article_id"), str) else None
        annotations = task.get("annotations") or []
        if not isinstance(annotations, list):
            yield Candidate(where, error='"annotations" must be a list')
            continue
        ours = _redline_meta(task)
        known: dict = ours["annotators"] if isinstance(ours.get("annotators"), dict) else {}
        kinds: dict = ours["kinds"] if isinstance(ours.get("kinds"), dict) else {}
        suggested: dict = ours["suggested_by"] if isinstance(ours.get("suggested_by"), dict) else {}
        task_unit = ours.get("offset_unit", options.offsets)
        for annotation in annotations:
            if not isinstance(annotation, dict) or not isinstance(annotation.get("result", []), list):
                yield Candidate(where, error='an annotation needs a "result" list')
                continue
            if annotation.get("was_cancelled"):
                continue
            meta: Any = annotation.get("meta") if isinstance(annotation.get("meta"), dict) else {}
            unit = meta.get("offset_unit", task_unit)
            results = [r for r in annotation.get("result", []) if isinstance(r, dict)]
            notes = {r.get("id"): r for r in results if r.get("type") == "textarea"}
            for result in results:
                if result.get("type") != "labels":
                    continue
                value: Any = result.get("value") if isinstance(result.get("value"), dict) else {}
                labels = value.get("labels")
                if not (_int(value.get("start")) and _int(value.get("end")) and isinstance(labels, list)
                        and labels and all(isinstance(label, str) for label in labels)):
                    yield Candidate(where, error=f"region {result.get('id')!r}: value needs integer "
                                                 "start and end and a list of labels")
                    continue
                note = ""
                note_value = (notes.get(result.get("id")) or {}).get("value")
                if isinstance(note_value, dict) and isinstance(note_value.get("text"), list):
                    note = "\n".join(str(line) for line in note_value["text"])
                quote = value.get("text") if isinstance(value.get("text"), str) else None
                region = result.get("id")
                # A region redline wrote keeps its annotation id; one made in Label Studio gets
                # a stable id from its span (Label Studio's region ids are short and per task).
                ann_id = region if isinstance(region, str) and region in known and len(labels) == 1 else None
                ours_too = isinstance(region, str) and region in known
                kind = kinds.get(region, SPAN) if ours_too else SPAN
                by = suggested.get(region) if ours_too else None
                for label in labels:
                    yield Candidate(where, article_id=article_id, text=data["text"],
                                    start=value["start"], end=value["end"], unit=unit, label=label,
                                    note=note, annotator=_annotator(annotation, region, known),
                                    quote=quote, ann_id=ann_id, kind=kind if isinstance(kind, str) else SPAN,
                                    suggested_by=by if isinstance(by, str) else None)
