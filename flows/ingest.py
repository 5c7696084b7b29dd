"""The ``ingest`` flow: discover pages, read them, parse, find entities, load.

The flow only tells the story; each task wraps a plain function from
``flows.inputs``, ``flows.stages`` or ``warehouse``. Pages move in batches
because every task run costs a few milliseconds of orchestration, and each
batch is loaded in its own short transaction, so a run killed mid-way keeps
the batches already loaded and the next run picks up the rest.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TypeVar

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.inputs import LocalFile, RawPage, Reject, discover_files, read_file
from flows.stages import find_entities, parse_pages
from flows.summary import RunSummary, render_markdown
from warehouse import BatchResult, EntityCount, connect, finish_run, load_batch, start_run, top_entities
from warehouse.records import ArticleRecord
from warehouse.search import has_index, rebuild_index

__all__ = ["DEFAULT_BATCH_SIZE", "ingest"]

DEFAULT_BATCH_SIZE = 50
T = TypeVar("T")


@task(name="discover", cache_policy=NO_CACHE)
def discover(paths: Sequence[str]) -> tuple[list[LocalFile], list[Reject]]:
    files, missing = discover_files(paths)
    get_run_logger().info("discovered %d file(s) in %s", len(files), ", ".join(paths))
    return files, missing


@task(name="read", cache_policy=NO_CACHE)
def read(files: Sequence[LocalFile]) -> tuple[list[RawPage], list[Reject]]:
    pages: list[RawPage] = []
    rejects: list[Reject] = []
    for outcome in map(read_file, files):
        (rejects if isinstance(outcome, Reject) else pages).append(outcome)  # type: ignore[arg-type]
    return pages, rejects


@task(name="parse", cache_policy=NO_CACHE)
def parse(pages: Sequence[RawPage]) -> tuple[list[ArticleRecord], list[Reject]]:
    records, rejects = parse_pages(pages)
    logger = get_run_logger()
    for reject in rejects:
        logger.warning("rejected %s: %s (%s)", reject.uri, reject.reason, reject.detail)
    return records, rejects


@task(name="entities", cache_policy=NO_CACHE)
def entities(records: Sequence[ArticleRecord]) -> list[ArticleRecord]:
    return find_entities(records)


@task(name="load", cache_policy=NO_CACHE)
def load(db_path: str, run_id: str, records: Sequence[ArticleRecord], rejects: Sequence[Reject]) -> BatchResult:
    con = connect(db_path)  # held only for this batch's transaction
    try:
        return load_batch(con, run_id=run_id, articles=records, rejects=rejects)
    finally:
        con.close()


def _run_name() -> str:
    inputs = flow_run.parameters.get("paths") or []
    return f"ingest-{datetime.now(UTC):%Y-%m-%d}-" + "+".join(Path(p).name or str(p) for p in inputs)[:60]


@flow(name="ingest", flow_run_name=_run_name, log_prints=False)
def ingest(
    paths: list[str] | None = None,
    db_path: str = "data/news.duckdb",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> RunSummary:
    """Ingest pages from files or folders (HTML pages or plain-text dumps) into the DuckDB warehouse."""
    paths = paths or ["seeds"]
    started = time.perf_counter()
    run_id = flow_run.get_id() or str(uuid.uuid4())
    _open_run(db_path, run_id, paths)
    try:
        files, missing = discover(paths)
        totals = load(db_path, run_id, [], missing) if missing else BatchResult()
        all_rejects = list(missing)
        for batch in _batched(files, batch_size):
            pages, unreadable = read(batch)
            records, unparsable = parse(pages)
            records = entities(records)
            totals += load(db_path, run_id, records, unreadable + unparsable)
            all_rejects += unreadable + unparsable
    except BaseException as exc:
        _close_run(db_path, run_id, 0, BatchResult(), status="failed", error=f"{type(exc).__name__}: {exc}")
        raise
    top = _close_run(db_path, run_id, len(files) + len(missing), totals)
    summary = RunSummary(
        run_id=run_id,
        db_path=db_path,
        inputs=list(paths),
        pages_seen=len(files) + len(missing),
        result=totals,
        reject_reasons=RunSummary.count_reasons(all_rejects),
        top_entities=top,
        seconds=time.perf_counter() - started,
    )
    create_markdown_artifact(render_markdown(summary), key="ingest-summary", description="What this run did")
    get_run_logger().info(
        "loaded %d, unchanged %d, duplicates %d, rejects %d",
        totals.loaded, totals.unchanged, totals.duplicates, totals.rejects,
    )
    return summary


def _open_run(db_path: str, run_id: str, paths: Sequence[str]) -> None:
    con = connect(db_path)
    try:
        start_run(con, run_id=run_id, name=flow_run.get_name(), inputs=paths)
    finally:
        con.close()


def _close_run(
    db_path: str, run_id: str, pages_seen: int, totals: BatchResult, **status: str
) -> list[EntityCount]:
    """Record how the run ended; returns its top entities for the summary."""
    con = connect(db_path)
    try:
        finish_run(con, run_id=run_id, pages_seen=pages_seen, result=totals, **status)
        if "error" not in status and (totals.loaded or not has_index(con)):
            rebuild_index(con)  # full-text search sees this run's articles
        return top_entities(con, run_id=run_id)
    finally:
        con.close()


def _batched(items: Sequence[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, max(1, size))):
        yield batch
