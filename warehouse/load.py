"""Load one batch of parsed pages into the warehouse, in one transaction, idempotently.

Each page ends in exactly one place:
- ``articles`` (new, replaced when its cleaned text changed, updated in place when only its
  metadata did), with its ``mentions``;
- ``duplicates`` when the same cleaned text is already loaded under another URL;
- ``rejects`` when it could not become an article;
- or nowhere new when the same URL with the same text is already loaded (``unchanged``).
Re-running the same inputs therefore adds no rows.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from warehouse.clusters import assign_clusters
from warehouse.entities import entity_id_for, store_mentions
from warehouse.raw import ArchivedPage, archive_pages
from warehouse.records import ArticleRecord, Reject
from warehouse.search import index_articles

__all__ = ["BatchResult", "article_id_for", "content_hash", "entity_id_for", "load_batch"]


@dataclass(frozen=True)
class BatchResult:
    loaded: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejects: int = 0
    over_budget: int = 0  # batches that needed more than the connection's DuckDB memory budget

    def __add__(self, other: BatchResult) -> BatchResult:
        return BatchResult(
            self.loaded + other.loaded,
            self.unchanged + other.unchanged,
            self.duplicates + other.duplicates,
            self.rejects + other.rejects,
            self.over_budget + other.over_budget,
        )


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def article_id_for(record: ArticleRecord) -> str:
    return _digest(record.article.canonical_url or record.uri)


def content_hash(record: ArticleRecord) -> str:
    return _digest(record.article.title or "", record.article.body)


def load_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    articles: Sequence[ArticleRecord],
    rejects: Sequence[Reject] = (),
    before_commit: Callable[[], None] | None = None,
    raw_pages: Sequence[ArchivedPage] = (),
) -> BatchResult:
    """Write one batch; all of it or none of it lands, with its fetched bodies (``raw_pages``) archived.

    ``before_commit`` runs inside the transaction, after every row is written (the
    fault tests stop a run there to kill it with the transaction open). A batch that
    runs out of the connection's memory budget (``connect(memory_limit_mb=...)``) is
    rolled back and loaded again with DuckDB's default limit, and counted ``over_budget``:
    the budget keeps memory flat, it is not worth a lost batch.
    """
    try:
        return _load_batch(con, run_id, articles, rejects, raw_pages, before_commit)
    except duckdb.OutOfMemoryException:
        budget = _memory_limit(con)
        con.execute("RESET memory_limit")  # names DuckDB's default, but (1.5) leaves the buffer pool's limit
        default = _memory_limit(con)
        if default == budget:  # no budget was set: DuckDB is out of memory indeed
            raise
        con.execute("SET memory_limit = ?", [default])
    result = _load_batch(con, run_id, articles, rejects, raw_pages, before_commit)
    with contextlib.suppress(duckdb.OutOfMemoryException):  # the batch is in: the budget back, if it fits now
        con.execute("SET memory_limit = ?", [budget])
    return result + BatchResult(over_budget=1)


def _memory_limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]  # type: ignore[index]


def _load_batch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    articles: Sequence[ArticleRecord],
    rejects: Sequence[Reject],
    raw_pages: Sequence[ArchivedPage],
    before_commit: Callable[[], None] | None,
) -> BatchResult:
    now = datetime.now(UTC)
    con.execute("BEGIN TRANSACTION")
    try:
        archive_pages(con, raw_pages)
        result = _load_articles(con, run_id, articles, now)
        _load_rejects(con, run_id, rejects, now)
        if before_commit is not None:
            before_commit()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result + BatchResult(rejects=len(rejects))


def _load_articles(
    con: duckdb.DuckDBPyConnection, run_id: str, records: Sequence[ArticleRecord], now: datetime
) -> BatchResult:
    loaded = unchanged = duplicates = 0
    seen_in_batch: dict[str, str] = {}  # content hash -> article id, for duplicates inside one batch
    new_articles: dict[str, ArticleRecord] = {}  # article id -> record, in load order
    # Stored articles whose entities need their figures recomputed: replaced ones lose their mentions,
    # restamped ones (a new date) move their entities' first and last seen. Looked up once per batch:
    # mentions have no index (migration 070), so each lookup is a scan.
    replaced: set[str] = set()
    restamped: set[str] = set()
    for record in records:
        article_id, digest = article_id_for(record), content_hash(record)
        stored = con.execute(_SELECT_STORED, [article_id]).fetchone()
        if stored is not None and stored[0] == digest:
            metadata = _metadata_values(record)
            if list(stored[1:]) == metadata:
                con.execute("UPDATE articles SET last_run_id = ? WHERE article_id = ?", [run_id, article_id])
                unchanged += 1
            else:  # same text, new metadata (a byline or date fixed, a parser that reads more): update in place
                con.execute(_UPDATE_METADATA, [*metadata, run_id, now, article_id])
                # A new date moves its entities' first and last seen.
                if article_id in new_articles:  # loaded earlier in this batch: its mentions are not stored yet
                    new_articles[article_id] = record
                else:
                    restamped.add(article_id)
                loaded += 1
            continue
        original = seen_in_batch.get(digest) or _article_with_content(con, digest, exclude=article_id)
        if original is not None:
            _record_duplicate(con, run_id, record, original)
            duplicates += 1
            continue
        if stored is not None:  # the page changed since we loaded it: replace it and its mentions
            replaced.add(article_id)
            con.execute("DELETE FROM articles WHERE article_id = ?", [article_id])
        _insert_article(con, run_id, record, article_id, digest, now)
        if new_articles.pop(article_id, None) is not None:  # two versions of one page in a batch: the later wins
            seen_in_batch = {known: aid for known, aid in seen_in_batch.items() if aid != article_id}
        new_articles[article_id] = record
        seen_in_batch[digest] = article_id
        loaded += 1
    stale_entities = _entities_of(con, replaced | restamped)
    if replaced:
        con.execute("DELETE FROM mentions WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [sorted(replaced)])
    # Warehouse-wide steps over the batch's new articles: search index, story clusters, canonical entities.
    index_articles(con, [(aid, r.article.title, r.article.body) for aid, r in new_articles.items()])
    assign_clusters(con, [(aid, r.article.title, r.article.body) for aid, r in new_articles.items()])
    store_mentions(
        con, [(aid, r.article.body, r.mentions) for aid, r in new_articles.items()], stale_entities=stale_entities,
        seen_at={aid: _seen_at(r, now) for aid, r in new_articles.items()},
    )  # fmt: skip
    return BatchResult(loaded=loaded, unchanged=unchanged, duplicates=duplicates)


# The articles table as the loader writes it, declared once; the statements and the row values are
# built from these names, so no positional list has to stay in step with a column list by hand.
# Metadata can change while the text stays the same: an update in place writes those columns, and
# comparing them with the stored ones decides "unchanged".
ARTICLE_METADATA_COLUMNS = (
    "canonical_url", "authors", "published_at", "published_tz", "published_utc", "modified_at",
    "language", "site_name", "source", "section",
)  # fmt: skip
ARTICLE_COLUMNS = (
    "article_id", "url", "content_hash", "title", "body", *ARTICLE_METADATA_COLUMNS,
    "input_source", "input_format", "first_run_id", "last_run_id", "loaded_at",
)  # fmt: skip
# Statements built once from the column names above; every value is a bound parameter.
_SELECT_STORED = "SELECT content_hash, " + ", ".join(ARTICLE_METADATA_COLUMNS) + " FROM articles WHERE article_id = ?"
_UPDATE_METADATA = (
    "UPDATE articles SET " + ", ".join(column + " = ?" for column in ARTICLE_METADATA_COLUMNS)
    + ", last_run_id = ?, loaded_at = ? WHERE article_id = ?"
)
_INSERT_ARTICLE = (
    "INSERT INTO articles (" + ", ".join(ARTICLE_COLUMNS) + ") VALUES (" + ", ".join("?" * len(ARTICLE_COLUMNS)) + ")"
)


def _metadata(record: ArticleRecord) -> dict[str, object]:
    """The record's metadata columns by name."""
    article = record.article
    published_local, published_tz, published_utc = _split_time(article.published_at, article.published_tz_known)
    modified_local, _, _ = _split_time(article.modified_at, article.modified_at is not None)
    row: dict[str, object] = {
        "canonical_url": article.canonical_url, "authors": list(article.authors), "published_at": published_local,
        "published_tz": published_tz, "published_utc": published_utc, "modified_at": modified_local,
        "language": article.language, "site_name": article.site_name, "source": article.source,
        "section": article.section,
    }  # fmt: skip
    return row


def _metadata_values(record: ArticleRecord) -> list[object]:
    row = _metadata(record)
    return [row[column] for column in ARTICLE_METADATA_COLUMNS]


def _article_values(record: ArticleRecord, *, article_id: str, digest: str, run_id: str, now: datetime) -> list[object]:
    """Every column of the record's ``articles`` row, in ``ARTICLE_COLUMNS`` order."""
    article = record.article
    row: dict[str, object] = {
        "article_id": article_id, "url": article.url or record.uri, "content_hash": digest, "title": article.title,
        "body": article.body, **_metadata(record), "input_source": record.input_source,
        "input_format": article.input_format, "first_run_id": run_id, "last_run_id": run_id, "loaded_at": now,
    }  # fmt: skip
    return [row[column] for column in ARTICLE_COLUMNS]


def _entities_of(con: duckdb.DuckDBPyConnection, article_ids: set[str]) -> set[str]:
    if not article_ids:
        return set()
    rows = con.execute(
        "SELECT DISTINCT entity_id FROM mentions WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(article_ids)],
    ).fetchall()
    return {row[0] for row in rows}


def _article_with_content(con: duckdb.DuckDBPyConnection, digest: str, *, exclude: str) -> str | None:
    row = con.execute(
        "SELECT article_id FROM articles WHERE content_hash = ? AND article_id <> ? LIMIT 1", [digest, exclude]
    ).fetchone()
    return row[0] if row else None


def _record_duplicate(con: duckdb.DuckDBPyConnection, run_id: str, record: ArticleRecord, original: str) -> None:
    con.execute(
        "INSERT INTO duplicates (uri, duplicate_of, input_source, first_run_id, last_run_id)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (uri) DO UPDATE SET duplicate_of = excluded.duplicate_of, last_run_id = excluded.last_run_id",
        [record.uri, original, record.input_source, run_id, run_id],
    )


def _insert_article(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    record: ArticleRecord,
    article_id: str,
    digest: str,
    now: datetime,
) -> None:
    con.execute(_INSERT_ARTICLE, _article_values(record, article_id=article_id, digest=digest, run_id=run_id, now=now))


def _load_rejects(con: duckdb.DuckDBPyConnection, run_id: str, rejects: Sequence[Reject], now: datetime) -> None:
    if not rejects:
        return
    con.executemany(  # rejects are few: row-by-row binding is fine here
        "INSERT INTO rejects (uri, input_source, stage, reason, detail, first_run_id, last_run_id, rejected_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (uri, stage, reason) DO UPDATE SET detail = excluded.detail,"
        " last_run_id = excluded.last_run_id, rejected_at = excluded.rejected_at",
        [[r.uri, r.input_source, r.stage, r.reason, r.detail[:2000], run_id, run_id, now] for r in rejects],
    )
    con.executemany(  # the per-run history behind the rejects_by_run view
        "INSERT INTO reject_events (run_id, uri, stage, reason, rejected_at) VALUES (?, ?, ?, ?, ?)",
        [[run_id, r.uri, r.stage, r.reason, now] for r in rejects],
    )


def _seen_at(record: ArticleRecord, loaded_at: datetime) -> datetime:
    """The article's time for its entities' first and last seen, naive: the UTC instant of its publication
    where the zone is known, else the wall-clock time printed, else its load time in UTC (entities._SEEN_AT)."""
    published_local, _, published_utc = _split_time(record.article.published_at, record.article.published_tz_known)
    if published_utc is not None:
        return published_utc.replace(tzinfo=None)
    return published_local if published_local is not None else loaded_at.astimezone(UTC).replace(tzinfo=None)


def _split_time(value: datetime | None, zone_known: bool) -> tuple[datetime | None, str | None, datetime | None]:
    """(wall-clock time as printed, UTC offset text or None, UTC instant or None)."""
    if value is None:
        return None, None, None
    if value.tzinfo is None or not zone_known:
        return value.replace(tzinfo=None), None, None
    offset = value.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return value.replace(tzinfo=None), f"{sign}{minutes // 60:02d}:{minutes % 60:02d}", value.astimezone(UTC)
