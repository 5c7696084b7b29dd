"""Ctrl-C and SIGTERM stop a real `newsingest reparse` as they stop a run: fast, truthfully recorded.

The raw archive is filled once by fetching pages from a loopback site; each test copies the
warehouse, drops its articles (as a parser change would have them rebuilt) and reparses it in a
real process held at ``load:3`` (two batches committed, the third prepared), then signals it.
The reparse must end within 10 s with the shell's exit code and one console line, be
``interrupted`` in ``runs`` with exactly what it loaded and *Cancelled* in Prefect; a second
reparse must finish the work.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from flows.ingest import ingest
from tests.proc_helpers import (
    article_rows,
    flow_run_state,
    kill_group,
    newsingest,
    prefect_env,
    spawn_newsingest,
    synthetic_pages,
    table_rows,
    wait_for_file,
)
from tests.web_server import Reply, Site, serve

pytestmark = pytest.mark.slow

PAGES, BATCH = 8, 2
COMMITTED = 2 * BATCH  # held at load:3: batches 1 and 2 committed
KEPT = ("articles", "mentions", "entities")  # what a reparse rebuilds


@pytest.fixture(scope="module")
def archived(prefect_server, tmp_path_factory) -> tuple[Path, dict[str, list[tuple]]]:
    """A warehouse whose raw archive holds ``PAGES`` fetched pages, and the articles they made."""
    folder = synthetic_pages(tmp_path_factory.mktemp("pages"), PAGES)
    site = Site({f"/news/{page.stem}": Reply.html(page.read_text()) for page in sorted(folder.iterdir())})
    db = tmp_path_factory.mktemp("archived") / "news.duckdb"
    with serve(site):
        listing = folder.parent / "urls.txt"
        listing.write_text("".join(site.url(f"/news/{page.stem}") + "\n" for page in sorted(folder.iterdir())))
        ingest(db_path=str(db), url_files=[str(listing)], batch_size=BATCH, workers=1,
               allow_private_addresses=True, fetch_options={"delay": 0.0})  # fmt: skip
    assert table_rows(db, "SELECT count(*) FROM raw_pages") == [(PAGES,)]
    rows = article_rows(db)
    assert len(rows["articles"]) == PAGES
    return db, {table: rows[table] for table in KEPT}


def _without_articles(archived_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "news.duckdb"
    db.write_bytes(archived_db.read_bytes())
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM mentions; DELETE FROM articles; DELETE FROM entities")
    return db


def _reparse_runs(db: Path) -> list[tuple]:
    query = "SELECT run_id, status, articles_loaded, error FROM runs WHERE flow_run_name LIKE 'reparse-%'"
    return table_rows(db, query)


@pytest.mark.parametrize(
    ("stop", "group"), [(signal.SIGINT, True), (signal.SIGTERM, False)], ids=["sigint-group", "sigterm-main-pid"]
)
def test_a_signalled_reparse_stops_fast_records_the_truth_and_the_next_one_finishes(
    archived, tmp_path, stop, group
):
    archived_db, reference = archived
    db = _without_articles(archived_db, tmp_path)
    marker = tmp_path / "held"
    env = prefect_env(NEWSINGEST_WORKERS="1", NEWSINGEST_PAUSE_AT="load:3", NEWSINGEST_PAUSE_FILE=str(marker))
    run = spawn_newsingest("reparse", "--db", str(db), "--batch-size", str(BATCH), env=env)
    wait_for_file(marker, run, timeout=240)
    sent = time.monotonic()
    if group:
        os.killpg(run.pid, stop)
    else:
        run.send_signal(stop)
    try:
        out, err = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        kill_group(run)
        raise AssertionError(f"{stop.name} did not end the reparse within 60 s") from None
    seconds = time.monotonic() - sent
    assert run.returncode == 128 + stop, out + err
    assert seconds < 10, f"took {seconds:.1f}s to stop"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"newsingest: reparse interrupted by {stop.name}"), err
    assert f"{COMMITTED} loaded" in lines[0] and "Traceback" not in out + err

    [(run_id, status, loaded, error)] = _reparse_runs(db)
    assert (status, loaded, error) == ("interrupted", COMMITTED, f"interrupted by {stop.name}")
    rows = article_rows(db)
    assert len(rows["articles"]) == COMMITTED and set(rows["articles"]) <= set(reference["articles"])
    assert flow_run_state(run_id).is_cancelled()

    again = newsingest("reparse", "--db", str(db), "--batch-size", str(BATCH), env=prefect_env(NEWSINGEST_WORKERS="1"))
    assert again.returncode == 0, again.stderr
    rows = article_rows(db)
    assert {table: rows[table] for table in KEPT} == reference
    assert sorted(status for _, status, _, _ in _reparse_runs(db)) == ["completed", "interrupted"]
