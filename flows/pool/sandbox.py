"""Parse pages and find entities in worker processes, each page under a time and memory limit.

A page is hostile input: a pathological one can make a parser run for minutes or
eat gigabytes, and no Python code can interrupt a C extension (lxml, spaCy) from
inside. So pages go to a small pool of worker processes: a worker that does not
answer within the page's time limit is killed (SIGKILL) and replaced, and the
page becomes a reject with reason ``parse_timeout``; a worker that dies (a crash
in C code) costs its page only (``parse_crashed``); a page over the worker's
memory limit is rejected as ``too_much_memory``.
The same pool is what makes parsing use every core.

    PageWorkers
    ├── parse(pages)       -> records, rejects   one job per page, in order
    └── entities(records)  -> records, rejects   jobs of a few records, in order

Settings (keyword arguments, or the environment for a CLI run):
``NEWSINGEST_WORKERS`` (default: the machine's cores), ``NEWSINGEST_PAGE_TIMEOUT``
(seconds per page, default 30), ``NEWSINGEST_WORKER_MEMORY_MB`` (address space a
worker may add beyond its warmed-up size, default 2048; 0 for no limit).
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, NamedTuple

from flows.sources.files import RawPage
from flows.stopping import raise_if_stop_requested, stop_requested
from warehouse.records import ArticleRecord, Reject, RejectReason, RejectStage

__all__ = [
    "TRANSIENT_REASONS", "PageWorkers", "SandboxSettings", "entity_jobs", "peak_rss_mb", "shared_workers",
    "shutdown_shared_workers",
]

_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
_STOP_POLL_SECONDS = 0.25  # how often a pool waiting on its workers checks whether the run was asked to stop
_ENTITY_CHUNK = 8  # records per entities job: big enough for spaCy's batching, small enough to spread
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


class _Failures(NamedTuple):
    """A job kind's reasons for a worker that died on it and for one cut off at its time limit."""

    crashed: RejectReason
    timeout: RejectReason


_PARSE_FAILURES = _Failures(RejectReason.PARSE_CRASHED, RejectReason.PARSE_TIMEOUT)
_ENTITY_FAILURES = _Failures(RejectReason.ENTITIES_CRASHED, RejectReason.ENTITIES_TIMEOUT)
# A worker cut off or dead says as much about the machine at that moment as about the page: worth another try.
TRANSIENT_REASONS = frozenset({*_PARSE_FAILURES, *_ENTITY_FAILURES})


@dataclass(frozen=True)
class SandboxSettings:
    workers: int = 0  # 0: one per core
    page_timeout: float = 30.0
    memory_mb: int = 2048  # 0: no limit
    warm_entities: bool = True  # load the entity models when a worker starts, not inside a page's time limit

    @classmethod
    def from_env(cls, **overrides: Any) -> SandboxSettings:
        env = os.environ
        settings = cls(
            workers=int(env.get("NEWSINGEST_WORKERS", "0") or 0),
            page_timeout=float(env.get("NEWSINGEST_PAGE_TIMEOUT", "30") or 30),
            memory_mb=int(env.get("NEWSINGEST_WORKER_MEMORY_MB", "2048") or 0),
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else max(1, len(os.sched_getaffinity(0)))


class _Worker:
    """One worker: a fresh ``python -m flows.pool.sandbox`` process talking pickles over two pipes.

    A plain subprocess, not ``multiprocessing``: it does not re-import the parent's
    ``__main__``, never forks a threaded parent (Prefect runs threads), and may be
    started from daemonic processes such as Dask's workers.
    """

    def __init__(self, settings: SandboxSettings) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PROJECT_ROOT, env.get("PYTHONPATH")]))
        for knob in _ONE_THREAD:  # the pool is the parallelism: a worker's math libraries stay on one core
            env.setdefault(knob, "1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flows.pool.sandbox", str(to_child_r), str(from_child_w),
             json.dumps(asdict(settings))],  # fmt: skip
            pass_fds=(to_child_r, from_child_w), env=env, stdin=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self.send_conn = Connection(to_child_w, readable=False)
        self.conn = Connection(from_child_r, writable=False)
        self.ready = False
        self.job: int | None = None
        self.deadline = 0.0

    def send(self, message: object) -> None:
        self.send_conn.send(message)

    @property
    def exitcode(self) -> int | None:
        return self.process.poll()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.conn.close()
        self.send_conn.close()


class PageWorkers:
    """A pool of parser processes; see the module docstring. Use as a context manager or call ``close``."""

    def __init__(self, settings: SandboxSettings | None = None) -> None:
        self.settings = settings or SandboxSettings.from_env()
        self._workers = [_Worker(self.settings) for _ in range(self.settings.worker_count)]
        self._start_failures = 0
        self._busy = threading.Lock()  # one job list at a time: task runners may call from several threads

    def wait_ready(self, timeout: float = 300.0) -> None:
        """Block until every worker has started (and loaded the entity model): for benchmarks and warm-up."""
        deadline = time.monotonic() + timeout
        with self._busy:
            while (starting := [w for w in self._workers if not w.ready]) and time.monotonic() < deadline:
                for conn in wait([w.conn for w in starting], timeout=max(0.0, deadline - time.monotonic())):
                    worker = next(w for w in starting if w.conn is conn)
                    try:
                        worker.ready = conn.recv() == "ready"
                    except (EOFError, OSError):
                        raise RuntimeError(f"a parser worker died as it started (exit {worker.exitcode})") from None

    def peak_rss_mb(self) -> float:
        """The largest peak resident size of the live workers (Linux; 0 elsewhere)."""
        return max((peak_rss_mb(w.process.pid) for w in self._workers), default=0.0)

    def __enter__(self) -> PageWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            try:
                worker.send(None)
            except OSError:
                pass
        for worker in self._workers:
            try:
                worker.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            worker.kill()
        self._workers = []

    # ------------------------------------------------------------------ jobs

    def parse(self, pages: Sequence[RawPage]) -> tuple[list[ArticleRecord], list[Reject]]:
        """Each page becomes a record or a reject (``parse_timeout``, ``parse_crashed`` or the parser's reason)."""

        def failed(index: int, reason: RejectReason, detail: str) -> list[Reject]:
            page = pages[index]
            return [Reject(page.uri, page.input_source, RejectStage.PARSE, reason, detail)]

        outcomes = self._run(
            [("parse", page) for page in pages], [self.settings.page_timeout] * len(pages), failed, _PARSE_FAILURES
        )
        records: list[ArticleRecord] = []
        rejects: list[Reject] = []
        for outcome in outcomes:
            for item in outcome:
                (records if isinstance(item, ArticleRecord) else rejects).append(item)
        return records, rejects

    def entities(self, records: Sequence[ArticleRecord]) -> tuple[list[ArticleRecord], list[Reject]]:
        """Records with their mentions; a record whose entity finding timed out or crashed is rejected whole,
        so no article is loaded without its mentions."""
        jobs = entity_jobs(records, workers=len(self._workers))
        chunks = [[records[i] for i in job] for job in jobs]

        def failed(index: int, reason: RejectReason, detail: str) -> list[Reject]:
            return [Reject(r.uri, r.input_source, RejectStage.ENTITIES, reason, detail) for r in chunks[index]]

        # Each job the time a full job of ``_ENTITY_CHUNK`` records had: a job of one long body needs it.
        timeouts = [self.settings.page_timeout * _ENTITY_CHUNK] * len(chunks)
        outcomes = self._run([("entities", chunk) for chunk in chunks], timeouts, failed, _ENTITY_FAILURES)
        # A job answers one item per record, in its order: put back in the batch's order, as the loader takes it.
        items = sorted(
            (pair for job, outcome in zip(jobs, outcomes, strict=True) for pair in zip(job, outcome, strict=True)),
            key=lambda pair: pair[0],
        )
        found: list[ArticleRecord] = []
        rejects: list[Reject] = []
        for _, item in items:
            (found if isinstance(item, ArticleRecord) else rejects).append(item)
        return found, rejects

    def _run(
        self,
        jobs: Sequence[tuple[str, Any]],
        timeouts: Sequence[float],
        failed: Callable[[int, RejectReason, str], list[Any]],
        failures: _Failures,
    ) -> list[list[Any]]:
        """Run every job on the pool; a job's result is a list of records and rejects, in job order."""
        with self._busy:  # one job list at a time: the caller's threads take turns
            results: list[list[Any] | None] = [None] * len(jobs)
            pending = list(range(len(jobs)))[::-1]  # a stack: pop() takes the next job
            while pending or any(w.job is not None for w in self._workers):
                for worker in self._workers:
                    if worker.ready and worker.job is None and pending:
                        index = pending.pop()
                        worker.send(jobs[index])
                        worker.job, worker.deadline = index, time.monotonic() + timeouts[index]
                busy = [w for w in self._workers if w.job is not None or not w.ready]
                deadlines = [w.deadline for w in busy if w.job is not None]
                timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else _STOP_POLL_SECONDS
                if stop_requested() is not None:  # the run stops: these pages are parsed again by the next one
                    for worker in busy:
                        self._replace(worker)
                    raise_if_stop_requested()
                for conn in wait([w.conn for w in busy], timeout=min(timeout, _STOP_POLL_SECONDS)):
                    worker = next(w for w in busy if w.conn is conn)
                    try:
                        message = conn.recv()
                    except (EOFError, OSError):  # died: out of memory, or a crash in C code
                        if worker.job is not None:
                            code = worker.exitcode
                            results[worker.job] = failed(worker.job, failures.crashed, f"worker exited ({code})")
                        elif not worker.ready:
                            self._start_failures += 1
                            if self._start_failures > 3:
                                code = worker.exitcode
                                raise RuntimeError(f"parser workers die as they start (exit {code})") from None
                        self._replace(worker)
                        continue
                    if message == "ready":
                        worker.ready = True
                        continue
                    assert worker.job is not None
                    results[worker.job] = message
                    worker.job = None
                now = time.monotonic()
                for worker in self._workers:
                    if worker.job is not None and now >= worker.deadline:
                        limit = timeouts[worker.job]
                        results[worker.job] = failed(worker.job, failures.timeout, f"over the {limit:g}s limit")
                        self._replace(worker)
            return [result or [] for result in results]

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._workers[self._workers.index(worker)] = _Worker(self.settings)


def entity_jobs(records: Sequence[ArticleRecord], *, workers: int) -> list[list[int]]:
    """The records' indexes grouped into entities jobs of about even work, the biggest jobs first.

    The recogniser's time grows with the characters it reads, and a record whose language has no
    model costs next to nothing, so a fixed count of records per job leaves one worker on a job of
    long bodies while the other idles at the batch's end. Jobs are filled longest body first up to
    an even share of the batch's characters (at most ``_ENTITY_CHUNK`` records each, so spaCy still
    batches them), and handed out biggest first: the small ones fill the gaps at the end.
    """
    from parsers.entity_models import has_entity_model

    def cost(record: ArticleRecord) -> int:
        return len(record.article.body) if has_entity_model(record.article.language) else 0

    costs = [cost(record) for record in records]
    share = sum(costs) / max(1, 3 * max(1, workers))  # a few jobs per worker, so they can even out
    jobs: list[list[int]] = []
    job: list[int] = []
    filled = 0
    for index in sorted(range(len(records)), key=lambda i: -costs[i]):
        if job and (filled + costs[index] > share or len(job) >= _ENTITY_CHUNK):
            jobs.append(job)
            job, filled = [], 0
        job.append(index)
        filled += costs[index]
    if job:
        jobs.append(job)
    return sorted(jobs, key=lambda job: -sum(costs[i] for i in job))


def _worker_main(conn: Connection, out: Connection, settings: SandboxSettings) -> None:
    from flows.pool.stages import find_entities, parse_pages

    if settings.warm_entities:
        from parsers.entities import load_all_models

        load_all_models()  # every language's model now: loading one on its first page would cost the run
    _limit_memory(settings.memory_mb)
    out.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        kind, payload = job
        if kind == "parse":
            out.send(_parse_one(parse_pages, payload))
        else:
            out.send(_entities(find_entities, payload))


def _parse_one(parse_pages: Callable[..., Any], page: RawPage) -> list[Any]:
    records, rejects = parse_pages([page])
    return [*records, *(_memory_reason(r) for r in rejects)]


def _entities(find_entities: Callable[..., Any], records: list[ArticleRecord]) -> list[Any]:
    try:
        return list(find_entities(records))
    except MemoryError:
        return [Reject(r.uri, r.input_source, RejectStage.ENTITIES, RejectReason.TOO_MUCH_MEMORY,
                       "over the worker's memory limit") for r in records]
    except Exception as exc:  # the model's bug must cost these records, not the run
        return [Reject(r.uri, r.input_source, RejectStage.ENTITIES, RejectReason.ENTITIES_ERROR,
                       f"{type(exc).__name__}: {exc}") for r in records]


def _memory_reason(reject: Reject) -> Reject:
    if reject.reason is RejectReason.PARSER_ERROR and reject.detail.startswith("MemoryError"):
        return replace(reject, reason=RejectReason.TOO_MUCH_MEMORY)
    return reject


def _limit_memory(extra_mb: int) -> None:
    """Cap the worker's address space at its warmed-up size plus ``extra_mb``: a page over it raises MemoryError."""
    if extra_mb <= 0:
        return
    try:
        import resource

        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
        limit = current + extra_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError, ImportError):
        pass  # not Linux: the time limit still holds


def peak_rss_mb(pid: int | str = "self") -> float:
    """A process's peak resident size (VmHWM). Not ``ru_maxrss``: Linux carries that over a fork and exec
    from the parent, so a child of a big process would report the parent's size."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# ---------------------------------------------------------------------- shared pool

_shared: dict[SandboxSettings, PageWorkers] = {}


_shared_lock = threading.Lock()


def shared_workers(settings: SandboxSettings) -> PageWorkers:
    """One pool per process and settings, started on first use and kept across batches and runs."""
    with _shared_lock:
        pool = _shared.get(settings)
        if pool is None:
            pool = _shared[settings] = PageWorkers(settings)
        return pool


def shutdown_shared_workers() -> None:
    while _shared:
        _, pool = _shared.popitem()
        pool.close()


atexit.register(shutdown_shared_workers)


if __name__ == "__main__":  # a worker: python -m flows.pool.sandbox IN_FD OUT_FD SETTINGS_JSON
    # Our protocol owns the pipes; anything a library prints goes to stderr.
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the terminal's whole group: it is the run's to take
    _worker_main(
        Connection(int(sys.argv[1]), writable=False),
        Connection(int(sys.argv[2]), readable=False),
        SandboxSettings(**json.loads(sys.argv[3])),
    )
