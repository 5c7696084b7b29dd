"""Open the warehouse file: writers get the schema brought up to date, readers get a read-only handle.

Both wait (with backoff, up to ``lock_timeout`` seconds) while another process holds
the file, then raise ``WarehouseLocked`` naming it; see ``warehouse.locking``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.clusters import cluster_unassigned
from warehouse.entities import upgrade_entities
from warehouse.locking import open_with_retry
from warehouse.schema import apply_migrations
from warehouse.search import load_fts

__all__ = ["DEFAULT_DB_PATH", "connect", "connect_read_only"]

DEFAULT_DB_PATH = Path("data/news.duckdb")


def connect(path: str | Path = DEFAULT_DB_PATH, *, lock_timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = open_with_retry(lambda: duckdb.connect(str(path)), path, lock_timeout=lock_timeout)
    try:
        load_fts(con)  # stem(): migration 050's index and macros, and every batch's indexing
        apply_migrations(con)
        # Data steps of migrations 030/031 that need Python; one cheap query each once done.
        upgrade_entities(con)
        cluster_unassigned(con)
    except BaseException:
        con.close()
        raise
    return con


def connect_read_only(
    path: str | Path = DEFAULT_DB_PATH, *, lock_timeout: float | None = None
) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `newsingest run` first")
    return open_with_retry(lambda: duckdb.connect(str(path), read_only=True), path, lock_timeout=lock_timeout)
