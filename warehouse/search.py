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


def index_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[tuple[str, str | None, str]]) -> None:
    """(Re)index ``(article_id, title, body)`` as just stored; run inside the batch's transaction.

    Set-based and sized by the batch: the texts come as parameters (no scan of
    ``articles``), and one statement splits, filters and stems all their words.
    Rows an article had before (its text changed) are deleted first, so it no
    longer matches its old words.
    """
    latest = {article_id: (title, body) for article_id, title, body in articles}  # a URL twice: its last text
    if not latest:
        return
    load_fts(con)
    ids = list(latest)
    params = [ids, [title for title, _ in latest.values()], [body for _, body in latest.values()]]
    # Only articles indexed before have rows to drop: looking them up in search_docs (one row per
    # article) spares new articles, the usual case, a scan of search_terms.
    stale = [row[0] for row in con.execute(
        "SELECT article_id FROM search_docs WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()]
    if stale:
        con.execute("DELETE FROM search_terms WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [stale])
        con.execute("DELETE FROM search_docs WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [stale])
    # The batch's terms once into a scratch table (rolled back with the batch on error), then into
    # both index tables.
    con.execute(_BATCH_TERMS, params)
    con.execute("INSERT INTO search_terms SELECT article_id, term, tf FROM search_batch")
    con.execute(
        "INSERT INTO search_docs SELECT b.article_id, coalesce(sum(t.tf), 0)"
        " FROM (SELECT unnest(?::VARCHAR[]) AS article_id) b LEFT JOIN search_batch t USING (article_id)"
        " GROUP BY b.article_id",
        [ids],
    )
    con.execute("DROP TABLE search_batch")


# Migration 050's backfill, for the batch's texts only (given as parameters: no scan of articles).
_BATCH_TERMS = """
CREATE OR REPLACE TEMP TABLE search_batch AS
WITH batch AS (
    SELECT unnest(?::VARCHAR[]) AS article_id, unnest(?::VARCHAR[]) AS title, unnest(?::VARCHAR[]) AS body
),
words AS (
    SELECT article_id, unnest(search_words(title)) AS word FROM batch
    UNION ALL
    SELECT article_id, unnest(search_words(body)) AS word FROM batch
)
SELECT article_id, stem(word, 'porter') AS term, CAST(count(*) AS INTEGER) AS tf
FROM words
WHERE len(word) > 0 AND word NOT IN (SELECT sw FROM search_stopwords)
GROUP BY ALL
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
