"""Open the warehouse file: writers get the schema brought up to date, readers get a read-only handle."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.clusters import cluster_unassigned
from warehouse.entities import upgrade_entities
from warehouse.schema import apply_migrations

__all__ = ["DEFAULT_DB_PATH", "connect", "connect_read_only"]

DEFAULT_DB_PATH = Path("data/news.duckdb")


def connect(path: str | Path = DEFAULT_DB_PATH) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    apply_migrations(con)
    # Data steps of migrations 030/031 that need Python; one cheap query each once done.
    upgrade_entities(con)
    cluster_unassigned(con)
    return con


def connect_read_only(path: str | Path = DEFAULT_DB_PATH) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `newsingest run` first")
    return duckdb.connect(str(path), read_only=True)
