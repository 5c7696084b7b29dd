"""Real processes for the fault, locking and scale-out tests: a `newsingest` run, a process holding the DB.

Runs talk to the session's test Prefect server (``prefect_server`` fixture) instead of
starting their own temporary server, which keeps each run to a few seconds.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import duckdb

from tests.conftest import ROOT

__all__ = [
    "article_rows",
    "flow_run_state",
    "hold_database",
    "kill_group",
    "newsingest",
    "prefect_env",
    "spawn_newsingest",
    "synthetic_pages",
    "table_rows",
    "wait_for_file",
]

# Seven named people, places and organisations per story, so every article has mentions.
_STORY = (
    "<!doctype html><html lang=en><head><title>{title}</title></head><body><nav>Home | World | Sport</nav>"
    "<article><h1>{title}</h1><p class=byline>By Jane Reporter</p>"
    "<p>President Joe Biden met German Chancellor Olaf Scholz in Berlin on {day} to discuss story {n}, "
    "officials at the White House said.</p>"
    "<p>The talks with NATO leaders in Brussels covered trade with China and aid to Ukraine, "
    "and Microsoft and the European Union were also named in item {n}.</p>"
    "<p>Angela Merkel, speaking in Paris, said the meeting number {n} was useful for Europe and for {day}.</p>"
    "</article><footer>Join our mailing list</footer></body></html>"
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def synthetic_pages(folder: Path, count: int) -> Path:
    """``count`` distinct small news pages (HTML, each with several entities) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        title = f"Leaders meet for talks, report {n:03d}"
        page = _STORY.format(title=title, n=n, day=_DAYS[n % 7])
        (folder / f"story-{n:03d}.html").write_text(page, encoding="utf-8")
    return folder


def prefect_env(**extra: str) -> dict[str, str]:
    """This process's environment for a child: the current Prefect API (the test server) and the repo on the path."""
    import prefect.settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSINGEST_"))}
    env["PYTHONPATH"] = str(ROOT)
    api = prefect.settings.PREFECT_API_URL.value()
    if api:
        env["PREFECT_API_URL"] = api
    env.update(extra)
    return env


def spawn_newsingest(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start `newsingest` in its own process group (so a kill takes its children too)."""
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env or prefect_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def newsingest(*args: str, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    process = spawn_newsingest(*args, env=env)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def kill_group(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate(timeout=30)


def wait_for_file(path: Path, process: subprocess.Popen[str], *, timeout: float = 150) -> str:
    """Wait until ``path`` exists (a run reached its pause point); fail early if the run ended instead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"run ended (exit {process.returncode}) before pausing:\n{out}\n{err}")
        time.sleep(0.05)
    kill_group(process)
    raise AssertionError(f"run did not reach its pause point within {timeout}s")


_HOLDER = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS _holder_probe (x INTEGER)")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def hold_database(path: Path, seconds: float) -> subprocess.Popen[str]:
    """A separate process that opens ``path`` for writing and keeps it for ``seconds``; returns once it holds it."""
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "holding"
    return process


def table_rows(db: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return sorted(con.execute(query).fetchall(), key=repr)


def article_rows(db: Path) -> dict[str, list[tuple]]:
    """What a run produced, without run ids and load times (which differ between equal runs)."""
    return {
        "articles": table_rows(db, "SELECT article_id, url, content_hash, title, body FROM articles"),
        "mentions": table_rows(db, "SELECT article_id, entity_id, start_char, end_char, surface FROM mentions"),
        "entities": table_rows(db, "SELECT entity_id, name, label FROM entities"),
        "rejects": table_rows(db, "SELECT uri, stage, reason FROM rejects"),
        "duplicates": table_rows(db, "SELECT uri, duplicate_of FROM duplicates"),
    }


def flow_run_state(run_id: str) -> Any:
    """The flow run's state as the test Prefect server has it."""
    from prefect.client.orchestration import get_client

    async def read() -> Any:
        async with get_client() as client:
            return (await client.read_flow_run(uuid.UUID(run_id))).state

    return asyncio.run(read())
