"""Export articles, entities and mentions as Parquet, partitioned by publication date.

    DIR/articles/published_date=2016-12-21/data_0.parquet
    DIR/entities/published_date=.../        (the date of the first article naming the entity)
    DIR/mentions/published_date=.../        (the date of the article)

Hive-style folders any engine reads (DuckDB, Spark, pandas/pyarrow, Polars);
undated articles go to ``published_date=__HIVE_DEFAULT_PARTITION__``, which
readers take as NULL.

An export replaces what the previous export wrote there, and only that: the files it
writes are listed in ``DIR/.newsingest-export.json``, the new files are written under
fresh names first, and only the listed old ones are then deleted. A table folder that
holds a file no export listed (a user's own, or one of an older version's export) is
refused before anything is written (``ExportRefused``), so an export never deletes a
file it did not write.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

__all__ = ["EXPORTS", "MANIFEST", "ExportRefused", "export_parquet", "read_back_counts"]

MANIFEST = ".newsingest-export.json"


class ExportRefused(RuntimeError):
    """The folder holds files this exporter did not write; nothing was written or deleted."""

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
    manifest = root / MANIFEST
    ours = set(json.loads(manifest.read_text(encoding="utf-8"))["files"]) if manifest.is_file() else set()
    before = _files(root)
    foreign = sorted(before - ours)
    if foreign:
        raise ExportRefused(
            f"{root} already holds {len(foreign)} file(s) an export did not write there, e.g. {root / foreign[0]};"
            " export to an empty folder, or move them away"
        )
    written = {}
    for table, query in EXPORTS.items():
        target = (root / table).as_posix().replace("'", "''")
        # Fresh names beside the previous export's files, which are deleted only once all are written.
        con.execute(
            f"COPY ({query}) TO '{target}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (published_date),"
            " OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'data_{uuid}')"
        )
        written[table] = _count(con, f"SELECT count(*) FROM ({query})")
    now = _files(root)
    new = sorted(now - before)
    manifest.write_text(json.dumps({"files": new}, indent=1), encoding="utf-8")
    for old in sorted(before & ours):
        (root / old).unlink(missing_ok=True)
        _remove_empty_folders((root / old).parent, stop=root)
    return written


def _files(root: Path) -> set[str]:
    """The files under the table folders, relative to ``root`` (posix)."""
    return {
        path.relative_to(root).as_posix()
        for table in EXPORTS
        for path in (root / table).rglob("*")
        if not path.is_dir()
    }


def _remove_empty_folders(folder: Path, *, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


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
