"""Politeness lasts a run (issue 15): one fetcher state per run, whatever the batch size.

Judged from the server's side, by the times it saw each request arrive: every gap between
request starts to the host is at least the delay, and a 429's ``Retry-After`` holds the
host across the batches that follow. No sleeping in the tests: they wait for the fetches
to finish and then read the server's log.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.http.fetch import FetchConfig, FetchRequest, FetchSession, Politeness
from flows.sources.files import RawPage, Reject
from tests.web_server import Reply, Seen, Site, serve
from tests.web_site import ARTICLES, article_html, feed_xml, news_site

PAGE = article_html("A page", "Plain words for a plain page about nothing in particular.", "utf-8")


def _gaps(log: list[Seen]) -> list[float]:
    starts = sorted(seen.at for seen in log)
    return [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]


def _once(first: Reply, then: Reply) -> object:
    replies = [first]
    return lambda seen: replies.pop() if replies else then


def test_a_session_keeps_the_spacing_and_the_hold_across_batches() -> None:
    """In process: batches of two through one session, as a run fetches them."""
    site = Site({f"/p{i}": Reply.html(PAGE) for i in range(6)})
    site.routes["/p1"] = _once(Reply(429, headers={"Retry-After": "1"}), Reply.html(PAGE))  # type: ignore[assignment]
    config = FetchConfig(politeness=Politeness(concurrency=2, delay=0.3), retries=0, allow_private_addresses=True)
    results: list[object] = []
    with serve(site), FetchSession(config) as session:
        for batch in ([0, 1], [2, 3], [4, 5]):
            results += session.fetch_many([FetchRequest(url=site.url(f"/p{i}"), input_source="s") for i in batch])
    assert [type(r) for r in results] == [RawPage, Reject, RawPage, RawPage, RawPage, RawPage]
    gaps = _gaps(site.log)
    assert len(gaps) == 6 and min(gaps) >= 0.3, gaps  # robots.txt and six pages
    throttled = site.seen("/p1")[0].at
    after = min(seen.at for seen in site.log if seen.at > throttled)
    assert site.seen("/p2")[0].at == after  # the next batch's first page came next ...
    assert after - throttled >= 1.0, after - throttled  # ... and waited out the Retry-After


def test_sources_on_one_host_share_its_politeness() -> None:
    site = Site({f"/p{i}": Reply.html(PAGE) for i in range(4)})
    config = FetchConfig(politeness=Politeness(concurrency=2, delay=0.3), allow_private_addresses=True)
    with serve(site), FetchSession(config) as session:
        session.fetch_many(
            [FetchRequest(url=site.url(f"/p{i}"), input_source="a" if i % 2 else "b") for i in range(4)]
        )
    gaps = _gaps(site.log)
    assert len(gaps) == 4 and min(gaps) >= 0.3, gaps


@pytest.mark.slow
def test_ingest_with_batches_of_two_keeps_one_second_per_host(prefect_server: None, tmp_path: Path) -> None:
    """The flow end to end, default politeness (1 s per host), ``batch_size=2``.

    The feed lists a missing page and then a throttled one (429, Retry-After 3), so the first
    batch ends at once, with nothing to parse, while the host is held; the throttled URL is
    given up (no retries), so only the fetcher's memory of the hold keeps the next batch back.
    """
    from flows.ingest import ingest

    site = news_site(bombs=False, retry_after=3)
    paths = ["/news/missing", "/news/throttled"] + [a[0] for a in ARTICLES[:4] if a[0] != "/news/throttled"]
    with serve(site):
        site.routes["/feed.xml"] = Reply(body=feed_xml(site, paths), headers={"Content-Type": "application/rss+xml"})
        summary = ingest(
            feeds=[site.url("/feed.xml")], db_path=str(tmp_path / "news.duckdb"), batch_size=2,
            allow_private_addresses=True, fetch_options={"retries": 0},
        )  # fmt: skip
    assert summary.result.loaded == len(paths) - 2
    assert [seen.path for seen in site.log][:2] == ["/robots.txt", "/feed.xml"]
    assert len(site.log) == 2 + len(paths)  # each page asked for once
    gaps = _gaps(site.log)
    assert min(gaps) >= 1.0, gaps
    throttled = site.seen("/news/throttled")[0].at
    following = [seen for seen in site.log if seen.at > throttled]
    assert following and following[0].path == paths[2]  # the second batch's first page
    assert following[0].at - throttled >= 3.0, following[0].at - throttled
    con = duckdb.connect(str(tmp_path / "news.duckdb"), read_only=True)
    try:
        reasons = dict(con.execute("SELECT uri, reason FROM rejects").fetchall())
    finally:
        con.close()
    assert reasons[site.url("/news/throttled")] == "http_429"
