"""``warehouse.writelock`` between threads of one process (across processes: ``tests/test_locking.py``)."""

from __future__ import annotations

import threading
import time

import pytest

from warehouse.writelock import WriteLockTimeout, write_window


def test_threads_take_the_window_one_at_a_time(tmp_path):
    db = tmp_path / "news.duckdb"
    inside = 0
    most_inside = 0
    guard = threading.Lock()

    def writer() -> None:
        nonlocal inside, most_inside
        for _ in range(20):
            with write_window(db):
                with guard:
                    inside += 1
                    most_inside = max(most_inside, inside)
                time.sleep(0.001)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert most_inside == 1 and inside == 0


def test_a_thread_gives_up_at_the_limit(tmp_path):
    db = tmp_path / "news.duckdb"
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with write_window(db):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(10)
        with pytest.raises(WriteLockTimeout, match="this process"):
            with write_window(db, wait_seconds=0.2):
                pass
    finally:
        release.set()
        thread.join(timeout=10)
    with write_window(db, wait_seconds=1):  # free again once the holder is done
        pass
