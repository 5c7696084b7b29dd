"""The fetcher against a real server on 127.0.0.1: politeness, retries, limits, refusals."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from dataclasses import replace

import brotli
import pytest

from flows.http import netsafety
from flows.http.fetch import (
    FetchConfig,
    FetchRequest,
    FetchResult,
    NotModified,
    Politeness,
    Validators,
    fetch_all,
    parse_retry_after,
)
from flows.sources.files import RawPage, Reject
from tests.web_server import Reply, Seen, Site, bomb_gzip, serve

FAST = FetchConfig(
    politeness=Politeness(concurrency=2, delay=0.0),
    backoff=0.01,
    retries=2,
    connect_timeout=2,
    read_timeout=2,
    total_timeout=3,
    allow_private_addresses=True,  # the test server is on loopback
)
PAGE = "<html><head><title>T</title></head><body><p>Hello</p></body></html>"


def fetch(site: Site, *paths: str, config: FetchConfig = FAST, **kwargs: object) -> list[FetchResult]:
    requests = [FetchRequest(url=site.url(p), input_source="test", **kwargs) for p in paths]  # type: ignore[arg-type]
    return fetch_all(requests, config=config)


def reason(result: FetchResult) -> str:
    assert isinstance(result, Reject), result
    return result.reason


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(Site()) as running:
        yield running


def test_page_fields_and_user_agent(site: Site) -> None:
    site.routes["/a"] = Reply.html(
        PAGE, headers={"ETag": '"v1"', "Last-Modified": "Sun, 01 Nov 2026 10:00:00 GMT"}
    )
    [page] = fetch(site, "/a")
    assert isinstance(page, RawPage)
    assert page.content == PAGE.encode()
    assert page.status == 200 and page.final_url == site.url("/a") and page.uri == site.url("/a")
    assert page.content_type == "text/html; charset=utf-8"
    assert page.headers["etag"] == '"v1"' and "content-length" not in page.headers
    assert page.fetched_at.tzinfo is not None
    assert site.seen("/a")[0].headers["user-agent"].startswith("newsingest/")


def test_conditional_get_gives_not_modified(site: Site) -> None:
    def conditional(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply.html(PAGE, headers={"ETag": '"v1"'})

    site.routes["/a"] = conditional
    [first] = fetch(site, "/a")
    assert isinstance(first, RawPage)
    [second] = fetch(
        site, "/a", validators=Validators(etag='"v1"', last_modified="Sun, 01 Nov 2026 10:00:00 GMT")
    )
    assert isinstance(second, NotModified)
    headers = site.seen("/a")[1].headers
    assert headers["if-none-match"] == '"v1"' and headers["if-modified-since"].startswith("Sun")


def test_redirects_are_followed_and_the_final_url_recorded(site: Site) -> None:
    site.routes["/old"] = Reply(301, headers={"Location": "/mid"})
    site.routes["/mid"] = Reply(302, headers={"Location": site.url("/new")})
    site.routes["/new"] = Reply.html(PAGE)
    [page] = fetch(site, "/old")
    assert isinstance(page, RawPage) and page.uri == site.url("/old") and page.final_url == site.url("/new")


def test_redirect_loop_and_redirect_limit(site: Site) -> None:
    site.routes["/a"] = Reply(302, headers={"Location": "/b"})
    site.routes["/b"] = Reply(302, headers={"Location": "/a"})
    for i in range(10):
        site.routes[f"/chain{i}"] = Reply(302, headers={"Location": f"/chain{i + 1}"})
    loop, chain = fetch(site, "/a", "/chain0")
    assert reason(loop) == "redirect_loop"
    assert reason(chain) == "too_many_redirects"
    assert len(site.seen("/a")) == 1 and len(site.seen("/b")) == 1


def test_every_redirect_hop_is_safety_checked(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend the loopback test server is a public host, so only the redirect target is private.
    real = netsafety.address_problem
    monkeypatch.setattr(netsafety, "address_problem", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
    site.routes["/go"] = Reply(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    site.routes["/go6"] = Reply(302, headers={"Location": "http://[::ffff:10.0.0.1]/"})
    config = replace(FAST, allow_private_addresses=False)
    results = fetch(site, "/go", "/go6", config=config)
    assert [reason(r) for r in results] == ["blocked_address", "blocked_address"]
    assert "169.254.169.254" in results[0].detail  # type: ignore[union-attr]


def test_per_host_concurrency_is_bounded_as_the_server_sees_it(site: Site) -> None:
    for i in range(8):
        site.routes[f"/p{i}"] = Reply.html(PAGE, delay=0.1)
    results = fetch(site, *[f"/p{i}" for i in range(8)])
    assert all(isinstance(r, RawPage) for r in results)
    assert site.peak["127.0.0.1"] == 2  # bounded, and actually concurrent

    site.peak.clear()
    fetch(
        site,
        *[f"/p{i}" for i in range(4)],
        config=replace(FAST, politeness=Politeness(concurrency=1, delay=0)),
    )
    assert site.peak["127.0.0.1"] == 1


def test_minimum_delay_between_requests_to_a_host(site: Site) -> None:
    for i in range(3):
        site.routes[f"/p{i}"] = Reply.html(PAGE)
    fetch(site, "/p0", "/p1", "/p2", politeness=Politeness(concurrency=2, delay=0.25))
    # Seen from the server, which is what the delay promises: the client adds a little slack
    # (fetch.SPACING_SLACK) for the per-request latency jitter a reused or new connection brings.
    starts = sorted(s.at for s in site.log if s.path.startswith("/p"))
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.25, gaps


def test_robots_disallowed_paths_are_never_requested(site: Site) -> None:
    site.routes["/robots.txt"] = Reply(
        body=b"User-agent: *\nDisallow: /\n\n"
        b"User-agent: newsingest\nDisallow: /private\nAllow: /private/ok$\n",
        headers={"Content-Type": "text/plain"},
    )
    for path in ("/public", "/private/x", "/private/ok"):
        site.routes[path] = Reply.html(PAGE)
    public, private, ok = fetch(site, "/public", "/private/x", "/private/ok")
    assert isinstance(public, RawPage) and isinstance(ok, RawPage)
    assert reason(private) == "robots_disallowed"
    assert "/private/x" not in site.paths()
    assert len(site.seen("/robots.txt")) == 1  # cached per host per run


def test_unreachable_robots_means_disallow_all(site: Site) -> None:
    site.routes["/robots.txt"] = Reply(503)
    site.routes["/a"] = Reply.html(PAGE)
    [result] = fetch(site, "/a")
    assert reason(result) == "robots_unreachable" and "/a" not in site.paths()
    assert "http_503" in result.detail  # type: ignore[union-attr]


def test_retry_after_is_respected_after_429(site: Site) -> None:
    calls = iter([Reply(429, headers={"Retry-After": "1"}), Reply.html(PAGE)])
    site.routes["/a"] = lambda seen: next(calls)
    [page] = fetch(site, "/a")
    assert isinstance(page, RawPage)
    first, second = site.seen("/a")
    assert second.at - first.at >= 1.0


def test_retry_after_beyond_the_cap_gives_up(site: Site) -> None:
    site.routes["/a"] = Reply(429, headers={"Retry-After": "3600"})
    [result] = fetch(site, "/a")
    assert reason(result) == "http_429" and len(site.seen("/a")) == 1


def test_success_after_two_503s(site: Site) -> None:
    calls = iter([Reply(503), Reply(503), Reply.html(PAGE)])
    site.routes["/a"] = lambda seen: next(calls)
    [page] = fetch(site, "/a")
    assert isinstance(page, RawPage) and len(site.seen("/a")) == 3


def test_permanent_errors_are_not_retried(site: Site) -> None:
    site.routes["/gone"] = Reply(410)
    site.routes["/down"] = Reply(500)
    gone, down = fetch(site, "/gone", "/missing", "/down")[0::2]
    assert reason(gone) == "http_410" and len(site.seen("/gone")) == 1
    assert reason(down) == "http_500" and len(site.seen("/down")) == 3  # 1 + retries


@pytest.mark.parametrize("streamed", [False, True])
def test_oversize_body(site: Site, streamed: bool) -> None:
    body = b"<p>" + b"x" * (2 * 2**20)
    site.routes["/big"] = Reply(
        body=iter([body[i : i + 65536] for i in range(0, len(body), 65536)]) if streamed else body,
        headers={"Content-Type": "text/html"},
    )
    [result] = fetch(site, "/big", config=replace(FAST, max_bytes=2**20))
    assert reason(result) == "too_large"


def test_slow_drip_hits_the_total_timeout(site: Site) -> None:
    site.routes["/drip"] = Reply(
        body=(b"<p>x</p>" for _ in range(40)), drip=0.1, headers={"Content-Type": "text/html"}
    )
    config = replace(FAST, total_timeout=0.5, retries=0)
    started = time.monotonic()
    [result] = fetch(site, "/drip", config=config)
    assert reason(result) == "timeout"
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("content_type", ["application/pdf", "text/html"])
def test_pdf_is_rejected_whatever_it_claims(site: Site, content_type: str) -> None:
    site.routes["/doc"] = Reply(body=b"%PDF-1.7\n" + b"\x00" * 1000, headers={"Content-Type": content_type})
    [result] = fetch(site, "/doc")
    assert reason(result) == "unsupported_content_type"


def test_bytes_are_passed_on_undecoded_for_the_charset_parser(site: Site) -> None:
    cyrillic = "<html><body><p>Привет, мир</p></body></html>".encode("cp1251")
    site.routes["/ru"] = Reply(body=cyrillic, headers={"Content-Type": "text/html; charset=windows-1251"})
    [page] = fetch(site, "/ru")
    assert isinstance(page, RawPage) and page.content == cyrillic
    assert page.content_type == "text/html; charset=windows-1251"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate", "br"])
def test_content_codings(site: Site, coding: str) -> None:
    body = PAGE.encode() * 50
    encoded = {
        "gzip": lambda: gzip.compress(body),
        "deflate": lambda: zlib.compress(body),
        "raw-deflate": lambda: _raw_deflate(body),
        "br": lambda: brotli.compress(body),
    }[coding]()
    header = "deflate" if coding == "raw-deflate" else coding
    site.routes["/c"] = Reply(body=encoded, headers={"Content-Type": "text/html", "Content-Encoding": header})
    [page] = fetch(site, "/c")
    assert isinstance(page, RawPage) and page.content == body
    assert "content-encoding" not in page.headers


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-15)
    return compressor.compress(data) + compressor.flush()


def test_gzip_members_and_trailing_bytes(site: Site) -> None:
    two = gzip.compress(b"<p>one</p>") + gzip.compress(b"<p>two</p>")
    gz = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    site.routes["/two"] = Reply(body=two, headers=gz)
    site.routes["/junk"] = Reply(body=gzip.compress(b"<p>ok</p>") + b"\x00\x00junk", headers=gz)
    members, junk = fetch(site, "/two", "/junk")
    assert isinstance(members, RawPage) and members.content == b"<p>one</p><p>two</p>"
    assert isinstance(junk, RawPage) and junk.content == b"<p>ok</p>"


def test_corrupt_and_unknown_codings(site: Site) -> None:
    site.routes["/bad"] = Reply(
        body=b"not gzip at all", headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    site.routes["/zstd"] = Reply(
        body=b"...", headers={"Content-Type": "text/html", "Content-Encoding": "zstd-x"}
    )
    bad, unknown = fetch(site, "/bad", "/zstd")
    assert reason(bad) == "bad_content_encoding"
    assert reason(unknown) == "unsupported_content_encoding"


@pytest.mark.slow
def test_gzip_bombs_are_rejected_with_bounded_memory(site: Site) -> None:
    single, double = bomb_gzip()
    assert len(double) < 2000 and len(single) < 600_000
    gz = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    site.routes["/single"] = Reply(body=single, headers=gz)
    site.routes["/double"] = Reply(body=double, headers={**gz, "Content-Encoding": "gzip, gzip"})
    site.routes["/double-hidden"] = Reply(body=double, headers=gz)  # inner layer arrives as a gzip blob
    site.routes["/br"] = Reply(
        body=brotli.compress(bytes(64 * 2**20), quality=1), headers={**gz, "Content-Encoding": "br"}
    )
    tracemalloc.start()
    try:
        results = fetch(site, "/single", "/double", "/double-hidden", "/br")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [reason(r) for r in results] == [
        "decompression_bomb",
        "stacked_content_encoding",
        "unsupported_content_type",
        "decompression_bomb",
    ]
    assert peak < 60 * 2**20, f"peak {peak / 2**20:.0f} MB"


def test_unsupported_content_type_is_refused_before_reading(site: Site) -> None:
    site.routes["/img"] = Reply(body=b"x" * 100, headers={"Content-Type": "image/png"})
    site.routes["/json"] = Reply(body=b"{}", headers={"Content-Type": "application/json"})
    site.routes["/xhtml"] = Reply(body=PAGE.encode(), headers={"Content-Type": "application/xhtml+xml"})
    img, js, xhtml = fetch(site, "/img", "/json", "/xhtml")
    assert reason(img) == reason(js) == "unsupported_content_type"
    assert isinstance(xhtml, RawPage)


def test_private_spellings_send_nothing_without_the_flag(site: Site) -> None:
    site.routes["/a"] = Reply.html(PAGE)
    hosts = ["127.0.0.1", "localhost", "0x7f000001", "[::ffff:127.0.0.1]", "169.254.169.254"]
    config = replace(FAST, allow_private_addresses=False)
    requests = [FetchRequest(url=site.url("/a", host=h), input_source="t") for h in hosts]
    results = fetch_all(requests, config=config)
    assert [reason(r) for r in results] == ["blocked_address"] * len(hosts)
    assert site.log == []


def test_parse_retry_after() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("nonsense") is None
    assert parse_retry_after("\u00b9") is None  # a superscript one is a digit to str.isdigit(), not to float()
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
