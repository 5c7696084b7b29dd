"""Whole-pipeline throughput: N varied corpus pages into a fresh DuckDB, through Prefect and through plain functions.

    python bench/pipeline.py 1000                  # all modes, 2 parser workers
    python bench/pipeline.py 1000 --modes prefect,pool-2 --workers 2
    python bench/pipeline.py 300 --modes pool-1,pool-2,prefect --repeat 3   # medians, modes interleaved

Pages: the corpus pages (``../shared/corpora``) copied N times round-robin, each copy
with its own URL (canonical links rewritten) and a small text change, so every page
is a distinct article. They are written to a temporary folder and, for the ``http``
mode, served from a local HTTP server on 127.0.0.1.

Modes, each in a fresh process (so its peak memory is its own plus its workers'):
- ``inproc``: the plain functions in one process, one core (``flows.pool.stages``);
- ``pool-1`` / ``pool-2``: the plain functions with 1 or 2 parser worker processes
  (``flows.pool.sandbox``), batch by batch, as the flow does but without Prefect, ending
  as the flow's run ends (health check, run record, top entities);
- ``prefect``: the ``ingest`` flow (Prefect's temporary server, tasks per batch);
- ``http``: ``pool-2`` fed by the fetcher from the local HTTP server instead of disk;
- ``parse-1`` / ``parse-2``: the parse stage alone (read, parse and entities with 1 or 2
  parser processes, nothing loaded), so its speed-up is not shared with the loading that
  runs beside it in a pipeline.

Reported: pages/s end to end, seconds per stage (and pages/s), peak RSS of the mode's
process and of its largest worker, and the ratios the targets are about. The next batch is
prepared while one loads (``flows.ahead``, as in the flow), so with parser workers the
stage times overlap and add up to more than the total. With ``--repeat``, each mode's
median run is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpora import CORPORA_DIR, load_corpus  # noqa: E402

_CHANGED_PARAGRAPHS = 3
MODES = ("inproc", "pool-1", "pool-2", "prefect", "http", "parse-1", "parse-2")
_CANONICAL = re.compile(rb'(<link[^>]+rel=["\']?canonical["\']?[^>]*href=["\'])([^"\']+)', re.I)
_OG_URL = re.compile(rb'(<meta[^>]+property=["\']og:url["\'][^>]*content=["\'])([^"\']+)', re.I)


# ----------------------------------------------------------------------------- pages


def build_pages(count: int, folder: Path) -> list[Path]:
    """``count`` distinct pages from the corpus pages: new URL, a few words changed in the article's text."""
    originals = [page for name in ("article-extraction", "publishers") for page in load_corpus(name)]
    if not originals:
        raise SystemExit(f"no corpus pages under {CORPORA_DIR}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(count):
        original = originals[n % len(originals)]
        tag = f"bench-{n}".encode()
        page = _CANONICAL.sub(lambda m, t=tag: m.group(1) + m.group(2).rstrip(b"/") + b"/" + t, original.html, count=1)
        page = _OG_URL.sub(lambda m, t=tag: m.group(1) + m.group(2).rstrip(b"/") + b"/" + t, page, count=1)
        page = _change_text(page, original.truth.get("body", ""), f" Update {n}.".encode())
        path = folder / f"{n:06d}.html"
        path.write_bytes(page)
        written.append(path)
    return written


def _change_text(page: bytes, body: str, words: bytes) -> bytes:
    """``words`` added inside the article's own text, so the cleaned text differs and no two variants are
    duplicates: after the opening words of a few of its paragraphs (from the ground truth), every copy of
    them (a copy may sit in JSON-LD or a description, another be split by markup); else in the first paragraphs."""
    starts = dict.fromkeys(line.strip()[:60].rsplit(" ", 1)[0].encode() for line in body.splitlines())
    found = [start for start in starts if len(start) >= 30 and start in page][:_CHANGED_PARAGRAPHS]
    for start in found:
        page = page.replace(start, start + words)
    return page if found else page.replace(b"</p>", words + b"</p>", _CHANGED_PARAGRAPHS)


# ----------------------------------------------------------------------------- modes (run in a child process)


def _plain(folder: Path, db: Path, *, workers: int, batch_size: int, http: bool, load: bool = True) -> dict:
    """The plain functions, batch by batch: read (or fetch), parse, entities, load; then the run's end as the
    flow does it (health check, run record, top entities), so the comparison with the flow is of orchestration.
    Without ``load``, the parse stage alone: nothing is written."""
    from flows.ahead import ahead
    from flows.health import check_health
    from flows.pool.sandbox import PageWorkers, SandboxSettings
    from flows.pool.stages import find_entities, parse_pages
    from flows.sources.files import RawPage, discover_files, read_file
    from warehouse import BatchResult, LoadBudget, connect, finish_run, load_batch, start_run, top_entities
    from warehouse.health import HealthTally

    stage: dict[str, float] = defaultdict(float)
    pool = PageWorkers(SandboxSettings(workers=workers)) if workers else None
    if pool is not None:  # workers start (and load the model) before the clock starts, as in the prefect mode
        pool.wait_ready()
    else:
        from parsers.entities import load_all_models

        load_all_models()
    started = time.perf_counter()
    if load:
        con = connect(db)
        start_run(con, run_id="bench", name="bench", inputs=[str(folder)])
        con.close()
    files, _ = discover_files([folder])
    stage["discover"] += time.perf_counter() - started
    server = _serve(folder) if http else None
    totals = BatchResult()
    worker_peak = 0.0
    budget = LoadBudget.from_env()
    tally = HealthTally("bench")

    def prepared() -> Iterator[tuple[list, list]]:
        """Read (or fetch), parse and find entities, batch by batch: the flow's producer without Prefect."""
        for first in range(0, len(files), batch_size):
            batch = files[first : first + batch_size]
            t = time.perf_counter()
            if server is not None:
                pages, rejects = _fetch(server, batch)
                stage["fetch"] += time.perf_counter() - t
            else:
                outcomes = [read_file(f) for f in batch]
                pages = [p for p in outcomes if isinstance(p, RawPage)]
                rejects = [p for p in outcomes if not isinstance(p, RawPage)]
                stage["read"] += time.perf_counter() - t
            t = time.perf_counter()
            records, bad = pool.parse(pages) if pool else parse_pages(pages)
            stage["parse"] += time.perf_counter() - t
            t = time.perf_counter()
            if pool:
                records, no_entities = pool.entities(records)
            else:
                records, no_entities = find_entities(records), []
            stage["entities"] += time.perf_counter() - t
            yield records, [*rejects, *bad, *no_entities]

    try:
        # As in the flow, the next batch is prepared while this one loads (in process: one after the other).
        batches = ahead(prepared()) if pool else prepared()
        for records, rejects in batches:
            worker_peak = max(worker_peak, pool.peak_rss_mb() if pool else 0.0)
            if not load:  # the parse stage alone: what it made is counted, not written
                totals += BatchResult(loaded=len(records))
                continue
            t = time.perf_counter()
            con = connect(db, memory_limit_mb=budget.megabytes)  # as the flow's load task
            result = load_batch(con, run_id="bench", articles=records, rejects=rejects)
            budget.after(result)
            con.close()
            totals += result
            for record in records:
                tally.add(record.article)
            stage["load"] += time.perf_counter() - t
        if load:  # the run's end, as the flow's: extraction health, the run's record, its top entities
            t = time.perf_counter()
            con = connect(db)
            check_health(con, run_id="bench", tallies=[tally])
            finish_run(con, run_id="bench", pages_seen=len(files), result=totals)
            top_entities(con, run_id="bench")
            con.close()
            stage["finish"] += time.perf_counter() - t
    finally:
        if pool is not None:
            pool.close()
        if server is not None:
            server.shutdown()
    return {"seconds": time.perf_counter() - started, "stages": dict(stage), "pages": len(files),
            "loaded": totals.loaded, "peak_worker_rss_mb": worker_peak}


def _prefect(folder: Path, db: Path, *, workers: int, batch_size: int) -> dict:
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="bench-prefect-"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    from flows.ingest import ingest
    from flows.pool.sandbox import SandboxSettings, shared_workers

    wall = time.perf_counter()
    pool = shared_workers(SandboxSettings.from_env(workers=workers))
    pool.wait_ready()  # as in pool modes: workers warm first
    _warm_up_server(folder, db, workers=workers)
    warm = time.perf_counter() - wall
    summary = ingest(paths=[str(folder)], db_path=str(db), batch_size=batch_size, workers=workers)
    stages = _task_times(summary.run_id)
    return {
        "peak_worker_rss_mb": pool.peak_rss_mb(),
        "seconds": summary.seconds, "wall": time.perf_counter() - wall - warm, "stages": stages,
        "pages": summary.pages_seen, "loaded": summary.result.loaded,
    }


def _warm_up_server(folder: Path, db: Path, *, workers: int) -> None:
    """One small run into a throwaway warehouse first, as a deployment's server has served runs before.

    The temporary server starts on the first API call, and its first flow, task run, log and artifact
    requests each import and set up more of the server: start-up costs, not the cost of orchestrating a run.
    """
    from flows.ingest import ingest

    sample = db.parent / f"{db.stem}-warm-up"
    sample.mkdir(exist_ok=True)
    for page in sorted(folder.iterdir())[:2]:
        (sample / page.name).write_bytes(page.read_bytes())
    ingest(paths=[str(sample)], db_path=str(db.parent / f"{db.stem}-warm-up.duckdb"), workers=workers)


def _task_times(flow_run_id: str) -> dict[str, float]:
    """Seconds spent in each task, summed over the run's task runs (from the Prefect API)."""
    import asyncio
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def read() -> list:
        async with get_client() as client:
            runs, offset = [], 0
            while True:
                page = await client.read_task_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(flow_run_id)])),
                    limit=200, offset=offset,
                )
                runs += page
                offset += len(page)
                if len(page) < 200:
                    return runs

    totals: dict[str, float] = defaultdict(float)
    for task_run in asyncio.run(read()):
        totals[task_run.task_key.split("-")[0]] += task_run.total_run_time.total_seconds()
    return dict(totals)


class _Server:
    def __init__(self, folder: Path) -> None:
        handler = partial(_QuietHandler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def shutdown(self) -> None:
        self.httpd.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _serve(folder: Path) -> _Server:
    return _Server(folder)


def _fetch(server: _Server, batch: list) -> tuple[list, list]:
    from flows.http.fetch import FetchConfig, FetchRequest, Politeness, fetch_all
    from flows.sources.files import RawPage

    config = FetchConfig(
        politeness=Politeness(concurrency=16, delay=0.0), respect_robots=False, allow_private_addresses=True,
    )
    requests = [FetchRequest(url=server.base + f.path.name, input_source="bench") for f in batch]
    results = fetch_all(requests, config=config)
    pages = [r for r in results if isinstance(r, RawPage)]
    return pages, [r for r in results if not isinstance(r, RawPage)]


def _child(mode: str, folder: Path, db: Path, workers: int, batch_size: int) -> None:
    if mode == "prefect":
        result = _prefect(folder, db, workers=workers, batch_size=batch_size)
    else:
        n = {"inproc": 0, "pool-1": 1, "pool-2": 2, "parse-1": 1, "parse-2": 2}.get(mode, workers)
        result = _plain(folder, db, workers=n, batch_size=batch_size, http=mode == "http",
                        load=not mode.startswith("parse-"))
    from flows.pool.sandbox import peak_rss_mb

    result["peak_rss_mb"] = peak_rss_mb()
    result.setdefault("peak_worker_rss_mb", 0.0)
    print("RESULT " + json.dumps(result), flush=True)


# ----------------------------------------------------------------------------- driver


def run_mode(mode: str, folder: Path, workdir: Path, *, workers: int, batch_size: int) -> dict:
    db = workdir / f"{mode}.duckdb"
    db.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(folder), str(db), str(workers), str(batch_size)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )
    line = next((line for line in out.stdout.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"{mode} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
    return json.loads(line[len("RESULT "):])


def render(n: int, results: dict[str, dict], *, repeat: int = 1, runs: dict[str, list[dict]] | None = None) -> str:
    stages = ["discover", "read", "fetch", "parse", "entities", "load"]
    lines = [
        f"N = {n} pages, {os.cpu_count()} cores" + (f", median of {repeat} runs per mode" if repeat > 1 else ""),
        "",
        "| mode | pages/s | seconds | " + " | ".join(f"{s} s (p/s)" for s in stages) + " | peak RSS MB (worker) |",
        "|---" * (len(stages) + 4) + "|",
    ]
    for mode, r in results.items():
        cells = []
        for s in stages:
            t = r["stages"].get(s)
            cells.append("" if t is None else f"{t:.1f} ({r['pages'] / t:.0f})" if t > 0 else "0.0")
        lines.append(
            f"| {mode} | {r['pages'] / r['seconds']:.1f} | {r['seconds']:.1f} | " + " | ".join(cells)
            + f" | {r['peak_rss_mb']:.0f} ({r['peak_worker_rss_mb']:.0f}) |"
        )
    lines.append("")
    if "pool-1" in results and "pool-2" in results:
        def work(mode: str) -> float:
            return results[mode]["stages"]["parse"] + results[mode]["stages"]["entities"]

        lines.append(f"parse+entities speed-up, 2 workers over 1: {work('pool-1') / work('pool-2'):.2f}x")
    if "parse-1" in results and "parse-2" in results:
        alone = results["parse-1"]["seconds"] / results["parse-2"]["seconds"]
        lines.append(f"parse stage alone (read, parse, entities; nothing loaded), 2 workers over 1: {alone:.2f}x")
    if "prefect" in results and "pool-2" in results:
        prefect, plain = results["prefect"]["seconds"], results["pool-2"]["seconds"]
        lines.append(f"orchestration overhead (prefect vs pool-2): {100 * (prefect - plain) / plain:+.1f}%")
        if runs and len(runs.get("prefect", [])) > 1 and len(runs["prefect"]) == len(runs.get("pool-2", [])):
            # Each round's two runs shared the machine's state of the moment: their ratio, round by round.
            paired = [
                100 * (a["seconds"] - b["seconds"]) / b["seconds"]
                for a, b in zip(runs["prefect"], runs["pool-2"], strict=True)
            ]
            lines.append(
                "orchestration overhead round by round: " + ", ".join(f"{p:+.1f}%" for p in paired)
                + f" (median {sorted(paired)[(len(paired) - 1) // 2]:+.1f}%)"
            )
        lines.append(f"prefect pages/s over plain pool-2 pages/s: {plain / prefect:.2f}x")
    if "prefect" in results and "inproc" in results:
        ratio = results["inproc"]["seconds"] / results["prefect"]["seconds"]
        lines.append(f"prefect pages/s over plain in-process pages/s: {ratio:.2f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if args and args[0] == "--child":
        mode, folder, db, workers, batch_size = args[1:6]
        _child(mode, Path(folder), Path(db), int(workers), int(batch_size))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every mode this many times, modes interleaved, and report each mode's median run")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args(args)
    modes = options.modes.split(",")
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        build_pages(options.n, workdir / "pages")
        print(f"built {options.n} pages in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        # Round after round of every mode: a busy spell on a shared machine slows all modes alike,
        # not the one that happened to run then.
        for _ in range(max(1, options.repeat)):
            for mode in modes:
                runs[mode].append(run_mode(mode, workdir / "pages", workdir, workers=options.workers,
                                           batch_size=options.batch_size))
                print(f"{mode}: {json.dumps(runs[mode][-1])}", file=sys.stderr)
    results = {mode: median_run(mode_runs) for mode, mode_runs in runs.items()}
    print(render(options.n, results, repeat=max(1, options.repeat), runs=runs))
    if options.json:
        options.json.write_text(json.dumps({"n": options.n, "results": results, "runs": runs}, indent=2))
    return 0


def median_run(runs: list[dict]) -> dict:
    """The run with the median time (the lower middle one of an even count), whole: its stages and memory too."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    return ordered[(len(ordered) - 1) // 2]


if __name__ == "__main__":
    raise SystemExit(main())
