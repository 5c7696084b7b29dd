"""Write-lock windows: opens wait out another process's lock with backoff, then fail naming the holder."""

from __future__ import annotations

import time

import duckdb
import pytest

from tests.proc_helpers import (
    hold_database,
    kill_group,
    newsingest,
    prefect_env,
    spawn_newsingest,
    synthetic_pages,
    wait_for_file,
)
from warehouse import WarehouseLocked, connect, connect_read_only
from warehouse.locking import lock_holder, open_with_retry

_MESSAGE = (
    'IO Error: Could not set lock on file "/tmp/x.duckdb": Conflicting lock is held in '
    "/usr/bin/python3.11 (PID 4242). See also https://duckdb.org/docs/stable/connect/concurrency"
)


def test_holder_is_read_from_duckdbs_message():
    holder = lock_holder(duckdb.IOException(_MESSAGE))
    assert holder is not None and holder.pid == 4242 and holder.program == "/usr/bin/python3.11"
    assert lock_holder(duckdb.IOException("IO Error: No such file or directory")) is None


def test_retries_with_growing_backoff_then_succeeds():
    failures = iter([duckdb.IOException(_MESSAGE)] * 4)
    sleeps: list[float] = []

    def opener() -> str:
        error = next(failures, None)
        if error is not None:
            raise error
        return "open"

    assert open_with_retry(opener, "x.duckdb", lock_timeout=30, sleep=sleeps.append) == "open"
    assert len(sleeps) == 4 and sleeps[-1] > sleeps[0]


def test_gives_up_at_the_limit_naming_the_holder():
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    def opener():
        raise duckdb.IOException(_MESSAGE)

    with pytest.raises(WarehouseLocked, match=r"process 4242") as caught:
        open_with_retry(opener, "x.duckdb", lock_timeout=5, sleep=sleep, clock=lambda: now[0])
    assert caught.value.holder.pid == 4242 and 5 <= caught.value.waited < 8


def test_other_errors_are_not_retried(tmp_path):
    calls = []

    def opener():
        calls.append(1)
        raise duckdb.IOException("IO Error: Cannot open file: Permission denied")

    with pytest.raises(duckdb.IOException):
        open_with_retry(opener, tmp_path / "x.duckdb", lock_timeout=5)
    assert calls == [1]


def test_env_sets_the_limit(tmp_path, monkeypatch):
    db = tmp_path / "news.duckdb"
    connect(db).close()
    holder = hold_database(db, 30)
    try:
        monkeypatch.setenv("NEWSINGEST_LOCK_TIMEOUT", "0.3")
        started = time.monotonic()
        with pytest.raises(WarehouseLocked, match=rf"process {holder.pid}\b"):
            connect_read_only(db)
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_reader_and_writer_wait_for_another_process(tmp_path):
    db = tmp_path / "news.duckdb"
    connect(db).close()
    holder = hold_database(db, 1.5)
    try:
        started = time.monotonic()
        connect_read_only(db, lock_timeout=30).close()  # waits out the holder's window
        assert time.monotonic() - started >= 0.5
    finally:
        holder.wait(timeout=30)
    holder = hold_database(db, 1.5)
    try:
        connect(db, lock_timeout=30).close()
    finally:
        holder.wait(timeout=30)


@pytest.mark.slow
def test_analyst_query_between_a_runs_windows(tmp_path, prefect_server):
    """While a run is between batches, `newsingest sql` opens the file at once; mid-batch it waits or names the run."""
    pages = synthetic_pages(tmp_path / "pages", 4)
    db, marker = tmp_path / "news.duckdb", tmp_path / "paused"
    env = prefect_env(NEWSINGEST_PAUSE_AT="load:2", NEWSINGEST_PAUSE_FILE=str(marker))
    run = spawn_newsingest("run", str(pages), "--db", str(db), "--batch-size", "2", "--workers", "1", env=env)
    try:
        wait_for_file(marker, run)
        query = newsingest("sql", "SELECT 'loaded=' || count(*) FROM articles", "--db", str(db), "--lock-timeout", "0")
        assert query.returncode == 0, query.stderr
        assert "loaded=2" in query.stdout  # batch 1 committed, batch 2 not loaded yet
    finally:
        kill_group(run)

    marker.unlink()
    env = prefect_env(NEWSINGEST_PAUSE_AT="load.commit:1", NEWSINGEST_PAUSE_FILE=str(marker))
    run = spawn_newsingest("run", str(pages), "--db", str(db), "--batch-size", "2", "--workers", "1", env=env)
    try:
        pid = wait_for_file(marker, run)
        query = newsingest("sql", "SELECT 1", "--db", str(db), "--lock-timeout", "0.5")
        assert query.returncode == 3
        assert f"locked by process {pid}" in query.stderr and "Traceback" not in query.stderr
    finally:
        kill_group(run)


@pytest.mark.slow
def test_run_waits_for_a_holder_then_proceeds_or_fails_clearly(tmp_path, prefect_server):
    pages = synthetic_pages(tmp_path / "pages", 2)
    db = tmp_path / "news.duckdb"
    connect(db).close()

    holder = hold_database(db, 2)
    try:
        run = newsingest("run", str(pages), "--db", str(db), "--lock-timeout", "60", "--workers", "1")
    finally:
        holder.wait(timeout=30)
    assert run.returncode == 0, run.stderr
    assert "articles loaded: 2" in run.stdout

    holder = hold_database(db, 120)
    try:
        run = newsingest("run", str(pages), "--db", str(db), "--lock-timeout", "1", "--workers", "1")
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 3, run.stdout + run.stderr
    assert f"locked by process {holder.pid}" in run.stderr
