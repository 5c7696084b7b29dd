"""Hostile feeds, sitemaps and URL lists: only ``DiscoveryError`` escapes, nothing expands or reads files."""

from __future__ import annotations

import gzip
import time
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.http.discover import parse_feed, parse_sitemap, parse_url_list
from flows.http.weberrors import DiscoveryError
from tests.mutations import mutate

PROPERTY = settings(max_examples=80, deadline=timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow])

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>'
    b"<item><title>One</title><link>https://example.org/a</link><pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate>"
    b"</item><item><title>Two</title><link>https://example.org/b</link><guid>https://example.org/b</guid></item>"
    b"</channel></rss>"
)
ATOM = (
    b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>N</title>'
    b'<entry><title>A</title><link href="https://example.org/c"/><updated>2025-06-02T10:00:00Z</updated></entry>'
    b"</feed>"
)
SITEMAP = (
    b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>https://example.org/d</loc><lastmod>2025-06-01</lastmod></url>"
    b"<url><loc>https://example.org/e</loc></url></urlset>"
)
INDEX = (
    b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<sitemap><loc>https://example.org/s1.xml</loc></sitemap></sitemapindex>"
)


@st.composite
def mutated(draw) -> bytes:
    return mutate(
        draw, draw(st.sampled_from([FEED, ATOM, SITEMAP, INDEX])), max_run=80, max_repeat=4, max_insert=32,
        inserts=[b"&", b"&lol;", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"\x00", b"]]>", b"<![CDATA[", b"\xff"],
    )  # fmt: skip


def _only_discovery_errors(call) -> None:
    try:
        call()
    except DiscoveryError as exc:
        assert exc.reason


@PROPERTY
@given(st.one_of(mutated(), st.binary(max_size=2000)))
def test_feed_and_sitemap_parsers_raise_only_their_own_errors(content):
    _only_discovery_errors(lambda: parse_feed(content, source="s", base_url="https://example.org/"))
    _only_discovery_errors(lambda: parse_sitemap(content, source="s", base_url="https://example.org/"))


@PROPERTY
@given(st.text(max_size=2000))
def test_url_lists_never_fail(text):
    found = parse_url_list(text, source="s")
    assert all(item.url.startswith(("http://", "https://")) for item in found.items)


def _laughs(root: bytes) -> bytes:
    entities = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "' % n + (b"&lol%d;" % (n - 1) if n > 2 else b"&lol;") * 10 + b'">' for n in range(2, 10)
    )
    return b'<?xml version="1.0"?><!DOCTYPE r [' + entities + b"]>" + root


def test_billion_laughs_and_external_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("https://example.org/secret-from-disk")
    hostile = [
        _laughs(b"<rss><channel><item><link>https://example.org/&lol9;</link></item></channel></rss>"),
        _laughs(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol9;</loc></url></urlset>'),
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://' + str(secret).encode() + b'">]>'
        b"<rss><channel><item><link>&x;</link></item></channel></rss>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://' + str(secret).encode() + b'">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&x;</loc></url></urlset>',
    ]
    for content in hostile:
        started = time.monotonic()
        for parse in (parse_feed, parse_sitemap):
            try:
                result = parse(content, source="s")
            except DiscoveryError:
                continue
            urls = [item.url for item in result.urls] + result.sitemaps if hasattr(result, "urls") else [
                item.url for item in result
            ]
            assert all("lollol" not in url and "secret-from-disk" not in url for url in urls)
        assert time.monotonic() - started < 5


def test_gzip_bomb_sitemap_is_refused():
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 2**20) + b"</urlset>")
    started = time.monotonic()
    try:
        parse_sitemap(bomb, source="s")
    except DiscoveryError as exc:
        assert exc.reason == "too_large"
    else:
        raise AssertionError("a 60 MB sitemap was accepted")
    assert time.monotonic() - started < 10
