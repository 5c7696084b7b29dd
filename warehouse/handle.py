"""A run's one handle on the warehouse file: migrated once, opened in short write windows.

DuckDB lets one process hold a file for writing and refuses every other open, so a run does
not keep the file open between its writes: other runs and ``newsingest sql`` take their turns
in between (``warehouse.writelock``, ``warehouse.locking``). What the handle keeps for the run
is the rest: the schema is brought up to date (migrations, entity upgrades, cluster
assignment) on the first open only, and every open, wait and close is written here once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.connection import connect
from warehouse.writelock import write_window

__all__ = ["Warehouse"]


class Warehouse:
    """``with warehouse.connection() as con`` in the writer's turn; ``transaction()`` for a batch."""

    def __init__(self, path: str | Path, *, logger: logging.Logger | logging.LoggerAdapter | None = None) -> None:
        self.path = str(path)
        self._logger = logger
        self._migrated = False  # a race between two threads of the run only costs a second check

    @contextmanager
    def connection(
        self, *, memory_limit_mb: int | None = None, logger: logging.Logger | logging.LoggerAdapter | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writer's connection, held only for the ``with`` block (even a read takes the writer's turn)."""
        with write_window(self.path, logger=logger or self._logger):
            con = connect(self.path, memory_limit_mb=memory_limit_mb, migrate=not self._migrated)
            self._migrated = True
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def transaction(
        self, *, memory_limit_mb: int | None = None, logger: logging.Logger | logging.LoggerAdapter | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """``connection()`` with the block in one transaction: committed at its end, rolled back on an error."""
        with self.connection(memory_limit_mb=memory_limit_mb, logger=logger) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def __repr__(self) -> str:  # names it in Prefect's task-run parameters
        return f"Warehouse({self.path!r})"
