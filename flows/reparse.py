"""The ``reparse`` flow: re-extract archived web pages with the current parsers, no network.

The same pipeline as ``ingest`` (``flows.pipeline``) over another source: the raw archive
(``flows.sources.archive``), so articles, mentions and rejects are updated exactly as a fresh
fetch of the same bytes would update them, with the same health check and artifacts. Each
archived page keeps its source's name, so the sources file's language and site profile hints
apply again. It stops on request (Ctrl-C, SIGTERM) between batches and ends as truly as an
``ingest`` run does (``flows.run_end``): *Cancelled* in Prefect, ``interrupted`` in ``runs`` with
what it loaded, and a run stopped from outside is closed by the crash and cancellation hooks.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run

from flows.ingest import DEFAULT_BATCH_SIZE
from flows.pipeline import run_pipeline
from flows.pool.sandbox import SandboxSettings
from flows.run_end import close_unfinished_run, reports_its_end
from flows.sources.archive import ArchiveSource
from flows.sources.config import load_sources
from flows.sources.web import DEFAULT_SOURCES_FILE, ParserHints
from flows.summary import RunSummary
from warehouse.handle import Warehouse

__all__ = ["reparse"]


def _run_name() -> str:
    """Time of day and the run id's first characters, as ``ingest`` names its runs: two reparses differ."""
    when = flow_run.scheduled_start_time or datetime.now(UTC)
    return f"reparse-{when:%Y-%m-%d-%H%M%S}-{(flow_run.get_id() or uuid.uuid4().hex)[:6]}"


@flow(
    name="reparse", flow_run_name=_run_name, log_prints=False,
    on_crashed=[close_unfinished_run], on_cancellation=[close_unfinished_run],
)  # fmt: skip
@reports_its_end
def reparse(
    db_path: str = "data/news.duckdb",
    since: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    sources_file: str | None = None,
) -> RunSummary:
    """Re-extract every archived page (fetched at or after ``since``) and update the warehouse.

    Pages get the language and site profile hints of their source in ``sources_file``
    (default: ``sources.toml`` if there is one), as when they were fetched.
    """
    warehouse = Warehouse(db_path)
    archive = ArchiveSource(warehouse, since=since, hints=_source_hints(sources_file))
    return run_pipeline([archive], warehouse, batch_size=batch_size, limits=SandboxSettings.from_env())


def _source_hints(sources_file: str | None) -> dict[str, ParserHints]:
    """Each source's parser hints by name; none without a sources file."""
    if sources_file is None and Path(DEFAULT_SOURCES_FILE).is_file():
        sources_file = DEFAULT_SOURCES_FILE
    if sources_file is None:
        return {}
    return {source.name: ParserHints(source.language, source.profile) for source in load_sources(sources_file)}
