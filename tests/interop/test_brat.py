"""brat's own parser and verifier read the brat export: every span on its text, no errors."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.interop.conftest import HELPERS, SIDE, export, side_tool
from tui.core.formats.brat import note_line, safe_name, safe_type


def brat_check(brat, folder) -> dict:
    result = subprocess.run([sys.executable, str(HELPERS / "brat_check.py"), str(brat), str(folder)],
                            capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_brat_reads_and_verifies_the_export(test_set, tmp_path) -> None:
    brat = side_tool("REDLINE_BRAT", SIDE / "brat", "a brat checkout (github.com/nlplab/brat)")
    out = tmp_path / "brat"
    export(test_set, "brat", out)
    found = brat_check(brat, out)
    assert len(found) == len(test_set.articles)
    spans = 0
    for article_id, article in test_set.articles.items():
        entry = found[f"{safe_name(article_id)}.ann"]
        assert entry["error"] is None
        assert entry["issues"] == []  # identical, nested and crossing spans of different types allowed
        records = sorted((r for r in test_set.records if r["article_id"] == article_id),
                         key=lambda r: (r["start"], r["end"], r["id"]))
        assert len(entry["textbounds"]) == len(records)
        for bound, record in zip(entry["textbounds"], records, strict=True):
            assert bound["text"] == bound["document"]
            assert bound["type"] == safe_type(record["label"])
            assert bound["spans"][0][0] == record["start"] and bound["spans"][-1][1] == record["end"]
            assert " ".join(article.text[s:e] for s, e in bound["spans"]) == bound["text"]
        notes = {n["target"]: n["text"] for n in entry["notes"]}
        assert sorted(notes.values()) == sorted(note_line(r["note"]) for r in records if r["note"])
        assert all(ch >= " " for text in notes.values() for ch in text)
        spans += len(records)
    assert spans == len(test_set.records)


def test_brat_reads_the_per_annotator_folders(test_set, tmp_path) -> None:
    brat = side_tool("REDLINE_BRAT", SIDE / "brat", "a brat checkout (github.com/nlplab/brat)")
    export(test_set, "brat", tmp_path / "brat", "--per-annotator")
    found = brat_check(brat, tmp_path / "brat")
    for name in ("alice", "bob"):
        entries = {k: v for k, v in found.items() if k.startswith(f"{name}/")}
        assert all(v["error"] is None and v["issues"] == [] for v in entries.values())
        assert sum(len(v["textbounds"]) for v in entries.values()) == len(test_set.by_annotator(name))
