"""Ctrl-C and SIGTERM stop a real `newsingest run` cleanly: fast, truthfully recorded, nothing left behind.

Each run is a real process in its own process group. It is held at a named point
(``flows.faults``: ``load:3`` = two batches committed, the third prepared) and then signalled
the way a terminal (the whole group) or a service manager (the main process) does. The run
must end within 10 s with the shell's exit code, one console line, ``interrupted`` in ``runs``
with exactly what it loaded, *Cancelled* in Prefect, and the next run must finish the work.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import uuid

import psutil
import pytest

from tests.proc_helpers import (
    article_rows,
    flow_run_state,
    kill_group,
    newsingest,
    prefect_env,
    spawn_newsingest,
    synthetic_pages,
    table_rows,
    wait_for_file,
)

pytestmark = pytest.mark.slow

PAGES, BATCH = 8, 2
COMMITTED = 2 * BATCH  # held at load:3: batches 1 and 2 committed


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return synthetic_pages(tmp_path_factory.mktemp("pages"), PAGES)


@pytest.fixture(scope="module")
def reference(pages, tmp_path_factory, prefect_server):
    db = tmp_path_factory.mktemp("reference") / "news.duckdb"
    run = newsingest("run", str(pages), "--db", str(db), "--batch-size", str(BATCH), "--workers", "1")
    assert run.returncode == 0, run.stderr
    return article_rows(db)


def _summary_artifact(run_id: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    async def read():
        wanted = ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"]),
                                flow_run_id=ArtifactFilterFlowRunId(any_=[uuid.UUID(run_id)]))  # fmt: skip
        async with get_client() as client:
            return await client.read_artifacts(artifact_filter=wanted)

    [artifact] = asyncio.run(read())
    return str(artifact.data)


def _signal_when_held(pages, db, tmp_path, stop: signal.Signals, *, group: bool, env=None, point="load:3"):
    """Start a run, wait until it is held at ``point``, signal it; returns (process, seconds to exit, children)."""
    marker = tmp_path / "held"
    marker.unlink(missing_ok=True)
    env = env or prefect_env()
    env.update(NEWSINGEST_PAUSE_AT=point, NEWSINGEST_PAUSE_FILE=str(marker))
    run = spawn_newsingest("run", str(pages), "--db", str(db), "--batch-size", str(BATCH), "--workers", "1", env=env)
    wait_for_file(marker, run, timeout=240)
    children = psutil.Process(run.pid).children(recursive=True)
    commands = {child.pid: " ".join(child.cmdline()) for child in children}  # read while they live
    sent = time.monotonic()
    if group:
        os.killpg(run.pid, stop)
    else:
        run.send_signal(stop)
    try:
        run.wait(timeout=60)
    except subprocess.TimeoutExpired:
        kill_group(run)
        raise AssertionError(f"{stop.name} did not end the run within 60 s") from None
    return run, time.monotonic() - sent, [(child, commands[child.pid]) for child in children]


@pytest.mark.parametrize(
    ("stop", "group"),
    [(signal.SIGINT, True), (signal.SIGINT, False), (signal.SIGTERM, False), (signal.SIGTERM, True)],
    ids=["sigint-group", "sigint-main-pid", "sigterm-main-pid", "sigterm-group"],
)
def test_a_signalled_run_stops_fast_records_the_truth_and_the_next_run_finishes(
    pages, reference, tmp_path, stop, group
):
    db = tmp_path / "news.duckdb"
    run, seconds, children = _signal_when_held(pages, db, tmp_path, stop, group=group)
    out, err = run.communicate(timeout=30)
    assert run.returncode == 128 + stop, out + err
    assert seconds < 10, f"took {seconds:.1f}s to stop"
    lines = err.strip().splitlines()
    assert lines == [line for line in lines if line.startswith("newsingest: run interrupted by")], err
    assert len(lines) == 1 and f"{COMMITTED} loaded" in lines[0] and "Traceback" not in out + err

    [(run_id, status, loaded, error)] = table_rows(db, "SELECT run_id, status, articles_loaded, error FROM runs")
    assert (status, loaded, error) == ("interrupted", COMMITTED, f"interrupted by {stop.name}")
    rows = article_rows(db)
    assert len(rows["articles"]) == COMMITTED and set(rows["articles"]) <= set(reference["articles"])
    state = flow_run_state(run_id)
    assert state.is_cancelled(), state
    summary = _summary_artifact(run_id)  # the run page says why it ended, and what it had loaded
    assert summary.startswith(f"# Interrupted by {stop.name}")
    assert f"| interrupted | {COMMITTED} | {COMMITTED} |" in summary
    deadline = time.monotonic() + 1  # the parser workers see their pipe close: they have one second
    while [child for child, _ in children if _alive(child)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [command for child, command in children if _alive(child)]

    again = newsingest("run", str(pages), "--db", str(db), "--batch-size", str(BATCH), "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert article_rows(db) == reference
    assert sorted(status for _, status in table_rows(db, "SELECT run_id, status FROM runs")) == [
        "completed", "interrupted",
    ]


def _temporary_server_env() -> dict[str, str]:
    env = prefect_env()
    env.pop("PREFECT_API_URL", None)  # the run starts its own temporary server
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    return env


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "sigkill"])
def test_the_temporary_server_never_outlives_its_run(pages, tmp_path, stop):
    db = tmp_path / "news.duckdb"
    run, _, children = _signal_when_held(pages, db, tmp_path, stop, group=stop == signal.SIGINT,
                                         env=_temporary_server_env())  # fmt: skip
    run.communicate(timeout=30)
    [server] = [child for child, command in children if "uvicorn" in command]
    deadline = time.monotonic() + 15
    while _alive(server) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(server), "the temporary server outlived its run"
    if stop == signal.SIGINT:
        assert run.returncode == 130
        assert table_rows(db, "SELECT status, articles_loaded FROM runs") == [("interrupted", COMMITTED)]


def _completed_loads() -> int:
    """Load task runs of the "busy" folder completed on the server in the last minutes (this test's run)."""
    from datetime import UTC, datetime, timedelta

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterName, TaskRunFilterStartTime

    async def read():
        wanted = TaskRunFilter(
            name=TaskRunFilterName(like_="load-busy"),
            start_time=TaskRunFilterStartTime(after_=datetime.now(UTC) - timedelta(minutes=10)),
        )
        async with get_client() as client:
            return await client.read_task_runs(task_run_filter=wanted)

    return sum(1 for task in asyncio.run(read()) if task.state and task.state.is_completed())


def test_ctrl_c_at_an_unplanned_moment_stops_within_seconds_and_the_counts_are_true(tmp_path, prefect_server):
    """No pause point: Ctrl-C lands wherever the run is (parsing, finding entities, loading)."""
    pages = synthetic_pages(tmp_path / "busy", 30)
    db, clean = tmp_path / "news.duckdb", tmp_path / "clean.duckdb"
    args = ("--batch-size", "2", "--workers", "1")
    run = spawn_newsingest("run", str(pages), "--db", str(db), *args)
    deadline = time.monotonic() + 240
    while _completed_loads() < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert run.poll() is None, "the run ended before it could be interrupted"
    sent = time.monotonic()
    os.killpg(run.pid, signal.SIGINT)
    out, err = run.communicate(timeout=60)
    seconds = time.monotonic() - sent
    assert run.returncode == 130 and seconds < 10, (seconds, out + err)
    [(status, loaded, seen)] = table_rows(db, "SELECT status, articles_loaded, pages_seen FROM runs")
    assert status == "interrupted" and 2 * BATCH <= loaded < 30
    assert len(table_rows(db, "SELECT article_id FROM articles")) == loaded  # what runs says is what is there
    assert seen == loaded + len(table_rows(db, "SELECT uri FROM rejects"))

    assert newsingest("run", str(pages), "--db", str(db), *args).returncode == 0
    assert newsingest("run", str(pages), "--db", str(clean), *args).returncode == 0
    assert article_rows(db) == article_rows(clean)
