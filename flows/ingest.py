"""The ``ingest`` flow: plan the sources, then run the pipeline over them (``flows.pipeline``).

Pages come from files and folders, WARC archives and the web (feeds, sitemaps, URL lists:
fetched politely through one ``FetchSession`` for the whole run, every body archived in
``raw_pages``, an unchanged page answered by a 304 and not parsed again). Each input kind
is an object in ``flows.sources`` that yields batches of pages; the pipeline parses them,
keeps a backfill's date window, finds entities and loads each batch in its own short
transaction, so a run killed mid-way keeps the batches already loaded and the next run
picks up the rest. Every write happens in a write window (``warehouse.writelock``), so
concurrent runs wait for each other instead of failing.

For the Prefect UI: the run is named after its date and sources, task runs after their
stage, source and batch (``parse-seeds-1``); see ``flows.tasks``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows.http.fetch import FetchSession
from flows.pipeline import Window, remote_task_runner, run_pipeline
from flows.pool.sandbox import SandboxSettings
from flows.run_end import close_unfinished_run, reports_its_end
from flows.sources.config import load_sources
from flows.sources.plan import plan_sources
from flows.sources.web import fetch_config
from flows.summary import RunSummary
from warehouse.handle import Warehouse

__all__ = ["DEFAULT_BATCH_SIZE", "ingest"]

DEFAULT_BATCH_SIZE = 50


def _run_name() -> str:
    params = flow_run.parameters
    named = [p for key in ("paths", "feeds", "sitemaps", "url_files") for p in params.get(key) or []]
    inputs = named + _source_names(params.get("sources_file")) or ["sources.toml"]
    when = flow_run.scheduled_start_time or datetime.now(UTC)  # a scheduled run is named after its slot
    # Time of day and the run id's first characters: two runs of the same inputs on a day differ.
    unique = f"{when:%Y-%m-%d-%H%M%S}-{(flow_run.get_id() or uuid.uuid4().hex)[:6]}"
    return f"ingest-{unique}-" + "+".join(Path(p).name or str(p) for p in inputs)[:60]


def _source_names(sources_file: str | None) -> list[str]:
    """The names in a sources file, for the run's name; the file itself when it cannot be read yet."""
    if not sources_file:
        return []
    try:
        return [source.name for source in load_sources(sources_file)]
    except Exception:  # the run itself reports a broken sources file; a name must not fail first
        return [sources_file]


@flow(
    name="ingest", flow_run_name=_run_name, log_prints=False,
    on_crashed=[close_unfinished_run], on_cancellation=[close_unfinished_run],
)  # fmt: skip
@reports_its_end
def ingest(
    paths: list[str] | None = None,
    db_path: str = "data/news.duckdb",
    batch_size: int = DEFAULT_BATCH_SIZE,
    sources_file: str | None = None,
    feeds: list[str] | None = None,
    sitemaps: list[str] | None = None,
    url_files: list[str] | None = None,
    allow_private_addresses: bool = False,
    fetch_options: dict[str, Any] | None = None,
    since: date | None = None,
    until: date | None = None,
    workers: int | None = None,
    page_timeout: float | None = None,
) -> RunSummary:
    """Ingest pages from files, folders, WARC archives, feeds, sitemaps and URL lists into the warehouse.

    With no inputs named, reads ``sources.toml`` if there is one, else ``seeds/``.
    ``fetch_options`` sets ``flows.http.fetch.FetchConfig`` fields (``concurrency``, ``delay``, timeouts...).
    With ``since``/``until`` (a backfill), only articles published in that window, ends included, are loaded.
    ``workers`` parser processes (default: one per core) take a page at a time, with ``page_timeout``
    seconds per page (default 30; see ``flows.pool.sandbox``). With a distributed task runner (Dask),
    pages are parsed and searched for entities on the cluster; this process alone writes the warehouse.
    """
    # On a cluster each worker process parses one page at a time; locally one parser process per core.
    workers = workers or (1 if remote_task_runner() else None)
    limits = SandboxSettings.from_env(workers=workers, page_timeout=page_timeout)
    warehouse = Warehouse(db_path)
    config = fetch_config(fetch_options, allow_private=allow_private_addresses)
    with FetchSession(config) as session:  # one fetcher for the run: a host's politeness lasts across batches
        sources = plan_sources(
            paths=paths or [], sources_file=sources_file, feeds=feeds or [], sitemaps=sitemaps or [],
            url_files=url_files or [], session=session, warehouse=warehouse,
        )  # fmt: skip
        window = Window(since, until)
        return run_pipeline(sources, warehouse, batch_size=batch_size, limits=limits, window=window)
