"""Issue 4's acceptance tests: the ingest flow against a real news site on 127.0.0.1.

One module-scoped run does the expensive part (a feed and a sitemap index with every trap);
the tests then read the server's log and the warehouse. Timings are kept small: Retry-After
of 1 s, a 1.5 s total timeout for the slow drip, no politeness delay.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import duckdb
import psutil
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.ingest import ingest
from flows.reparse import reparse
from tests.web_server import Site, serve
from tests.web_site import ARTICLES, news_site, publish

pytestmark = pytest.mark.slow

# The drip takes 10 s, so 1.5 s still cuts it off, with room for a real page on a busy machine.
FETCH = {"delay": 0.0, "backoff": 0.05, "retries": 2, "total_timeout": 1.5, "read_timeout": 1.5,
         "connect_timeout": 1.0, "max_bytes": 2**20}  # fmt: skip
ARTICLE_PATHS = [a[0] for a in ARTICLES]


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def counts(db: Path) -> dict[str, int]:
    tables = ["articles", "mentions", "entities", "rejects", "duplicates", "raw_pages"]
    return {t: rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def articles(db: Path) -> set[tuple[str, str, str]]:
    return set(rows(db, "SELECT url, title, body FROM articles"))


@dataclass
class Crawl:
    site: Site
    db: Path
    first: dict[str, int]
    second: dict[str, int]
    log_first: int  # requests the server saw during the first run
    snapshot: set[tuple[str, str, str]]
    unchanged_second: int  # the second run's count of unchanged articles


@pytest.fixture(scope="module")
def crawl(prefect_server: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    db = tmp_path_factory.mktemp("web") / "news.duckdb"
    site = news_site(bombs=False)
    with serve(site):
        publish(site, bombs=False)
        options = {"feeds": [site.url("/feed.xml")], "sitemaps": [site.url("/sitemap_index.xml")]}
        ingest(db_path=str(db), batch_size=3, allow_private_addresses=True, fetch_options=FETCH, **options)
        first, log_first, snapshot = counts(db), len(site.log), articles(db)
        again = ingest(db_path=str(db), batch_size=3, allow_private_addresses=True, fetch_options=FETCH, **options)
        second = counts(db)
    yield Crawl(site, db, first, second, log_first, snapshot, again.result.unchanged)


def test_feed_and_sitemap_index_articles_are_loaded(crawl: Crawl) -> None:
    loaded = {url: (title, body) for url, title, body in crawl.snapshot}
    assert set(loaded) == {crawl.site.url(p) for p in ARTICLE_PATHS}
    for path, title, _charset, sentence in ARTICLES:
        got_title, body = loaded[crawl.site.url(path)]
        assert got_title == title  # Windows-1251 and the Latin-1 liar decoded correctly
        assert sentence.split(";")[0] in body
    assert crawl.first["raw_pages"] == len(ARTICLES)


def test_second_run_is_conditional_and_adds_no_rows(crawl: Crawl) -> None:
    assert crawl.second == crawl.first
    assert crawl.unchanged_second == len(ARTICLES)  # each a 304, counted as unchanged
    for path in ARTICLE_PATHS:
        last = crawl.site.seen(path)[-1]
        assert "if-none-match" in last.headers and "if-modified-since" in last.headers


def test_politeness_as_the_server_saw_it(crawl: Crawl) -> None:
    site = crawl.site
    assert 1 <= site.peak["127.0.0.1"] <= 2  # default per-host concurrency
    assert not [p for p in site.paths() if p.startswith("/private/")]  # robots.txt: Disallow: /private/
    assert len(site.seen("/robots.txt")) == 2  # once per host per run, whatever the batches
    first_429, retry = site.seen("/news/throttled")[:2]
    assert retry.at - first_429.at >= 1.0  # Retry-After: 1
    assert len(site.seen("/news/flaky")) >= 3  # two 503s, then the article (see the first test)


def test_traps_end_as_reject_rows(crawl: Crawl) -> None:
    found = {(uri.split(":", 2)[-1].split("/", 1)[-1], reason)
             for uri, reason in rows(crawl.db, "SELECT uri, reason FROM rejects")}  # fmt: skip
    assert found >= {
        ("private/secret", "robots_disallowed"),
        ("traps/big", "too_large"),
        ("traps/loop", "redirect_loop"),
        ("traps/drip", "timeout"),
        ("traps/report.pdf", "unsupported_content_type"),
    }


def test_private_address_spellings_send_nothing(prefect_server: None, tmp_path: Path) -> None:
    site = news_site(bombs=False)
    with serve(site):
        hosts = ["127.0.0.1", "localhost", "0x7f000001", "[::ffff:127.0.0.1]"]
        urls = [site.url("/news/bridge", host=h) for h in hosts] + ["http://169.254.169.254/latest/meta-data/"]
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(urls) + "\n")
        db = tmp_path / "news.duckdb"
        ingest(db_path=str(db), url_files=[str(listing)], fetch_options=FETCH)
    assert site.log == []
    rejected = rows(db, "SELECT uri, stage, reason FROM rejects ORDER BY uri")
    assert len(rejected) == 5 and {(s, r) for _, s, r in rejected} == {("fetch", "blocked_address")}
    assert rows(db, "SELECT count(*) FROM articles") == [(0,)]


def test_reparse_reproduces_articles_without_the_server(crawl: Crawl, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(crawl.db.read_bytes())
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM mentions; DELETE FROM articles; DELETE FROM entities")
    con.close()
    summary = reparse(db_path=str(db))  # the server is stopped: any fetch would fail
    assert summary.result.loaded == len(ARTICLES)
    assert articles(db) == crawl.snapshot


def _raw_response(site: Site, path: str) -> tuple[int, str, list[tuple[str, str]], bytes]:
    """The response as sent, asking again (up to 3 times) past the site's 429 and 503 traps."""
    for _ in range(3):
        connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = connection.getresponse()
            status, reason, headers, body = response.status, response.reason, response.getheaders(), response.read()
        finally:
            connection.close()
        if status not in (429, 503):
            break
    return status, reason, headers, body


def test_a_warc_of_the_same_responses_ingests_the_same_articles(crawl: Crawl, tmp_path: Path) -> None:
    site = news_site(bombs=False)
    warc = tmp_path / "capture.warc.gz"
    with serve(site), warc.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for path in [*ARTICLE_PATHS, "/missing", "/traps/report.pdf"]:
            status, reason, headers, body = _raw_response(site, path)
            http_headers = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
            uri = crawl.site.url(path)  # as the crawl named them, so article URLs compare
            writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(body),
                                                          http_headers=http_headers))  # fmt: skip
    db = tmp_path / "warc.duckdb"
    ingest(paths=[str(warc)], db_path=str(db))
    assert articles(db) == crawl.snapshot
    assert {r for (r,) in rows(db, "SELECT reason FROM rejects")} == {"http_404", "unsupported_content_type"}


class _PeakRSS:
    """Samples this process's resident memory in a thread; ``peak`` minus ``start`` is the run's growth."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __enter__(self) -> _PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.start


def test_gzip_bombs_are_rejects_and_memory_stays_bounded(crawl: Crawl, tmp_path: Path) -> None:
    """The crawl fixture has already imported everything and loaded the models."""
    def run(bombs: bool, db: Path) -> tuple[int, list[tuple[Any, ...]]]:
        site = news_site(bombs=bombs)
        with serve(site):
            paths = ["/news/bridge", "/news/harbour"] + (["/traps/bomb", "/traps/bomb2"] if bombs else [])
            listing = tmp_path / f"urls-{bombs}.txt"
            listing.write_text("\n".join(site.url(p) for p in paths))
            with _PeakRSS() as memory:
                ingest(db_path=str(db), url_files=[str(listing)], allow_private_addresses=True, fetch_options=FETCH)
        return memory.growth, rows(db, "SELECT uri, reason FROM rejects ORDER BY uri")

    baseline, _ = run(False, tmp_path / "clean.duckdb")
    growth, rejected = run(True, tmp_path / "bombs.duckdb")
    assert [reason for _, reason in rejected] == ["decompression_bomb", "stacked_content_encoding"]
    assert growth - baseline < 100 * 2**20, f"bombs run grew {growth / 2**20:.0f} MB vs {baseline / 2**20:.0f} MB"
