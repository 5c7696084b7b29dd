"""A one-line live progress display for long runs; silent unless the stream is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """``fetch 120/400  12.3/s  4 errors`` redrawn in place, at most ``fps`` times a second.

    Log files and pipes get nothing: the run's summary is logged anyway, and a carriage-return
    animation is noise there.
    """

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None, fps: float = 4.0) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.errors = 0
        self._stream = stream if stream is not None else sys.stderr
        self._live = bool(getattr(self._stream, "isatty", lambda: False)())
        self._interval = 1.0 / fps
        self._started = time.monotonic()
        self._drawn = 0.0

    def advance(self, *, error: bool = False) -> None:
        self.done += 1
        self.errors += int(error)
        now = time.monotonic()
        if self._live and (now - self._drawn >= self._interval or self.done == self.total):
            self._drawn = now
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self._started, 1e-9)
        return f"{self.label} {self.done}/{self.total}  {self.done / elapsed:.1f}/s  {self.errors} errors"

    def _draw(self, now: float) -> None:
        self._stream.write("\r\x1b[K" + self.line(now))
        self._stream.flush()

    def close(self) -> None:
        if self._live and self.done:
            self._stream.write("\n")
            self._stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
