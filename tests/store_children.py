"""Child processes for the store's crash and concurrency tests: how they start and how they die.

A child runs ``CHILD_BASE`` + the test's own prelude + its code in a fresh
interpreter. ``die_at_file_operation`` makes it SIGKILL itself just before or
just after its n-th call of a chosen ``os`` function in the store's file layer:
inside a write, between fsync and rename, between the renames of a batch.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD_BASE = textwrap.dedent("""
    def die_at_file_operation(inject, rnd, names):
        import os, signal
        from tui.core.store import files as durable
        calls = [0]
        def deadly(real):
            def call(*args, **kwargs):
                calls[0] += 1
                if calls[0] == inject:
                    os.kill(os.getpid(), signal.SIGKILL)
                result = real(*args, **kwargs)
                if calls[0] == inject + 1 and rnd.random() < 0.5:
                    os.kill(os.getpid(), signal.SIGKILL)
                return result
            return call
        class DeadlyOs:
            def __getattr__(self, name):
                real = getattr(os, name)
                return deadly(real) if name in names else real
        durable.os = DeadlyOs()
""")


def spawn(prelude: str, code: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    source = CHILD_BASE + prelude + textwrap.dedent(code)
    return subprocess.Popen([sys.executable, "-c", source, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
