"""The ``reparse`` flow: re-extract archived web pages with the current parsers, no network.

Reads the raw archive (``warehouse.raw``) batch by batch and sends each batch through the
same parse -> entities -> load tasks as ``ingest``, so articles, mentions and rejects are
updated exactly as a fresh fetch of the same bytes would update them. Each archived page
keeps its source's name, so the sources file's language and site profile hints apply again.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.ingest import DEFAULT_BATCH_SIZE, _batched, _close_run, _named, _open_run, entities, load, parse
from flows.sources.config import load_sources
from flows.sources.files import RawPage, Reject
from flows.sources.web import DEFAULT_SOURCES_FILE, ParserHints, archived_batch
from flows.summary import RunSummary, SourceStats
from warehouse import BatchResult, LoadBudget, connect
from warehouse.raw import archived_uris
from warehouse.writelock import write_window

__all__ = ["reparse"]


@task(name="list-archive", cache_policy=NO_CACHE)
def list_archive(db_path: str, since: datetime | None) -> list[str]:
    with write_window(db_path):
        con = connect(db_path)
        try:
            return archived_uris(con, since=since)
        finally:
            con.close()


@task(name="read-archive", cache_policy=NO_CACHE)
def read_archive(db_path: str, uris: list[str]) -> list[RawPage]:
    return archived_batch(db_path, uris)


@flow(name="reparse", log_prints=False)
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
    hints = _source_hints(sources_file)
    budget = LoadBudget.from_env()  # DuckDB's memory while a batch loads, as in ingest
    started = time.perf_counter()
    run_id = flow_run.get_id() or str(uuid.uuid4())
    label = "raw archive" + (f" since {since.isoformat()}" if since else "")
    _open_run(db_path, run_id, [label])
    stat = SourceStats(label)
    totals = BatchResult()
    rejects: list[Reject] = []
    uris: list[str] = []
    try:
        uris = list_archive(db_path, since)
        stat.discovered = len(uris)
        for number, batch in enumerate(_batched(uris, batch_size), 1):
            pages = _named(read_archive, f"archive-{number}")(db_path, batch)
            pages = [hints.get(page.source, ParserHints()).apply(page) for page in pages]
            records, unparsable = _named(parse, f"archive-{number}")(pages, source=label)
            records, no_entities = _named(entities, f"archive-{number}")(records, source=label)
            unparsable += no_entities  # an article whose entities could not be found is rejected whole
            result = _named(load, f"archive-{number}")(
                db_path, run_id, records, unparsable, source=label, memory_limit_mb=budget.megabytes
            )
            budget.after(result)
            stat.fetched += len(pages)
            stat.parsed += len(records)
            stat.add_result(result)
            stat.add_rejects(unparsable)
            totals += result
            rejects += unparsable
    except BaseException as exc:
        _close_run(db_path, run_id, 0, BatchResult(), status="failed", error=f"{type(exc).__name__}: {exc}")
        raise
    top = _close_run(db_path, run_id, len(uris), totals)
    get_run_logger().info("reparsed %d page(s): loaded %d, unchanged %d", len(uris), totals.loaded, totals.unchanged)
    return RunSummary(
        run_id=run_id,
        db_path=db_path,
        inputs=[label],
        pages_seen=len(uris),
        result=totals,
        reject_reasons=RunSummary.count_reasons(rejects),
        top_entities=top,
        seconds=time.perf_counter() - started,
        sources=[stat],
        rejects=rejects,
    )


def _source_hints(sources_file: str | None) -> dict[str, ParserHints]:
    """Each source's parser hints by name; none without a sources file."""
    if sources_file is None and Path(DEFAULT_SOURCES_FILE).is_file():
        sources_file = DEFAULT_SOURCES_FILE
    if sources_file is None:
        return {}
    return {source.name: ParserHints(source.language, source.profile) for source in load_sources(sources_file)}
