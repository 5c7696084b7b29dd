"""Ctrl-C in the middle of a web fetch: the run stops within seconds, and the next run misses nothing.

A real `newsingest run` fetches a URL list from a loopback site at the default politeness (one
request at a time to the host, 1 s apart), so a batch of 20 URLs takes 20 s. The test waits,
from the server's side, until some pages were requested, then sends Ctrl-C to the run's
process group. The run must end within 10 s, ``interrupted``, with nothing half-loaded: no
fetched body is archived unless its batch was loaded, so the pages answer the next run in
full (not with a 304 for an article that was never loaded), and the re-run's tables equal a
clean run's.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from flows.ingest import ingest
from tests.proc_helpers import (
    article_rows,
    flow_run_state,
    kill_group,
    prefect_env,
    spawn_newsingest,
    synthetic_pages,
    table_rows,
    wait_for_file,
)
from tests.web_server import Reply, Seen, Site, serve

pytestmark = pytest.mark.slow

PAGES = 20


class _Counted:
    """The site's article pages, answered conditionally (ETag), with a wait for the n-th request."""

    def __init__(self, folder: Path) -> None:
        self.requests = 0
        self.changed = threading.Condition()
        self.site = Site({f"/news/{page.stem}": self._page(page.read_bytes()) for page in sorted(folder.iterdir())})

    def _page(self, body: bytes) -> Callable[[Seen], Reply]:
        etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'

        def reply(seen: Seen) -> Reply:
            with self.changed:
                self.requests += 1
                self.changed.notify_all()
            if seen.headers.get("if-none-match") == etag:
                return Reply(304, headers={"ETag": etag})
            return Reply(body=body, headers={"Content-Type": "text/html; charset=utf-8", "ETag": etag})

        return reply

    def wait_for(self, count: int, run: subprocess.Popen[str], *, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.requests < count:
                if run.poll() is not None or time.monotonic() > deadline:
                    kill_group(run)
                    raise AssertionError(f"the run ended or stalled after {self.requests} request(s)")
                self.changed.wait(0.5)  # woken by each request; the bound only notices a dead run


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[_Counted, Path]]:
    counted = _Counted(synthetic_pages(tmp_path / "pages", PAGES))
    with serve(counted.site):
        listing = tmp_path / "urls.txt"
        listing.write_text("".join(counted.site.url(path) + "\n" for path in sorted(counted.site.routes)))
        yield counted, listing


def _interrupt(run: subprocess.Popen[str]) -> tuple[str, float]:
    """Ctrl-C to the run's group; the run's console (one line, or what it said instead) and seconds to exit."""
    sent = time.monotonic()
    os.killpg(run.pid, signal.SIGINT)
    try:
        _, err = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        kill_group(run)
        raise AssertionError("Ctrl-C did not end the run within 60 s") from None
    return err, time.monotonic() - sent


def _finish_and_compare(db: Path, listing: Path, tmp_path: Path) -> None:
    """The next run completes the work: its tables equal those of a clean run of the same URLs."""
    clean = tmp_path / "clean.duckdb"
    for target in (db, clean):
        ingest(db_path=str(target), url_files=[str(listing)], allow_private_addresses=True, workers=1,
               fetch_options={"delay": 0.0})  # fmt: skip
    assert article_rows(db) == article_rows(clean)
    assert len(article_rows(db)["articles"]) == PAGES
    assert sorted(status for (status,) in table_rows(db, "SELECT status FROM runs")) == ["completed", "interrupted"]


def test_ctrl_c_cuts_a_batch_of_one_slow_host_short(prefect_server, site, tmp_path) -> None:
    counted, listing = site
    db = tmp_path / "news.duckdb"
    run = spawn_newsingest("run", "--urls", str(listing), "--allow-private-addresses", "--db", str(db),
                           "--workers", "1")  # one batch of 20 URLs at 1 s each  # fmt: skip
    counted.wait_for(3, run)
    err, seconds = _interrupt(run)
    assert run.returncode == 130 and seconds < 10, (seconds, err)
    assert err.startswith("newsingest: run interrupted by SIGINT: 0 loaded") and len(err.splitlines()) == 1, err
    assert counted.requests < PAGES  # the batch was cut short, not fetched to its end
    [(run_id, status, loaded)] = table_rows(db, "SELECT run_id, status, articles_loaded FROM runs")
    assert (status, loaded) == ("interrupted", 0)
    assert table_rows(db, "SELECT count(*) FROM raw_pages") == [(0,)]  # nothing of the unloaded batch kept
    assert flow_run_state(run_id).is_cancelled()
    _finish_and_compare(db, listing, tmp_path)


def test_pages_fetched_ahead_of_an_unloaded_batch_are_fetched_in_full_again(prefect_server, site, tmp_path) -> None:
    """Batches of 2: held before loading the first, while the next ones are fetched; then Ctrl-C."""
    counted, listing = site
    db, marker = tmp_path / "news.duckdb", tmp_path / "held"
    env = prefect_env(NEWSINGEST_PAUSE_AT="load:1", NEWSINGEST_PAUSE_FILE=str(marker))
    run = spawn_newsingest("run", "--urls", str(listing), "--allow-private-addresses", "--db", str(db),
                           "--workers", "1", "--batch-size", "2", env=env)  # fmt: skip
    wait_for_file(marker, run, timeout=240)
    counted.wait_for(5, run)  # batch 2 fetched ahead, batch 3 in flight
    err, seconds = _interrupt(run)
    assert run.returncode == 130 and seconds < 10, (seconds, err)
    assert table_rows(db, "SELECT status, articles_loaded FROM runs") == [("interrupted", 0)]
    assert table_rows(db, "SELECT count(*) FROM raw_pages") == [(0,)]  # so no 304 hides an unloaded article
    _finish_and_compare(db, listing, tmp_path)
