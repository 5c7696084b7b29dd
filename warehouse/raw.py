"""The raw archive: fetched bodies kept compressed so ``reparse`` needs no network.

``archive_pages`` stores bodies (one row per distinct body of a URL), ``validators`` gives
the ``ETag``/``Last-Modified`` of each URL's latest body for conditional GETs, and
``archived_uris`` / ``archived_pages`` list and load the latest body of every URL
(optionally only those fetched since a date), batch by batch.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

__all__ = ["ArchivedPage", "archive_pages", "archived_pages", "archived_uris", "count_archived", "validators"]


@dataclass(frozen=True)
class ArchivedPage:
    """One archived body; the same fields as ``flows.sources.files.RawPage``."""

    uri: str
    content: bytes
    input_source: str  # stored in the ``source`` column
    fetched_at: datetime
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    final_url: str | None = None
    status: int | None = None


def archive_pages(con: duckdb.DuckDBPyConnection, pages: Iterable[ArchivedPage]) -> int:
    """Store each page's body; returns how many new bodies were added."""
    added = 0
    for page in pages:
        digest = hashlib.sha256(page.content).hexdigest()
        headers = {k.lower(): v for k, v in page.headers.items()}
        values = [
            page.final_url,
            page.input_source,
            page.fetched_at,
            page.status,
            page.content_type,
            json.dumps(headers, ensure_ascii=False, sort_keys=True),
            headers.get("etag"),
            headers.get("last-modified"),
        ]
        updated = con.execute(
            """
            UPDATE raw_pages
               SET final_url = ?, source = ?, fetched_at = ?, status = ?, content_type = ?, headers = ?,
                   etag = ?, last_modified = ?
             WHERE uri = ? AND body_sha256 = ?
            RETURNING 1
            """,
            [*values, page.uri, digest],
        ).fetchall()
        if updated:
            continue
        con.execute(
            """
            INSERT INTO raw_pages (final_url, source, fetched_at, status, content_type, headers, etag,
                                   last_modified, uri, body_sha256, body_size, body_codec, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'zlib', ?)
            """,
            [*values, page.uri, digest, len(page.content), zlib.compress(page.content, 6)],
        )
        added += 1
    return added


_LATEST = """
    SELECT * FROM raw_pages
    QUALIFY row_number() OVER (PARTITION BY uri ORDER BY fetched_at DESC, body_sha256) = 1
"""


def validators(
    con: duckdb.DuckDBPyConnection, uris: Iterable[str]
) -> dict[str, tuple[str | None, str | None]]:
    """``uri -> (etag, last_modified)`` of the latest archived body, for URIs that have either."""
    wanted = list(dict.fromkeys(uris))
    if not wanted:
        return {}
    rows = con.execute(
        f"""
        SELECT uri, etag, last_modified FROM ({_LATEST})
         WHERE uri IN (SELECT unnest(?::VARCHAR[])) AND (etag IS NOT NULL OR last_modified IS NOT NULL)
        """,
        [wanted],
    ).fetchall()
    return {uri: (etag, last_modified) for uri, etag, last_modified in rows}


def archived_uris(con: duckdb.DuckDBPyConnection, *, since: datetime | None = None) -> list[str]:
    """URIs whose latest body was fetched at or after ``since`` (all when None), oldest fetch first."""
    rows = con.execute(
        f"""
        SELECT uri FROM ({_LATEST})
         WHERE ?::TIMESTAMPTZ IS NULL OR fetched_at >= ?::TIMESTAMPTZ
         ORDER BY fetched_at, uri
        """,
        [since, since],
    ).fetchall()
    return [row[0] for row in rows]


def archived_pages(con: duckdb.DuckDBPyConnection, uris: Iterable[str]) -> list[ArchivedPage]:
    """The latest archived body of each URI (in the order given; unknown URIs are skipped)."""
    wanted = list(dict.fromkeys(uris))
    if not wanted:
        return []
    rows = con.execute(
        f"""
        SELECT uri, body, body_codec, source, fetched_at, content_type, headers, final_url, status
          FROM ({_LATEST}) WHERE uri IN (SELECT unnest(?::VARCHAR[]))
        """,
        [wanted],
    ).fetchall()
    found = {}
    for uri, body, codec, source, fetched_at, content_type, headers, final_url, status in rows:
        if codec != "zlib":
            raise ValueError(f"raw_pages: unknown body codec {codec!r} for {uri}")
        found[uri] = ArchivedPage(
            uri=uri,
            content=zlib.decompress(body),
            input_source=source,
            fetched_at=fetched_at,
            content_type=content_type,
            headers=json.loads(headers),
            final_url=final_url,
            status=status,
        )
    return [found[uri] for uri in wanted if uri in found]


def count_archived(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(DISTINCT uri) FROM raw_pages").fetchone()
    return int(row[0]) if row else 0
