"""How runs are named and how a run that did not complete is told: its name, its artifact, its runs row."""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest

from flows.ingest import ingest
from flows.run_end import close_unfinished_run
from tests.proc_helpers import synthetic_pages, table_rows
from warehouse import connect, start_run


def _read(coroutine_fn):
    from prefect.client.orchestration import get_client

    async def main():
        async with get_client() as client:
            return await coroutine_fn(client)

    return asyncio.run(main())


def test_two_runs_of_the_same_input_on_one_day_have_different_names(tmp_path, prefect_server):
    pages = synthetic_pages(tmp_path / "pages", 2)
    db = tmp_path / "news.duckdb"
    for _ in range(2):
        ingest(paths=[str(pages)], db_path=str(db), workers=1)
    names = [name for _, name in table_rows(db, "SELECT run_id, flow_run_name FROM runs")]
    assert len(set(names)) == 2, names
    for name in names:
        assert re.fullmatch(r"ingest-\d{4}-\d\d-\d\d-\d{6}-[0-9a-f]{6}-pages", name), name
    runs = table_rows(db, "SELECT run_id, flow_run_name FROM runs")
    for run_id, name in runs:  # the name in Prefect is the name in runs, and carries the run's id
        flow_run = _read(lambda client, run_id=run_id: client.read_flow_run(uuid.UUID(run_id)))
        assert flow_run.name == name and f"-{run_id[:6]}-" in name


def test_a_failed_run_leaves_an_artifact_naming_its_cause(tmp_path, prefect_server):
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    pages = synthetic_pages(tmp_path / "pages", 1)
    state = ingest(paths=[str(pages)], db_path=str(tmp_path / "news.duckdb"), fetch_options={"retry": 3},
                   return_state=True)  # fmt: skip
    assert state.is_failed()
    flow_run_id = state.state_details.flow_run_id

    async def summaries(client):
        wanted = ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"]))
        found = await client.read_artifacts(artifact_filter=wanted)
        return [a for a in found if a.flow_run_id == flow_run_id]

    [artifact] = _read(summaries)
    assert "# Failed" in artifact.data and "**Cause:** ValueError: unknown fetch options ['retry']" in artifact.data
    assert artifact.description.startswith("Failed: ValueError: unknown fetch options")


@pytest.mark.parametrize(("state_name", "status"), [("Crashed", "failed"), ("Cancelled", "interrupted")])
def test_the_crash_and_cancel_hooks_close_a_run_left_running(tmp_path, prefect_server, state_name, status):
    """What the hooks do when a worker or `serve` ends a run from outside: a real flow run and its state."""
    from prefect.client.schemas.objects import StateType
    from prefect.states import State

    db = tmp_path / "news.duckdb"

    async def create(client):
        return await client.create_flow_run(ingest, parameters={"db_path": str(db)}, name="left-running",
                                            state=State(type=StateType.RUNNING))  # fmt: skip

    flow_run = _read(create)
    con = connect(db)
    start_run(con, run_id=str(flow_run.id), name=flow_run.name, inputs=["x"])
    start_run(con, run_id="another", name="another", inputs=["x"])
    con.close()
    final = State(type=StateType[state_name.upper()], message="the worker stopped")
    close_unfinished_run(ingest, flow_run, final)
    rows = dict((run_id, (s, error)) for run_id, s, error in table_rows(db, "SELECT run_id, status, error FROM runs"))
    assert rows[str(flow_run.id)] == (status, f"flow run {state_name.lower()}: the worker stopped")
    assert rows["another"] == ("running", None)  # only its own row
