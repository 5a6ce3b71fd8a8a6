"""Adds, updates and deletes under SIGKILL, and eight writers on one dense article.

Each child announces a change before making it ("try") and after it returned
("ok"). After every kill the store must hold exactly the acknowledged state:
every acknowledged add, the note of every acknowledged update, no record whose
delete was acknowledged; only the one change in flight may have gone either
way. Kills land at random moments and at random file operations (inside a
journal append, between a compaction's fsync and its rename, ...).
"""

from __future__ import annotations

import random
import signal
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests import store_children
from tui.core.record import problems
from tui.core.store import Store
from tui.core.store.integrity import verify

TEXT = "".join(f"word{i} " for i in range(3000))

PRELUDE = textwrap.dedent(f"""
    import random, sys
    from tui.core.corpus import Article
    from tui.core.record import new_annotation
    from tui.core.store import Store
    TEXT = {TEXT!r}
    ARTICLES = [Article(id=f"article {{n}}", text=TEXT, title="t") for n in range(2)]
    def make(article, start, end, annotator):
        return new_annotation(article_id=article.id, text=TEXT, article_sha256=article.sha256,
                              start=start, end=end, label="claim", annotator=annotator)
    def say(*words):
        print(*words, flush=True)
""")

MIXER = """
    root, seed, inject = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = Store(root)
    rnd = random.Random(seed)
    if inject:
        die_at_file_operation(inject, rnd, ("write", "fsync", "replace", "link", "unlink", "open",
                                            "close", "ftruncate"))
    mine = {a.id: [r["id"] for r in store.for_article(a.id)] for a in ARTICLES}
    say("ready")
    for counter in range(100000):
        article = rnd.choice(ARTICLES)
        live = mine[article.id]
        roll = rnd.random()
        if roll < 0.5 or len(live) < 3:
            start = rnd.randrange(len(TEXT) - 60)
            record = make(article, start, start + rnd.randint(1, 40), f"m{seed}-{counter}")
            say("try", "add", article.id.split()[1], record["id"])
            store.add(record)
            live.append(record["id"])
        elif roll < 0.8:
            ann_id = rnd.choice(live)
            say("try", "update", article.id.split()[1], ann_id, f"note{seed}-{counter}")
            store.update(article.id, ann_id, note=f"note{seed}-{counter}")
        else:
            ann_id = live.pop(rnd.randrange(len(live)))
            say("try", "delete", article.id.split()[1], ann_id)
            store.delete(article.id, ann_id)
        say("ok")
"""


def spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return store_children.spawn(PRELUDE, code, *args)


class Model:
    """The acknowledged state: id -> note ("" for none), or None once deleted."""

    def __init__(self) -> None:
        self.notes: dict[str, str | None] = {}

    def apply(self, op: list[str]) -> None:
        kind, ann_id = op[0], op[2]
        if kind == "add":
            self.notes[ann_id] = ""
        elif kind == "update":
            self.notes[ann_id] = op[3]
        else:
            self.notes[ann_id] = None

    def agrees(self, stored: dict[str, str], pending: list[str] | None) -> list[str]:
        """What is wrong with ``stored`` (id -> note); the pending change may have happened."""
        wrong: list[str] = []
        allowed = Model()
        allowed.notes = dict(self.notes)
        if pending is not None:
            allowed.apply(pending)
        for ann_id in set(self.notes) | set(stored) | set(allowed.notes):
            options = {self.notes.get(ann_id, None), allowed.notes.get(ann_id, None)}
            have = stored.get(ann_id)
            if have not in options:
                wrong.append(f"{ann_id}: stored {have!r}, acknowledged {self.notes.get(ann_id)!r}")
        return wrong


@pytest.mark.slow
def test_sigkill_during_adds_updates_and_deletes_keeps_exactly_what_was_acknowledged(
        store_dir: Path) -> None:
    Store(store_dir)
    model = Model()
    rnd = random.Random(20261125)
    acknowledged = {"add": 0, "update": 0, "delete": 0}
    interrupted = 0
    for round_number in range(40):
        inject = rnd.randint(1, 400) if round_number % 2 else 0
        child = spawn(MIXER, str(store_dir), str(round_number), str(inject))
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "ready"
        said: list[str] = []
        for _ in range(rnd.randint(1, 60)):
            said.append(child.stdout.readline())
            if not said[-1]:
                assert inject, "the child died on its own"
                break
        child.send_signal(signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
        # Everything it said up to the kill: what it got to print "ok" for had returned.
        said += child.stdout.read().splitlines(keepends=True)
        pending: list[str] | None = None
        for line in said:
            if not line.endswith("\n"):
                continue  # killed while printing: the change it announced had not begun
            words = line.split()
            if words[0] == "try":
                pending = words[1:]
            elif words[0] == "ok" and pending is not None:
                model.apply(pending)
                acknowledged[pending[0]] += 1
                pending = None
        child.stdout.close()
        child.stdin.close()
        interrupted += pending is not None
        store = Store(store_dir, readonly=True)
        health = verify(store)
        assert health.problems == [], f"round {round_number}: {health.problems}"
        records = list(store.iter_all())
        for record in records:
            assert problems(record, TEXT) == []
        stored = {r["id"]: r["note"] for r in records}
        assert model.agrees(stored, pending) == [], f"round {round_number}"
        if pending is not None:  # whichever way it went, it is settled now
            model.notes = {ann_id: stored.get(ann_id) for ann_id in set(model.notes) | set(stored)}
    assert min(acknowledged.values()) > 20, acknowledged
    assert interrupted > 5  # kills really landed inside changes


EIGHT_WRITERS = """
    root, worker = sys.argv[1], int(sys.argv[2])
    store = Store(root)
    article = ARTICLES[0]
    rnd = random.Random(worker)
    say("ready")
    sys.stdin.readline()  # everyone starts together
    mine = []
    for i in range(150):
        start = (worker * 150 + i) * 2
        record = store.add(make(article, start, start + 1, f"writer {worker}"))
        mine.append(record["id"])
        if i % 5 == 4:
            store.update(article.id, rnd.choice(mine), note=f"{worker}-{i}")
        if i % 10 == 9:
            gone = mine.pop(rnd.randrange(len(mine)))
            store.delete(article.id, gone)
            say("deleted", gone)
    say("kept", *mine)
"""


@pytest.mark.slow
def test_eight_writers_on_one_article_lose_nothing_and_duplicate_nothing(store_dir: Path) -> None:
    store = Store(store_dir)
    children = [spawn(EIGHT_WRITERS, str(store_dir), str(w)) for w in range(8)]
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    kept: set[str] = set()
    deleted: set[str] = set()
    for child in children:
        out, _ = child.communicate(timeout=300)
        assert child.returncode == 0
        for line in out.splitlines():
            words = line.split()
            if words[0] == "kept":
                kept.update(words[1:])
            elif words[0] == "deleted":
                deleted.add(words[1])
    records = Store(store_dir, readonly=True).for_article("article 0")
    assert {r["id"] for r in records} == kept
    assert len(records) == 8 * 135 and not kept & deleted
    assert all(problems(r, TEXT) == [] for r in records)
    assert verify(store).problems == []
    assert store.counts() == {"article 0": {f"writer {w}": 135 for w in range(8)}}
