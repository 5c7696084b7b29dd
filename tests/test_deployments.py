"""prefect.yaml against a real Prefect server: deploy, run through a worker, concurrent runs, serve.

All tests share the session's test server (``prefect_server``); the CLI, the worker and the
runs are real processes pointed at it, with their own temporary PREFECT_HOME.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest
import yaml

from tests.conftest import ROOT
from tests.site_pages import page_html, write_site
from tests.web_server import Reply, Site, serve
from tests.web_site import feed_xml

pytestmark = pytest.mark.slow

PREFECT = str(Path(sys.executable).parent / "prefect")
PROJECT_PARTS = ("flows", "parsers", "warehouse", "seeds", "sources.toml", "prefect.yaml", "pyproject.toml")


@pytest.fixture(scope="module")
def api_url(prefect_server) -> str:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """The repository as a user's clone in some other folder."""
    folder = tmp_path_factory.mktemp("somewhere") / "newsingest-clone"
    folder.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, folder / part)
    return folder


def _env(api_url: str, home: Path, code: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSINGEST_"))}
    env.update(
        PREFECT_API_URL=api_url,
        PREFECT_HOME=str(home),
        PYTHONPATH=str(code),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="WARNING",
        **extra,
    )
    return env


def _cli(*args: str, cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [PREFECT, "--no-prompt", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _run(coroutine_fn):
    from prefect.client.orchestration import get_client

    async def main():
        async with get_client() as client:
            return await coroutine_fn(client)

    return asyncio.run(main())


@pytest.fixture(scope="module")
def deployed(api_url, clone, tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    env = _env(api_url, home, clone)
    _cli("work-pool", "create", "newsingest", "--type", "process", "--overwrite", cwd=clone, env=env)
    _cli("deploy", "--all", cwd=clone, env=env)
    return home


def test_deploy_all_creates_every_deployment_with_schedule_and_parameters(deployed):
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    expected = {d["name"]: d for d in config["deployments"]}
    assert {"daily-ingest", "reparse", "backfill"} <= set(expected)

    async def read(client):
        return {d.name: d for d in await client.read_deployments()}

    found = _run(read)
    assert set(expected) <= set(found)
    for name, spec in expected.items():
        deployment = found[name]
        assert deployment.parameters == spec["parameters"]
        assert deployment.work_pool_name == "newsingest"
        assert deployment.entrypoint == spec["entrypoint"]
        # the pull step keeps its template for the worker to fill: no absolute path of the deploying machine
        assert deployment.pull_steps == [{"flows.deployments.enter_project": {"directory": "{{ $NEWSINGEST_HOME }}"}}]
        crons = [(s.schedule.cron, s.schedule.timezone, s.active) for s in deployment.schedules]
        assert crons == [(s["cron"], s["timezone"], True) for s in spec.get("schedules") or []]
    daily = found["daily-ingest"]
    assert [(s.schedule.cron, s.schedule.timezone) for s in daily.schedules] == [("0 6 * * *", "UTC")]
    assert daily.global_concurrency_limit is not None and daily.global_concurrency_limit.limit == 1
    assert set(found["backfill"].parameter_openapi_schema["required"]) == {"start", "end"}


def test_timezone_is_set_at_deploy_time(api_url, clone, deployed):
    env = _env(api_url, deployed, clone)
    _cli("deploy", "--name", "daily-ingest", "--timezone", "Europe/Berlin", cwd=clone, env=env)

    async def read(client):
        return await client.read_deployment_by_name("ingest/daily-ingest")

    daily = _run(read)
    assert [(s.schedule.cron, s.schedule.timezone) for s in daily.schedules] == [("0 6 * * *", "Europe/Berlin")]


@pytest.fixture(scope="module")
def gazette():
    """A news site on 127.0.0.1 with an RSS feed of three stories."""
    site = Site()
    with serve(site):
        numbers = (10, 11, 12)
        paths = [f"/news/{number}.html" for number in numbers]
        site.routes.update({f"/news/{number}.html": Reply.html(page_html(number)) for number in numbers})
        site.routes["/feed.xml"] = Reply(body=feed_xml(site, paths), headers={"Content-Type": "application/rss+xml"})
        yield site


@pytest.fixture(scope="module")
def worker_run(api_url, clone, deployed, gazette, tmp_path_factory):
    """One daily-ingest run started on the server and executed by a process worker from the clone."""
    data = tmp_path_factory.mktemp("worker-data")
    site = write_site(data / "townnews", junk=True)
    db = data / "news.duckdb"
    sources = data / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "seeds"\nkind = "folder"\nlocation = "{clone / "seeds"}"\n\n'
        f'[[source]]\nname = "townnews"\nkind = "folder"\nlocation = "{site}"\n\n'
        f'[[source]]\nname = "gazette"\nkind = "feed"\nlocation = "{gazette.url("/feed.xml")}"\n'
        "allow_private_addresses = true\n",
        encoding="utf-8",
    )

    async def start(client):
        deployment = await client.read_deployment_by_name("ingest/daily-ingest")
        return await client.create_flow_run_from_deployment(
            deployment.id, parameters={"sources_file": str(sources), "db_path": str(db)}
        )

    flow_run = _run(start)
    # The worker starts elsewhere; the pull step finds the clone through NEWSINGEST_HOME.
    env = _env(api_url, deployed, clone, NEWSINGEST_HOME=str(clone))
    worker = subprocess.run(
        [PREFECT, "worker", "start", "--pool", "newsingest", "--run-once", "--limit", "1"],
        cwd=data, env=env, capture_output=True, text=True, timeout=400,
    )

    async def finished(client):
        run = await client.read_flow_run(flow_run.id)
        tasks = await client.read_task_runs(flow_run_filter=_flow_run_filter(flow_run.id))
        artifacts = await client.read_artifacts(artifact_filter=_artifact_filter(flow_run.id))
        return run, tasks, {a.key: a for a in artifacts}

    return _run(finished), worker, site, db


def _flow_run_filter(flow_run_id):
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    return FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))


def _artifact_filter(flow_run_id):
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    return ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))


def test_daily_ingest_runs_through_a_worker_and_reports_back(worker_run, clone, gazette):
    (run, tasks, artifacts), worker, site, db = worker_run
    assert run.state.is_completed(), f"{run.state}\n{worker.stdout}\n{worker.stderr}"
    assert run.name.startswith("ingest-") and run.name.endswith("seeds+townnews+gazette")
    stages = {task.name.rsplit("-", 1)[0] for task in tasks}
    assert {"read-seeds", "parse-seeds", "load-seeds", "read-townnews", "load-townnews"} <= stages
    assert {"discover-web", "fetch-gazette", "parse-gazette", "load-gazette"} <= stages
    assert all(task.state.is_completed() for task in tasks)
    assert {seen.path for seen in gazette.log} >= {"/feed.xml", "/news/10.html", "/news/11.html", "/news/12.html"}

    markdown = artifacts["ingest-summary"].data
    # 1 seed + 5 stories + 1 empty page from folders, 3 stories from the feed: 9 loaded, 1 rejected
    assert "| 10 | 9 | 0 | 0 | 1 |" in markdown
    assert "| seeds | 1 | 1 | 0 | 1 | 0 | 0 | 1 | 0 |" in markdown  # folder sources go by their names
    assert "| townnews | 6 | 6 | 0 | 5 | 0 | 1 | 5 | 0 |" in markdown
    assert "| gazette | 3 | 3 | 0 | 3 | 0 | 0 | 3 | 0 |" in markdown
    rejects = json.loads(artifacts["ingest-rejects"].data)
    assert [(r["url"], r["stage"]) for r in rejects] == [(str(site / "empty.html"), "parse")]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 9
        assert con.execute("SELECT flow_run_name FROM runs").fetchall() == [(run.name,)]


def test_two_runs_started_together_both_complete_and_load_once(api_url, clone, worker_run, tmp_path):
    from flows.ingest import ingest

    (_, _, _), _, site, _ = worker_run
    inputs = ["seeds", str(site)]  # "seeds" relative: the same path strings (and article ids) in both folders
    reference = tmp_path / "alone.duckdb"
    ingest(paths=inputs, db_path=str(reference))  # the same inputs, one run, nobody else writing

    db = tmp_path / "shared.duckdb"
    env = _env(api_url, tmp_path / "home", clone)
    command = [sys.executable, "-m", "flows.cli", "run", *inputs, "--db", str(db), "--batch-size", "1"]
    runs = [subprocess.Popen(command, cwd=clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=400) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, out + err
    tables = ("articles", "entities", "mentions", "rejects", "duplicates")
    with duckdb.connect(str(db), read_only=True) as con, duckdb.connect(str(reference), read_only=True) as ref:
        for table in tables:
            got = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert got == ref.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
        assert sorted(con.execute("SELECT article_id, content_hash FROM articles").fetchall()) == sorted(
            ref.execute("SELECT article_id, content_hash FROM articles").fetchall()
        )
        statuses = con.execute("SELECT status FROM runs").fetchall()
        seen = sorted(r[0] for r in con.execute("SELECT articles_loaded + unchanged FROM runs").fetchall())
    assert statuses == [("completed",), ("completed",)]
    assert seen == [6, 6]  # each run saw every article; together they stored each once


def test_serve_serves_the_same_deployments_and_stops_on_ctrl_c(api_url, clone, deployed, tmp_path):
    env = _env(api_url, tmp_path / "home", clone)
    command = [sys.executable, "-m", "flows.cli", "serve"]
    refused = subprocess.run(command, cwd=clone, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "prefect deployment delete ingest/daily-ingest" in refused.stderr

    async def delete(client):  # what the message says to do
        for deployment in await client.read_deployments():
            await client.delete_deployment(deployment.id)

    _run(delete)
    # Output to files, not pipes: a pipe nobody reads until the end can fill and block the server, and
    # every process the served run starts inherits it, so reading it to its end waits for all of them.
    out_path, err_path = tmp_path / "serve.out", tmp_path / "serve.err"
    with out_path.open("w") as out_file, err_path.open("w") as err_file:
        serve = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "serve", "--timezone", "America/New_York", "--db", "served.duckdb"],
            cwd=clone, env=env, stdout=out_file, stderr=err_file, text=True,
        )
    try:
        deadline = time.monotonic() + 180
        served = {}
        while time.monotonic() < deadline and serve.poll() is None:
            async def read(client):
                return {d.name: d for d in await client.read_deployments()}

            served = _run(read)
            if all(served.get(name) and served[name].parameters["db_path"] == "served.duckdb"
                   for name in ("daily-ingest", "backfill")):
                break
            time.sleep(1)
        assert {"daily-ingest", "backfill"} <= set(served), err_path.read_text()
        daily = served["daily-ingest"]
        assert [(s.schedule.cron, s.schedule.timezone) for s in daily.schedules] == [("0 6 * * *", "America/New_York")]
        assert daily.parameters == {"sources_file": "sources.toml", "db_path": "served.duckdb"}

        async def start(client):  # what the schedule does at 06:00, now
            return await client.create_flow_run_from_deployment(daily.id)

        state = _final_state(_run(start).id, seconds=240)
        # Ctrl-C once serve is idle again: the run's process can outlive its final state by a moment
        # (parser workers, the DuckDB file closing).
        _wait_for_no_children(serve.pid, seconds=60)
        # One Ctrl-C must do. It used to reach asyncio.run's own SIGINT handler, which only cancels the
        # runner's main task; a runner busy in a step that absorbs that cancellation sat on it (seen
        # on fresh clones) until a second Ctrl-C. serve now hands Ctrl-C to the runner's SIGTERM shutdown.
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()
            raise AssertionError("serve did not stop on one Ctrl-C within 60 s") from None
        out, err = out_path.read_text(), err_path.read_text()
        assert state is not None and state.is_completed(), f"{state}\n{out}\n{err}"
        with duckdb.connect(str(clone / "served.duckdb"), read_only=True) as con:  # run from the project folder
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    finally:
        if serve.poll() is None:
            serve.kill()
    assert serve.returncode == 0, out + err
    assert "Traceback" not in out + err and "newsingest serve: stopped" in err


def _wait_for_no_children(pid: int, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while psutil.Process(pid).children() and time.monotonic() < deadline:
        time.sleep(0.2)


def _final_state(flow_run_id, *, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        async def read(client):
            return (await client.read_flow_run(flow_run_id)).state

        state = _run(read)
        if state is not None and state.is_final():
            return state
        time.sleep(1)
    return None


def test_serve_without_a_server_says_what_to_start(clone, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path), PYTHONPATH=str(clone))
    result = subprocess.run([sys.executable, "-m", "flows.cli", "serve"], cwd=clone, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "prefect server start" in result.stderr and "PREFECT_API_URL=http://127.0.0.1:4200/api" in result.stderr
    assert "Traceback" not in result.stderr


def test_pull_step_finds_the_project_or_says_how(tmp_path, monkeypatch, clone):
    from flows.deployments import ProjectNotFound, enter_project

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSINGEST_HOME", raising=False)
    monkeypatch.setenv("PWD", str(tmp_path))
    with pytest.raises(ProjectNotFound, match="NEWSINGEST_HOME"):
        enter_project("")
    assert enter_project(str(clone)) == {"directory": str(clone.resolve())}
    assert Path.cwd() == clone.resolve()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PWD", str(clone))  # a worker started from the clone's folder
    assert enter_project("") == {"directory": str(clone.resolve())}
