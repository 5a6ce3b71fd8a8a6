"""The store under real processes: SIGKILL at random moments, several writers at once.

Stock TinyDB fails each of these: its in-place rewrite leaves a torn file when
killed mid-write, and two processes on one file overwrite each other's records
(each caches the file's content and next document id).
"""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests import store_children
from tui.core.record import problems
from tui.core.store import Store, load_tables
from tui.core.store.files import lock_path, locked

# Enough distinct spans for every record the tests make.
TEXT = "".join(f"word{i} " for i in range(2000))

CHILD_PRELUDE = textwrap.dedent(f"""
    import random, sys
    from tui.core.corpus import Article
    from tui.core.record import new_annotation, now_iso
    from tui.core.store import Store
    TEXT = {TEXT!r}
    def make(article, start, end, annotator, label="claim"):
        return new_annotation(article_id=article.id, text=TEXT, article_sha256=article.sha256,
                              start=start, end=end, label=label, annotator=annotator)
""")


def spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return store_children.spawn(CHILD_PRELUDE, code, *args)


SAVER = """
    root, seed, inject = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = Store(root)
    rnd = random.Random(seed)
    if inject:
        # Die by SIGKILL just before or after the inject-th file operation of a save:
        # inside the write, between fsync and rename, between the renames of a batch...
        die_at_file_operation(inject, rnd, ("write", "fsync", "replace", "link", "unlink", "open",
                                            "close"))
    articles = [Article(id=f"article {n}", text=TEXT, title="t") for n in range(3)]
    mine = []
    print("ready", flush=True)
    for counter in range(100000):
        article = rnd.choice(articles)
        start = rnd.randrange(len(TEXT) - 60)
        end = start + rnd.randint(1, 50)
        who = f"w{seed}-{counter}"
        roll = rnd.random()
        if roll < 0.55:
            record = store.add(make(article, start, end, who))
            mine.append(record)
            print("add", record["id"], flush=True)
        elif roll < 0.8:
            batch = [make(rnd.choice(articles), start + k, end + k, who) for k in range(5)]
            store.add_many(batch)
            mine += batch
            print("add", *[r["id"] for r in batch], flush=True)
        elif roll < 0.9 and mine:
            record = rnd.choice(mine)
            store.update(record["article_id"], record["id"], note=f"note {counter}")
            print("update", record["id"], flush=True)
        else:
            store.set_position(f"w{seed}", article.id, start)
            store.set_done(f"w{seed}", article.id, roll < 0.95)
            print("state", flush=True)
"""


def _every_file_parses(root: Path) -> None:
    for path in sorted(root.rglob("*.json")):
        load_tables(path)  # raises DamagedStoreError on a torn or mixed file


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_save(store_dir: Path) -> None:
    Store(store_dir)
    acknowledged: set[str] = set()
    rnd = random.Random(20261123)
    leftovers = 0
    for round_number in range(40):
        # Even rounds: killed from outside at a random moment. Odd rounds: the child kills
        # itself at a random file operation, so every step of a save gets interrupted.
        inject = rnd.randint(1, 300) if round_number % 2 else 0
        child = spawn(SAVER, str(store_dir), str(round_number), str(inject))
        assert child.stdout.readline().strip() == "ready"
        for _ in range(rnd.randint(1, 40)):
            line = child.stdout.readline().split()
            if not line:
                assert inject, "the saving process died on its own"
                break
            if line[0] == "add":
                acknowledged.update(line[1:])
        child.send_signal(signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
        leftovers += bool(list(store_dir.rglob("*.tmp")))
        child.stdout.close()
        child.stdin.close()
        _every_file_parses(store_dir)
        records = list(Store(store_dir, readonly=True).iter_all())
        assert acknowledged <= {r["id"] for r in records}, f"round {round_number}: lost a save"
        for record in records:
            assert problems(record, TEXT) == []
    assert len(acknowledged) > 100
    assert leftovers > 3  # some kills really landed in the middle of a save


CONCURRENT_ADDS = """
    root, worker = sys.argv[1], int(sys.argv[2])
    store = Store(root)
    article = Article(id="shared article", text=TEXT, title="t")
    print("ready", flush=True)
    sys.stdin.readline()  # everyone starts together
    for i in range(250):
        start = (worker * 250 + i) * 3
        store.add(make(article, start, start + 2, f"worker {worker}"))
    print("done", flush=True)
"""


def _run_together(code: str, args: list[list[str]]) -> list[str]:
    children = [spawn(code, *a) for a in args]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = []
    for child in children:
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 0
        outputs.append(out)
    return outputs


@pytest.mark.slow
def test_four_processes_adding_to_one_article_lose_nothing(store_dir: Path) -> None:
    Store(store_dir)
    _run_together(CONCURRENT_ADDS, [[str(store_dir), str(w)] for w in range(4)])
    store = Store(store_dir, readonly=True)
    records = store.for_article("shared article")
    assert len(records) == 1000
    assert len({r["id"] for r in records}) == 1000
    assert all(problems(r, TEXT) == [] for r in records)
    assert store.counts() == {"shared article": {f"worker {w}": 250 for w in range(4)}}


CONCURRENT_UPDATES = """
    root, name, ann_id = sys.argv[1], sys.argv[2], sys.argv[3]
    store = Store(root)
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(150):
        stamp = now_iso()  # the moment of the edit, taken before waiting for the lock
        store.update("shared article", ann_id, note=f"{name} {i}", label=f"{name} label",
                     updated_at=stamp)
        print(stamp, f"{name} {i}", flush=True)
"""


@pytest.mark.slow
def test_updates_of_one_record_from_two_processes_keep_the_latest(store_dir: Path) -> None:
    from tui.core.corpus import Article
    from tui.core.record import new_annotation

    art = Article(id="shared article", text=TEXT, title="t")
    record = Store(store_dir).add(new_annotation(
        article_id=art.id, text=TEXT, article_sha256=art.sha256, start=0, end=5, label="claim",
        annotator="ann", now="2026-01-01T00:00:00.000000Z"))
    outputs = _run_together(CONCURRENT_UPDATES, [[str(store_dir), n, record["id"]] for n in ("A", "B")])
    edits = [line.split(" ", 1) for out in outputs for line in out.splitlines()]
    latest = max(stamp for stamp, _ in edits)
    final = Store(store_dir).get(art.id, record["id"])
    assert problems(final, TEXT) == []
    assert final["updated_at"] == latest
    assert final["note"] in {note for stamp, note in edits if stamp == latest}
    assert final["label"] == f"{final['note'][0]} label"  # fields of one edit, never a mix


HOLDER = """
    from pathlib import Path
    from tui.core.store.files import locked
    with locked(Path(sys.argv[1])):
        print("locked", flush=True)
        sys.stdin.readline()
"""


def test_a_killed_lock_holder_releases_the_lock_at_once(store_dir: Path) -> None:
    store = Store(store_dir)
    path = store.path_for("article")
    child = spawn(HOLDER, str(path))
    assert child.stdout.readline().strip() == "locked"
    fd = os.open(lock_path(path), os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # it really is held
        child.send_signal(signal.SIGKILL)
        child.wait()
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # and free the moment the holder died
    finally:
        os.close(fd)
        child.stdout.close()
        child.stdin.close()
    with locked(path, timeout=5):
        pass


def test_a_lock_held_too_long_fails_visibly(store_dir: Path) -> None:
    from tui.core.store.errors import StoreError

    store = Store(store_dir)
    path = store.path_for("article")
    child = spawn(HOLDER, str(path))
    try:
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError, match="held this lock"), locked(path, timeout=0.05):
            pass
    finally:
        child.communicate("\n", timeout=30)
