"""Launch to first title on screen: redline vs a bare Textual app, in a real pseudo-terminal.

Both programs are started the same way (a fresh Python process in an 80x24
pty); the clock stops when the expected text is on the terminal. Runs
alternate so that machine noise hits both alike; medians and the ratio are
printed. Usage:

    python benchmarks/bench_startup.py [--runs 7] [--big 10000]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1b\][^\x07]*\x07")

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Bare app is ready")
        yield Footer()

Bare().run()
"""


def time_to_text(argv: list[str], needle: bytes, env: dict, timeout: float = 30.0) -> float:
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    buffer = b""
    elapsed = float("nan")
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
            if needle in ANSI.sub(b"", buffer):
                elapsed = time.perf_counter() - start
                break
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return elapsed


def make_big_corpus(folder: Path, count: int) -> None:
    words = ["alliance", "security", "summit", "office", "minister", "defence", "pacific", "treaty", "partner", "talks", "europe", "asia", "region", "policy", "statement", "official"]
    for n in range(count):
        body = " ".join(words[(n + i) % len(words)] for i in range(300))
        (folder / f"article_{n:05d}.txt").write_text(
            f"Generated headline number {n} about the alliance\n\n{body}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--big", type=int, default=10_000)
    args = parser.parse_args()

    python = sys.executable
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    env.pop("NO_COLOR", None)
    # As on a user's machine, bytecode is cached after the first run (the warm-up);
    # without the cache every run would compile redline's modules again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    work = Path(tempfile.mkdtemp(prefix="redline-bench-"))
    bare = work / "bare.py"
    bare.write_text(BARE_APP)
    big = work / "big"
    big.mkdir()
    make_big_corpus(big, args.big)
    store = work / "store"

    cases = {
        "bare Textual app": ([python, str(bare)], b"Bare app is ready"),
        "redline seeds": ([python, "-m", "tui", str(ROOT / "seeds"), "--store", str(store)],
                          b"Conflicting Views"),
        f"redline {args.big} articles": (
            [python, "-m", "tui", str(big), "--store", str(store)], b"Generated headline number 0"),
    }
    results: dict[str, list[float]] = {name: [] for name in cases}
    # One warm-up of each so every run sees warm OS caches.
    for argv, needle in cases.values():
        time_to_text(argv, needle, env)
    for _ in range(args.runs):
        for name, (argv, needle) in cases.items():
            results[name].append(time_to_text(argv, needle, env))
    shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(results["bare Textual app"])
    print(f"{'case':28} {'median s':>9} {'min s':>7} {'ratio':>6}   (runs={args.runs}, 80x24 pty)")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:28} {median:9.3f} {min(times):7.3f} {median / base:6.2f}")


if __name__ == "__main__":
    main()
