"""One writer at a time per warehouse file, across processes: a lock file beside the database.

DuckDB lets one process hold a file for writing and refuses the others outright
("Could not set lock on file"). Runs therefore take ``<db>.lock`` around each short
write window (open, write, close); a second run waits for the window to close and
then proceeds, so two runs interleave their batches instead of failing. The lock is
an advisory ``flock`` and vanishes with its process, so a killed run never leaves it held.
Threads of one process (a run fetches the next batch while it loads this one) queue on
an in-process lock first, so the window passes between them at once, without polling.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["DEFAULT_WAIT_SECONDS", "WriteLockTimeout", "lock_path_for", "write_window"]

DEFAULT_WAIT_SECONDS = 1800.0  # a daily run waits this long for another run's window before giving up

_thread_locks: dict[Path, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


class WriteLockTimeout(TimeoutError):
    """Another process held the warehouse's write lock for longer than we were willing to wait."""


def lock_path_for(db_path: str | os.PathLike[str]) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


@contextmanager
def write_window(
    db_path: str | os.PathLike[str],
    *,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
    logger: logging.Logger | logging.LoggerAdapter | None = None,  # type: ignore[type-arg]
) -> Iterator[None]:
    """Hold the warehouse's write lock for the ``with`` block, waiting for other writers first."""
    lock_path = lock_path_for(db_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    thread_lock = _thread_lock(lock_path)
    if not thread_lock.acquire(timeout=wait_seconds):
        raise WriteLockTimeout(f"{lock_path} still held by this process after {wait_seconds:.0f}s")
    try:
        # A fresh open file description per window: flock then excludes other threads of this process too.
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _acquire(fd, lock_path, max(0.0, wait_seconds - (time.monotonic() - started)), logger)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    finally:
        thread_lock.release()


def _thread_lock(lock_path: Path) -> threading.Lock:
    key = lock_path.resolve()
    with _thread_locks_guard:
        return _thread_locks.setdefault(key, threading.Lock())


def _acquire(fd: int, lock_path: Path, wait_seconds: float, logger: object) -> None:
    deadline = time.monotonic() + wait_seconds
    delay = 0.02
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = _holder(lock_path)
        if time.monotonic() >= deadline:
            raise WriteLockTimeout(
                f"{lock_path} still held by process {holder} after {wait_seconds:.0f}s: another run is writing"
            )
        if not told and isinstance(logger, logging.Logger | logging.LoggerAdapter):
            logger.info("waiting for process %s to finish writing %s", holder, lock_path.with_suffix(""))
            told = True
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 1.0)


def _holder(lock_path: Path) -> str:
    try:
        return lock_path.read_text().strip() or "unknown"
    except OSError:
        return "unknown"
