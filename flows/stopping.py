"""Stop a run when asked (Ctrl-C, SIGTERM), at a point where stopping loses nothing.

A signal that lands anywhere (inside a DuckDB transaction, a Prefect API call, a parser
worker's reply) would leave things half-done, so the handler only records the request.
The run looks at it at its safe points (``raise_if_stop_requested``, called by
``flows.faults.checkpoint`` and by the parser pool between pages): before a batch is
read, before one is loaded, never inside a load. The batch being loaded is therefore
committed whole, nothing after it starts, and the run ends ``interrupted`` with what it
loaded (see ``flows.run_end``). A second Ctrl-C stops at once (KeyboardInterrupt), as
a user who presses it twice expects; the batch in flight is then rolled back whole.

Parser workers ignore SIGINT (``flows.pool.sandbox``): Ctrl-C in a terminal reaches the whole
process group, and a worker killed by it would turn its page into a reject.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["STOP_SIGNALS", "RunInterrupted", "raise_if_stop_requested", "stop_on_signals", "stop_requested"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

_requested: int | None = None
_depth = 0
_lock = threading.Lock()


class RunInterrupted(Exception):
    """The run stopped at a safe point because it was asked to (``signum``)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")

    @property
    def exit_code(self) -> int:
        """The shell's convention for a process ended by this signal: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


def stop_requested() -> int | None:
    """The signal that asked the run to stop, if one did."""
    return _requested


def raise_if_stop_requested() -> None:
    if _requested is not None:
        raise RunInterrupted(_requested)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    global _requested
    if _requested == signal.SIGINT and signum == signal.SIGINT:
        raise KeyboardInterrupt  # Ctrl-C twice: now
    if _requested is None:
        _requested = signum


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within: SIGINT and SIGTERM ask the run to stop at its next safe point.

    Only the main thread can take signals; elsewhere this does nothing. Nested uses share one
    request, cleared when the outermost one is entered; each restores the handlers it found.
    """
    global _requested, _depth
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with _lock:
        if _depth == 0:
            _requested = None
        _depth += 1
    previous = {number: signal.signal(number, _on_signal) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        with _lock:
            _depth -= 1
