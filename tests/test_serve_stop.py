"""Runs stopped from outside (serve stopped, a worker's run cancelled, the run's process killed) end final.

daily-ingest allows one run at a time. A run left *Running* (in Prefect and in ``runs``) by a
stopped `serve` would hold that one slot for good; each test here stops `serve` mid-run, the way
a terminal (Ctrl-C to the whole group) or a service manager (SIGTERM to the process) does, then
checks the run's final state in both places and that a following run of the deployment completes.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

PROJECT_PARTS = ("flows", "parsers", "warehouse", "seeds", "sources.toml", "prefect.yaml", "pyproject.toml")


@pytest.fixture
def clone(tmp_path) -> Path:
    folder = tmp_path / "newsingest-clone"
    folder.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, folder / part)
    return folder


def _env(home: Path, code: Path, **extra: str) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSINGEST_"))}
    env.update(
        PREFECT_API_URL=PREFECT_API_URL.value(), PREFECT_HOME=str(home), PYTHONPATH=str(code),
        PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="WARNING", **extra,
    )  # fmt: skip
    return env


def _client(coroutine_fn):
    from prefect.client.orchestration import get_client

    async def main():
        async with get_client() as client:
            return await coroutine_fn(client)

    return asyncio.run(main())


def _serve(clone: Path, env: dict[str, str], logs: Path) -> subprocess.Popen[str]:
    """`newsingest serve` in its own process group, its output to files (a run's processes inherit them)."""
    with (logs / "serve.out").open("a") as out, (logs / "serve.err").open("a") as err:
        return subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--db", "served.duckdb"], cwd=clone,
                                env=env, stdout=out, stderr=err, text=True, start_new_session=True)  # fmt: skip


def _daily(seconds: float = 180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            deployment = _client(lambda client: client.read_deployment_by_name("ingest/daily-ingest"))
            if deployment.parameters.get("db_path") == "served.duckdb":
                return deployment
        except Exception:
            pass
        time.sleep(1)
    raise AssertionError("serve did not register daily-ingest")


def _state(flow_run_id, *, final_within: float):
    deadline = time.monotonic() + final_within
    while True:
        state = _client(lambda client: client.read_flow_run(flow_run_id)).state
        if state.is_final() or time.monotonic() > deadline:
            return state
        time.sleep(0.5)


def _stop(serve: subprocess.Popen[str], stop: signal.Signals, *, group: bool) -> None:
    (os.killpg if group else os.kill)(serve.pid, stop)
    try:
        serve.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(serve.pid, signal.SIGKILL)
        serve.wait()
        raise AssertionError(f"serve did not stop on {stop.name}") from None


def _shut_down(worker: subprocess.Popen[str]) -> None:
    """Clean-up, not a check: how fast Prefect's own process worker exits on SIGTERM is Prefect's (on a busy
    machine it has taken more than 90 s); what the worker test checks is how the run it held ended."""
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


@pytest.mark.parametrize(("stop", "group"), [(signal.SIGINT, True), (signal.SIGTERM, False)],
                         ids=["ctrl-c-in-terminal", "sigterm-to-serve"])  # fmt: skip
def test_stopping_serve_mid_run_leaves_the_run_final_and_the_next_run_unblocked(
    prefect_server, clone, tmp_path, stop, group
):
    async def clear(client):  # other tests' deployments of these names (a work pool's) would clash
        for deployment in await client.read_deployments():
            await client.delete_deployment(deployment.id)

    _client(clear)
    held = tmp_path / "held"
    env = _env(tmp_path / "home", clone, NEWSINGEST_PAUSE_AT="load:1", NEWSINGEST_PAUSE_FILE=str(held))
    serve = _serve(clone, env, tmp_path)
    try:
        daily = _daily()
        first = _client(lambda client: client.create_flow_run_from_deployment(daily.id))
        deadline = time.monotonic() + 240
        while not held.exists() and time.monotonic() < deadline and serve.poll() is None:
            time.sleep(0.2)
        assert held.exists(), (tmp_path / "serve.err").read_text()
        _stop(serve, stop, group=group)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
    err = (tmp_path / "serve.err").read_text()
    state = _state(first.id, final_within=30)
    assert state.is_final(), f"the run stayed {state.name}\n{err}"
    assert state.is_cancelled(), state
    with duckdb.connect(str(clone / "served.duckdb"), read_only=True) as con:
        [(status, error)] = con.execute("SELECT status, error FROM runs WHERE run_id = ?", [str(first.id)]).fetchall()
    assert status == "interrupted" and error.startswith("interrupted by SIG"), (status, error)

    # The next run of daily-ingest (one at a time) starts and completes.
    serve = _serve(clone, _env(tmp_path / "home", clone), tmp_path)
    try:
        daily = _daily()
        second = _client(lambda client: client.create_flow_run_from_deployment(daily.id))
        state = _state(second.id, final_within=240)
        assert state.is_completed(), f"{state}\n{(tmp_path / 'serve.err').read_text()}"
    finally:
        _stop(serve, signal.SIGTERM, group=False)
    assert serve.returncode == 0


def test_a_run_killed_under_serve_is_crashed_in_prefect_and_failed_in_runs(prefect_server, clone, tmp_path):
    """SIGKILL (the OOM killer) of the run's own process: the runner reports it Crashed and runs the flow's
    on_crashed hook, which closes its ``runs`` row; serve goes on serving."""
    import psutil

    async def clear(client):
        for deployment in await client.read_deployments():
            await client.delete_deployment(deployment.id)

    _client(clear)
    held = tmp_path / "held"
    env = _env(tmp_path / "home", clone, NEWSINGEST_PAUSE_AT="load:1", NEWSINGEST_PAUSE_FILE=str(held))
    serve = _serve(clone, env, tmp_path)
    try:
        daily = _daily()
        run = _client(lambda client: client.create_flow_run_from_deployment(daily.id))
        deadline = time.monotonic() + 240
        while not held.exists() and time.monotonic() < deadline and serve.poll() is None:
            time.sleep(0.2)
        assert held.exists(), (tmp_path / "serve.err").read_text()
        engine = psutil.Process(int(held.read_text()))
        assert "prefect.engine" in " ".join(engine.cmdline())  # the run's process, not serve
        engine.kill()
        state = _state(run.id, final_within=90)
        assert state.is_crashed(), f"{state}\n{(tmp_path / 'serve.err').read_text()}"
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            try:
                with duckdb.connect(str(clone / "served.duckdb"), read_only=True) as con:
                    [(status, error)] = con.execute("SELECT status, error FROM runs WHERE run_id = ?",
                                                    [str(run.id)]).fetchall()  # fmt: skip
            except duckdb.IOException:  # the hook holds the file for a moment
                status = None
            if status not in (None, "running"):
                break
            time.sleep(1)
        assert status == "failed" and error.startswith("flow run crashed"), (status, error)
        assert serve.poll() is None  # still serving
    finally:
        _stop(serve, signal.SIGTERM, group=False)


def test_cancelling_a_run_held_by_a_worker_ends_it_cancelled_and_interrupted(prefect_server, clone, tmp_path):
    """`prefect flow-run cancel` (here: the Cancelling state it sets) on a run a process worker executes: the
    worker signals the run's process, which stops between batches and ends Cancelled, ``interrupted`` in runs."""
    from prefect.states import Cancelling

    prefect = str(Path(sys.executable).parent / "prefect")

    async def clear(client):
        for deployment in await client.read_deployments():
            await client.delete_deployment(deployment.id)

    _client(clear)
    held = tmp_path / "held"
    env = _env(tmp_path / "home", clone, NEWSINGEST_PAUSE_AT="load:1", NEWSINGEST_PAUSE_FILE=str(held),
               NEWSINGEST_HOME=str(clone))  # fmt: skip
    for command in (["work-pool", "create", "newsingest", "--type", "process", "--overwrite"],
                    ["deploy", "--name", "daily-ingest"]):  # fmt: skip
        done = subprocess.run([prefect, "--no-prompt", *command], cwd=clone, env=env, capture_output=True, text=True,
                              timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    daily = _client(lambda client: client.read_deployment_by_name("ingest/daily-ingest"))
    db = tmp_path / "worker.duckdb"
    run = _client(lambda client: client.create_flow_run_from_deployment(daily.id, parameters={"db_path": str(db)}))
    with (tmp_path / "worker.log").open("w") as log:
        worker = subprocess.Popen([prefect, "worker", "start", "--pool", "newsingest"], cwd=clone, env=env,
                                  stdout=log, stderr=log, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while not held.exists() and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
        assert held.exists(), (tmp_path / "worker.log").read_text()
        _client(lambda client: client.set_flow_run_state(run.id, Cancelling(message="by hand"), force=True))
        state = _state(run.id, final_within=60)
    finally:
        _shut_down(worker)
    assert state.is_cancelled() and "interrupted by SIGTERM" in (state.message or ""), state
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status, error FROM runs").fetchall() == [("interrupted", "interrupted by SIGTERM")]
