"""Open the DuckDB file while another process may hold it: retry with backoff, then fail clearly.

DuckDB lets one process hold a database file for writing and then refuses every
other open, read-only ones included ("Could not set lock on file ... Conflicting
lock is held in <program> (PID n)"). A run therefore holds the file only in short
windows (one per batch), and every open here waits out another process's window:
it retries with exponential backoff (with jitter, so two waiters do not retry in
step) until a time limit, then raises ``WarehouseLocked`` naming the holder.

The limit is ``NEWSINGEST_LOCK_TIMEOUT`` seconds (default 60), or ``lock_timeout=``.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "LOCK_TIMEOUT_ENV",
    "LockHolder",
    "WarehouseLocked",
    "lock_holder",
    "lock_timeout_from_env",
    "open_with_retry",
]

LOCK_TIMEOUT_ENV = "NEWSINGEST_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 60.0
_FIRST_DELAY = 0.05
_MAX_DELAY = 2.0

_LOCK_ERROR = re.compile(r"Could not set lock on file", re.I)
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)", re.S)

C = TypeVar("C")


@dataclass(frozen=True)
class LockHolder:
    """The process DuckDB names as holding the file's lock."""

    pid: int | None
    program: str | None
    command: str | None = None  # its command line, when this machine can see it

    def describe(self) -> str:
        if self.pid is None:
            return "another process"
        what = self.command or self.program or "unknown program"
        return f"process {self.pid} ({what})"


class WarehouseLocked(Exception):
    """The warehouse file stayed locked by another process for longer than the wait allowed."""

    def __init__(self, path: str | Path, holder: LockHolder, waited: float) -> None:
        self.path = str(path)
        self.holder = holder
        self.waited = waited
        super().__init__(
            f"{self.path} is locked by {holder.describe()}; gave up after waiting {waited:.1f}s"
            f" (raise {LOCK_TIMEOUT_ENV} or --lock-timeout to wait longer, or stop that process)"
        )


def lock_timeout_from_env(default: float = DEFAULT_LOCK_TIMEOUT) -> float:
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return default
    try:
        return max(0.0, float(raw))
    except ValueError as exc:
        raise ValueError(f"{LOCK_TIMEOUT_ENV} must be a number of seconds, not {raw!r}") from exc


def lock_holder(error: BaseException | str) -> LockHolder | None:
    """The holder named in a DuckDB lock error, or None when the error is not about the lock."""
    message = str(error)
    if not _LOCK_ERROR.search(message):
        return None
    match = _HOLDER.search(message)
    if match is None:
        return LockHolder(pid=None, program=None)
    pid = int(match.group("pid"))
    return LockHolder(pid=pid, program=match.group("program").strip(), command=_command_line(pid))


def open_with_retry(
    opener: Callable[[], C],
    path: str | Path,
    *,
    lock_timeout: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> C:
    """Call ``opener`` until it gets past the file lock, or raise ``WarehouseLocked``.

    Only the lock error is retried; any other error is the caller's at once.
    """
    limit = lock_timeout_from_env() if lock_timeout is None else lock_timeout
    started = clock()
    delay = _FIRST_DELAY
    while True:
        try:
            return opener()
        except duckdb.IOException as exc:
            holder = lock_holder(exc)
            if holder is None:
                raise
            waited = clock() - started
            if waited >= limit:
                raise WarehouseLocked(path, holder, waited) from exc
            sleep(min(delay * random.uniform(0.5, 1.0), max(0.0, limit - waited)))
            delay = min(delay * 2, _MAX_DELAY)


def _command_line(pid: int) -> str | None:
    """The holder's command line from /proc (Linux); None elsewhere or when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    # One line whatever the arguments hold (a `python -c` script has newlines): it goes into a one-line message.
    command = " ".join(" ".join(part.decode("utf-8", "replace").split()) for part in raw.split(b"\0") if part)
    return command[:200] or None
