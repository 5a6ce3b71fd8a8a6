"""Label Studio JSON tasks: ``data.text`` and ``annotations[].result[]`` of type ``labels``.

One task per article and one annotation per annotator. Label Studio counts
offsets in UTF-16 code units (JavaScript strings), the default here. A note
travels as a per-region ``textarea`` result with the same region id, which
is how Label Studio keeps per-region text.
"""

from __future__ import annotations

import json

from tui.formats.common import Candidate
from tui.formats.offsets import Utf16Map

FROM_LABEL = "label"
FROM_NOTE = "note"
TO_NAME = "text"


def export(groups, out, options) -> int:
    count = 0
    out.write("[")
    first = True
    for task_id, (article, records) in enumerate(groups, start=1):
        convert = Utf16Map(article.text) if options.offsets == "utf16" else None
        by_annotator: dict[str, list] = {}
        for record in records:
            start, end = record["start"], record["end"]
            if convert is not None:
                start, end = convert.to_utf16(start), convert.to_utf16(end)
            region = record["id"]
            results = by_annotator.setdefault(record["annotator"], [])
            results.append({
                "id": region, "from_name": FROM_LABEL, "to_name": TO_NAME, "type": "labels",
                "value": {"start": start, "end": end, "text": record["quote"],
                          "labels": [record["label"]]},
            })
            if record["note"]:
                results.append({
                    "id": region, "from_name": FROM_NOTE, "to_name": TO_NAME, "type": "textarea",
                    "value": {"start": start, "end": end, "text": [record["note"]]},
                })
            count += 1
        task = {
            "id": task_id,
            "data": {"text": article.text, "article_id": article.id, "title": article.title,
                     "source": article.source},
            "annotations": [
                {"result": results, "completed_by": {"email": annotator},
                 "meta": {"annotator": annotator, "offset_unit": options.offsets}}
                for annotator, results in sorted(by_annotator.items())
            ],
        }
        out.write(("\n" if first else ",\n") + json.dumps(task, ensure_ascii=False))
        first = False
    out.write("\n]\n")
    return count


def parse(path: str, handle, options) -> list[Candidate]:
    try:
        tasks = json.load(handle)
    except json.JSONDecodeError as err:
        return [Candidate(f"{path}:{err.lineno}", error=f"not JSON ({err.msg})")]
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        return [Candidate(path, error="expected a JSON list of tasks")]
    found = []
    for index, task in enumerate(tasks, start=1):
        where = f"{path}: task {index}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            found.append(Candidate(where, error='needs "data": {"text": ...}'))
            continue
        for annotation in task.get("annotations", []) or []:
            meta = annotation.get("meta") or {}
            annotator = meta.get("annotator") or (annotation.get("completed_by") or {}).get("email") \
                if isinstance(annotation.get("completed_by"), dict) else meta.get("annotator")
            unit = meta.get("offset_unit", options.offsets)
            notes = {r.get("id"): r for r in annotation.get("result", [])
                     if isinstance(r, dict) and r.get("type") == "textarea"}
            for result in annotation.get("result", []):
                if not isinstance(result, dict) or result.get("type") != "labels":
                    continue
                value = result.get("value") or {}
                labels = value.get("labels") or []
                if not (isinstance(value.get("start"), int) and isinstance(value.get("end"), int)
                        and labels):
                    found.append(Candidate(where, error=f"region {result.get('id')}: needs start, end, labels"))
                    continue
                note_result = notes.get(result.get("id"))
                note = ""
                if note_result is not None:
                    note = "\n".join((note_result.get("value") or {}).get("text") or [])
                for label in labels:
                    found.append(Candidate(where, article_id=data.get("article_id"), text=data["text"],
                                           start=value["start"], end=value["end"], unit=unit,
                                           label=label, note=note, annotator=annotator,
                                           quote=value.get("text")))
    return found
