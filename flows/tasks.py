"""Every Prefect task of the flows, each a thin wrapper of a plain function that logs what it did.

Task runs are named by stage, source and batch (``parse-seeds-2``, see ``named``). They carry
no tags: Prefect asks its API for a tag's concurrency slots around every tagged task run,
which cost more than the rest of a task's orchestration. Parse and entities results are
cached by the pages' content (``flows.caching``), so a retried run skips work it already did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from prefect import Task, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.caching import entities_cache_key, parse_cache_key
from flows.faults import checkpoint
from flows.health import HealthReport, check_health, emit_health_events
from flows.http.fetch import FetchSession
from flows.pool.sandbox import SandboxSettings, shared_workers
from flows.progress import Progress
from flows.sources.config import Source
from flows.sources.files import LocalFile, RawPage, Reject, discover_files, read_file
from flows.sources.web import Target, archivable, archived_batch, discover_targets, fetch_targets
from flows.stopping import stop_requested
from warehouse import BatchResult, heartbeat, load_batch
from warehouse.handle import Warehouse
from warehouse.health import HealthTally
from warehouse.raw import archived_uris
from warehouse.records import ArticleRecord

__all__ = [
    "discover", "discover_web", "entities", "fetch", "health", "list_archive", "load", "named", "parse", "read",
    "read_archive",
]  # fmt: skip

CACHE_FOR = timedelta(days=7)  # long enough for any retry; old results are not worth keeping
T = TypeVar("T")


def named(stage: Task[Any, T], label: str) -> Task[Any, T]:
    """The stage's task with a run name the UI can tell apart: ``parse-seeds-2``."""
    return stage.with_options(task_run_name=f"{stage.name}-{label}")


@task(name="discover", cache_policy=NO_CACHE)
def discover(paths: Sequence[str]) -> tuple[list[LocalFile], list[Reject]]:
    files, missing = discover_files(paths)
    logger = get_run_logger()
    for source, count in Counter(file.input_source for file in files).items():
        logger.info("%s: discovered %d file(s)", source, count)
    for reject in missing:
        logger.warning("%s: %s (%s)", reject.input_source, reject.reason, reject.detail)
    return files, missing


@task(name="discover-web", cache_policy=NO_CACHE)
def discover_web(sources: Sequence[Source], session: FetchSession) -> tuple[list[Target], list[Reject]]:
    targets, rejects = discover_targets(sources, session=session)
    logger = get_run_logger()
    for source, count in Counter(target.input_source for target in targets).items():
        logger.info("%s: discovered %d URL(s)", source, count)
    for reject in rejects:
        logger.warning("%s: %s %s (%s)", reject.input_source, reject.reason, reject.uri, reject.detail)
    return targets, rejects


def _unless_stopping(task: Any, task_run: Any, state: Any) -> bool:
    """A failed task is retried, except in a run asked to stop (its fetches were cancelled on purpose)."""
    return stop_requested() is None


# The fetcher retries each URL itself; a task retry covers what fails the whole batch (the archive
# briefly locked, the network gone for a moment). The fetch writes nothing, so a retry is safe.
@task(
    name="fetch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[5, 30], retry_jitter_factor=0.5,
    retry_condition_fn=_unless_stopping,
)  # fmt: skip
def fetch(
    warehouse: Warehouse, targets: Sequence[Target], session: FetchSession, line: Progress
) -> tuple[list[RawPage], list[Reject], Counter[str]]:
    """Fetch a batch (conditional GET from the raw archive, which keeps every body).

    Returns pages, rejects, and the 304s per source: those are unchanged and not parsed again.
    """
    fetched = fetch_targets(
        targets, warehouse=warehouse, session=session,
        on_result=lambda result: line.advance(error=isinstance(result, Reject)),
    )  # fmt: skip
    not_modified = Counter(item.input_source for item in fetched.not_modified)
    logger = get_run_logger()
    for source in dict.fromkeys(target.input_source for target in targets):
        logger.info(
            "%s: fetched %d page(s), %d not modified, %d failed", source,
            sum(p.input_source == source for p in fetched.pages), not_modified[source],
            sum(r.input_source == source for r in fetched.rejects),
        )  # fmt: skip
    return fetched.pages, fetched.rejects, not_modified


@task(name="read", cache_policy=NO_CACHE)
def read(files: Sequence[LocalFile], source: str = "") -> tuple[list[RawPage], list[Reject]]:
    pages: list[RawPage] = []
    rejects: list[Reject] = []
    for outcome in map(read_file, files):
        (rejects if isinstance(outcome, Reject) else pages).append(outcome)  # type: ignore[arg-type]
    get_run_logger().info("%s: read %d page(s), %d unreadable", source, len(pages), len(rejects))
    return pages, rejects


@task(name="list-archive", cache_policy=NO_CACHE)
def list_archive(warehouse: Warehouse, since: datetime | None) -> list[str]:
    with warehouse.connection() as con:
        return archived_uris(con, since=since)


@task(name="read-archive", cache_policy=NO_CACHE)
def read_archive(warehouse: Warehouse, uris: list[str]) -> list[RawPage]:
    return archived_batch(warehouse, uris)


# Persisted for the content cache, and not also kept in memory: Prefect's result store would otherwise
# hold the last thousand batches' results in this process, and a run's memory would grow with its pages.
@task(
    name="parse", cache_key_fn=parse_cache_key, cache_expiration=CACHE_FOR, persist_result=True,
    cache_result_in_memory=False,
)  # fmt: skip
def parse(
    pages: Sequence[RawPage], source: str = "", limits: SandboxSettings | None = None
) -> tuple[list[ArticleRecord], list[Reject]]:
    # In worker processes: every core busy, and a page over its time limit is cut off (parse_timeout).
    records, rejects = shared_workers(limits or SandboxSettings.from_env()).parse(pages)
    checkpoint("parse")
    get_run_logger().info("%s: parsed %d article(s), %d rejected", source, len(records), len(rejects))
    return records, rejects


@task(
    name="entities", cache_key_fn=entities_cache_key, cache_expiration=CACHE_FOR, persist_result=True,
    cache_result_in_memory=False,
)  # fmt: skip
def entities(
    records: Sequence[ArticleRecord], source: str = "", limits: SandboxSettings | None = None
) -> tuple[list[ArticleRecord], list[Reject]]:
    # A record whose entities could not be found in time is rejected whole: no article without its mentions.
    found, rejects = shared_workers(limits or SandboxSettings.from_env()).entities(records)
    mentions = sum(len(record.mentions) for record in found)
    get_run_logger().info("%s: %d mention(s) in %d article(s)", source, mentions, len(found))
    return found, rejects


@task(name="load", cache_policy=NO_CACHE)
def load(
    warehouse: Warehouse, run_id: str, records: Sequence[ArticleRecord], rejects: Sequence[Reject], source: str = "",
    memory_limit_mb: int | None = None, archive: Sequence[RawPage] = (),
) -> BatchResult:
    """Load one batch in its own transaction, DuckDB held to ``memory_limit_mb`` (see ``LoadBudget``).

    ``archive``: the batch's fetched bodies, kept in the raw archive by the same transaction.
    """
    logger = get_run_logger()
    for reject in rejects:
        logger.warning("%s: rejected %s: %s (%s)", reject.input_source, reject.uri, reject.reason, reject.detail)
    with warehouse.connection(memory_limit_mb=memory_limit_mb, logger=logger) as con:  # this batch's turn only
        result = load_batch(
            con, run_id=run_id, articles=records, rejects=rejects, raw_pages=[archivable(page) for page in archive],
            before_commit=lambda: checkpoint("load.commit"),
        )  # fmt: skip
        heartbeat(con, run_id=run_id)
    logger.info(
        "%s: loaded %d, unchanged %d, duplicates %d, rejects %d",
        source, result.loaded, result.unchanged, result.duplicates, result.rejects,
    )
    if result.over_budget:
        logger.warning(
            "%s: the batch needed more than %s MB of DuckDB memory: loaded without the limit; next batches get twice",
            source, memory_limit_mb,
        )  # fmt: skip
    return result


@task(name="health", cache_policy=NO_CACHE)
def health(warehouse: Warehouse, run_id: str, tallies: list[HealthTally]) -> list[HealthReport]:
    """Extraction health per source against its history; a flag is a warning and a Prefect event."""
    logger = get_run_logger()
    with warehouse.connection(logger=logger) as con:
        reports = check_health(con, run_id=run_id, tallies=tallies)
    for report in reports:
        h = report.health
        logger.info(
            "%s: health over %d article(s): title %.0f%%, authors %.0f%%, date %.0f%%, body %.0f%%, median %.0f chars",
            h.source, h.articles, 100 * h.title_share, 100 * h.authors_share, 100 * h.published_share,
            100 * h.body_share, h.median_body_chars,
        )
        for flag in report.flags:
            logger.warning("%s: extraction health dropped: %s", flag.source, flag.describe())
    emit_health_events(reports, run_id=run_id, db_path=warehouse.path)
    return reports
