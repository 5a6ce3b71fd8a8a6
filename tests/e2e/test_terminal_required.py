"""The reader needs a terminal; without one it says so in one line. Subcommands do not need one."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.e2e.conftest import clean_env
from tests.e2e.terminal import DEADLINE, installed_redline

START = [str(installed_redline()), "seeds", "--store", "store", "--model", "rule-based"]


def test_term_dumb_is_refused_in_one_line_without_escape_codes(redline, workdir: Path) -> None:
    term = redline("seeds", env=clean_env(workdir, TERM="dumb"))
    assert term.wait_exit() == 2
    lines = [line for line in term.output().splitlines() if line.strip()]
    assert lines == [lines[0]] and lines[0].startswith("redline: error: the reader needs a terminal")
    assert "TERM=dumb" in lines[0]
    assert b"\x1b" not in term.raw  # not one escape code was sent
    assert not (workdir / "store").exists()


def test_no_terminal_on_standard_input_is_refused(workdir: Path) -> None:
    done = subprocess.run(START, cwd=workdir, env=clean_env(workdir), stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=DEADLINE)
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().splitlines() == [
        "redline: error: the reader needs a terminal, and standard input is not one "
        "(in scripts use the subcommands: redline list, export, stats, check)"]


def test_output_into_a_pipe_is_refused(workdir: Path) -> None:
    parent, child = os.openpty()
    try:
        done = subprocess.run(START, cwd=workdir, env=clean_env(workdir), stdin=child,
                              stdout=subprocess.PIPE, stderr=child, timeout=DEADLINE)
        os.set_blocking(parent, False)
        try:
            said = os.read(parent, 65536).decode()
        except BlockingIOError:
            said = ""
    finally:
        os.close(parent)
        os.close(child)
    assert done.returncode == 2
    assert done.stdout == b""
    assert "the reader needs a terminal, and standard output is not one" in said
    assert "\x1b" not in said


def test_subcommands_work_without_a_terminal(workdir: Path) -> None:
    done = subprocess.run([str(installed_redline()), "list", "seeds", "--json", "--store", "store"],
                          cwd=workdir, env=clean_env(workdir, TERM="dumb"),
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=DEADLINE)
    assert done.returncode == 0, done.stderr
    titles = [json.loads(line)["title"] for line in done.stdout.decode().splitlines()]
    assert "France cool on a NATO liaison office in Tokyo" in titles
    assert b"\x1b" not in done.stdout
