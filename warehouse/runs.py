"""The ``runs`` table: one row per ingest run, opened at the start and closed at the end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from warehouse.load import BatchResult

__all__ = ["EntityCount", "finish_run", "start_run", "top_entities"]


@dataclass(frozen=True)
class EntityCount:
    name: str
    label: str
    mentions: int
    articles: int


def start_run(con: duckdb.DuckDBPyConnection, *, run_id: str, name: str | None, inputs: Sequence[str]) -> None:
    con.execute(
        "INSERT INTO runs (run_id, flow_run_name, started_at, status, inputs) VALUES (?, ?, ?, 'running', ?)"
        " ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL, error = NULL",
        [run_id, name, datetime.now(UTC), list(inputs)],
    )


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
