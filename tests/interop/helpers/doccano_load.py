"""Import a doccano JSONL file with doccano's own dataset loader; print what doccano stored.

Run with a Python that has doccano installed (``pip install doccano==1.8.4``):

    python doccano_load.py FILE ... [--allow-overlapping] [--export DIR]

It builds a throwaway doccano (SQLite in a temporary folder), creates a
sequence labelling project, and runs ``data_import.datasets.load_dataset(...)
.save(user)``, the code behind doccano's upload page, with the options that
page sends by default for JSONL (its catalog's defaults: encoding utf_8,
columns text and label). It prints one JSON object: the examples with their text,
meta and stored spans (``start_offset``, ``end_offset``, label), and the
loader's errors. With ``--export DIR``, each project is also exported with
doccano's own exporter (``data_export.celery_tasks.export_dataset``, JSONL,
run in this process) to ``DIR/<n>.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--allow-overlapping", action="store_true")
    parser.add_argument("--export", metavar="DIR")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="doccano-")
    import backend

    base = Path(backend.__file__).parent
    sys.path.append(str(base))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ["DATABASE_URL"] = f"sqlite:///{home}/db.sqlite3"
    os.environ["MEDIA_ROOT"] = os.path.join(home, "media")
    os.environ["STANDALONE"] = "True"
    import django
    from django.core import management

    django.setup()
    management.call_command("migrate", verbosity=0)

    from data_import.datasets import load_dataset
    from data_import.pipeline.catalog import JSONL, Options, create_file_format
    from data_import.pipeline.readers import FileName
    from django.contrib.auth.models import User
    from examples.models import Example
    from labels.models import Span
    from projects.models import ProjectType, SequenceLabelingProject

    user = User.objects.create_user(username="redline", password="x")
    result = {"version": None, "projects": []}
    try:
        from importlib.metadata import version

        result["version"] = version("doccano")
    except Exception:  # noqa: BLE001 - the version is for the report only
        pass
    for number, path in enumerate(args.files):
        project = SequenceLabelingProject.objects.create(
            name=f"redline {number}", description="interop", project_type=ProjectType.SEQUENCE_LABELING,
            created_by=user, allow_overlapping=args.allow_overlapping,
            collaborative_annotation=True)  # one export for the project, as an admin would get
        name = Path(path).name
        (option,) = [o for o in Options.options[ProjectType.SEQUENCE_LABELING] if o.file_format is JSONL]
        defaults = option.arg().model_dump()
        dataset = load_dataset(ProjectType.SEQUENCE_LABELING, create_file_format("JSONL"),
                               [FileName(full_path=path, generated_name=name, upload_name=name)], project,
                               **defaults)
        dataset.save(user)
        examples = []
        for example in Example.objects.filter(project=project).order_by("id"):
            spans = Span.objects.filter(example=example).order_by("start_offset", "end_offset", "id")
            examples.append({"text": example.text, "meta": example.meta,
                             "spans": [[s.start_offset, s.end_offset, s.label.text] for s in spans]})
        entry = {"file": path, "examples": examples, "options": defaults,
                 "errors": [str(e.dict()) for e in dataset.errors]}
        if args.export:
            from data_export.celery_tasks import export_dataset

            archive = export_dataset(project.id, "JSONL")
            target = Path(args.export) / f"{number}.jsonl"
            with zipfile.ZipFile(archive) as files:
                (name_in_zip,) = files.namelist()
                target.write_bytes(files.read(name_in_zip))
            entry["export"] = str(target)
        result["projects"].append(entry)
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
