"""Two annotators tag the seeds: `redline agree` against a hand computation, and
`redline review` walked to the end, then `redline export --annotator gold`."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from tests.conftest import screen_lines
from tui.cli.main import build_parser, main
from tui.core.corpus import load_corpus
from tui.core.record import new_annotation
from tui.core.store import Store
from tui.core.tokens import Tokens

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FIRST, SECOND, THIRD = "000_ad06741e8de65daf", "001_826f388884ecbe55", "002_e87675dd90d161dc"
PUSH = "There may be a push for greater involvement from Asia-Pacific leaders in the alliance"
HEADLINE = "Conflicting Views On NATO’s Alliance In Asia"
SHORT_HEADLINE = "Conflicting Views On NATO’s Alliance"
MACRON = "French President, Emmanuel Macron is against such a plan"


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("REDLINE_CONFIG", str(tmp_path / "no-config.toml"))


def tag(store: Store, article_id: str, who: str, quote: str, label: str, note: str = "") -> None:
    article = load_corpus([SEEDS]).get(article_id)
    start = article.text.index(quote)
    store.add(new_annotation(article_id=article.id, text=article.text,
                             article_sha256=article.sha256, start=start, end=start + len(quote),
                             label=label, annotator=who, note=note))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """alice and bob tag the seeds (two articles both; a third by alice alone)."""
    root = tmp_path / "store"
    store = Store(root)
    tag(store, FIRST, "alice", PUSH, "claim")
    tag(store, FIRST, "bob", PUSH, "claim")  # exact match
    tag(store, FIRST, "alice", HEADLINE, "quote")
    tag(store, FIRST, "bob", SHORT_HEADLINE, "quote", note="the headline")  # overlapping only
    tag(store, FIRST, "alice", "Stoltenberg", "factual error", note="check the name")  # alice only
    tag(store, FIRST, "bob", MACRON, "claim")  # bob only
    tag(store, SECOND, "alice", "Stolenberg", "factual error", note="Stoltenberg")
    tag(store, SECOND, "bob", "Stolenberg", "factual error", note="misspelt")  # exact match
    tag(store, THIRD, "alice", "Tokyo", "claim")  # alice alone: not compared
    return root


def kappa(both: int, a_only: int, b_only: int, n: int) -> float:
    """Cohen's kappa of a yes/no label, by the textbook formula."""
    neither = n - both - a_only - b_only
    po = Fraction(both + neither, n)
    a_yes, b_yes = both + a_only, both + b_only
    pe = Fraction(a_yes * b_yes + (n - a_yes) * (n - b_yes), n * n)
    return float((po - pe) / (1 - pe))


def alpha_two_coders(pairs: dict[tuple[str, str], int]) -> float:
    """Nominal alpha for two coders and no missing values, from the coincidence matrix:
    each unit valued (x, y) adds 1 to o[x][y] and 1 to o[y][x]."""
    o: dict[tuple[str, str], int] = {}
    for (x, y), count in pairs.items():
        o[(x, y)] = o.get((x, y), 0) + count
        o[(y, x)] = o.get((y, x), 0) + count
    n_v: dict[str, int] = {}
    for (x, _y), count in o.items():
        n_v[x] = n_v.get(x, 0) + count
    n = sum(n_v.values())
    observed = sum(c for (x, y), c in o.items() if x != y)
    expected = sum(n_v[x] * n_v[y] for x in n_v for y in n_v if x != y)
    return 1 - (n - 1) * observed / expected


def test_hand_counts_of_tokens() -> None:
    # The spans' tokens, counted by hand (spaCy splits "Asia-Pacific" and "NATO’s").
    tokens = Tokens()
    assert len(tokens.spans(PUSH)[0]) == 16
    assert len(tokens.spans(HEADLINE)[0]) == 8
    assert len(tokens.spans(SHORT_HEADLINE)[0]) == 6
    assert len(tokens.spans(MACRON)[0]) == 10
    assert len(tokens.spans("Stoltenberg")[0]) == 1


def test_agree_matches_a_hand_computation(store: Path, capsys) -> None:
    assert main(["agree", "--store", str(store), "--corpus", str(SEEDS), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    corpus = load_corpus([SEEDS])
    n = sum(len(Tokens().spans(corpus.get(aid).text)[0]) for aid in (FIRST, SECOND))
    assert report["tokens"] == n and report["articles"] == 2
    (pair,) = report["pairs"]
    assert (pair["a"], pair["b"], pair["articles"]) == ("alice", "bob", 2)
    rows = {row["label"]: row for row in pair["rows"]}
    # Spans, alice the reference. claim: alice {push}, bob {push, Macron}.
    assert rows["claim"]["exact"] == {"precision": 0.5, "recall": 1.0, "f1": round(2 / 3, 6)}
    assert rows["claim"]["overlap"] == rows["claim"]["exact"]
    # quote: alice's whole headline, bob's shorter one: no exact match; they share all
    # of the shorter (36 code points), so they match overlapping.
    assert rows["quote"]["exact"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert rows["quote"]["overlap"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    # factual error: alice {Stoltenberg, Stolenberg}, bob {Stolenberg}.
    assert rows["factual error"]["exact"] == {"precision": 1.0, "recall": 0.5, "f1": round(2 / 3, 6)}
    # All labels: 4 spans each; exact 2 matched on each side, overlapping 3.
    assert (rows[None]["a_spans"], rows[None]["b_spans"]) == (4, 4)
    assert rows[None]["exact"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert rows[None]["overlap"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75}
    # Tokens. claim: both on push (16), bob alone on Macron (10).
    assert rows["claim"]["kappa"] == round(kappa(16, 0, 10, n), 6)
    # quote: both on the short headline (6), alice alone on "In Asia" (2).
    assert rows["quote"]["kappa"] == round(kappa(6, 2, 0, n), 6)
    # factual error: both on Stolenberg (1), alice alone on Stoltenberg (1).
    assert rows["factual error"]["kappa"] == round(kappa(1, 1, 0, n), 6)
    # All labels: a token's value is its set of labels.
    units = {("C", "C"): 16, ("-", "C"): 10, ("Q", "Q"): 6, ("Q", "-"): 2, ("F", "-"): 1,
             ("F", "F"): 1}
    units[("-", "-")] = n - sum(units.values())
    agree = sum(c for (x, y), c in units.items() if x == y)
    a_marg = {v: sum(c for (x, _), c in units.items() if x == v) for v in "CQF-"}
    b_marg = {v: sum(c for (_, y), c in units.items() if y == v) for v in "CQF-"}
    pe = Fraction(sum(a_marg[v] * b_marg[v] for v in "CQF-"), n * n)
    overall = float((Fraction(agree, n) - pe) / (1 - pe))
    assert rows[None]["kappa"] == round(overall, 6)
    alphas = {row["label"]: row["alpha"] for row in report["alpha"]}
    assert alphas[None] == round(alpha_two_coders(units), 6)
    assert alphas["claim"] == round(alpha_two_coders(
        {("y", "y"): 16, ("n", "y"): 10, ("n", "n"): n - 26}), 6)
    assert any("002_e87675dd90d161dc: worked on by one annotator only" in note
               for note in report["notes"])


def test_agree_prints_the_table(store: Path, capsys) -> None:
    assert main(["agree", "--store", str(store), "--corpus", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "agreement: 2 annotators (alice, bob), 2 articles compared, " \
        f"{sum(len(Tokens().spans(a.text)[0]) for a in load_corpus([SEEDS]).articles[:2]):,} tokens"
    row = next(line for line in lines if "(all)" in line and "alice – bob" in line)
    assert row.split()[4:12] == ["4", "4", "0.500", "0.500", "0.500", "0.750", "0.750", "0.750"]
    claim = next(line for line in lines if line.split()[:1] == ["claim"])
    assert claim.split()[1:9] == ["1", "2", "0.500", "1.000", "0.667", "0.500", "1.000", "0.667"]
    assert "Krippendorff's alpha" in out
    assert "notes:" in out and "worked on by one annotator only" in out


def test_agree_filters_and_bad_input(store: Path, capsys) -> None:
    assert main(["agree", "--store", str(store), "--corpus", str(SEEDS), "--label", "quote",
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["labels"] == ["quote"]
    assert [row["label"] for row in report["pairs"][0]["rows"]] == [None, "quote"]
    assert main(["agree", "--store", str(store), "--corpus", str(SEEDS), "--article", THIRD]) == 0
    out = capsys.readouterr().out
    assert "agreement needs two annotators" in out and "n/a" in out
    assert main(["agree", "--store", str(store), "--corpus", str(SEEDS), "--article", "nope"]) == 2
    assert "no article 'nope'" in capsys.readouterr().err
    assert main(["agree", "--store", str(store / "missing"), "--corpus", str(SEEDS)]) == 2


async def test_review_walks_every_disagreement_into_gold(store: Path, capsys) -> None:
    from tui.cli.commands.review import build_app, prepare
    from tui.ui.screens.review import ReviewScreen

    args = build_parser("review").parse_args(
        ["review", "--store", str(store), "--corpus", str(SEEDS), "--annotator", "rev"])
    session, ids = prepare(args)
    assert ids == [FIRST, SECOND]  # THIRD: alice alone
    expected: set[tuple[str, int, int, str]] = set()
    app = build_app(session, ids)
    async with app.run_test(notifications=True, size=(110, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        decisions = 0
        while True:
            review = screen.review
            aid = review.article.id
            if screen.group is not None:
                version = screen._highlighted()
                if version.label == "claim" and version.quote == MACRON:
                    await pilot.press("d")  # not a claim
                elif version.label == "factual error":
                    # Keep it, but only the name and with the reviewer's note.
                    await pilot.press("e", "c", "ctrl+u", *"misspelt name", "enter", "y")
                    expected.add((aid, version.start, version.end, version.label))
                else:
                    await pilot.press("y")
                    expected.add((aid, version.start, version.end, version.label))
                decisions += 1
            elif review.agreed_pending():
                expected |= {(aid, v.start, v.end, v.label) for v in review.agreed_pending()}
                await pilot.press("A")
            else:
                break
            assert decisions < 20
        assert "This was the last article to review" in "\n".join(screen_lines(app))
        assert decisions == 3
    assert main(["export", "--store", str(store), "--corpus", str(SEEDS),
                 "--annotator", "gold"]) == 0
    exported = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {(r["article_id"], r["start"], r["end"], r["label"]) for r in exported} == expected
    assert len(exported) == len(expected) == 4
    notes = {r["quote"]: r["note"] for r in exported}
    assert notes["Stoltenberg"] == "misspelt name"
    assert notes["Stolenberg"] == "Stoltenberg / misspelt"  # both proposers' notes
    # Agreement leaves gold out.
    assert main(["agree", "--store", str(store), "--corpus", str(SEEDS), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["annotators"] == ["alice", "bob"]


def test_review_gold_name_from_settings_and_option(store: Path, tmp_path: Path,
                                                   monkeypatch) -> None:
    from tui.cli.commands.review import prepare

    config = tmp_path / "config.toml"
    config.write_text('[review]\ngold = "curated"\n', encoding="utf-8")
    monkeypatch.setenv("REDLINE_CONFIG", str(config))
    parse = build_parser("review").parse_args
    session, _ids = prepare(parse(["review", "--store", str(store), "--corpus", str(SEEDS)]))
    assert session.settings.gold == "curated"
    session, ids = prepare(parse(["review", FIRST, "--store", str(store), "--corpus", str(SEEDS),
                                  "--gold", "final"]))
    assert (session.settings.gold, ids) == ("final", [FIRST])


def test_review_bad_input(store: Path, tmp_path: Path, capsys) -> None:
    assert main(["review", "nope", "--store", str(store), "--corpus", str(SEEDS)]) == 2
    assert "no article 'nope'" in capsys.readouterr().err
    empty = tmp_path / "empty"
    Store(empty)
    assert main(["review", "--store", str(empty), "--corpus", str(SEEDS)]) == 2
    assert "nothing to review" in capsys.readouterr().err
    assert main(["review", "--store", str(tmp_path / "none"), "--corpus", str(SEEDS)]) == 2
