"""The artifacts a run leaves in Prefect: summary per source, rejects table, top entities, progress."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import pytest

from flows.summary import RunSummary, SourceStats, render_markdown
from tests.conftest import SEEDS
from tests.site_pages import write_site
from warehouse import BatchResult


def test_markdown_has_a_row_per_source_and_rejects_by_reason():
    summary = RunSummary(
        run_id="r", db_path="w.duckdb", inputs=["a", "b|c"], pages_seen=7, result=BatchResult(4, 1, 1, 1),
        sources=[
            SourceStats("a", discovered=5, fetched=5, parsed=4, loaded=3, unchanged=1, rejects=Counter(x=1),
                        seconds=1.25),
            SourceStats("b|c", discovered=2, fetched=1, not_modified=1, parsed=1, duplicates=1, loaded=1),
        ],
    )
    text = render_markdown(summary)
    assert "| a | 5 | 5 | 0 | 4 | 0 | 1 | 3 | 1 | 1.2 s |" in text
    assert "| b\\|c | 2 | 1 | 1 | 1 | 1 | 0 | 1 | 0 | 0.0 s |" in text  # a pipe in a name keeps the table
    assert "| a | x | 1 |" in text
    assert "| 7 | 4 | 1 | 1 | 1 |" in text


@pytest.fixture(scope="module")
def run_with_rejects(tmp_path_factory, prefect_server):
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("artifacts")
    site = write_site(root / "townnews", pages=3, junk=True)
    summary = ingest(paths=[str(SEEDS), str(site)], db_path=str(root / "news.duckdb"), batch_size=2)
    return summary, site


def _artifacts(flow_run_id: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    async def read():
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
            )

    return {artifact.key: artifact for artifact in asyncio.run(read())}


@pytest.mark.slow
def test_every_run_leaves_summary_rejects_entities_and_progress(run_with_rejects):
    summary, site = run_with_rejects
    artifacts = _artifacts(summary.run_id)
    assert {"ingest-summary", "ingest-rejects", "ingest-top-entities", "ingest-progress"} <= set(artifacts)

    markdown = artifacts["ingest-summary"].data
    # seeds: one text dump, loaded; the site: three stories and one empty page, rejected at parse
    assert f"| {SEEDS} | 1 | 1 | 0 | 1 | 0 | 0 | 1 | 0 |" in markdown
    assert f"| {site} | 4 | 4 | 0 | 3 | 0 | 1 | 3 | 0 |" in markdown
    reason = next(iter(summary.sources[1].rejects))
    assert f"| {site} | {reason} | 1 |" in markdown
    assert "## Extraction health" in markdown and "## Top entities" in markdown

    rejects = json.loads(artifacts["ingest-rejects"].data)
    assert rejects == [
        {"source": str(site), "url": str(site / "empty.html"), "stage": "parse", "reason": reason,
         "detail": rejects[0]["detail"]}
    ]
    entities = json.loads(artifacts["ingest-top-entities"].data)
    assert entities[0]["entity"] == summary.top_entities[0].name and entities[0]["mentions"] > 1
    assert artifacts["ingest-progress"].data == 100.0


@pytest.mark.slow
def test_task_runs_are_named_by_stage_source_and_batch(run_with_rejects):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    summary, _ = run_with_rejects

    async def read():
        async with get_client() as client:
            flow_run = await client.read_flow_run(summary.run_id)
            tasks = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[summary.run_id]))
            )
            return flow_run, tasks

    flow_run, tasks = asyncio.run(read())
    assert flow_run.name.startswith("ingest-20") and flow_run.name.endswith("seeds+townnews")
    names = {task.name for task in tasks}
    assert {"read-seeds-1", "parse-seeds-1", "entities-seeds-1", "load-seeds-1"} <= names
    assert {"parse-townnews-1", "parse-townnews-2", "load-townnews-2"} <= names  # 4 pages, batches of 2

