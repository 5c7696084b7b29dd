"""The ``backfill`` flow: ingest what the sources hold from a range of past dates.

Sources that can list past items (sitemaps, WARC archives such as CC-NEWS, saved folders)
are read as in a daily run, and only articles published from ``start`` to ``end`` (both
included, by the date the page states) are loaded. A backfill is one ingest run, named
after its dates, so it shows in the UI with the same tasks and artifacts as a daily one.
"""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.ingest import DEFAULT_BATCH_SIZE, ingest
from flows.summary import RunSummary

__all__ = ["backfill"]


@flow(name="backfill", flow_run_name="backfill-{start}-to-{end}", log_prints=False)
def backfill(
    start: date,
    end: date,
    sources_file: str | None = None,
    paths: list[str] | None = None,
    db_path: str = "data/news.duckdb",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> RunSummary:
    """Load the articles published from ``start`` to ``end`` that the sources can still list."""
    if end < start:
        raise ValueError(f"backfill from {start} to {end}: the end comes before the start")
    return ingest(
        paths=paths, sources_file=sources_file, db_path=db_path, batch_size=batch_size, since=start, until=end
    )
