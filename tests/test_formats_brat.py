"""brat standoff: .txt byte for byte, T lines, fragments across line breaks, notes, conf."""

from __future__ import annotations

from pathlib import Path

from tests.test_formats_native import article, sample, span
from tui.core.formats import brat
from tui.core.formats.common import Options


def parse_ann(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def test_txt_is_the_article_and_every_t_line_gives_its_text(tmp_path: Path) -> None:
    art, records = sample()
    count = brat.export_dir([(art, records)], tmp_path, Options())
    assert count == len(records)
    assert (tmp_path / "a1.txt").read_bytes() == art.text.encode("utf-8")
    text = (tmp_path / "a1.txt").read_bytes().decode("utf-8")
    rows = parse_ann(tmp_path / "a1.ann")
    spans = [row for row in rows if row[0].startswith("T")]
    assert len(spans) == len(records)
    for row in spans:
        kind, where = row[1].split(" ", 1)
        pieces = [tuple(map(int, part.split())) for part in where.split(";")]
        assert " ".join(text[s:e] for s, e in pieces) == row[2]
        assert all("\n" not in text[s:e] and "\r" not in text[s:e] for s, e in pieces)
    crossing = next(row for row in spans if ";" in row[1])
    assert crossing[2] == "no. The"
    notes = [row for row in rows if row[0].startswith("#")]
    assert len(notes) == 1 and notes[0][1].startswith("AnnotatorNotes T") and notes[0][2] == "thumbs up"


def test_labels_become_brat_types_listed_in_the_conf(tmp_path: Path) -> None:
    art, records = sample()
    brat.export_dir([(art, records)], tmp_path, Options())
    conf = (tmp_path / "annotation.conf").read_text().splitlines()
    entities = conf[conf.index("[entities]") + 1:conf.index("[relations]")]
    assert [e for e in entities if e] == ["claim", "factual_error", "quote"]
    kinds = {row[1].split(" ")[0] for row in parse_ann(tmp_path / "a1.ann") if row[0].startswith("T")}
    assert kinds == {"claim", "factual_error", "quote"}


def test_ids_that_are_paths_become_safe_distinct_names(tmp_path: Path) -> None:
    first = article("One text.", "news/2026/../story one.txt")
    second = article("Two text.", "news/2026/__/story_one.txt")
    brat.export_dir([(first, [span(first, "One")]), (second, [span(second, "Two")])], tmp_path, Options())
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 5 and all("/" not in n and not n.startswith((".", "-")) for n in names)
    assert brat.safe_name("plain_id") == "plain_id"


def test_conf_allows_identical_nested_and_crossing_spans_of_different_types(tmp_path: Path) -> None:
    art, records = sample()
    brat.export_dir([(art, records)], tmp_path, Options())
    conf = (tmp_path / "annotation.conf").read_text().splitlines()
    relations = conf[conf.index("[relations]") + 1:conf.index("[events]")]
    assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>" in relations


def test_notes_carry_no_control_characters_and_stay_one_line(tmp_path: Path) -> None:
    art = article("Tokyo said no.")
    hostile = "bell\x07 escape\x1b[31m red\u2028next\x85line\x0cpage\x9b csi \u202e"
    brat.export_dir([(art, [span(art, "Tokyo", note=hostile)])], tmp_path, Options())
    raw = (tmp_path / "a1.ann").read_text(encoding="utf-8")
    (note,) = [line for line in raw.split("\n") if line.startswith("#")]
    assert not any(ord(ch) < 0x20 and ch != "\t" or 0x7F <= ord(ch) <= 0x9F for ch in note)
    assert "\u202e" not in note and "\u2028" not in note
    assert note.split("\t")[2] == "bell␇ escape␛[31m red next line page\ufffd csi \ufffd"
    assert raw.splitlines() == raw.rstrip("\n").split("\n")  # brat's readlines sees the same lines


def test_spans_are_cut_at_every_break_brat_reads_as_a_line_end(tmp_path: Path) -> None:
    art = article("One line\u2028two\x0cthree and\x85four.")
    brat.export_dir([(art, [span(art, "line\u2028two\x0cthree"), span(art, "and\x85four")])],
                    tmp_path, Options())
    raw = (tmp_path / "a1.ann").read_text(encoding="utf-8")
    assert raw.splitlines() == raw.rstrip("\n").split("\n")
    rows = [line.split("\t") for line in raw.splitlines()]
    assert [row[2] for row in rows] == ["line two three", "and four"]


def test_a_span_of_line_breaks_only_is_left_out_with_a_warning(tmp_path: Path) -> None:
    art = article("One.\r\n\r\nTwo.")
    options = Options()
    count = brat.export_dir([(art, [span(art, "\r\n\r\n"), span(art, "Two")])], tmp_path, options)
    assert count == 1 and "only line breaks" in options.warnings[0]
    assert (tmp_path / "a1.ann").read_text().count("\n") == 1
