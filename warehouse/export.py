"""Export articles, entities and mentions as Parquet, partitioned by publication date.

    DIR/articles/published_date=2016-12-21/data_0.parquet
    DIR/entities/published_date=.../        (the date of the first article naming the entity)
    DIR/mentions/published_date=.../        (the date of the article)

Hive-style folders any engine reads (DuckDB, Spark, pandas/pyarrow, Polars);
undated articles go to ``published_date=__HIVE_DEFAULT_PARTITION__``, which
readers take as NULL. Each export replaces what the folder held for these tables.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

__all__ = ["EXPORTS", "export_parquet", "read_back_counts"]

# table -> the query whose rows are exported, with its partition column
EXPORTS: dict[str, str] = {
    "articles": "SELECT *, CAST(published_at AS DATE) AS published_date FROM articles",
    "entities": "SELECT *, CAST(first_seen AS DATE) AS published_date FROM entities",
    "mentions": (
        "SELECT m.*, CAST(a.published_at AS DATE) AS published_date"
        " FROM mentions m JOIN articles a USING (article_id)"
    ),
}


def export_parquet(con: duckdb.DuckDBPyConnection, directory: str | Path) -> dict[str, int]:
    """Write the three tables under ``directory``; returns rows written per table."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    written = {}
    for table, query in EXPORTS.items():
        target = (root / table).as_posix().replace("'", "''")
        con.execute(
            f"COPY ({query}) TO '{target}'"
            " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (published_date), OVERWRITE)"
        )
        written[table] = _count(con, f"SELECT count(*) FROM ({query})")
    return written


def read_back_counts(con: duckdb.DuckDBPyConnection, directory: str | Path) -> dict[str, int]:
    """Rows per table as read back from an export (what another engine would see)."""
    counts = {}
    for table in EXPORTS:
        pattern = (Path(directory) / table / "**" / "*.parquet").as_posix().replace("'", "''")
        counts[table] = _count(con, f"SELECT count(*) FROM read_parquet('{pattern}', hive_partitioning = true)")
    return counts


def _count(con: duckdb.DuckDBPyConnection, query: str) -> int:
    row = con.execute(query).fetchone()
    return int(row[0]) if row else 0
