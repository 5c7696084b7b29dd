"""Work one item ahead: produce the next batch in a thread while the caller handles this one.

The flow's producer (read or fetch, parse, find entities) keeps the parser processes
busy, and its consumer (loading into DuckDB) runs in this process; done one after the
other, the parser processes idle while a batch loads. ``ahead`` overlaps the two:

    for batch in ahead(prepared_batches()):   # batch n+1 is prepared meanwhile
        load(batch)

At most ``depth`` items wait finished beside the one being produced, so memory stays
bounded whatever the number of batches. The producer runs in a copy of the caller's
context, so Prefect's flow-run context (and its tags) reach the tasks it calls. An
error on either side stops both: the producer's is raised to the caller at the item
where it happened; when the caller stops early, the producer stops at its next item.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["ahead"]

T = TypeVar("T")

_POLL_SECONDS = 0.1  # how often a producer that waits for room checks whether the caller gave up
_JOIN_SECONDS = 60.0  # how long a caller that gave up waits for the producer to finish its item


class _End:
    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def ahead(items: Iterator[T], *, depth: int = 1) -> Iterator[T]:
    """The items of ``items`` in order, each produced in a thread while the caller handles the previous one."""
    ready: queue.Queue[T | _End] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(item: T | _End) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    break
            else:
                put(_End())
        except BaseException as exc:  # handed to the caller, which raises it
            put(_End(exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # a generator stopped early runs its cleanup (its ``with`` blocks) here, in its own thread

    context = contextvars.copy_context()
    worker = threading.Thread(target=context.run, args=(produce,), name="ahead", daemon=True)
    worker.start()
    try:
        while True:
            item = ready.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        stop.set()
        worker.join(timeout=_JOIN_SECONDS)
