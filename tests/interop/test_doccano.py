"""doccano 1.8.4's own dataset loader imports the doccano export; every span it keeps is on the
right text when read in UTF-16 code units (as its annotator, v-annotator, reads them), and it
drops exactly the spans the export said it would."""

from __future__ import annotations

import json
import re
import subprocess

from tests.interop.conftest import HELPERS, SIDE, export, side_tool


def doccano_load(python, files, *extra) -> dict:
    result = subprocess.run([str(python), str(HELPERS / "doccano_load.py"), *map(str, files), *extra],
                            capture_output=True, text=True, encoding="utf-8", timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def utf16(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def stored(project: dict, records: list[dict], articles: dict) -> int:
    count = 0
    for example in project["examples"]:
        article = articles[example["meta"]["article_id"]]
        assert example["text"] == article.text
        quotes = {(r["quote"], r["label"]) for r in records if r["article_id"] == article.id}
        for start, end, label in example["spans"]:
            assert (utf16(example["text"], start, end), label) in quotes
            count += 1
    return count


def dropped_per_export(err: str) -> int:
    found = re.search(r"doccano: (\d+) of \d+ spans overlap", err)
    return int(found.group(1)) if found else 0


def test_doccano_loader_keeps_every_span_it_was_told_it_would(test_set, tmp_path) -> None:
    python = side_tool("REDLINE_DOCCANO_PYTHON", SIDE / "doccano-venv" / "bin" / "python",
                       "a Python with doccano 1.8.4")
    path = tmp_path / "doccano.jsonl"
    err = export(test_set, "doccano", path)
    dropped = dropped_per_export(err)
    assert dropped > 0  # two annotators in one list: the test set overlaps on purpose
    result = doccano_load(python, [path])
    assert result["version"] == "1.8.4"
    (project,) = result["projects"]
    assert project["errors"] == []
    assert stored(project, test_set.records, test_set.articles) == len(test_set.records) - dropped
    overlapping = doccano_load(python, [path], "--allow-overlapping")["projects"][0]
    assert stored(overlapping, test_set.records, test_set.articles) == len(test_set.records)


def test_per_annotator_files_lose_only_what_each_annotator_overlapped(test_set, tmp_path) -> None:
    python = side_tool("REDLINE_DOCCANO_PYTHON", SIDE / "doccano-venv" / "bin" / "python",
                       "a Python with doccano 1.8.4")
    err = export(test_set, "doccano", tmp_path / "doccano.jsonl", "--per-annotator")
    files = [tmp_path / "doccano.alice.jsonl", tmp_path / "doccano.bob.jsonl"]
    dropped = sum(int(n) for n in re.findall(r"doccano: (\d+) of \d+ spans overlap", err))
    result = doccano_load(python, files)
    kept = sum(stored(p, test_set.records, test_set.articles) for p in result["projects"])
    assert kept == len(test_set.records) - dropped
    assert dropped < dropped_per_export(export(test_set, "doccano", tmp_path / "all.jsonl"))


def test_doccanos_own_export_imports_back_without_notes_or_annotators(test_set, tmp_path) -> None:
    from tests.interop.conftest import redline
    from tui.core.store import Store

    python = side_tool("REDLINE_DOCCANO_PYTHON", SIDE / "doccano-venv" / "bin" / "python",
                       "a Python with doccano 1.8.4")
    path = tmp_path / "doccano.jsonl"
    export(test_set, "doccano", path)
    result = doccano_load(python, [path], "--allow-overlapping", "--export", tmp_path)
    exported = tmp_path / "0.jsonl"
    assert result["projects"][0]["export"] == str(exported)
    fresh = tmp_path / "fresh"
    done = redline("import", exported, "--format", "doccano", "--annotator", "doccano", "--store", fresh,
                   "--corpus", test_set.corpus)
    # Identical spans with one label by two annotators are one annotation once annotators are gone.
    distinct = {(r["article_id"], r["start"], r["end"], r["label"]) for r in test_set.records}
    assert done.stderr.startswith(f"{len(distinct)} imported"), done.stderr
    back = list(Store(fresh).iter_all())
    assert {(r["article_id"], r["start"], r["end"], r["label"]) for r in back} == distinct
    assert {r["annotator"] for r in back} == {"doccano"} and not any(r["note"] for r in back)
