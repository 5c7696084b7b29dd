"""The ``runs`` table: one row per ingest run, opened at the start and closed at the end.

A run records which process runs it; a run whose process died (SIGKILL, OOM) is
marked ``failed`` by the next run's ``fail_dead_runs`` (see ``warehouse.liveness``).
A run stopped on request ends ``interrupted`` with what it loaded (``flows.run_end``),
and one ended from outside (crashed, cancelled) is closed by ``end_unfinished_run``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from warehouse.liveness import ProcessIdentity, current_process, is_alive
from warehouse.load import BatchResult

__all__ = [
    "DEFAULT_STALE_AFTER",
    "EntityCount",
    "end_unfinished_run",
    "fail_dead_runs",
    "finish_run",
    "heartbeat",
    "start_run",
    "top_entities",
]

# A run from another host that has not loaded a batch for this long is taken for dead.
DEFAULT_STALE_AFTER = timedelta(hours=6)


@dataclass(frozen=True)
class EntityCount:
    name: str
    label: str
    mentions: int
    articles: int


def start_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    name: str | None,
    inputs: Sequence[str],
    process: ProcessIdentity | None = None,
) -> None:
    me = process or current_process()
    now = datetime.now(UTC)
    con.execute(
        "INSERT INTO runs (run_id, flow_run_name, started_at, status, inputs, host, pid, process_token, heartbeat_at)"
        " VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?)"
        " ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL, error = NULL,"
        " host = excluded.host, pid = excluded.pid, process_token = excluded.process_token,"
        " heartbeat_at = excluded.heartbeat_at",
        [run_id, name, now, list(inputs), me.host, me.pid, me.token, now],
    )


def heartbeat(con: duckdb.DuckDBPyConnection, *, run_id: str) -> None:
    """The run is alive: called after each batch it loads."""
    con.execute("UPDATE runs SET heartbeat_at = ? WHERE run_id = ?", [datetime.now(UTC), run_id])


def fail_dead_runs(
    con: duckdb.DuckDBPyConnection,
    *,
    by_run_id: str | None = None,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
) -> list[str]:
    """Mark ``failed`` every ``running`` run whose process is gone; returns their ids.

    Their loaded batches stay (each was committed whole); the next run redoes the rest.
    """
    rows = con.execute(
        "SELECT run_id, host, pid, process_token, coalesce(heartbeat_at, started_at) FROM runs"
        " WHERE status = 'running' AND run_id IS DISTINCT FROM ?",
        [by_run_id],
    ).fetchall()
    now = datetime.now(UTC)
    dead: list[tuple[str, str]] = []
    for run_id, host, pid, token, last_seen in rows:
        alive = None if pid is None or host is None else is_alive(ProcessIdentity(host, pid, token))
        if alive is False:
            dead.append((run_id, f"process {pid} on {host} ended without finishing the run"))
        elif alive is None and now - last_seen > stale_after:
            dead.append((run_id, f"no batch loaded since {last_seen:%Y-%m-%d %H:%M:%S%z} (process {pid} on {host})"))
    for run_id, why in dead:
        note = f"{why}; marked failed by run {by_run_id}" if by_run_id else why
        con.execute(
            "UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE run_id = ? AND status = 'running'",
            [now, note, run_id],
        )
    return [run_id for run_id, _ in dead]


def finish_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    pages_seen: int,
    result: BatchResult,
    status: str = "completed",
    error: str | None = None,
) -> None:
    con.execute(
        "UPDATE runs SET finished_at = ?, status = ?, pages_seen = ?, articles_loaded = ?, unchanged = ?,"
        " duplicates = ?, rejects = ?, error = ? WHERE run_id = ?",
        [
            datetime.now(UTC), status, pages_seen, result.loaded, result.unchanged,
            result.duplicates, result.rejects, error, run_id,
        ],
    )


def end_unfinished_run(
    con: duckdb.DuckDBPyConnection, *, run_id: str, status: str, error: str, at: datetime | None = None
) -> bool:
    """Close a run that could not close itself (crashed or cancelled from outside); True if it was still open.

    Its counts stay as they are: what it loaded was committed batch by batch, and is in the tables.
    """
    row = con.execute(
        "UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE run_id = ? AND status = 'running'"
        " RETURNING run_id",
        [status, at or datetime.now(UTC), error, run_id],
    ).fetchone()
    return row is not None


def top_entities(con: duckdb.DuckDBPyConnection, *, run_id: str | None = None, limit: int = 10) -> list[EntityCount]:
    """Most mentioned entities, over the articles a run saw (or over everything)."""
    rows = con.execute(
        "SELECT e.name, e.label, count(*) AS mentions, count(DISTINCT m.article_id) AS articles"
        " FROM mentions m JOIN entities e USING (entity_id) JOIN articles a USING (article_id)"
        " WHERE ? IS NULL OR a.last_run_id = ?"
        " GROUP BY ALL ORDER BY mentions DESC, articles DESC, e.name LIMIT ?",
        [run_id, run_id, limit],
    ).fetchall()
    return [EntityCount(*row) for row in rows]
