"""Check a brat export with brat's own code: its ``annotation.py`` parser and
``verify_annotations.py`` verifier.

    python brat_check.py BRAT_DIR EXPORT_DIR

BRAT_DIR is a brat checkout (github.com/nlplab/brat; ``server/src`` is what
is used). brat's ``open_textfile`` opens files with mode ``'rU'``, which
Python 3.11 refuses; it is replaced here, at run time, by the same function
without the ``U`` (``codecs.open`` reads in binary mode, so ``U`` never did
anything on Python 3). brat's ``config`` module, written by its installer, is
stood in for by a module whose ``BASE_DIR`` is the export folder.

Prints one JSON object: per ``.ann`` file, the text-bound annotations brat
parsed (id, type, spans, text, the document text at the spans), its notes,
and the verifier's issues.
"""

from __future__ import annotations

import json
import sys
import types
from codecs import open as codecs_open
from pathlib import Path


def open_textfile(filename, mode="r"):
    return codecs_open(filename, mode.replace("U", ""), encoding="utf8", errors="strict")


def main() -> int:
    brat_dir, export_dir = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    sys.path.insert(0, str(brat_dir / "server" / "src"))
    config = types.ModuleType("config")
    # brat looks for annotation.conf from a document's folder up to BASE_DIR.
    config.BASE_DIR = str(export_dir)
    config.DATA_DIR = str(export_dir)
    config.WORK_DIR = str(export_dir)
    config.DEBUG = False
    sys.modules["config"] = config
    import annotation
    import verify_annotations
    from projectconfig import ProjectConfiguration

    annotation.open_textfile = open_textfile
    sys.modules["projectconfig"].open_textfile = open_textfile
    result = {}
    for ann in sorted(export_dir.rglob("*.ann")):
        entry: dict = {"textbounds": [], "notes": [], "issues": [], "error": None}
        try:
            conf = ProjectConfiguration(str(ann.parent))
            with annotation.TextAnnotations(str(ann.with_suffix("")), read_only=True) as doc:
                text = doc.get_document_text()
                for bound in doc.get_textbounds():
                    entry["textbounds"].append({
                        "id": bound.id, "type": bound.type, "spans": bound.spans, "text": bound.text,
                        "document": " ".join(text[start:end] for start, end in bound.spans)})
                for note in doc.get_oneline_comments():
                    entry["notes"].append({"target": note.target, "type": note.type, "text": note.tail.strip()})
                entry["issues"] = [issue.human_readable_str()
                                   for issue in verify_annotations.verify_annotation(doc, conf)]
        except Exception as err:  # noqa: BLE001 - reported to the test, which fails on it
            entry["error"] = f"{type(err).__name__}: {err}"
        result[str(ann.relative_to(export_dir))] = entry
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
