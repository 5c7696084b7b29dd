"""Named points in a run where a test can stop it, to kill it there for real.

Set ``NEWSINGEST_PAUSE_AT=<point>:<n>`` (and ``NEWSINGEST_PAUSE_FILE=<path>``) and the
run stops the n-th time it reaches ``<point>``: it writes its pid to the file and
sleeps, so a test can SIGKILL it at a known place (between batches, inside a
batch's open transaction ...) rather than at a guessed moment. Unset, a
checkpoint costs one dictionary lookup.

A checkpoint is also where a run asked to stop does stop (except ``load.commit``).

Points: ``run.started`` (run row written), ``batch`` (before a batch is read),
``parse`` (a batch parsed), ``load`` (a batch about to be loaded, every batch before it
committed), ``load.commit`` (a batch's rows written, its transaction not yet committed).
Batches are prepared one ahead of loading (``flows.ahead``), so ``batch`` and ``parse``
say nothing about what is committed; ``load`` and ``load.commit`` do.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

from flows.stopping import raise_if_stop_requested, stop_requested

__all__ = ["PAUSE_AT_ENV", "PAUSE_FILE_ENV", "checkpoint"]

PAUSE_AT_ENV = "NEWSINGEST_PAUSE_AT"
PAUSE_FILE_ENV = "NEWSINGEST_PAUSE_FILE"
_MAX_PAUSE_SECONDS = 120.0  # bounded: a forgotten pause must not hang a run for ever

_reached: Counter[str] = Counter()


_SAFE_TO_STOP = frozenset({"run.started", "batch", "load"})  # not load.commit: inside a batch's transaction


def checkpoint(point: str) -> None:
    if point in _SAFE_TO_STOP:
        raise_if_stop_requested()  # a run asked to stop (Ctrl-C, SIGTERM) stops here: see flows.stopping
    wanted = os.environ.get(PAUSE_AT_ENV)
    if not wanted:
        return
    _reached[point] += 1
    name, _, nth = wanted.partition(":")
    if name != point or _reached[point] != int(nth or 1):
        return
    marker = os.environ.get(PAUSE_FILE_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()))
    deadline = time.monotonic() + _MAX_PAUSE_SECONDS
    while time.monotonic() < deadline and stop_requested() is None:  # a stop request ends the pause
        time.sleep(0.05)
    if point in _SAFE_TO_STOP:
        raise_if_stop_requested()
