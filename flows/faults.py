"""Named points in a run where a test can stop it, to kill it there for real.

Set ``NEWSINGEST_PAUSE_AT=<point>:<n>`` (and ``NEWSINGEST_PAUSE_FILE=<path>``) and the
run stops the n-th time it reaches ``<point>``: it writes its pid to the file and
sleeps, so a test can SIGKILL it at a known place (between batches, inside a
batch's open transaction ...) rather than at a guessed moment. Unset, a
checkpoint costs one dictionary lookup.

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

__all__ = ["PAUSE_AT_ENV", "PAUSE_FILE_ENV", "checkpoint"]

PAUSE_AT_ENV = "NEWSINGEST_PAUSE_AT"
PAUSE_FILE_ENV = "NEWSINGEST_PAUSE_FILE"
_MAX_PAUSE_SECONDS = 120.0  # bounded: a forgotten pause must not hang a run for ever

_reached: Counter[str] = Counter()


def checkpoint(point: str) -> None:
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
    time.sleep(_MAX_PAUSE_SECONDS)
