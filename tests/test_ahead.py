"""``flows.ahead``: the next item is produced in a thread while the caller handles this one."""

from __future__ import annotations

import contextvars
import threading
from contextlib import closing

import pytest

from flows.ahead import ahead

WAIT = 10.0  # seconds; generous, only a broken implementation ever waits this long


def test_items_come_in_order_and_all_of_them():
    assert list(ahead(iter(range(100)))) == list(range(100))
    assert list(ahead(iter([]))) == []


def test_the_next_item_is_produced_while_the_caller_handles_this_one():
    produced = [threading.Event() for _ in range(3)]

    def items():
        for n in range(3):
            produced[n].set()
            yield n

    batches = ahead(items())
    assert next(batches) == 0
    # The caller still holds item 0, and item 1 gets made meanwhile.
    assert produced[1].wait(WAIT)
    assert list(batches) == [1, 2]


def test_at_most_depth_items_wait_beyond_the_one_being_made():
    depth = 2
    asked = 0  # items the caller has asked for, counted before it asks
    asked_when_made: list[int] = []
    fourth_made = threading.Event()

    def items():
        for n in range(10):
            asked_when_made.append(asked)
            if n == 3:
                fourth_made.set()
            yield n

    batches = ahead(items(), depth=depth)
    asked += 1
    assert next(batches) == 0
    # Item 0 is with the caller, 1 and 2 wait in the queue, 3 is made and waits for room ...
    assert fourth_made.wait(WAIT)
    rest = []
    for _ in range(9):
        asked += 1
        rest.append(next(batches))
    assert rest == list(range(1, 10))
    # ... and item n is only begun once the caller has asked for item n - depth: room in the queue
    # comes from the caller alone, however long it takes.
    assert all(asked_when_made[n] >= n - depth for n in range(10)), asked_when_made
    batches.close()


def test_a_producer_error_reaches_the_caller_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise ValueError("page 3 broke the reader")

    seen = []
    with pytest.raises(ValueError, match="page 3"):
        for item in ahead(items()):
            seen.append(item)
    assert seen == [1, 2]


def test_a_caller_that_stops_early_stops_the_producer_and_runs_its_cleanup():
    cleaned = threading.Event()
    made = []

    def items():
        try:
            for n in range(1000):
                made.append(n)
                yield n
        finally:
            cleaned.set()

    with pytest.raises(RuntimeError):
        with closing(ahead(items())) as batches:
            for item in batches:
                if item == 2:
                    raise RuntimeError("load failed")
    assert cleaned.wait(WAIT)
    assert len(made) <= 5  # stopped within a couple of items, not run to the end


def test_the_producer_sees_the_callers_context():
    current = contextvars.ContextVar("current", default="none")
    current.set("flow-run-7")

    def items():
        yield current.get()

    assert list(ahead(items())) == ["flow-run-7"]
