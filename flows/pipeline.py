"""The pipeline every run follows, whatever its sources: the story the ``ingest`` flow tells.

Plan the sources; each finds its pages (``discover``) and hands them over a batch at a time
(``flows.sources``); every batch is parsed, kept to the run's date window, searched for
entities and loaded in its own transaction; then the run's extraction health is checked
and its artifacts published. ``reparse`` is the same pipeline over the raw archive,
``backfill`` the same with a date window. The next batch is prepared in a thread while this
one loads (``flows.ahead``).

With a distributed task runner (Dask) the parse and entities tasks of up to
``REMOTE_BATCHES_IN_FLIGHT`` batches run on the cluster side by side; the tasks, their order
and the second chance are the same, and this process alone writes the warehouse.
"""

from __future__ import annotations

import contextvars
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from prefect import Task, get_run_logger
from prefect.context import FlowRunContext
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import opaque

from flows.ahead import ahead
from flows.artifacts import MAX_REJECT_ROWS, RunProgress, publish_run_artifacts
from flows.faults import checkpoint
from flows.health import HealthReport, check_entity_languages, every_source
from flows.pool.sandbox import TRANSIENT_REASONS, SandboxSettings
from flows.run_end import ended_by
from flows.sources.base import Batch, PageSource
from flows.summary import RunSummary, SourceStats
from flows.tasks import entities, health, load, named, parse
from warehouse import BatchResult, LoadBudget, fail_dead_runs, finish_run, start_run, top_entities
from warehouse.handle import Warehouse
from warehouse.health import HealthTally
from warehouse.records import ArticleRecord, Reject

__all__ = ["REMOTE_BATCHES_IN_FLIGHT", "Window", "remote_task_runner", "run_pipeline", "second_chance"]

REMOTE_BATCHES_IN_FLIGHT = 8  # enough to keep a small cluster busy; bounded, so memory stays flat
T = TypeVar("T")
R = TypeVar("R")


def run_pipeline(
    sources: Sequence[PageSource], warehouse: Warehouse, *, batch_size: int, limits: SandboxSettings,
    window: Window | None = None,
) -> RunSummary:  # fmt: skip
    """Run every batch of ``sources`` through parse, window, entities and load; then health and artifacts."""
    run = RunLedger(warehouse, [label for source in sources for label in source.labels])
    stages = Stages(limits, window or Window(), remote=remote_task_runner())
    try:
        found = [source.discover() for source in sources]
        run.load_early([reject for listing in found for reject in listing.rejects])
        progress = RunProgress(sum(listing.pages for listing in found))
        batches = (batch for source in sources for batch in source.batches(batch_size))
        # The next batch is read or fetched, parsed and searched for entities while this one loads.
        with closing(ahead(stages.prepare_all(batches))) as prepared:
            for batch in prepared:
                run.load(batch)
                if batch.batch.done:
                    progress.advance(batch.batch.done)
        run.check_health()
        progress.finish()
    except BaseException as exc:
        run.fail(exc)
        raise
    summary = run.finish()
    publish_run_artifacts(summary)
    return summary


@dataclass(frozen=True)
class Window:
    """A backfill's dates, ends included; articles published outside are not loaded."""

    since: date | None = None
    until: date | None = None

    def keep(self, records: list[ArticleRecord]) -> tuple[list[ArticleRecord], int]:
        """Articles published within the window (by the date the page states); undated ones cannot be placed."""
        if self.since is None and self.until is None:
            return records, 0
        kept = [
            r for r in records
            if r.article.published_at is not None
            and (self.since is None or r.article.published_at.date() >= self.since)
            and (self.until is None or r.article.published_at.date() <= self.until)
        ]  # fmt: skip
        return kept, len(records) - len(kept)


@dataclass
class Prepared:
    """One batch ready to load: its articles with their mentions, and every reject of its pages."""

    batch: Batch
    records: list[ArticleRecord]
    rejects: list[Reject]
    outside_window: int = 0  # parsed, but published outside a backfill's dates
    seconds: float = 0.0  # spent preparing it


class Stages:
    """parse -> window -> entities for one batch, each stage with its second chance; local or on a cluster."""

    def __init__(self, limits: SandboxSettings, window: Window, *, remote: bool) -> None:
        self.limits = limits
        self.window = window
        self.remote = remote

    def prepare_all(self, batches: Iterator[Batch]) -> Iterator[Prepared]:
        """Every batch prepared, in order; on a cluster several at once."""
        return in_order(self.prepare, batches, width=REMOTE_BATCHES_IN_FLIGHT if self.remote else 1)

    def prepare(self, batch: Batch) -> Prepared:
        tick = time.perf_counter()
        if not batch.pages:  # e.g. a fetch batch whose pages all failed or were unchanged
            return Prepared(batch, [], batch.rejects)
        records, unparsable = self.stage(parse, batch.label, batch.pages, batch.source)
        records, outside = self.window.keep(records)
        records, no_entities = self.stage(entities, batch.label, records, batch.source)
        rejects = batch.rejects + unparsable + no_entities
        return Prepared(batch, records, rejects, outside, time.perf_counter() - tick)

    def stage(
        self, stage: Task[Any, tuple[list[T], list[Reject]]], label: str, items: Sequence[Any], source: str
    ) -> tuple[list[T], list[Reject]]:
        task = named(stage, label)
        if self.remote:  # not ``opaque``: the Dask runner hands the annotation to the worker unresolved
            outcome = task.submit(list(items), source=source, limits=self.limits).result()
        else:
            outcome = task(opaque(items), source=source, limits=self.limits)
        return second_chance(stage, label, items, outcome, source=source, limits=self.limits)


def second_chance(
    stage: Task[Any, tuple[list[T], list[Reject]]],
    label: str,
    items: Sequence[Any],
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
    retried, still = named(stage, f"{label}-again").with_options(refresh_cache=True)(opaque(again), **options)
    return done + retried, [reject for reject in rejects if reject.uri not in failed] + still


def in_order(work: Callable[[T], R], items: Iterator[T], *, width: int) -> Iterator[R]:
    """``work(item)`` for every item, up to ``width`` at a time in threads, the results in the items' order."""
    if width <= 1:
        yield from map(work, items)
        return
    with ThreadPoolExecutor(width, thread_name_prefix="prepare") as pool:
        pending: deque[Future[R]] = deque()
        for item in items:  # each in a copy of this context, so Prefect's flow run reaches its tasks
            pending.append(pool.submit(contextvars.copy_context().run, work, item))
            if len(pending) >= width:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def remote_task_runner() -> bool:
    context = FlowRunContext.get()
    return context is not None and not isinstance(context.task_runner, ThreadPoolTaskRunner)


class RunLedger:
    """A run's record in the warehouse and its figures: opened on creation, a batch at a time, then closed."""

    def __init__(self, warehouse: Warehouse, inputs: list[str]) -> None:
        self.warehouse = warehouse
        self.inputs = inputs
        self.run_id = flow_run.get_id() or str(uuid.uuid4())
        self.started = time.perf_counter()
        self.stats: dict[str, SourceStats] = {}
        self.tallies: dict[str, HealthTally] = {}  # running health figures: the articles themselves are not kept
        self.rejected = RejectLog()
        self.totals = BatchResult()
        self.pages_seen = 0
        self.budget = LoadBudget.from_env()  # DuckDB's memory while a batch loads
        self.reports: list[HealthReport] = []
        with warehouse.connection() as con:  # and mark failed the runs whose process died before their end
            for dead in fail_dead_runs(con, by_run_id=self.run_id):
                get_run_logger().warning("run %s was left running by a process that is gone: marked failed", dead)
            start_run(con, run_id=self.run_id, name=flow_run.get_name(), inputs=inputs)
        checkpoint("run.started")

    def load_early(self, rejects: list[Reject]) -> None:
        """What failed before any page was read: missing paths, feeds that did not answer."""
        for reject in rejects:
            self._stat(reject.input_source).add_rejects([reject])
        if rejects:
            self.totals = load(self.warehouse, self.run_id, [], opaque(rejects))
        self.rejected.add(rejects)
        self.pages_seen = len(rejects)

    def load(self, prepared: Prepared) -> None:
        checkpoint("load")
        batch, stat, tick = prepared.batch, self._stat(prepared.batch.source), time.perf_counter()
        if batch.pages or prepared.rejects:
            result = named(load, batch.label)(
                self.warehouse, self.run_id, opaque(prepared.records), opaque(prepared.rejects),
                source=batch.source, memory_limit_mb=self.budget.megabytes, archive=opaque(batch.archive),
            )  # fmt: skip
            self.budget.after(result)
            stat.add_result(result)
            self.totals += result
        self.totals += BatchResult(unchanged=batch.not_modified)  # a 304 is an unchanged article
        stat.discovered += batch.discovered
        stat.fetched += len(batch.pages)
        stat.not_modified += batch.not_modified
        stat.parsed += len(prepared.records)
        stat.outside_window += prepared.outside_window
        stat.add_rejects(prepared.rejects)
        stat.seconds += prepared.seconds + time.perf_counter() - tick
        for record in prepared.records:
            self.tallies.setdefault(record.input_source, HealthTally(record.input_source)).add(record.article)
        self.rejected.add(prepared.rejects)
        self.pages_seen += batch.discovered

    def check_health(self) -> None:
        self.reports = health(self.warehouse, self.run_id, every_source(self.tallies, self.stats.values()))

    def fail(self, exc: BaseException) -> None:
        """Record the run's end with what it loaded; an interrupted run ends Cancelled (``flows.run_end``)."""
        with self.warehouse.connection() as con:
            finish_run(con, run_id=self.run_id, pages_seen=self.pages_seen, result=self.totals, **ended_by(exc))

    def finish(self) -> RunSummary:
        with self.warehouse.connection() as con:
            finish_run(con, run_id=self.run_id, pages_seen=self.pages_seen, result=self.totals)
            top = top_entities(con, run_id=self.run_id)
            languages = check_entity_languages(con, run_id=self.run_id)
        totals = self.totals
        get_run_logger().info(
            "loaded %d, unchanged %d, duplicates %d, rejects %d",
            totals.loaded, totals.unchanged, totals.duplicates, totals.rejects,
        )  # fmt: skip
        return RunSummary(
            run_id=self.run_id, db_path=self.warehouse.path, inputs=self.inputs, pages_seen=self.pages_seen,
            result=totals, reject_reasons=dict(self.rejected.reasons.most_common()), top_entities=top,
            seconds=time.perf_counter() - self.started, sources=list(self.stats.values()), health=self.reports,
            rejects=self.rejected.first, entity_languages=languages,
        )  # fmt: skip

    def _stat(self, source: str) -> SourceStats:
        return self.stats.setdefault(source, SourceStats(source))


@dataclass
class RejectLog:
    """The run's rejects by reason, and the first few in full for the run's artifact (all are in the warehouse)."""

    reasons: Counter[str] = field(default_factory=Counter)
    first: list[Reject] = field(default_factory=list)

    def add(self, rejects: Sequence[Reject]) -> None:
        self.reasons.update(reject.reason for reject in rejects)
        self.first.extend(rejects[: max(0, MAX_REJECT_ROWS - len(self.first))])
