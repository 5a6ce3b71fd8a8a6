"""Durable file operations and cross-process locks: the only module that writes.

Two ways to change a file durably:

* Replace it: the new content goes to a temp file in the same folder, is
  flushed and fsynced, the old version is kept as ``<file>.prev`` (a hard
  link, so no copy), the temp file replaces the target with ``os.replace``
  and the folder is fsynced so the rename itself survives a power cut. A
  reader opening the file at any moment sees the old or the new version,
  never a mix.
* Append to it (journals): one ``write`` on an ``O_APPEND`` descriptor, then
  ``fsync``. A failed append is cut off again, so the file is as it was; a
  process killed in the middle leaves at most a torn last line, which the
  journal's reader ignores and the next writer cuts off.

Folders are created with an fsync of their parent, so they survive a power
cut too.

Writers serialise on an exclusive ``flock`` on a sidecar ``<file>.lock``;
never on the file that gets replaced (a lock on a replaced inode protects
nothing). The kernel drops a flock when its holder dies, SIGKILL included.
Only the lock holder writes ``<file>.tmp``, so a fixed temp name is safe and a
killed writer's leftover is simply overwritten by the next one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from tui.core.store.errors import StoreError

LOCK_SUFFIX = ".lock"
PREV_SUFFIX = ".prev"
TMP_SUFFIX = ".tmp"
# A lock held longer than this means a stuck process (stopped with ctrl-z, say):
# fail visibly instead of freezing the screen.
LOCK_TIMEOUT = 30.0


def describe_os_error(err: OSError) -> str:
    """A short reason a person can act on."""
    if err.errno == errno.ENOSPC:
        return "the disk is full"
    if err.errno == errno.EDQUOT:
        return "the disk quota is exceeded"
    if err.errno == errno.EROFS:
        return "the store is on a read-only file system"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "no permission to write there"
    return err.strerror or str(err)


def save_error(path: Path, err: OSError) -> StoreError:
    return StoreError(f"could not save {path}: {describe_os_error(err)}; "
                      "the previous version is untouched")


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class Pending:
    """A new version written and fsynced beside its target, not yet in place."""

    def __init__(self, path: Path, keep_prev: bool = True) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + TMP_SUFFIX)
        self.keep_prev = keep_prev

    def write(self, data: bytes) -> Pending:
        try:
            mode = os.stat(self.path).st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        except OSError as err:
            raise save_error(self.path, err) from None
        try:
            # A killed writer's leftover may belong to another user: remove it, don't reuse it.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.tmp)
            fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            try:
                if mode is not None:
                    # Keep the permissions people gave the store (group-shared stores).
                    with contextlib.suppress(OSError):
                        os.fchmod(fd, mode)
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as err:
            self.discard()
            raise save_error(self.path, err) from None
        return self

    def commit(self) -> None:
        """Put the new version in place; the caller fsyncs the folder."""
        try:
            if self.keep_prev:
                self._keep_previous()
            os.replace(self.tmp, self.path)
        except OSError as err:
            self.discard()
            raise save_error(self.path, err) from None

    def _keep_previous(self) -> None:
        prev = self.path.with_name(self.path.name + PREV_SUFFIX)
        staging = self.path.with_name(self.path.name + PREV_SUFFIX + TMP_SUFFIX)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staging)
        try:
            os.link(self.path, staging)
        except FileNotFoundError:
            return  # first version: nothing to keep
        except OSError as err:
            if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            # File systems without hard links: copy instead.
            staging.write_bytes(self.path.read_bytes())
        os.replace(staging, prev)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


def atomic_write(path: Path, data: bytes, *, keep_prev: bool = True) -> None:
    """Replace ``path`` with ``data`` durably. The caller holds the file's lock."""
    pending = Pending(path, keep_prev).write(data)
    pending.commit()
    try:
        fsync_dir(path.parent)
    except OSError as err:
        raise save_error(path, err) from None


def commit_all(pendings: list[Pending]) -> None:
    """Put several prepared versions in place, then fsync each folder once."""
    folders: dict[Path, None] = {}
    for pending in pendings:
        pending.commit()
        folders[pending.path.parent] = None
    for folder in folders:
        try:
            fsync_dir(folder)
        except OSError as err:
            raise save_error(folder, err) from None


def make_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each made durable in its parent."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path)
        except FileExistsError:
            continue  # another process made it: it made it durable too
        fsync_dir(path.parent)


def append(path: Path, data: bytes, *, create: bool = False, shown: Path | None = None) -> int:
    """Append ``data`` durably; returns the size before, for ``cut``. The caller holds the lock.

    ``create`` makes the file when it is missing (the caller then fsyncs the folder).
    On failure the file is cut back to its old size and a one-line StoreError naming
    ``shown`` (the file a person knows, default ``path``) is raised.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC | (os.O_CREAT if create else 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as err:
        raise save_error(shown or path, err) from None
    size = 0
    try:
        size = os.fstat(fd).st_size
        _write_all(fd, data)
        os.fsync(fd)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
            os.fsync(fd)
        with contextlib.suppress(OSError):
            os.close(fd)
        raise save_error(shown or path, err) from None
    try:
        os.close(fd)
    except OSError as err:
        raise save_error(shown or path, err) from None
    return size


def cut(path: Path, size: int) -> None:
    """Cut ``path`` back to ``size`` bytes: undo an append, or drop a torn last line."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)


def write_fresh(path: Path, data: bytes) -> None:
    """Create or empty ``path`` and write ``data``, without fsync: a journal's first line.

    Its folder entry is made durable by the caller's folder fsync; its bytes by the fsync
    of the first append. Lost bytes read as an empty journal, which is what it was.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
    except OSError as err:
        raise save_error(path, err) from None


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + LOCK_SUFFIX)


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the exclusive cross-process lock of ``path`` (on its sidecar lock file)."""
    sidecar = lock_path(path)
    try:
        fd = os.open(sidecar, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except PermissionError as denied:
        try:
            # flock works on a read-only descriptor too (a lock file made by another user).
            fd = os.open(sidecar, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            # No lock file, and no right to make one: the folder is what refuses.
            raise save_error(path, denied) from None
        except OSError as err:
            raise save_error(path, err) from None
    except OSError as err:
        raise save_error(path, err) from None
    try:
        _acquire(fd, sidecar, timeout)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, sidecar: Path, timeout: float) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    deadline = time.monotonic() + timeout
    pause = 0.0002
    while True:
        time.sleep(pause)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise StoreError(
                    f"{sidecar}: another redline process has held this lock for over "
                    f"{timeout:.0f} s (stopped with ctrl-z?); nothing was saved, try again"
                ) from None
            pause = min(pause * 2, 0.005)


@contextlib.contextmanager
def locked_many(paths: list[Path], timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Lock several files, always in the same (sorted) order so writers never deadlock."""
    with contextlib.ExitStack() as stack:
        for path in sorted(set(paths)):
            stack.enter_context(locked(path, timeout))
        yield
