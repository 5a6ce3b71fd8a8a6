"""redline export and import through the command line and the real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from tui.cli.main import main
from tui.core.corpus import load_corpus
from tui.core.record import new_annotation
from tui.core.store import Store

TEXTS = {
    "emoji": "Leaders 👍🏽 agreed. The 🇯🇵 delegation said 東京 would host.\r\nNobody objected 👨‍👩‍👧.",
    "plain": "The minister said the budget was balanced. Critics disagreed.",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / f"{name}.txt").write_bytes(text.encode("utf-8"))
    return folder


def annotate(corpus: Path, store: Path) -> list[dict]:
    articles = load_corpus([corpus]).by_id
    spans = [("emoji", "東京", "claim", "ann", ""), ("emoji", "🇯🇵 delegation", "quote", "bob", "who?"),
             ("emoji", "agreed. The", "claim", "ann", ""), ("emoji", "objected 👨‍👩‍👧", "factual error", "ann", "x"),
             ("plain", "the budget was balanced", "claim", "bob", ""), ("plain", "Critics", "quote", "ann", "")]
    records = []
    for article_id, quote, label, annotator, note in spans:
        art = articles[article_id]
        start = art.text.index(quote)
        records.append(new_annotation(article_id=art.id, text=art.text, article_sha256=art.sha256,
                                      start=start, end=start + len(quote), label=label,
                                      annotator=annotator, note=note))
    Store(store).add_many(records)
    return records


def run(*argv, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(corpus: Path, tmp_path: Path) -> tuple[Path, Path, list[dict]]:
    store = tmp_path / "store"
    return corpus, store, annotate(corpus, store)


def test_native_round_trip_is_byte_identical(filled, tmp_path, capsys) -> None:
    corpus, store, records = filled
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    code, _, err = run("export", "--store", store, "--corpus", corpus, "--out", first, capsys=capsys)
    assert code == 0 and err.strip().splitlines()[-1] == "exported 6 annotations from 2 articles (native)"
    code, _, err = run("import", first, "--store", tmp_path / "fresh", "--corpus", corpus, capsys=capsys)
    assert code == 0 and err.startswith("6 imported, 0 already present")
    run("export", "--store", tmp_path / "fresh", "--corpus", corpus, "--out", second, capsys=capsys)
    assert first.read_bytes() == second.read_bytes()
    assert sorted(json.loads(line)["id"] for line in first.read_text().splitlines()) == sorted(
        r["id"] for r in records)
    code, _, err = run("import", first, "--store", tmp_path / "fresh", "--corpus", corpus, capsys=capsys)
    assert code == 0 and err.startswith("0 imported, 6 already present")


def test_stdout_by_default_and_filters_combine(filled, capsys) -> None:
    corpus, store, _ = filled
    code, out, _ = run("export", "--store", store, "--corpus", corpus, "--label", "claim",
                       "--annotator", "ann", capsys=capsys)
    assert code == 0
    got = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["quote"] for r in got) == ["agreed. The", "東京"]
    _, out, err = run("export", "--store", store, "--corpus", corpus, "--article", "plain",
                      "--label", "quote", "--label", "claim", capsys=capsys)
    assert len(out.splitlines()) == 2 and "from 1 article (native)" in err


@pytest.mark.parametrize("fmt", ["prodigy", "doccano", "labelstudio", "w3c"])
def test_each_format_imports_back_into_an_empty_store(fmt, filled, tmp_path, capsys) -> None:
    corpus, store, records = filled
    path = tmp_path / f"out.{fmt}"
    code, _, err = run("export", "--store", store, "--corpus", corpus, "--format", fmt, "--out", path,
                       capsys=capsys)
    assert code == 0 and f"({fmt}" in err
    code, _, err = run("import", path, "--format", fmt, "--store", tmp_path / "again", "--corpus", corpus,
                       capsys=capsys)
    assert code == 0, err
    back = list(Store(tmp_path / "again").iter_all())
    assert len(back) == len(records)
    texts = {a.id: a.text for a in load_corpus([corpus]).articles}
    assert all(texts[r["article_id"]][r["start"]:r["end"]] == r["quote"] for r in back)
    if fmt != "prodigy":  # prodigy widens spans to whole tokens
        assert sorted(r["quote"] for r in back) == sorted(r["quote"] for r in records)
    code, _, err = run("import", path, "--format", fmt, "--store", tmp_path / "again", "--corpus", corpus,
                       capsys=capsys)
    assert code == 0 and err.startswith("0 imported")


def test_prodigy_export_loads_into_spacy(filled, capsys) -> None:
    corpus, store, records = filled
    _, out, _ = run("export", "--store", store, "--corpus", corpus, "--format", "prodigy", capsys=capsys)
    nlp = spacy.blank("en")
    spans = 0
    for line in out.splitlines():
        task = json.loads(line)
        doc = nlp.make_doc(task["text"])
        doc.spans["sc"] = [doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
                           for s in task["spans"]]
        assert all(span is not None for span in doc.spans["sc"])
        spans += len(doc.spans["sc"])
    assert spans == len(records)


def test_doccano_defaults_to_utf16_and_codepoint_on_request(filled, capsys) -> None:
    corpus, store, _ = filled
    _, out16, err = run("export", "--store", store, "--corpus", corpus, "--format", "doccano", capsys=capsys)
    assert "(doccano, utf16 offsets)" in err
    _, outcp, _ = run("export", "--store", store, "--corpus", corpus, "--format", "doccano",
                      "--offsets", "codepoint", capsys=capsys)
    line16 = json.loads(out16.splitlines()[0])
    linecp = json.loads(outcp.splitlines()[0])
    assert line16["offset_unit"] == "utf16" and linecp["offset_unit"] == "codepoint"
    assert line16["label"] != linecp["label"]
    code, _, err = run("export", "--store", store, "--corpus", corpus, "--format", "w3c", "--offsets", "utf16",
                       capsys=capsys)
    assert code == 2 and "code points" in err


def test_brat_folder_txt_byte_for_byte(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    out = tmp_path / "brat"
    code, _, _ = run("export", "--store", store, "--corpus", corpus, "--format", "brat", "--out", out,
                     capsys=capsys)
    assert code == 0
    for name in TEXTS:
        assert (out / f"{name}.txt").read_bytes() == (corpus / f"{name}.txt").read_bytes()
        assert (out / f"{name}.ann").read_text().startswith("T1\t")
    assert run("export", "--store", store, "--corpus", corpus, "--format", "brat", capsys=capsys)[0] == 2


def test_changed_article_is_reanchored_on_export(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    (corpus / "plain.txt").write_text("UPDATE: " + TEXTS["plain"], encoding="utf-8")
    code, out, err = run("export", "--store", store, "--corpus", corpus, "--article", "plain", capsys=capsys)
    assert code == 0 and "2 re-anchored" in err
    text = "UPDATE: " + TEXTS["plain"]
    for record in map(json.loads, out.splitlines()):
        assert text[record["start"]:record["end"]] == record["quote"]


def test_unplaceable_or_missing_article_fails_unless_skipped(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    (corpus / "plain.txt").write_text("Entirely different words now.", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    code, _, err = run("export", "--store", store, "--corpus", corpus, "--out", target, capsys=capsys)
    assert code == 2 and "cannot be re-anchored" in err and not target.exists()
    assert not list(tmp_path.glob(".out.jsonl*"))
    code, _, err = run("export", "--store", store, "--corpus", corpus, "--out", target, "--skip-mismatched",
                       capsys=capsys)
    assert code == 1 and "2 left out" in err and len(target.read_text().splitlines()) == 4
    (corpus / "plain.txt").unlink()
    code, _, err = run("export", "--store", store, "--corpus", corpus, capsys=capsys)
    assert code == 2 and "'plain'" in err and "not in the corpus" in err


def bad_import(tmp_path, corpus, lines, capsys, *extra) -> str:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run("import", path, "--store", tmp_path / "target", "--corpus", corpus, *extra,
                       capsys=capsys)
    assert code == 2
    assert not list(Store(tmp_path / "target").iter_all())
    return err


def test_bad_imports_name_their_lines_and_import_nothing(filled, tmp_path, capsys) -> None:
    corpus, store, records = filled
    _, out, _ = run("export", "--store", store, "--corpus", corpus, capsys=capsys)
    good = out.splitlines()
    first = json.loads(good[0])
    cases = [
        "{not json",
        json.dumps({k: v for k, v in first.items() if k != "label"}),
        json.dumps({**first, "id": "x1", "start": 500, "end": 500 + len(first["quote"])}),
        json.dumps({**first, "id": "x2", "quote": "X" * len(first["quote"])}),
        json.dumps({**first, "id": "x3", "article_id": "nowhere"}),
        json.dumps({**first, "id": "x4", "label": "gossip"}),
    ]
    err = bad_import(tmp_path, corpus, [good[1], *cases], capsys)
    name = tmp_path / "bad.jsonl"
    assert f"{name}:2: not JSON" in err
    assert f"{name}:3: missing field(s): label" in err
    assert f"{name}:4:" in err and "outside" in err
    assert f"{name}:5: quote 'XX" in err and "does not match" in err
    assert f"{name}:6: unknown article 'nowhere'" in err
    assert f"{name}:7: unknown label 'gossip'" in err
    assert "nothing imported: 6 bad records" in err.splitlines()[-1]


def test_add_labels_accepts_unknown_labels(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    _, out, _ = run("export", "--store", store, "--corpus", corpus, capsys=capsys)
    line = json.loads(out.splitlines()[0])
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps({**line, "id": "n1", "label": "gossip"}) + "\n", encoding="utf-8")
    code, _, err = run("import", path, "--store", tmp_path / "t", "--corpus", corpus, "--add-labels",
                       capsys=capsys)
    assert code == 0 and "1 imported" in err and "gossip" in err


def test_error_list_is_capped(filled, tmp_path, capsys) -> None:
    corpus, _, _ = filled
    err = bad_import(tmp_path, corpus, ["{"] * 30, capsys)
    assert err.count(": not JSON") == 20 and "... and 10 more" in err


def test_utf16_import_inside_a_surrogate_pair_is_an_error(filled, tmp_path, capsys) -> None:
    corpus, _, _ = filled
    text = TEXTS["emoji"]
    inside = len(text[:text.index("👍")].encode("utf-16-le")) // 2 + 1
    line = json.dumps({"text": text, "label": [[inside, inside + 3, "claim"]]})
    err = bad_import(tmp_path, corpus, [line], capsys, "--format", "doccano")
    assert f"{tmp_path / 'bad.jsonl'}:1: UTF-16 offset {inside} falls inside a surrogate pair" in err


def test_doccano_by_text_with_annotator_option(filled, tmp_path, capsys) -> None:
    corpus, _, _ = filled
    text = TEXTS["plain"]
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": text, "label": [[4, 12, "claim"]]}) + "\n", encoding="utf-8")
    code, _, err = run("import", path, "--format", "doccano", "--annotator", "carol",
                       "--store", tmp_path / "t", "--corpus", corpus, capsys=capsys)
    assert code == 0
    (record,) = Store(tmp_path / "t").iter_all()
    assert (record["article_id"], record["quote"], record["annotator"]) == ("plain", "minister", "carol")


def test_native_import_of_changed_article_reanchors(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    _, out, _ = run("export", "--store", store, "--corpus", corpus, "--article", "plain", capsys=capsys)
    path = tmp_path / "n.jsonl"
    path.write_text(out, encoding="utf-8")
    new_text = "UPDATE: " + TEXTS["plain"]
    (corpus / "plain.txt").write_text(new_text, encoding="utf-8")
    code, _, err = run("import", path, "--store", tmp_path / "t", "--corpus", corpus, capsys=capsys)
    assert code == 0 and "2 re-anchored" in err
    assert all(new_text[r["start"]:r["end"]] == r["quote"] for r in Store(tmp_path / "t").iter_all())


@pytest.mark.parametrize("fmt", ["doccano", "prodigy", "spacy", "native"])
def test_per_annotator_writes_one_file_per_annotator(fmt, filled, tmp_path, capsys) -> None:
    corpus, store, records = filled
    suffix = ".spacy" if fmt == "spacy" else ".jsonl"
    out = tmp_path / f"out{suffix}"
    code, _, err = run("export", "--store", store, "--corpus", corpus, "--format", fmt, "--out", out,
                       "--per-annotator", capsys=capsys)
    assert code == 0, err
    assert not out.exists()
    counts = {name: sum(r["annotator"] == name for r in records) for name in ("ann", "bob")}
    for name, expected in counts.items():
        path = tmp_path / f"out.{name}{suffix}"
        assert f"{path} ({expected})" in err
        if fmt == "doccano":
            assert sum(len(json.loads(line)["label"]) for line in path.read_text().splitlines()) == expected
    assert not list(tmp_path.glob(".*partial"))
    code, _, err = run("export", "--store", store, "--corpus", corpus, "--format", fmt, "--per-annotator",
                       capsys=capsys)
    assert code == 2 and "give --out" in err


def test_brat_per_annotator_writes_a_folder_each(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    code, _, err = run("export", "--store", store, "--corpus", corpus, "--format", "brat", "--out",
                       tmp_path / "brat", "--per-annotator", "--annotator", "bob", capsys=capsys)
    assert code == 0 and sorted(p.name for p in (tmp_path / "brat").iterdir()) == ["bob"]
    assert (tmp_path / "brat" / "bob" / "annotation.conf").exists()


def test_export_counts_what_doccano_would_drop(corpus, tmp_path, capsys) -> None:
    art = load_corpus([corpus]).by_id["plain"]
    store = tmp_path / "store"
    Store(store).add_many([
        new_annotation(article_id="plain", text=art.text, article_sha256=art.sha256, start=4, end=12,
                       label=label, annotator=who)
        for label, who in (("claim", "ann"), ("quote", "bob"))])
    _, _, err = run("export", "--store", store, "--corpus", corpus, "--format", "doccano",
                    "--out", tmp_path / "d.jsonl", capsys=capsys)
    assert "doccano: 1 of 2 spans overlap" in err and "drops them" in err


def native_lines(store, corpus, capsys) -> list[dict]:
    _, out, _ = run("export", "--store", store, "--corpus", corpus, capsys=capsys)
    return [json.loads(line) for line in out.splitlines()]


def write_lines(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    return path


def test_an_id_stored_with_other_content_is_a_conflict_unless_update(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    lines = native_lines(store, corpus, capsys)
    before = sorted(map(json.dumps, Store(store).iter_all()))
    other = "quote" if lines[1]["label"] != "quote" else "claim"
    changed = [lines[0], {**lines[1], "note": "rewritten elsewhere", "label": other}]
    path = write_lines(tmp_path / "changed.jsonl", changed)
    code, _, err = run("import", path, "--store", store, "--corpus", corpus, capsys=capsys)
    assert code == 2
    assert f"{path}:2: conflict: id {lines[1]['id']!r} is stored with other content" in err
    assert f"label {lines[1]['label']!r} in the store, {other!r} here" in err and "--update" in err
    assert "nothing imported: 1 conflicting record" in err.splitlines()[-1]
    assert sorted(map(json.dumps, Store(store).iter_all())) == before
    code, _, err = run("import", path, "--store", store, "--corpus", corpus, "--update", capsys=capsys)
    assert code == 0 and "0 imported, 1 already present, 1 replaced" in err
    stored = Store(store).get(lines[1]["article_id"], lines[1]["id"])
    assert (stored["note"], stored["label"]) == ("rewritten elsewhere", other)


def test_one_id_twice_in_a_file_is_a_conflict(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    lines = native_lines(store, corpus, capsys)
    path = write_lines(tmp_path / "twice.jsonl", [lines[0], lines[1], {**lines[0], "note": "other"}])
    code, _, err = run("import", path, "--store", tmp_path / "fresh", "--corpus", corpus, capsys=capsys)
    assert code == 2 and f"{path}:3: conflict: id {lines[0]['id']!r} is also on line 1" in err
    assert not list(Store(tmp_path / "fresh").iter_all())
    same = write_lines(tmp_path / "same.jsonl", [lines[0], lines[0]])
    code, _, err = run("import", same, "--store", tmp_path / "fresh", "--corpus", corpus, capsys=capsys)
    assert code == 2 and f"{same}:2: conflict" in err


def test_hostile_fields_are_rejected_with_their_lines(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    first = native_lines(store, corpus, capsys)[0]
    cases = [
        ({"id": ""}, "empty id"),
        ({"id": "  "}, "empty id"),
        ({"created_at": "yesterday"}, "created_at 'yesterday' is not an RFC 3339 timestamp"),
        ({"updated_at": "2026-13-01T10:00:00Z"}, "updated_at '2026-13-01T10:00:00Z' is not an RFC 3339"),
        ({"created_at": "2026-11-23 10:00"}, "created_at '2026-11-23 10:00' is not an RFC 3339"),
        ({"annotator": "eve\x1b[2J"}, "annotator 'eve\\x1b[2J' holds a control character (U+001B)"),
        ({"annotator": "mallory\u202e"}, "annotator 'mallory\\u202e' holds a control character (U+202E)"),
        ({"label": "claim\x07"}, "label 'claim\\x07' holds a control character (U+0007)"),
        ({"note": "x" * 20_001}, "note of 20,001 characters (the limit is 20,000)"),
    ]
    items = [{**first, "id": f"h{n}", **change} for n, (change, _) in enumerate(cases)]
    err = bad_import(tmp_path, corpus, [json.dumps(item) for item in items], capsys, "--add-labels")
    for number, (_, message) in enumerate(cases, start=1):
        assert f"{tmp_path / 'bad.jsonl'}:{number}: {message}" in err, message
    assert f"nothing imported: {len(cases)} bad records" in err


def test_rfc3339_timestamps_are_stored_in_utc_the_way_redline_writes_them(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    first = native_lines(store, corpus, capsys)[0]
    path = write_lines(tmp_path / "tz.jsonl", [{**first, "created_at": "2026-11-23T12:00:00+02:00",
                                                "updated_at": "2026-11-23t10:00:00.5z"}])
    code, _, err = run("import", path, "--store", tmp_path / "tz", "--corpus", corpus, capsys=capsys)
    assert code == 0, err
    (record,) = Store(tmp_path / "tz").iter_all()
    assert (record["created_at"], record["updated_at"]) == ("2026-11-23T10:00:00.000000Z",
                                                            "2026-11-23T10:00:00.500000Z")


def test_a_file_that_is_not_utf8_is_named_by_line_and_byte_offset(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    _, out, _ = run("export", "--store", store, "--corpus", corpus, capsys=capsys)
    data = out.encode("utf-8")
    lines = data.split(b"\n")
    bad = b"\n".join([*lines[:3], lines[3][:10] + b"\xe9" + lines[3][10:], *lines[4:]])
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(bad)
    offset = len(b"\n".join(lines[:3])) + 1 + 10
    code, _, err = run("import", path, "--store", tmp_path / "t", "--corpus", corpus, capsys=capsys)
    assert code == 2
    assert f"{path}:4: not UTF-8: byte 0xe9 at offset {offset} of the file (column 11 in bytes)" in err
    assert not list(Store(tmp_path / "t").iter_all())


def test_export_refuses_the_store_devices_folders_and_missing_folders(filled, tmp_path, capsys) -> None:
    corpus, store, _ = filled
    article_file = Store(store).path_for("emoji")
    before = article_file.read_bytes()
    folder = tmp_path / "a folder"
    folder.mkdir()
    cases = {
        str(article_file): "inside the store",
        "/dev/null": "not a regular file",
        str(folder): "not a regular file",
        str(tmp_path / "missing" / "out.jsonl"): "no such folder",
    }
    for out, why in cases.items():
        code, _, err = run("export", "--store", store, "--corpus", corpus, "--out", out,
                           capsys=capsys)
        assert code == 2 and why in err and err.count("\n") == 1, (out, err)
    assert article_file.read_bytes() == before
    assert Path("/dev/null").is_char_device()
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "missing").exists()


def test_export_through_a_link_replaces_the_file_and_keeps_the_link(filled, tmp_path, capsys) -> None:
    corpus, store, records = filled
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    code, _, err = run("export", "--store", store, "--corpus", corpus, "--out", link, capsys=capsys)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert len(real.read_text(encoding="utf-8").splitlines()) == len(records)
