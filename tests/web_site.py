"""A small news site for the end-to-end web tests: feed, sitemap index, articles and traps.

Articles answer conditional GETs (ETag and Last-Modified) with 304. The traps are the
acceptance list of issue 4: robots-disallowed path, 429 with Retry-After, two 503s,
oversize body, gzip bombs, redirect loop, slow drip, PDF, a Windows-1251 page and a page
that claims UTF-8 but is Latin-1.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

from tests.web_server import Reply, Seen, Site, bomb_gzip

__all__ = ["ARTICLES", "article_html", "news_site"]

LAST_MODIFIED = "Sun, 29 Nov 2026 08:00:00 GMT"

# (path, title, charset, sentence): each article's body says something different.
ARTICLES = [
    ("/news/bridge", "Bridge vote delayed again", "utf-8",
     "The council of Springfield postponed its vote on the new river bridge until the spring."),
    ("/news/harbour", "Harbour reopens after storm", "utf-8",
     "Fishing boats returned to the harbour on Monday after the storm wall was repaired."),
    ("/news/library", "Library extends opening hours", "utf-8",
     "The central library will open until ten in the evening from next month, the mayor said."),
    ("/news/orchard", "Orchard harvest beats forecast", "utf-8",
     "Apple growers in the valley reported their best harvest in a decade despite the dry summer."),
    ("/news/throttled", "Tram line gets new timetable", "utf-8",
     "Trams on the eastern line will run every six minutes during the morning rush hour."),
    ("/news/flaky", "School roof repairs finished", "utf-8",
     "Pupils moved back into the north wing after builders finished repairing the school roof."),
    ("/news/novosibirsk", "Мост через Обь откроют весной", "windows-1251",
     "Городской совет Новосибирска во вторник утвердил график строительства нового моста через Обь."),
    ("/news/zurich", "Fußgängerbrücke in Zürich: Café-Betreiber zufrieden", "latin-1",
     "Der Stadtrat von Zürich hat am Dienstag über die neue Brücke für Fußgänger und Radfahrer beraten, "
     "sagte die Sprecherin; die Café-Betreiber am Ufer begrüßen die Pläne für die Straße."),
]  # fmt: skip
DECLARED = {"latin-1": "utf-8"}  # the liar: Latin-1 bytes served as UTF-8


def article_html(title: str, sentence: str, charset: str) -> str:
    # Varied paragraphs: extractors drop text that repeats verbatim.
    words = sentence.split()
    paragraphs = "".join(f"<p>{sentence} {' '.join(words[n:] + words[:n])} ({n})</p>" for n in range(1, 7))
    meta = DECLARED.get(charset, charset)
    return (
        f'<!DOCTYPE html><html><head><meta charset="{meta}"><title>{title}</title></head>'
        f'<body><nav><a href="/">Home</a> <a href="/news/">News</a></nav>'
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>Example Gazette</footer></body></html>"
    )


def _conditional(body: bytes, content_type: str) -> Callable[[Seen], Reply]:
    etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'

    def reply(seen: Seen) -> Reply:
        if (
            seen.headers.get("if-none-match") == etag
            or seen.headers.get("if-modified-since") == LAST_MODIFIED
        ):
            return Reply(304, headers={"ETag": etag})
        return Reply(
            body=body, headers={"Content-Type": content_type, "ETag": etag, "Last-Modified": LAST_MODIFIED}
        )

    return reply


def _sequence(*replies: Reply, then: Callable[[Seen], Reply]) -> Callable[[Seen], Reply]:
    queue = list(replies)

    def reply(seen: Seen) -> Reply:
        return queue.pop(0) if queue else then(seen)

    return reply


def news_site(*, bombs: bool = True, retry_after: int = 1) -> Site:
    """Routes for ``site.url(...)``; feed and sitemaps name URLs on the same server."""
    site = Site()
    for path, title, charset, sentence in ARTICLES:
        body = article_html(title, sentence, charset).encode(charset)
        declared = DECLARED.get(charset, charset)
        site.routes[path] = _conditional(body, f"text/html; charset={declared}")
    site.routes["/news/throttled"] = _sequence(
        Reply(429, headers={"Retry-After": str(retry_after)}),
        then=site.routes["/news/throttled"],  # type: ignore[arg-type]
    )
    site.routes["/news/flaky"] = _sequence(Reply(503), Reply(503), then=site.routes["/news/flaky"])  # type: ignore[arg-type]
    site.routes["/robots.txt"] = Reply(
        body=b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}
    )
    site.routes["/private/secret"] = Reply.html(
        article_html("Secret", "Nobody should fetch this page.", "utf-8")
    )
    site.routes["/traps/big"] = Reply(
        body=b"<p>" + b"big " * (3 * 2**20), headers={"Content-Type": "text/html"}
    )
    site.routes["/traps/loop"] = Reply(302, headers={"Location": "/traps/loop2"})
    site.routes["/traps/loop2"] = Reply(302, headers={"Location": "/traps/loop"})
    # A fresh generator per request: a shared one is used up by the first run's attempts, and on a busy
    # machine (late timeouts, more chunks sent) the second run then got the rest quickly, as an article.
    site.routes["/traps/drip"] = lambda _seen: Reply(
        body=(b"<p>drip</p>" for _ in range(100)), drip=0.1, headers={"Content-Type": "text/html"}
    )
    site.routes["/traps/report.pdf"] = Reply(
        body=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 2000, headers={"Content-Type": "application/pdf"}
    )
    if bombs:
        single, double = bomb_gzip()
        gz = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
        site.routes["/traps/bomb"] = Reply(body=single, headers=gz)
        site.routes["/traps/bomb2"] = Reply(body=double, headers={**gz, "Content-Encoding": "gzip, gzip"})
    return site


def feed_xml(site: Site, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>t</title><link>{site.url(p)}?utm_source=rss</link></item>" for p in paths)
    channel = f"<channel><title>Gazette</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def sitemap_index(site: Site, children: list[str]) -> bytes:
    maps = "".join(f"<sitemap><loc>{site.url(c)}</loc></sitemap>" for c in children)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'.encode()


def urlset(site: Site, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{site.url(p)}</loc><lastmod>2026-11-29</lastmod></url>" for p in paths)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def trap_paths(*, bombs: bool = True) -> list[str]:
    traps = ["/private/secret", "/traps/big", "/traps/loop", "/traps/drip", "/traps/report.pdf"]
    return traps + (["/traps/bomb", "/traps/bomb2"] if bombs else [])


def publish(site: Site, *, bombs: bool = True) -> None:
    """Feed: first half of the articles and the traps; sitemap index -> two sitemaps with the rest."""
    paths = [a[0] for a in ARTICLES]
    xml = {"Content-Type": "application/rss+xml"}
    site.routes["/feed.xml"] = Reply(body=feed_xml(site, paths[:4] + trap_paths(bombs=bombs)), headers=xml)
    site.routes["/sitemap_index.xml"] = Reply(
        body=sitemap_index(site, ["/sitemap-1.xml", "/sitemap-2.xml"]),
        headers={"Content-Type": "application/xml"},
    )
    site.routes["/sitemap-1.xml"] = Reply(
        body=urlset(site, paths[2:6]), headers={"Content-Type": "application/xml"}
    )
    site.routes["/sitemap-2.xml"] = Reply(body=urlset(site, paths[6:]), headers={"Content-Type": "text/xml"})


def iter_article_urls(site: Site) -> Iterator[str]:
    for path, *_ in ARTICLES:
        yield site.url(path)
