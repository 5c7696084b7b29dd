"""The ``ingest`` flow: discover pages, read or fetch them, parse, find entities, load.

Pages come from files and folders, WARC archives and the web (feeds, sitemaps, URL
lists: fetched politely, every body archived in ``raw_pages``, an unchanged page answered
by a 304 and not parsed again). The flow only tells the story; each task wraps a plain
function from ``flows.inputs``, ``flows.web``, ``flows.stages`` or ``warehouse``. Pages move in batches
because every task run costs a few milliseconds of orchestration, and each
batch is loaded in its own short transaction, so a run killed mid-way keeps
the batches already loaded and the next run picks up the rest.

For the Prefect UI: the run is named after its date and sources, task runs after
their stage, source and batch (``parse-seeds-1``). They carry no tags: Prefect asks its
API for a tag's concurrency slots around every tagged task run, which cost more than
the rest of a task's orchestration.
Parse and entity results are cached by the pages' content, so a retried run skips
work it already did. Batches are passed to tasks as ``opaque``: Prefect links a task to the
one that made its input without walking every page and record in it (that walk was half
the function calls of a run). The next batch is read, parsed and searched for entities in a
thread while this one loads (``flows.ahead``). Every write to the warehouse happens inside a
write window (``flows.writelock``), so concurrent runs wait for each other instead of failing.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import islice, zip_longest
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import opaque

from flows.ahead import ahead
from flows.artifacts import MAX_REJECT_ROWS, RunProgress, publish_run_artifacts
from flows.caching import entities_cache_key, parse_cache_key
from flows.faults import checkpoint
from flows.fetch import FetchConfig
from flows.health import HealthReport, check_entity_languages, check_health, emit_health_events
from flows.inputs import LocalFile, RawPage, Reject, discover_files, read_file
from flows.progress import Progress
from flows.robots import RobotsCache
from flows.sandbox import TRANSIENT_REASONS, SandboxSettings, shared_workers
from flows.sources import Source, load_sources
from flows.summary import RunSummary, SourceStats
from flows.web import (
    ParserHints,
    Target,
    discover_targets,
    fetch_config,
    fetch_targets,
    plan_inputs,
    read_warcs,
)
from flows.writelock import write_window
from warehouse import (
    BatchResult,
    EntityCount,
    LoadBudget,
    connect,
    fail_dead_runs,
    finish_run,
    heartbeat,
    load_batch,
    start_run,
    top_entities,
)
from warehouse.health import HealthTally
from warehouse.records import ArticleRecord

__all__ = ["DEFAULT_BATCH_SIZE", "ingest"]

DEFAULT_BATCH_SIZE = 50
CACHE_FOR = timedelta(days=7)  # long enough for any retry; old results are not worth keeping
T = TypeVar("T")


@task(name="discover", cache_policy=NO_CACHE)
def discover(paths: Sequence[str]) -> tuple[list[LocalFile], list[Reject]]:
    files, missing = discover_files(paths)
    logger = get_run_logger()
    for source, found in _by_source(files).items():
        logger.info("%s: discovered %d file(s)", source, len(found))
    for reject in missing:
        logger.warning("%s: %s (%s)", reject.source, reject.reason, reject.detail)
    return files, missing


@task(name="discover-web", cache_policy=NO_CACHE)
def discover_web(
    sources: Sequence[Source], config: FetchConfig, robots: RobotsCache
) -> tuple[list[Target], list[Reject]]:
    targets, rejects = discover_targets(sources, config=config, robots_cache=robots)
    logger = get_run_logger()
    for source, found in _by_source(targets).items():
        logger.info("%s: discovered %d URL(s)", source, len(found))
    for reject in rejects:
        logger.warning("%s: %s %s (%s)", reject.source, reject.reason, reject.uri, reject.detail)
    return targets, rejects


# The fetcher retries each URL itself; a task retry covers what fails the whole batch (the archive
# briefly locked, the network gone for a moment). Archiving is idempotent, so a retry is safe.
@task(name="fetch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[5, 30], retry_jitter_factor=0.5)
def fetch(
    db_path: str, targets: Sequence[Target], config: FetchConfig, robots: RobotsCache, line: Progress
) -> tuple[list[RawPage], list[Reject], Counter[str]]:
    """Fetch a batch (conditional GET from the raw archive, which keeps every body).

    Returns pages, rejects, and the 304s per source: those are unchanged and not parsed again.
    """
    fetched = fetch_targets(
        targets, db_path=db_path, config=config, robots_cache=robots,
        on_result=lambda result: line.advance(error=isinstance(result, Reject)),
    )  # fmt: skip
    not_modified = Counter(item.source for item in fetched.not_modified)
    logger = get_run_logger()
    for source in _by_source(targets):
        logger.info(
            "%s: fetched %d page(s), %d not modified, %d failed", source,
            sum(p.source == source for p in fetched.pages), not_modified[source],
            sum(r.source == source for r in fetched.rejects),
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


@task(name="prepare", cache_policy=NO_CACHE)
def prepare(
    files: Sequence[LocalFile], source: str, limits: SandboxSettings, hints: ParserHints | None = None
) -> tuple[int, list[ArticleRecord], list[Reject]]:
    """read, parse and entities of one batch in one task, so a cluster worker does all three."""
    pages, unreadable = read.fn(files, source=source)
    pages = [(hints or ParserHints()).apply(page) for page in pages]  # a folder source's language and profile
    records, unparsable = parse.fn(pages, source=source, limits=limits)
    records, no_entities = entities.fn(records, source=source, limits=limits)
    return len(pages), records, unreadable + unparsable + no_entities


@task(name="load", cache_policy=NO_CACHE)
def load(
    db_path: str, run_id: str, records: Sequence[ArticleRecord], rejects: Sequence[Reject], source: str = "",
    memory_limit_mb: int | None = None,
) -> BatchResult:
    """Load one batch in its own transaction, DuckDB held to ``memory_limit_mb`` (see ``LoadBudget``)."""
    logger = get_run_logger()
    for reject in rejects:
        logger.warning("%s: rejected %s: %s (%s)", reject.source, reject.uri, reject.reason, reject.detail)
    with write_window(db_path, logger=logger):
        con = connect(db_path, memory_limit_mb=memory_limit_mb)  # held only for this batch's transaction
        try:
            result = load_batch(
                con, run_id=run_id, articles=records, rejects=rejects, before_commit=lambda: checkpoint("load.commit")
            )
            heartbeat(con, run_id=run_id)
        finally:
            con.close()
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
def health(db_path: str, run_id: str, tallies: list[HealthTally]) -> list[HealthReport]:
    """Extraction health per source against its history; a flag is a warning and a Prefect event."""
    logger = get_run_logger()
    with write_window(db_path, logger=logger):
        con = connect(db_path)
        try:
            reports = check_health(con, run_id=run_id, tallies=tallies)
        finally:
            con.close()
    for report in reports:
        h = report.health
        logger.info(
            "%s: health over %d article(s): title %.0f%%, authors %.0f%%, date %.0f%%, body %.0f%%, median %.0f chars",
            h.source, h.articles, 100 * h.title_share, 100 * h.authors_share, 100 * h.published_share,
            100 * h.body_share, h.median_body_chars,
        )
        for flag in report.flags:
            logger.warning("%s: extraction health dropped: %s", flag.source, flag.describe())
    emit_health_events(reports, run_id=run_id, db_path=db_path)
    return reports


def _run_name() -> str:
    params = flow_run.parameters
    named = [p for key in ("paths", "feeds", "sitemaps", "url_files") for p in params.get(key) or []]
    inputs = named + _source_names(params.get("sources_file")) or ["sources.toml"]
    when = flow_run.scheduled_start_time or datetime.now(UTC)  # a scheduled run is named after its slot
    return f"ingest-{when:%Y-%m-%d}-" + "+".join(Path(p).name or str(p) for p in inputs)[:60]


def _source_names(sources_file: str | None) -> list[str]:
    """The names in a sources file, for the run's name; the file itself when it cannot be read yet."""
    if not sources_file:
        return []
    try:
        return [source.name for source in load_sources(sources_file)]
    except Exception:  # the run itself reports a broken sources file; a name must not fail first
        return [sources_file]


@flow(name="ingest", flow_run_name=_run_name, log_prints=False)
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
    ``fetch_options`` sets ``flows.fetch.FetchConfig`` fields (``concurrency``, ``delay``, timeouts...).
    With ``since``/``until`` (a backfill), only articles published in that window, ends included, are loaded.
    ``workers`` parser processes (default: one per core) take a page at a time, with ``page_timeout``
    seconds per page (default 30; see ``flows.sandbox``). With a distributed task runner (Dask), files
    are read, parsed and searched for entities on the cluster; this process alone writes the warehouse.
    """
    remote = _remote_task_runner()
    # On a cluster each worker process parses one page at a time; locally one parser process per core.
    limits = SandboxSettings.from_env(workers=workers or (1 if remote else None), page_timeout=page_timeout)
    plan = plan_inputs(
        paths=paths or [], sources_file=sources_file, feeds=feeds or [], sitemaps=sitemaps or [],
        url_files=url_files or [],
    )  # fmt: skip
    config = fetch_config(fetch_options, allow_private=allow_private_addresses)
    robots = RobotsCache()  # robots.txt fetched once per host per run
    started = time.perf_counter()
    run_id = flow_run.get_id() or str(uuid.uuid4())
    _open_run(db_path, run_id, plan.labels())
    stats: dict[str, SourceStats] = {}
    tallies: dict[str, HealthTally] = {}  # running health figures: the articles themselves are not kept
    rejected = _RejectLog()
    totals = BatchResult()
    budget = LoadBudget.from_env()

    def prepare(label: str, source: str, pages: list[RawPage], rejects: list[Reject], **counts: int) -> _Prepared:
        """Parse a batch's pages and find their entities: everything but loading it."""
        if not pages:  # e.g. a fetch batch whose pages all failed or were unchanged
            return _Prepared(label, source, [], rejects, **counts)
        records, unparsable = _second_chance(
            parse, label, pages, _named(parse, label)(opaque(pages), source=source, limits=limits),
            source=source, limits=limits,
        )  # fmt: skip
        records, outside = _in_window(records, since, until)
        records, no_entities = _second_chance(
            entities, label, records, _named(entities, label)(opaque(records), source=source, limits=limits),
            source=source, limits=limits,
        )  # fmt: skip
        return _Prepared(
            label, source, records, rejects + unparsable + no_entities, fetched=len(pages), outside_window=outside,
            **counts,
        )  # fmt: skip

    def prepared(files: list[LocalFile], targets: list[Target]) -> Iterator[_Prepared]:
        """Every batch of the run, source by source, ready to load."""
        for source, source_files in _by_source(files).items():
            if remote:  # a few batches in flight on the cluster, yielded in order
                for label, batch, fetched, records, rejects in _on_cluster(
                    _batched(source_files, batch_size), source, limits, plan.hints_for(source)
                ):
                    records, outside = _in_window(records, since, until)
                    yield _Prepared(label, source, records, rejects, fetched=fetched, outside_window=outside,
                                    discovered=len(batch), done=len(batch))  # fmt: skip
                continue
            for number, batch in enumerate(_batched(source_files, batch_size), 1):
                checkpoint("batch")
                label = f"{_slug(source)}-{number}"
                pages, unreadable = _named(read, label)(opaque(batch), source=source)
                pages = [plan.with_hints(page) for page in pages]  # a folder source's language and profile
                yield _timed(prepare, label, source, pages, unreadable, discovered=len(batch), done=len(batch))
        for warc in plan.warcs:
            for number, items in enumerate(_batched(read_warcs([warc]), batch_size), 1):
                pages, unreadable = _split(items)
                label = f"{_slug(warc.name)}-{number}"
                yield _timed(prepare, label, warc.name, pages, unreadable, discovered=len(items))
        with Progress("fetch", len(targets)) as line:  # live on a terminal only
            # A fetch batch takes URLs from every host in turn, so hosts are fetched side by side
            # (each within its own politeness); the pages then go on source by source.
            for number, batch in enumerate(_batched(_round_robin(targets), batch_size), 1):
                names = {target.source for target in batch}  # a batch of one source is named after it
                label = f"{_slug(names.pop()) if len(names) == 1 else 'web'}-{number}"
                pages, unfetched, not_modified = _named(fetch, label)(db_path, opaque(batch), config, robots, line)
                by_source = _by_source(batch)
                for position, (source, source_targets) in enumerate(by_source.items(), 1):
                    mine = [page for page in pages if page.source == source]
                    failed = [reject for reject in unfetched if reject.source == source]
                    yield _timed(
                        prepare, f"{_slug(source)}-{number}", source, mine, failed,
                        discovered=len(source_targets), not_modified=not_modified[source],
                        done=len(batch) if position == len(by_source) else 0,
                    )  # fmt: skip

    def load_prepared(batch: _Prepared) -> None:
        nonlocal totals
        checkpoint("load")
        stat = stats.setdefault(batch.source, SourceStats(batch.source))
        tick = time.perf_counter()
        if batch.fetched or batch.rejects:
            result = _named(load, batch.label)(
                db_path, run_id, opaque(batch.records), opaque(batch.rejects), source=batch.source,
                memory_limit_mb=budget.megabytes,
            )  # fmt: skip
            budget.after(result)
            stat.add_result(result)
            totals += result
        totals += BatchResult(unchanged=batch.not_modified)  # a 304 is an unchanged article
        stat.discovered += batch.discovered
        stat.fetched += batch.fetched
        stat.not_modified += batch.not_modified
        stat.parsed += len(batch.records)
        stat.outside_window += batch.outside_window
        stat.add_rejects(batch.rejects)
        stat.seconds += batch.seconds + time.perf_counter() - tick
        tally = tallies.setdefault(batch.source, HealthTally(batch.source))
        for record in batch.records:
            tally.add(record.article)
        rejected.add(batch.rejects)

    pages_seen = 0
    try:
        files, missing = discover(plan.paths)
        files = [plan.named(file) for file in files]  # a folder source's files go by the source's name
        targets, undiscovered = discover_web(plan.web, config, robots) if plan.web else ([], [])
        early = missing + undiscovered
        for reject in early:
            stats.setdefault(reject.source, SourceStats(reject.source)).add_rejects([reject])
        totals = load(db_path, run_id, [], opaque(early)) if early else BatchResult()
        rejected.add(early)
        pages_seen = len(early)
        progress = RunProgress(len(files) + len(targets))
        # The next batch is read, parsed and searched for entities while this one loads.
        with closing(ahead(prepared(files, targets))) as batches:
            for batch in batches:
                load_prepared(batch)
                pages_seen += batch.discovered
                if batch.done:
                    progress.advance(batch.done)
        reports = health(db_path, run_id, list(tallies.values()))
        progress.finish()
    except BaseException as exc:
        _close_run(db_path, run_id, 0, BatchResult(), status="failed", error=f"{type(exc).__name__}: {exc}")
        raise
    top = _close_run(db_path, run_id, pages_seen, totals)
    languages = check_entity_languages(db_path, run_id=run_id)
    summary = RunSummary(
        run_id=run_id,
        db_path=db_path,
        inputs=plan.labels(),
        pages_seen=pages_seen,
        result=totals,
        reject_reasons=dict(rejected.reasons.most_common()),
        top_entities=top,
        seconds=time.perf_counter() - started,
        sources=list(stats.values()),
        health=reports,
        rejects=rejected.first,
        entity_languages=languages,
    )
    publish_run_artifacts(summary)
    get_run_logger().info(
        "loaded %d, unchanged %d, duplicates %d, rejects %d",
        totals.loaded, totals.unchanged, totals.duplicates, totals.rejects,
    )
    return summary


@dataclass
class _Prepared:
    """One source's share of one batch, ready to load: its articles with their mentions, and its rejects."""

    label: str  # names the batch's task runs: parse-seeds-2
    source: str
    records: list[ArticleRecord]
    rejects: list[Reject]
    fetched: int = 0  # pages read or fetched with a body
    discovered: int = 0  # pages of the run's inputs this batch accounts for
    not_modified: int = 0  # HTTP 304s: unchanged, not parsed again
    outside_window: int = 0  # parsed, but published outside a backfill's dates
    done: int = 0  # pages of the progress artifact's total this batch completes
    seconds: float = 0.0  # spent preparing it


def _timed(prepare: Callable[..., _Prepared], *args: Any, **counts: int) -> _Prepared:
    tick = time.perf_counter()
    batch = prepare(*args, **counts)
    batch.seconds = time.perf_counter() - tick
    return batch


@dataclass
class _RejectLog:
    """The run's rejects by reason, and the first few in full for the run's artifact (all are in the warehouse)."""

    reasons: Counter[str] = field(default_factory=Counter)
    first: list[Reject] = field(default_factory=list)

    def add(self, rejects: Sequence[Reject]) -> None:
        self.reasons.update(reject.reason for reject in rejects)
        self.first.extend(rejects[: max(0, MAX_REJECT_ROWS - len(self.first))])


def _round_robin(targets: Sequence[Target]) -> list[Target]:
    """One URL from each host in turn, keeping each host's own order."""
    queues = list(_group(targets, key=lambda target: urlsplit(target.url).netloc.lower()).values())
    return [target for round_ in zip_longest(*queues) for target in round_ if target is not None]


def _group(items: Sequence[T], *, key: Callable[[T], str]) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return dict(grouped)


def _split(items: Sequence[RawPage | Reject]) -> tuple[list[RawPage], list[Reject]]:
    pages = [item for item in items if isinstance(item, RawPage)]
    return pages, [item for item in items if isinstance(item, Reject)]


def _in_window(
    records: list[ArticleRecord], since: date | None, until: date | None
) -> tuple[list[ArticleRecord], int]:
    """Articles published within the window (by the date the page states); undated ones cannot be placed."""
    if since is None and until is None:
        return records, 0
    kept = [
        r for r in records
        if r.article.published_at is not None
        and (since is None or r.article.published_at.date() >= since)
        and (until is None or r.article.published_at.date() <= until)
    ]
    return kept, len(records) - len(kept)


REMOTE_BATCHES_IN_FLIGHT = 8  # enough to keep a small cluster busy; bounded, so memory stays flat


def _on_cluster(
    batches: Iterator[list[LocalFile]], source: str, limits: SandboxSettings, hints: ParserHints
) -> Iterator[tuple[str, list[LocalFile], int, list[ArticleRecord], list[Reject]]]:
    """Each batch read, parsed and with entities by the task runner's cluster, yielded in order."""
    in_flight: deque[tuple[str, list[LocalFile], PrefectFuture[Any]]] = deque()
    for number, batch in enumerate(batches, 1):
        label = f"{_slug(source)}-{number}"
        # Not ``opaque(batch)``: the Dask runner hands the annotation to the worker unresolved.
        in_flight.append((label, batch, _named(prepare, label).submit(batch, source, limits, hints)))
        if len(in_flight) >= REMOTE_BATCHES_IN_FLIGHT:
            yield _collect(in_flight.popleft())
    while in_flight:
        yield _collect(in_flight.popleft())


def _collect(
    item: tuple[str, list[LocalFile], PrefectFuture[Any]],
) -> tuple[str, list[LocalFile], int, list[ArticleRecord], list[Reject]]:
    checkpoint("batch")
    label, batch, future = item
    fetched, records, rejected = future.result()
    return label, batch, fetched, records, rejected


def _second_chance(
    stage: Task[Any, tuple[list[T], list[Reject]]],
    label: str,
    items: Sequence[RawPage] | Sequence[ArticleRecord],
    outcome: tuple[list[T], list[Reject]],
    **options: Any,
) -> tuple[list[T], list[Reject]]:
    """One more try, outside the cache, for the items a worker timed out or crashed on.

    That may have been the machine's fault (a busy moment), not the page's, and the batch's
    cached result would repeat it on every re-run for as long as the cache lasts. So such
    items are tried again, with the cache refreshed, on every run that meets them; an item
    that fails twice stays rejected.
    """
    done, rejects = outcome
    failed = {reject.uri for reject in rejects if reject.reason in TRANSIENT_REASONS}
    if not failed:
        return done, rejects
    again = [item for item in items if item.uri in failed]
    retried, still = _named(stage, f"{label}-again").with_options(refresh_cache=True)(opaque(again), **options)
    return done + retried, [reject for reject in rejects if reject.uri not in failed] + still


def _remote_task_runner() -> bool:
    context = FlowRunContext.get()
    return context is not None and not isinstance(context.task_runner, ThreadPoolTaskRunner)


def _named(stage: Task[Any, T], label: str) -> Task[Any, T]:
    """The stage's task with a run name the UI can tell apart: ``parse-seeds-2``."""
    return stage.with_options(task_run_name=f"{stage.name}-{label}")


def _slug(source: str) -> str:
    name = Path(source).name or source
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:40] or "source"


def _by_source(items: Sequence[LocalFile] | Sequence[Target]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        grouped[item.source].append(item)
    return dict(grouped)


def _open_run(db_path: str, run_id: str, paths: Sequence[str]) -> None:
    """Record this run, and mark failed the runs whose process died before recording their end."""
    with write_window(db_path):
        con = connect(db_path)
        try:
            for dead in fail_dead_runs(con, by_run_id=run_id):
                get_run_logger().warning("run %s was left running by a process that is gone: marked failed", dead)
            start_run(con, run_id=run_id, name=flow_run.get_name(), inputs=paths)
        finally:
            con.close()
    checkpoint("run.started")


def _close_run(
    db_path: str, run_id: str, pages_seen: int, totals: BatchResult, **status: str
) -> list[EntityCount]:
    """Record how the run ended; returns its top entities for the summary."""
    with write_window(db_path):
        con = connect(db_path)
        try:
            finish_run(con, run_id=run_id, pages_seen=pages_seen, result=totals, **status)
            return top_entities(con, run_id=run_id)
        finally:
            con.close()


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, max(1, size))):
        yield batch
