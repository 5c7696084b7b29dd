"""Full-text search over article titles and bodies: DuckDB's ``fts`` extension, BM25 ranking.

The extension comes from the pinned package ``duckdb-extension-fts`` and is
loaded from the file inside it by path: nothing is installed or downloaded at
run time. The index (schema ``fts_main_articles``: Porter stemming, English
stop words, accents and case folded) is a snapshot of ``articles``; the ingest
flow rebuilds it after each run that loaded something (``rebuild_index``).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import duckdb

__all__ = ["SearchError", "SearchHit", "fts_extension_path", "has_index", "load_fts", "rebuild_index", "search"]

_INDEX_SCHEMA = "fts_main_articles"


class SearchError(RuntimeError):
    """The extension or the index is missing."""


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    score: float
    title: str | None
    url: str
    site_name: str | None
    published_at: datetime | None
    cluster_id: str | None


@lru_cache(maxsize=1)
def fts_extension_path() -> Path:
    """``fts.duckdb_extension`` inside the installed ``duckdb-extension-fts`` package."""
    spec = importlib.util.find_spec("duckdb_extension_fts")
    if spec is None or not spec.submodule_search_locations:
        raise SearchError("the package duckdb-extension-fts is not installed")
    import duckdb as _duckdb

    wanted = f"v{_duckdb.__version__}"
    found = sorted(
        path
        for root in spec.submodule_search_locations
        for path in Path(root).rglob("fts.duckdb_extension")
    )
    if not found:
        raise SearchError("duckdb-extension-fts holds no fts.duckdb_extension file")
    # The extension must match DuckDB's version: prefer the folder named after it.
    return next((path for path in found if path.parent.name == wanted), found[-1])


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute(f"LOAD '{fts_extension_path()}'")
    except duckdb.Error as exc:
        raise SearchError(f"cannot load the fts extension: {exc}") from exc


def rebuild_index(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the BM25 index over ``articles.title`` and ``articles.body`` (needs a writable connection)."""
    load_fts(con)
    con.execute(
        "PRAGMA create_fts_index('articles', 'article_id', 'title', 'body',"
        " stemmer = 'porter', stopwords = 'english', strip_accents = 1, lower = 1, overwrite = 1)"
    )


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ?", [_INDEX_SCHEMA]).fetchone()
    return bool(row and row[0])


def search(con: duckdb.DuckDBPyConnection, query: str, *, limit: int = 10) -> list[SearchHit]:
    """Articles matching ``query``, best BM25 score first (title and body weigh the same)."""
    if not has_index(con):
        raise SearchError("the warehouse has no search index yet: run `newsingest run` first")
    load_fts(con)
    rows = con.execute(
        f"SELECT article_id, score, title, url, site_name, published_at, cluster_id FROM ("
        f" SELECT *, {_INDEX_SCHEMA}.match_bm25(article_id, ?) AS score FROM articles)"
        " WHERE score IS NOT NULL ORDER BY score DESC, article_id LIMIT ?",
        [query, limit],
    ).fetchall()
    return [SearchHit(*row) for row in rows]
