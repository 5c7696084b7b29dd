"""A run killed with SIGKILL at any point leaves the warehouse consistent, and the next run finishes the work.

Each run is a real `newsingest run` process, stopped at a named checkpoint
(``flows.faults``) and killed with SIGKILL there, process group and all. The
killed runs are chained on one database: every next run must mark the dead one
failed, keep what was committed, and the last run must leave exactly the rows
an uninterrupted run leaves.
"""

from __future__ import annotations

import os
import signal
from dataclasses import replace

import pytest

from tests.proc_helpers import (
    article_rows,
    newsingest,
    prefect_env,
    spawn_newsingest,
    synthetic_pages,
    table_rows,
    wait_for_file,
)
from warehouse import connect, fail_dead_runs, start_run
from warehouse.liveness import current_process

pytestmark = pytest.mark.slow

PAGES, BATCH = 6, 2

# (checkpoint, articles committed when the run is killed there)
KILL_POINTS = [
    ("run.started:1", 0),  # run row written, nothing read
    ("load.commit:1", 0),  # batch 1 written inside its transaction, not committed
    ("load:2", 2),  # batch 1 committed, batch 2 prepared (the next one ahead of it), not loaded
    ("load.commit:3", 4),  # batch 2 committed (batch 1 unchanged), batch 3 written, not committed
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return synthetic_pages(tmp_path_factory.mktemp("pages"), PAGES)


@pytest.fixture(scope="module")
def reference(pages, tmp_path_factory, prefect_server):
    """What one uninterrupted run leaves."""
    db = tmp_path_factory.mktemp("reference") / "news.duckdb"
    run = newsingest("run", str(pages), "--db", str(db), "--batch-size", str(BATCH), "--workers", "1")
    assert run.returncode == 0, run.stderr
    rows = article_rows(db)
    assert len(rows["articles"]) == PAGES and len(rows["mentions"]) >= 5 * PAGES
    return rows


def test_killed_runs_leave_whole_batches_and_the_next_run_finishes(pages, reference, tmp_path):
    db, marker = tmp_path / "news.duckdb", tmp_path / "paused"
    killed: list[str] = []
    for point, committed in KILL_POINTS:
        marker.unlink(missing_ok=True)
        env = prefect_env(NEWSINGEST_PAUSE_AT=point, NEWSINGEST_PAUSE_FILE=str(marker))
        run = spawn_newsingest("run", str(pages), "--db", str(db), "--batch-size", str(BATCH), "--workers", "1",
                               env=env)
        pid = int(wait_for_file(marker, run))
        assert pid == run.pid
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate(timeout=30)
        assert run.returncode == -signal.SIGKILL

        rows = article_rows(db)
        _assert_whole_batches(rows, reference, committed, point)
        statuses = dict(table_rows(db, "SELECT run_id, status FROM runs"))
        assert list(statuses.values()).count("running") == 1, (point, statuses)
        assert all(statuses[run_id] == "failed" for run_id in killed), (point, statuses)  # found by this run
        killed += [run_id for run_id, status in statuses.items() if status == "running"]

    final = newsingest("run", str(pages), "--db", str(db), "--batch-size", str(BATCH), "--workers", "1")
    assert final.returncode == 0, final.stderr
    assert article_rows(db) == reference
    runs = table_rows(db, "SELECT run_id, status, error FROM runs")
    assert sorted(status for _, status, _ in runs) == ["completed"] + ["failed"] * len(KILL_POINTS)
    for run_id, status, error in runs:
        if run_id in killed:
            assert status == "failed" and "ended without finishing" in error


def _assert_whole_batches(rows, reference, committed: int, point: str) -> None:
    """Only committed batches are there, each article with all its mentions and entities."""
    assert len(rows["articles"]) == committed, point
    ids = {row[0] for row in rows["articles"]}
    assert set(rows["articles"]) <= set(reference["articles"]), point
    expected_mentions = [m for m in reference["mentions"] if m[0] in ids]
    assert rows["mentions"] == expected_mentions, point
    used = {m[1] for m in rows["mentions"]}
    assert used <= {e[0] for e in rows["entities"]}, point


def test_a_live_run_is_left_alone_and_a_dead_one_is_failed(tmp_path):
    con = connect(tmp_path / "news.duckdb")
    me = current_process()
    start_run(con, run_id="live", name=None, inputs=["x"], process=me)
    start_run(con, run_id="dead", name=None, inputs=["x"], process=replace(me, pid=_unused_pid()))
    start_run(con, run_id="reused", name=None, inputs=["x"], process=replace(me, token="other-boot:1"))
    start_run(con, run_id="elsewhere", name=None, inputs=["x"], process=replace(me, host="other-host"))
    assert sorted(fail_dead_runs(con, by_run_id="new")) == ["dead", "reused"]
    status = dict(con.execute("SELECT run_id, status FROM runs").fetchall())
    assert status == {"live": "running", "dead": "failed", "reused": "failed", "elsewhere": "running"}
    # a run on another host is judged by its heartbeat
    con.execute("UPDATE runs SET heartbeat_at = now() - INTERVAL 7 HOURS WHERE run_id = 'elsewhere'")
    assert fail_dead_runs(con, by_run_id="new") == ["elsewhere"]
    con.close()


def _unused_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1

