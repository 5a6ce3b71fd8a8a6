"""A real pseudo-terminal running the installed ``redline``, read by a terminal emulator.

The program runs as a user would run it: its own session with the pty as its
controlling terminal, a fixed window size, ``TERM=xterm-256color``. Everything
it writes goes through ``pyte`` (a VT100/xterm emulator in pure Python), so a
test asserts on the screen a person would see, and on the raw bytes (a
traceback, an escape sequence that should never be sent).

Nothing here sleeps to let time pass: every wait is for a condition on the
screen (or the process's exit) with a generous deadline, so a loaded machine
makes a test slower, never flaky.
"""

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
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import pyte
from wcwidth import wcwidth

# Long enough for a cold start on a busy 2-core machine; a hang still fails.
DEADLINE = float(os.environ.get("REDLINE_E2E_DEADLINE", "60"))

KEYS = {
    "enter": b"\r",
    "escape": b"\x1b",
    "tab": b"\t",
    "backspace": b"\x7f",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "shift+right": b"\x1b[1;2C",
    "shift+left": b"\x1b[1;2D",
    "f1": b"\x1bOP",
    "ctrl+q": b"\x11",
    "ctrl+r": b"\x12",
    "ctrl+s": b"\x13",
    "ctrl+p": b"\x10",
    "ctrl+c": b"\x03",
}

# Toasts are drawn with a half-block left border on every row, 60 cells wide
# (Textual's Toast CSS, border included): what is right of that is the screen below.
TOAST_EDGE = "▌"
TOAST_WIDTH = 60
_ANSI = re.compile(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")


def installed_redline() -> Path:
    """The console script installed beside this interpreter (the venv's bin/redline)."""
    script = Path(sys.executable).parent / "redline"
    if not script.exists():
        raise AssertionError(
            f"{script} is missing: install the project first (pip install -e '.[test]')")
    return script


def squeeze(text: str) -> str:
    """Text without any whitespace: a message wrapped over several rows still matches."""
    return "".join(text.split())


class Terminal:
    """One ``redline`` process in a pty of ``rows`` x ``cols`` cells."""

    def __init__(self, args: Sequence[str], *, cwd: Path, env: dict[str, str],
                 rows: int = 40, cols: int = 160, program: Path | None = None) -> None:
        self.height, self.width = rows, cols
        self.argv = [str(program or installed_redline()), *map(str, args)]
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.status: int | None = None  # the exit code once the process has ended
        # Every toast as it appeared, in order (a message shown twice is here twice).
        self.seen_toasts: list[str] = []
        self._on_screen: Counter[str] = Counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: size the terminal, then become redline
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.chdir(cwd)
                os.execve(self.argv[0], self.argv, env)
            finally:
                os._exit(127)

    # -- reading ------------------------------------------------------------------

    def _pump(self, timeout: float) -> bool:
        """Read what the program wrote within ``timeout``; False once the pty is closed."""
        if self.fd < 0:
            return False
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the program closed its side
            data = b""
        if not data:
            self._reap(block=True)
            return False
        self.raw.extend(data)
        self.stream.feed(data)
        self._note_toasts()
        return True

    def _note_toasts(self) -> None:
        now = Counter(self.toasts())
        for message, count in now.items():
            self.seen_toasts.extend([message] * (count - self._on_screen[message]))
        self._on_screen = now

    def _reap(self, block: bool) -> None:
        if self.status is not None:
            return
        pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        if pid:
            self.status = os.waitstatus_to_exitcode(status)

    @property
    def alive(self) -> bool:
        self._reap(block=False)
        return self.status is None

    @property
    def rows(self) -> list[str]:
        """The screen, one string per row.

        Like ``pyte.Screen.display``, which fails on a wide character's stub
        cell left behind when the character itself was overwritten (emoji
        with joiners do that): such a stub is simply nothing here.
        """
        screen = self.screen
        rows = []
        for y in range(screen.lines):
            line = screen.buffer[y]
            cells: list[str] = []
            after_wide = False
            for x in range(screen.columns):
                data = line[x].data
                if after_wide or not data:
                    after_wide = False
                    continue
                cells.append(data)
                after_wide = wcwidth(data[0]) == 2
            rows.append("".join(cells))
        return rows

    def text(self) -> str:
        return "\n".join(self.rows)

    def output(self) -> str:
        """Everything the program wrote, escape sequences removed."""
        return _ANSI.sub("", self.raw.decode("utf-8", "replace"))

    def toasts(self) -> list[str]:
        """The messages now on screen as toasts, each as one line of text."""
        found: list[str] = []
        current: list[str] | None = None
        for row in self.rows:
            edge = row.rfind(TOAST_EDGE)
            if edge < 0:
                if current:
                    found.append(" ".join(current))
                current = None
                continue
            current = current if current is not None else []
            content = row[edge + 1:edge + TOAST_WIDTH].strip()
            if content:
                current.append(content)
        if current:
            found.append(" ".join(current))
        return found

    def field(self) -> str | None:
        """The text in the focused-looking input box (search, filter, note), if one is shown."""
        for row in self.rows:
            if row.startswith("▊  "):
                return row[3:].split("▎")[0].split(TOAST_EDGE)[0].rstrip()
        return None

    def dump(self) -> str:
        tail = "\n".join(line.rstrip() for line in self.output()[-6000:].splitlines() if line.strip())
        screen = "\n".join(line.rstrip() for line in self.rows)
        return (f"--- screen ({self.width}x{self.height}) ---\n{screen}\n"
                f"--- toasts seen ---\n" + "\n".join(self.seen_toasts) +
                f"\n--- exit status: {self.status} ---\n--- output (tail) ---\n{tail}")

    # -- waiting ------------------------------------------------------------------

    def wait_for(self, condition: str | Callable[[Terminal], bool], *, timeout: float = DEADLINE,
                 what: str = "") -> None:
        """Until ``condition`` (text on the screen, or a predicate) holds."""
        if isinstance(condition, str):
            needle = condition
            check: Callable[[Terminal], bool] = lambda t: needle in t.text()  # noqa: E731
            what = what or repr(needle)
        else:
            check = condition
        deadline = time.monotonic() + timeout
        while True:
            if check(self):
                return
            if not self.alive and not self._pump(0):
                raise AssertionError(f"redline ended while waiting for {what}\n{self.dump()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} never showed within {timeout:.0f} s\n{self.dump()}")
            self._pump(0.05)

    def wait_for_toast(self, message: str, *, since: int = 0, timeout: float = DEADLINE) -> None:
        """Until a toast holding ``message`` has been drawn (it may be gone by now).

        ``since``: only toasts that appeared after that many (see ``toast_count``).
        """
        wanted = squeeze(message)
        self.wait_for(lambda t: any(wanted in squeeze(m) for m in t.seen_toasts[since:]),
                      timeout=timeout, what=f"a toast saying {message!r}")

    @property
    def toast_count(self) -> int:
        return len(self.seen_toasts)

    def press_for_toast(self, message: str, *keys: str) -> None:
        """Press ``keys`` and wait for a new toast holding ``message``."""
        since = self.toast_count
        self.press(*keys)
        self.wait_for_toast(message, since=since)

    def wait_gone(self, text: str, *, timeout: float = DEADLINE) -> None:
        self.wait_for(lambda t: text not in t.text(), timeout=timeout, what=f"{text!r} gone")

    def wait_exit(self, *, timeout: float = DEADLINE) -> int:
        """The exit code, reading output meanwhile (a full pty would block the program)."""
        deadline = time.monotonic() + timeout
        while self.alive:
            if time.monotonic() > deadline:
                raise AssertionError(f"redline did not exit within {timeout:.0f} s\n{self.dump()}")
            self._pump(0.05)
        while self._pump(0):
            pass
        assert self.status is not None
        return self.status

    # -- typing -------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """Named keys (``enter``, ``ctrl+s``, ...) or single characters."""
        for key in keys:
            self.write(KEYS.get(key, key.encode()))

    def type(self, text: str) -> None:
        self.write(text.encode())

    def enter_text(self, text: str) -> None:
        """Type ``text`` into the focused field and wait until it shows.

        A key bound to an action (enter) can overtake characters typed just
        before it in the same burst, so the next key waits for the text.
        """
        self.type(text)
        wanted = squeeze(text)
        self.wait_for(lambda t: wanted in squeeze(t.text()), what=f"the typed {text!r}")

    def write(self, data: bytes) -> None:
        while data:
            written = os.write(self.fd, data)
            data = data[written:]

    def signal(self, number: int) -> None:
        os.kill(self.pid, number)

    # -- checks -------------------------------------------------------------------

    def answers(self) -> None:
        """The app still takes a key: ``?`` opens the help, and closes it again."""
        self.wait_gone("redline keys")
        self.press("?")
        self.wait_for("redline keys")
        self.press("?")
        self.wait_gone("redline keys")

    def assert_no_traceback(self) -> None:
        assert "Traceback" not in self.output(), f"a traceback on the terminal\n{self.dump()}"

    def quit(self) -> None:
        """``ctrl+q`` ends the app cleanly: exit code 0, no traceback."""
        self.press("ctrl+q")
        status = self.wait_exit()
        assert status == 0, f"ctrl+q ended redline with {status}\n{self.dump()}"
        self.assert_no_traceback()

    def close(self) -> None:
        if self.alive:
            os.kill(self.pid, signal.SIGKILL)
            self._reap(block=True)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
