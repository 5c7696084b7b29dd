"""The raw archive: compressed bodies, conditional-GET state, latest body per URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from warehouse.raw import (
    ArchivedPage,
    archive_pages,
    archived_pages,
    archived_uris,
    count_archived,
    validators,
)

MIGRATION = Path(__file__).resolve().parent.parent / "warehouse" / "migrations" / "010_raw_pages.sql"
T0 = datetime(2026, 11, 29, 10, tzinfo=UTC)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(MIGRATION.read_text())
    return connection


def page(uri: str, body: bytes, at: datetime, **headers: str) -> ArchivedPage:
    return ArchivedPage(uri=uri, content=body, input_source="s", fetched_at=at, content_type="text/html",
                        headers=headers, final_url=uri + "?final", status=200)  # fmt: skip


def test_bodies_are_stored_compressed_and_come_back_intact(con: duckdb.DuckDBPyConnection) -> None:
    body = "<p>Привет</p>".encode() * 1000
    assert archive_pages(con, [page("u1", body, T0, ETag='"a"')]) == 1
    stored, size = con.execute("SELECT octet_length(body), body_size FROM raw_pages").fetchone()  # type: ignore[misc]
    assert size == len(body) and stored < len(body) / 10
    [back] = archived_pages(con, ["u1"])
    assert back.content == body and back.headers == {"etag": '"a"'} and back.final_url == "u1?final"
    assert back.fetched_at == T0 and back.status == 200 and back.content_type == "text/html"


def test_same_body_refreshes_metadata_new_body_adds_a_row(con: duckdb.DuckDBPyConnection) -> None:
    archive_pages(con, [page("u1", b"v1", T0, ETag='"1"')])
    assert archive_pages(con, [page("u1", b"v1", T0 + timedelta(hours=1), ETag='"1b"')]) == 0
    assert (
        archive_pages(con, [page("u1", b"v2", T0 + timedelta(hours=2), ETag='"2"', **{"Last-Modified": "x"})])
        == 1
    )
    assert con.execute("SELECT count(*) FROM raw_pages").fetchone() == (2,)
    assert count_archived(con) == 1
    assert validators(con, ["u1", "nope"]) == {"u1": ('"2"', "x")}
    [latest] = archived_pages(con, ["u1"])
    assert latest.content == b"v2"


def test_since_selects_by_latest_fetch(con: duckdb.DuckDBPyConnection) -> None:
    archive_pages(con, [page("old", b"o", T0), page("new", b"n", T0 + timedelta(days=2))])
    assert archived_uris(con) == ["old", "new"]
    assert archived_uris(con, since=T0 + timedelta(days=1)) == ["new"]
    assert validators(con, ["old"]) == {}  # nothing to send back without ETag or Last-Modified
