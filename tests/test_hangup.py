"""A dropped terminal (SSH hang-up) ends the app quickly, with every save on disk."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from tui.core.store import Store

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1b\][^\x07]*\x07")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_until(fd: int, needle: bytes, seen: bytearray, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen.extend(os.read(fd, 65536))
            except OSError:
                break
            if needle in ANSI.sub(b"", bytes(seen)):
                return
    raise AssertionError(f"{needle!r} never appeared on the terminal")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_closing_the_terminal_ends_the_app_and_keeps_saves(tmp_path: Path) -> None:
    store = tmp_path / "store"
    argv = [sys.executable, "-m", "tui", str(ROOT / "seeds"), "--store", str(store),
            "--annotator", "ssh-user"]
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
    pid, fd = pty.fork()
    if pid == 0:
        # A wide terminal, so the whole legend (with the pipeline's name) fits.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
        os.chdir(ROOT)
        os.execvpe(argv[0], argv, env)
    seen = bytearray()
    try:
        read_until(fd, b"Conflicting Views", seen)
        os.write(fd, b"\r")  # open the first article
        read_until(fd, b"words", seen)
        os.write(fd, b"w")
        os.write(fd, b"1")  # tag a claim
        read_until(fd, b"saved claim", seen)
        os.write(fd, b"p2")  # and a quote
        read_until(fd, b"saved quote", seen)
        read_until(fd, b"spaCy en_core", seen)  # entities are in: nothing runs in the background
        started = time.monotonic()
        cpu_first = cpu_seconds(pid)
        cpu_last = cpu_first
        os.close(fd)  # the SSH connection drops
        while True:
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            assert time.monotonic() - started < 2.0, "the app did not exit within 2 s"
            cpu_last = cpu_seconds(pid) or cpu_last
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        # Spinning would burn a whole core for the time it takes to exit.
        assert cpu_last - cpu_first <= 0.8 * elapsed + 0.2, "the app spun the CPU after the hang-up"
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    records = Store(store, readonly=True).for_article("000_ad06741e8de65daf")
    assert sorted(r["label"] for r in records) == ["claim", "quote"]
    assert all(r["annotator"] == "ssh-user" for r in records)
