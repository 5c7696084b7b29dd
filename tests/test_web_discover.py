"""Feeds, sitemaps and URL lists: formats, lies, hostile XML, and a sitemap index walk."""

from __future__ import annotations

import asyncio
import gzip
import time
from datetime import UTC, datetime

import pytest

from flows.http.discover import discover_feed, discover_sitemap, parse_feed, parse_sitemap, parse_url_list
from flows.http.fetch import FetchConfig, Fetcher, Politeness
from flows.http.weberrors import DiscoveryError
from tests.web_server import Reply, Site, serve

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>News</title><link>https://news.example.com/</link>
<item><title>One</title><link>https://news.example.com/a/1?utm_source=rss#c</link>
  <pubDate>Sun, 29 Nov 2026 10:00:00 +0100</pubDate></item>
<item><title>Two</title><guid isPermaLink="true">https://news.example.com/a/2</guid></item>
<item><title>Dup</title><link>https://NEWS.example.com/a/1</link></item>
<item><title>Rel</title><link>/a/3</link></item>
<item><title>Mail</title><link>mailto:desk@news.example.com</link></item>
<item><title>Guid only, not a permalink</title><guid isPermaLink="false">tag:x,2026:9</guid></item>
</channel></rss>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://n.example.org/"><title>N</title></channel>
<item rdf:about="https://n.example.org/x"><title>X</title><link>https://n.example.org/x</link>
  <dc:date>2026-11-28T08:30:00Z</dc:date></item>
</rdf:RDF>"""

RSS090 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
<channel><title>Old</title><link>http://old.example.net/</link></channel>
<item><title>Story</title><link>http://old.example.net/story.html</link></item>
</rdf:RDF>"""

RSS091 = b"""<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>T</title><item><title>S</title>
<link>http://old.example.net/091.html</link></item></channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.com/">
<title>Blog</title>
<entry><title>E1</title><link rel="alternate" type="text/html" href="posts/e1"/>
  <link rel="edit" href="https://blog.example.com/edit/e1"/>
  <published>2026-11-27T12:00:00-05:00</published><updated>2026-11-28T00:00:00Z</updated></entry>
<entry><title>E2</title><link rel="self" href="https://blog.example.com/e2.atom"/>
  <link href="https://blog.example.com/posts/e2"/></entry>
</feed>"""


def test_rss2() -> None:
    items = parse_feed(RSS2, source="s", base_url="https://news.example.com/feed.xml")
    assert [i.url for i in items] == [
        "https://news.example.com/a/1",
        "https://news.example.com/a/2",
        "https://news.example.com/a/3",
    ]
    assert items[0].title == "One" and items[0].source == "s"
    assert items[0].published_at == datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    assert items[0].found_in == "https://news.example.com/feed.xml"


def test_rss1_rdf_and_rss090_and_rss091() -> None:
    [x] = parse_feed(RSS1, source="s")
    assert x.url == "https://n.example.org/x" and x.published_at == datetime(2026, 11, 28, 8, 30, tzinfo=UTC)
    assert [i.url for i in parse_feed(RSS090, source="s")] == ["http://old.example.net/story.html"]
    # The DTD is neither fetched nor loaded (no network), yet the feed parses.
    assert [i.url for i in parse_feed(RSS091, source="s")] == ["http://old.example.net/091.html"]


def test_atom() -> None:
    e1, e2 = parse_feed(ATOM, source="s", base_url="https://blog.example.com/atom.xml")
    assert e1.url == "https://blog.example.com/posts/e1" and e2.url == "https://blog.example.com/posts/e2"
    assert e1.published_at == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert e1.modified_at == datetime(2026, 11, 28, tzinfo=UTC)


def test_html_served_as_a_feed_is_a_clear_error() -> None:
    with pytest.raises(DiscoveryError, match="HTML page") as info:
        parse_feed(
            b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi<br></body></html>", source="s"
        )
    assert info.value.reason == "not_a_feed"
    with pytest.raises(DiscoveryError, match="HTML page"):  # well-formed XHTML is still not a feed
        parse_feed(b"<html xmlns='http://www.w3.org/1999/xhtml'><body/></html>", source="s")


def test_slightly_broken_feeds_are_recovered_but_garbage_is_not() -> None:
    sloppy = (
        b"<rss><channel><item><title>A & B</title><link>https://e.example/1</link></item></channel></rss>"
    )
    assert [i.url for i in parse_feed(sloppy, source="s")] == ["https://e.example/1"]
    with pytest.raises(DiscoveryError) as info:
        parse_feed(b"\x00\x01 this is not xml {", source="s")
    assert info.value.reason == "malformed_xml"
    with pytest.raises(DiscoveryError, match="empty"):
        parse_feed(b"   ", source="s")
    with pytest.raises(DiscoveryError, match="root <urlset>"):
        parse_feed(b"<urlset><url><loc>https://e.example/</loc></url></urlset>", source="s")


def test_external_entities_are_not_resolved(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xxe = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>
<rss><channel><item><title>&x;</title><link>https://e.example/1</link></item></channel></rss>""".encode()
    [item] = parse_feed(xxe, source="s")
    assert "TOPSECRET" not in (item.title or "")


def test_billion_laughs_does_not_expand() -> None:
    lol = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lollollollollollollollollollol">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>
<rss><channel><item><title>&i;</title><link>https://e.example/1</link></item></channel></rss>"""
    started = time.monotonic()
    try:
        items = parse_feed(lol, source="s")
    except DiscoveryError:
        items = []
    assert time.monotonic() - started < 2
    assert all(len(i.title or "") < 10_000 for i in items)


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example.com/2026/11/29/story?utm_medium=sitemap</loc>
  <lastmod>2026-11-29T11:00:00+00:00</lastmod>
  <news:news><news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>
  <news:publication_date>2026-11-29T10:00:00+00:00</news:publication_date><news:title>Story</news:title>
  </news:news></url>
<url><loc>https://news.example.com/about</loc><lastmod>2026-01-02</lastmod></url>
</urlset>"""


def test_news_sitemap() -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP, source="s")
    story, about = sitemap.urls
    assert story.url == "https://news.example.com/2026/11/29/story"
    assert story.published_at == datetime(2026, 11, 29, 10, tzinfo=UTC) and story.title == "Story"
    assert story.modified_at == datetime(2026, 11, 29, 11, tzinfo=UTC)
    assert about.published_at is None and about.modified_at == datetime(2026, 1, 2, tzinfo=UTC)
    assert sitemap.sitemaps == []


def test_gzipped_sitemap_and_index() -> None:
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/s1.xml</loc></sitemap><sitemap><loc>https://news.example.com/s2.xml.gz</loc></sitemap></sitemapindex>"""
    parsed = parse_sitemap(gzip.compress(index), source="s", base_url="https://news.example.com/index.xml")
    assert parsed.sitemaps == ["https://news.example.com/s1.xml", "https://news.example.com/s2.xml.gz"]


def test_url_list() -> None:
    found = parse_url_list(
        "# my list\nhttps://a.example/1\n\n  https://a.example/1?utm_source=x  \n"
        "ftp://a.example/f\nnot a url\n",
        source="s",
        origin="urls.txt",
    )
    assert [i.url for i in found.items] == ["https://a.example/1"]
    assert [(r.uri, r.reason) for r in found.rejects] == [
        ("ftp://a.example/f", "invalid_url"),
        ("not a url", "invalid_url"),
    ]
    assert "line 5" in found.rejects[0].detail


def _urlset(site: Site, *paths: str) -> bytes:
    urls = "".join(f"<url><loc>{site.url(p)}</loc></url>" for p in paths)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def _index(site: Site, *paths: str) -> bytes:
    maps = "".join(f"<sitemap><loc>{site.url(p)}</loc></sitemap>" for p in paths)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'.encode()


CONFIG = FetchConfig(politeness=Politeness(delay=0), retries=0, allow_private_addresses=True)


def test_sitemap_index_walk_is_bounded_and_survives_broken_children() -> None:
    xml = {"Content-Type": "application/xml"}
    with serve(Site()) as site:
        site.routes["/index.xml"] = Reply(
            body=_index(site, "/s1.xml", "/s2.xml.gz", "/broken.xml", "/nested.xml"), headers=xml
        )
        site.routes["/s1.xml"] = Reply(body=_urlset(site, "/a", "/b"), headers=xml)
        site.routes["/s2.xml.gz"] = Reply(
            body=gzip.compress(_urlset(site, "/b", "/c")), headers={"Content-Type": "application/x-gzip"}
        )
        site.routes["/broken.xml"] = Reply.html("<html><body>Oops</body></html>")
        site.routes["/nested.xml"] = Reply(body=_index(site, "/index.xml", "/deeper.xml"), headers=xml)
        site.routes["/deeper.xml"] = Reply(body=_index(site, "/deepest.xml"), headers=xml)

        async def go(**bounds: int):  # type: ignore[no-untyped-def]
            async with Fetcher(CONFIG) as fetcher:
                return await discover_sitemap(fetcher, site.url("/index.xml"), source="s", **bounds)

        found = asyncio.run(go(max_depth=2))
        assert [i.url for i in found.items] == [site.url("/a"), site.url("/b"), site.url("/c")]
        assert {(r.uri, r.reason) for r in found.rejects} == {
            (site.url("/broken.xml"), "not_a_sitemap"),
            (site.url("/deepest.xml"), "sitemap_too_deep"),
        }
        assert len(site.seen("/index.xml")) == 1  # the loop back to the index is not followed
        assert "/deepest.xml" not in site.paths()

        limited = asyncio.run(go(max_sitemaps=2))
        assert any(r.reason == "too_many_sitemaps" for r in limited.rejects)


def test_discover_feed_over_http_with_a_lying_content_type() -> None:
    with serve(Site()) as site:
        site.routes["/feed"] = Reply(body=RSS2, headers={"Content-Type": "text/html"})
        site.routes["/notfeed"] = Reply.html("<!doctype html><title>x</title>")

        async def go():  # type: ignore[no-untyped-def]
            async with Fetcher(CONFIG) as fetcher:
                return (
                    await discover_feed(fetcher, site.url("/feed"), source="s"),
                    await discover_feed(fetcher, site.url("/notfeed"), source="s"),
                    await discover_feed(fetcher, site.url("/missing"), source="s"),
                )

        good, html, missing = asyncio.run(go())
    assert len(good.items) == 3 and not good.rejects
    assert [r.reason for r in html.rejects] == ["not_a_feed"]
    assert [r.reason for r in missing.rejects] == ["http_404"] and missing.rejects[0].stage == "discover"
