"""Full-text search over article titles and bodies: an incremental BM25 index in plain tables.

Migration 050 holds the index (``search_docs``: one row per article and its
length; ``search_terms``: one row per article and stemmed term with its count)
and the table macro ``search_articles(query)`` that scores it. ``load_batch``
indexes each batch's new and changed articles inside the batch's transaction
(``index_articles``), so the cost follows the batch, not the warehouse, and a
search sees every committed batch. N, df and the mean length are aggregates
read at query time.

The analyser is the fts extension's (``PRAGMA create_fts_index`` with Porter
stemming, English stop words, accents and case folded), and the score is its
``match_bm25``; the extension supplies ``stem()``. It comes from the pinned
package ``duckdb-extension-fts`` and is loaded from the file inside it by path:
nothing is installed or downloaded at run time.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import duckdb

__all__ = [
    "SearchError", "SearchHit", "fts_extension_path", "has_index", "index_articles", "load_fts", "search",
]


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


def index_articles(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """(Re)index these articles from their stored title and body; run inside the batch's transaction.

    Set-based: the words of every article of the batch are split, filtered and
    stemmed by one INSERT ... SELECT. Rows an article had before (its text
    changed) are deleted first, so it no longer matches its old words.
    """
    if not article_ids:
        return
    load_fts(con)
    ids = list(article_ids)
    # Only articles indexed before have rows to drop; looking them up in the small search_docs
    # table spares new articles (the usual case) a scan of search_terms.
    stale = [row[0] for row in con.execute(
        "SELECT article_id FROM search_docs WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()]
    if stale:
        con.execute("DELETE FROM search_terms WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [stale])
        con.execute("DELETE FROM search_docs WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [stale])
    con.execute(_INDEX_TERMS, [ids, ids])
    con.execute(_INDEX_DOCS, [ids])


# Migration 050's backfill, for the given articles only.
_INDEX_TERMS = """
INSERT INTO search_terms
WITH words AS (
    SELECT article_id, unnest(search_words(title)) AS word FROM articles
    WHERE article_id IN (SELECT unnest(?::VARCHAR[]))
    UNION ALL
    SELECT article_id, unnest(search_words(body)) AS word FROM articles
    WHERE article_id IN (SELECT unnest(?::VARCHAR[]))
)
SELECT article_id, stem(word, 'porter') AS term, count(*) AS tf
FROM words
WHERE len(word) > 0 AND word NOT IN (SELECT sw FROM search_stopwords)
GROUP BY ALL
"""
_INDEX_DOCS = """
INSERT INTO search_docs
SELECT a.article_id, coalesce(sum(t.tf), 0) AS length
FROM articles a LEFT JOIN search_terms t USING (article_id)
WHERE a.article_id IN (SELECT unnest(?::VARCHAR[]))
GROUP BY a.article_id
"""


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    """The warehouse has the search tables (migration 050)."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'search_docs'"
    ).fetchone()
    return bool(row and row[0])


def search(con: duckdb.DuckDBPyConnection, query: str, *, limit: int = 10) -> list[SearchHit]:
    """Articles matching ``query``, best BM25 score first (title and body count as one text)."""
    if not has_index(con):
        raise SearchError("the warehouse has no search index yet: run `newsingest run` to upgrade it")
    if not con.execute("SELECT count(*) FROM search_docs").fetchone()[0]:  # type: ignore[index]
        raise SearchError("the warehouse has no articles yet: run `newsingest run` first")
    load_fts(con)
    rows = con.execute(
        "SELECT a.article_id, s.score, a.title, a.url, a.site_name, a.published_at, a.cluster_id"
        " FROM search_articles(?) AS s JOIN articles AS a USING (article_id)"
        " ORDER BY s.score DESC, a.article_id LIMIT ?",
        [query, limit],
    ).fetchall()
    return [SearchHit(*row) for row in rows]
