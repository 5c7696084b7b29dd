"""Open the warehouse file: writers get the schema brought up to date, readers get a read-only handle.

Both wait (with backoff, up to ``lock_timeout`` seconds) while another process holds
the file, then raise ``WarehouseLocked`` naming it; see ``warehouse.locking``.

A writer that loads batches gives DuckDB a small memory budget (``batch_memory_limit_mb``).
DuckDB keeps the table and index pages a transaction touched, and the checkpoint that
closes a connection adds its own, up to 80% of RAM by default: a batch loaded into a big
warehouse then took more memory than one loaded into a small one (+189 MB against +59 MB
for 50 articles, at 8,241 articles against none; +108 MB with a 64 MB budget). With the
budget, DuckDB evicts those pages and spills what it can to a temporary folder beside the
file; a batch that still needs more is loaded again without it (``load_batch``), and the
run's later batches get twice as much (``LoadBudget``).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.clusters import cluster_unassigned
from warehouse.entities import upgrade_entities
from warehouse.load import BatchResult
from warehouse.locking import open_with_retry
from warehouse.schema import apply_migrations
from warehouse.search import SearchError, load_fts

__all__ = [
    "DEFAULT_DB_PATH", "LoadBudget", "batch_memory_limit_mb", "connect", "connect_query_only", "connect_read_only",
]

DEFAULT_DB_PATH = Path("data/news.duckdb")
BATCH_MEMORY_ENV = "NEWSINGEST_LOAD_MEMORY_MB"
DEFAULT_BATCH_MEMORY_MB = 64  # enough for every batch of the 10,000-page benchmark; LoadBudget doubles it after


def batch_memory_limit_mb() -> int | None:
    """DuckDB's memory budget while a batch loads: ``$NEWSINGEST_LOAD_MEMORY_MB`` or 64; 0 means DuckDB's default."""
    value = os.environ.get(BATCH_MEMORY_ENV, "").strip()
    try:
        megabytes = int(value) if value else DEFAULT_BATCH_MEMORY_MB
    except ValueError as exc:
        raise ValueError(f"{BATCH_MEMORY_ENV} must be a whole number of megabytes, not {value!r}") from exc
    return megabytes if megabytes > 0 else None


@dataclass
class LoadBudget:
    """A run's DuckDB memory budget for its batch loads, which doubles after a batch that needed more.

    What a batch needs grows with the warehouse (DuckDB's indexes of the big tables). A batch over
    the budget is loaded again without it (``load_batch``); doubling means a warehouse that outgrew
    the starting budget costs a run one extra attempt per doubling, not one per batch.
    """

    megabytes: int | None  # None: DuckDB's default

    @classmethod
    def from_env(cls) -> LoadBudget:
        return cls(batch_memory_limit_mb())

    def after(self, result: BatchResult) -> None:
        if result.over_budget and self.megabytes is not None:
            self.megabytes *= 2


def connect(
    path: str | Path = DEFAULT_DB_PATH,
    *,
    lock_timeout: float | None = None,
    memory_limit_mb: int | None = None,
    migrate: bool = True,
) -> duckdb.DuckDBPyConnection:
    """A writer's connection with the schema up to date; ``memory_limit_mb`` (a batch's budget, on one
    DuckDB thread) applies after any migration, whose one-off backfill over the whole warehouse is not
    held to it. ``migrate=False`` skips the schema checks, for a run that made them on its first open
    (``warehouse.handle.Warehouse``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = open_with_retry(lambda: duckdb.connect(str(path)), path, lock_timeout=lock_timeout)
    try:
        # A long migration or batch would draw DuckDB's progress bar through the run's own output.
        con.execute("SET enable_progress_bar = false")
        load_fts(con)  # stem(): migration 050's index and macros, and every batch's indexing
        if migrate:
            apply_migrations(con)
            # Data steps of migrations 030/031 that need Python; one cheap query each once done.
            upgrade_entities(con)
            cluster_unassigned(con)
        if memory_limit_mb is not None:
            # Not below what a migration's backfill still holds: then this connection goes without it.
            with contextlib.suppress(duckdb.OutOfMemoryException):
                con.execute("SET memory_limit = ?", [f"{memory_limit_mb}MB"])
            # A batch is many small statements: a second DuckDB thread did not make one load faster
            # (0.63 s against 0.65 s for 50 articles), but held its own buffers (10 MB more at its peak).
            con.execute("SET threads = 1")
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


def connect_query_only(
    path: str | Path = DEFAULT_DB_PATH, *, lock_timeout: float | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only handle that reaches nothing but the warehouse: for SQL typed by a user (``newsingest sql``).

    Read-only stops writes to the file; DuckDB's ``enable_external_access = false`` stops the rest:
    ATTACH, COPY to or from files, EXPORT DATABASE, read_csv/glob/read_text on any path or URL,
    INSTALL and LOAD of extensions. The fts extension that ``search_articles()`` needs is loaded
    first (from the installed package, see ``warehouse.search``), and the configuration is then
    locked, so a statement cannot turn any of it back on.
    """
    con = connect_read_only(path, lock_timeout=lock_timeout)
    try:
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        with contextlib.suppress(SearchError):  # without it, every query but search_articles() still works
            load_fts(con)
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con
