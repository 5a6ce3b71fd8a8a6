"""The interop tier: each export checked by the tool that consumes it.

Run with ``pytest -m interop`` (the default run leaves these out). The
consumers are big installs; ``tests/interop/setup.sh`` puts them in
``.interop/`` (git-ignored), or environment variables point at them:

    REDLINE_LABEL_STUDIO   the label-studio command (Label Studio 1.23.2)
    REDLINE_DOCCANO_PYTHON a Python with doccano 1.8.4 installed
    REDLINE_BRAT           a checkout of github.com/nlplab/brat
    REDLINE_CHROMIUM, REDLINE_CHROMEDRIVER   for the Label Studio editor check
                           (default: chromium and chromedriver on the PATH)

pyld, selenium and spaCy are Python packages of the test environment. A test whose
consumer is missing is skipped, saying what to install.

The test set: annotations by two annotators on the five seeds (identical
spans with different labels, nested spans, a span across a paragraph break,
notes) plus an article whose id holds a space and a slash, with emoji, skin
tones, flags, ZWJ sequences, CJK, combining marks and CRLF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.core.corpus import Article, load_corpus
from tui.core.record import new_annotation
from tui.core.store import Store
from tui.core.text_units import paragraph_spans, sentence_at, words

ROOT = Path(__file__).resolve().parents[2]
SIDE = ROOT / ".interop"
HELPERS = Path(__file__).parent / "helpers"
FIXTURES = Path(__file__).parent / "fixtures"

EMOJI_ID = "world news/tokyo office"
EMOJI_TEXT = (
    "Leaders 👍🏽 agreed in 東京 on Tuesday.\r\n\r\n"
    "The 🇯🇵 delegation and the 👨‍👩‍👧 families of café́ owners objected. "
    "Naïve 👩🏽‍💻 coders said “no” to the plan 🙂.\r\n\r\n"
    "中国外交部发言人表示反对。The 🏳️‍🌈 march went ahead."
)
# (quote, label, annotator, note): the emoji article's spans.
EMOJI_SPANS = [
    ("👍🏽", "quote", "alice", ""),
    ("東京", "claim", "alice", ""),
    ("🇯🇵 delegation", "claim", "alice", "which delegation?\x1b[31m \x07"),
    ("👨‍👩‍👧 families", "quote", "alice", ""),
    ("👩🏽‍💻 coders said “no”", "factual error", "alice", "it was \u201cyes\u201d\nsee the minutes"),
    ("中国外交部发言人", "claim", "bob", ""),
    ("🇯🇵 delegation", "quote", "bob", ""),
    ("café́ owners", "claim", "bob", "café́ with a combining mark"),
    ("🙂", "quote", "bob", ""),
    ("🏳️‍🌈 march", "claim", "bob", ""),
]
LABELS = ("claim", "quote", "factual error")


@dataclass
class TestSet:
    corpus: Path
    store: Path
    records: list[dict]
    articles: dict[str, Article]

    def by_annotator(self, name: str) -> list[dict]:
        return [r for r in self.records if r["annotator"] == name]


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.interop)


def _record(article: Article, start: int, end: int, label: str, annotator: str, note: str = "") -> dict:
    return new_annotation(article_id=article.id, text=article.text, article_sha256=article.sha256,
                          start=start, end=end, label=label, annotator=annotator, note=note,
                          now="2026-11-25T09:00:00.000000Z")


def seed_spans(article: Article) -> list[dict]:
    """Five annotations by two annotators: identical spans with different labels, a nested
    span, a span across a paragraph break, a note."""
    text = article.text
    paragraphs = [p for p in paragraph_spans(text) if len(text[p[0]:p[1]].split()) > 8]
    first, second = paragraphs[0], paragraphs[1]
    sentence = sentence_at(text, first[0])
    inner = list(words(text[sentence[0]:sentence[1]]))[:3]
    nested = (sentence[0] + inner[0][0], sentence[0] + inner[-1][1])
    last_word = list(words(text[first[0]:first[1]]))[-1]
    first_word = next(words(text[second[0]:second[1]]))
    across = (first[0] + last_word[0], second[0] + first_word[1])
    return [
        _record(article, *sentence, "claim", "alice"),
        _record(article, *sentence, "quote", "bob"),
        _record(article, *nested, "claim", "bob", "the subject of the claim"),
        _record(article, *across, "factual error", "alice", "the paragraphs disagree"),
        _record(article, second[0] + first_word[0], second[0] + first_word[1], "quote", "alice"),
    ]


@pytest.fixture(scope="session")
def test_set(tmp_path_factory) -> TestSet:
    root = tmp_path_factory.mktemp("interop")
    corpus = root / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    emoji = corpus / f"{EMOJI_ID}.txt"
    emoji.parent.mkdir(parents=True)
    emoji.write_bytes(EMOJI_TEXT.encode("utf-8"))
    articles = {a.id: a for a in load_corpus([corpus]).articles}
    records: list[dict] = []
    for article_id, article in sorted(articles.items()):
        if article_id == EMOJI_ID:
            for quote, label, annotator, note in EMOJI_SPANS:
                start = article.text.index(quote)
                records.append(_record(article, start, start + len(quote), label, annotator, note))
        else:
            records.extend(seed_spans(article))
    assert all(articles[r["article_id"]].text[r["start"]:r["end"]] == r["quote"] for r in records)
    store = root / "store"
    Store(store).add_many(records)
    return TestSet(corpus=corpus, store=store, records=records, articles=articles)


def redline(*argv: object, check: bool = True) -> subprocess.CompletedProcess:
    """The installed command, as a user runs it."""
    result = subprocess.run([sys.executable, "-m", "tui", *map(str, argv)], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"redline {' '.join(map(str, argv))} failed:\n{result.stderr}")
    return result


def export(test_set: TestSet, fmt: str, out: Path, *extra: object) -> str:
    """Export the test set; stderr (the counts and notes) is returned."""
    return redline("export", "--format", fmt, "--store", test_set.store, "--corpus", test_set.corpus,
                   "--out", out, *extra).stderr


def side_tool(variable: str, default: Path, what: str) -> Path:
    found = os.environ.get(variable)
    path = Path(found) if found else default
    if not path.exists():
        pytest.skip(f"{what} not found at {path}: run tests/interop/setup.sh or set {variable}")
    return path
