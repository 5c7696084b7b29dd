"""Discovery: which article URLs does a feed, a sitemap or a URL list name?

Parsers (pure, bytes in):
- ``parse_feed``: RSS 0.9x / 2.0, RSS 1.0 (RDF) and Atom, matched by local element names
  so namespace variants and sloppy feeds still work;
- ``parse_sitemap``: ``urlset`` (with ``lastmod`` and Google News ``publication_date``) and
  ``sitemapindex``; gzipped sitemaps are inflated with a size cap;
- ``parse_url_list``: one URL per line, ``#`` comments.

XML is parsed with entity expansion, DTD loading and network access off, so a hostile feed
can neither read local files nor expand a billion laughs. Feeds lie: an HTML page served as
``application/rss+xml`` or malformed XML ends as a ``DiscoveryError`` with a clear reason.
(Unescaped ``&`` and similar slips are recovered from when the result is still a feed.)

``discover_feed`` and ``discover_sitemap`` fetch through a ``Fetcher`` (so discovery is
polite and SSRF-checked too); a sitemap index is walked breadth-first with bounds on depth
and on the number of sitemaps. URLs come back canonical and deduplicated.
"""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from flows.http.fetch import Fetcher, NotModified, Politeness
from flows.http.urls import canonicalize
from flows.http.weberrors import DiscoveryError, WebError
from flows.sources.files import Reject
from warehouse.records import RejectReason, RejectStage

__all__ = [
    "Discovered",
    "Discovery",
    "Sitemap",
    "dedupe",
    "discover_feed",
    "discover_sitemap",
    "parse_feed",
    "parse_sitemap",
    "parse_url_list",
]

MAX_XML_BYTES = 50 * 2**20  # the sitemaps protocol's own limit for one uncompressed file
_XML_OPTIONS = {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False}


@dataclass(frozen=True)
class Discovered:
    """An article URL found by discovery, with what the listing said about it."""

    url: str  # canonical
    source: str
    published_at: datetime | None = None
    modified_at: datetime | None = None
    title: str | None = None
    found_in: str | None = None


@dataclass(frozen=True)
class Sitemap:
    urls: list[Discovered]
    sitemaps: list[str]  # children of a sitemap index


@dataclass
class Discovery:
    items: list[Discovered] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


# -- XML ------------------------------------------------------------------------------------


def _inflate(content: bytes) -> bytes:
    if not content.startswith(b"\x1f\x8b"):
        return content
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        out = inflater.decompress(content, MAX_XML_BYTES + 1)
    except zlib.error as exc:
        raise DiscoveryError(f"corrupt gzip: {exc}", reason=RejectReason.MALFORMED_XML) from exc
    if len(out) > MAX_XML_BYTES:
        raise DiscoveryError(f"expands beyond {MAX_XML_BYTES} bytes", reason=RejectReason.TOO_LARGE)
    return out


def _looks_like_html(content: bytes) -> bool:
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or (b"<html" in head and b"<rss" not in head)


def _parse_xml(content: bytes, *, what: str, known_roots: frozenset[str]) -> etree._Element:
    content = _inflate(content)
    if not content.strip():
        raise DiscoveryError(f"empty {what}", reason=RejectReason.EMPTY)
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(**_XML_OPTIONS))
    except etree.XMLSyntaxError as exc:
        if _looks_like_html(content):
            raise DiscoveryError(f"an HTML page, not a {what}", reason=RejectReason.not_a(what)) from exc
        try:
            recovered = etree.fromstring(content, parser=etree.XMLParser(recover=True, **_XML_OPTIONS))
        except etree.XMLSyntaxError:
            recovered = None
        if recovered is None or _local(recovered) not in known_roots:
            raise DiscoveryError(
                f"malformed XML, not a readable {what}: {exc}", reason=RejectReason.MALFORMED_XML
            ) from exc
        root = recovered
    if _local(root) not in known_roots:
        hint = "an HTML page" if _local(root) == "html" else f"an XML document with root <{_local(root)}>"
        raise DiscoveryError(f"{hint}, not a {what}", reason=RejectReason.not_a(what))
    return root


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments, processing instructions, entity references
        return ""
    return tag.rpartition("}")[2].lower()  # not etree.QName: it raises on names a recovered tree may hold


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return (child for child in element if _local(child) == name)


def _text(element: etree._Element, *names: str) -> str | None:
    """Text of the first child with one of ``names`` (in order of preference)."""
    for name in names:
        for child in _children(element, name):
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def _date(text: str | None) -> datetime | None:
    """RFC 822 (RSS) or ISO 8601 / W3C (Atom, RDF, sitemaps); zone-less values taken as UTC."""
    if not text:
        return None
    text = text.strip()
    value: datetime | None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _web_url(link: str | None, base: str | None) -> str | None:
    if not link:
        return None
    try:
        absolute = urljoin(base or "", link.strip())
        if urlsplit(absolute).scheme not in ("http", "https") or not urlsplit(absolute).hostname:
            return None
    except ValueError:  # "http://[oops/": an unclosed IPv6 bracket
        return None
    return canonicalize(absolute)


# -- feeds ----------------------------------------------------------------------------------

_FEED_ROOTS = frozenset({"rss", "rdf", "feed"})


def parse_feed(content: bytes, *, source: str, base_url: str | None = None) -> list[Discovered]:
    """Article URLs of an RSS (0.9x, 1.0, 2.0) or Atom feed, in feed order, deduplicated."""
    root = _parse_xml(content, what="feed", known_roots=_FEED_ROOTS)
    found: list[Discovered] = []
    if _local(root) == "feed":
        for entry in root.iter("{*}entry"):
            url = _web_url(_atom_link(entry), entry.base or base_url)
            if url:
                found.append(
                    Discovered(
                        url=url,
                        source=source,
                        published_at=_date(_text(entry, "published", "issued", "created")),
                        modified_at=_date(_text(entry, "updated", "modified")),
                        title=_text(entry, "title"),
                        found_in=base_url,
                    )
                )
    else:
        for item in root.iter("{*}item"):
            # FeedBurner-style feeds point <link> at a tracking redirect; origLink is the article.
            link = _text(item, "origlink", "link") or _permalink_guid(item) or _atom_link(item)
            url = _web_url(link, base_url)
            if url:
                found.append(
                    Discovered(
                        url=url,
                        source=source,
                        published_at=_date(_text(item, "pubdate", "date", "published", "issued")),
                        modified_at=_date(_text(item, "updated", "modified")),
                        title=_text(item, "title"),
                        found_in=base_url,
                    )
                )
    return dedupe(found)


def _atom_link(entry: etree._Element) -> str | None:
    links = list(_children(entry, "link"))
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return next((link.get("href") for link in links if link.get("href")), None)


def _permalink_guid(item: etree._Element) -> str | None:
    for guid in _children(item, "guid"):
        if guid.get("isPermaLink", "true").lower() != "false" and guid.text:
            return guid.text.strip()
    return None


# -- sitemaps -------------------------------------------------------------------------------

_SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})


def parse_sitemap(content: bytes, *, source: str, base_url: str | None = None) -> Sitemap:
    """A ``urlset`` (page URLs with dates) or a ``sitemapindex`` (child sitemap URLs)."""
    root = _parse_xml(content, what="sitemap", known_roots=_SITEMAP_ROOTS)
    if _local(root) == "sitemapindex":
        children = [_web_url(_text(entry, "loc"), base_url) for entry in _children(root, "sitemap")]
        return Sitemap(urls=[], sitemaps=list(dict.fromkeys(c for c in children if c)))
    found: list[Discovered] = []
    for entry in _children(root, "url"):
        url = _web_url(_text(entry, "loc"), base_url)
        if not url:
            continue
        news = next(_children(entry, "news"), None)
        found.append(
            Discovered(
                url=url,
                source=source,
                published_at=_date(_text(news, "publication_date")) if news is not None else None,
                modified_at=_date(_text(entry, "lastmod")),
                title=_text(news, "title") if news is not None else None,
                found_in=base_url,
            )
        )
    return Sitemap(urls=dedupe(found), sitemaps=[])


# -- URL lists ------------------------------------------------------------------------------


def parse_url_list(text: str, *, source: str, origin: str = "") -> Discovery:
    """One URL per line; blank lines and ``#`` comments ignored; anything else not http(s) rejected."""
    found = Discovery()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            parts = urlsplit(line)
        except ValueError:  # an unclosed IPv6 bracket
            parts = urlsplit("")
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            found.rejects.append(
                Reject(uri=line, input_source=source, stage=RejectStage.DISCOVER, reason=RejectReason.INVALID_URL,
                       detail=f"{origin or 'url list'} line {number}: not an http(s) URL")
            )  # fmt: skip
            continue
        found.items.append(Discovered(url=canonicalize(line), source=source, found_in=origin or None))
    found.items = dedupe(found.items)
    return found


def dedupe(items: Iterable[Discovered]) -> list[Discovered]:
    """One entry per canonical URL, the first one seen."""
    seen: dict[str, Discovered] = {}
    for item in items:
        seen.setdefault(canonicalize(item.url), item)
    return list(seen.values())


# -- fetching listings ----------------------------------------------------------------------


async def _fetch_listing(
    fetcher: Fetcher, url: str, *, source: str, allow_private: bool | None, politeness: Politeness | None
) -> bytes:
    result = await fetcher.fetch_or_raise(
        url,
        source=source,
        accept=None,
        allow_private=allow_private,
        politeness=politeness,
        max_bytes=MAX_XML_BYTES,
    )
    if isinstance(result, NotModified):  # we send no validators for listings; be safe anyway
        raise DiscoveryError(f"{url}: unexpected 304", reason=RejectReason.http_status(304))
    return result.content


def _reject(url: str, source: str, exc: WebError) -> Reject:
    return Reject(uri=url, input_source=source, stage=RejectStage.DISCOVER, reason=exc.reason, detail=str(exc))


async def discover_feed(
    fetcher: Fetcher,
    url: str,
    *,
    source: str,
    allow_private: bool | None = None,
    politeness: Politeness | None = None,
) -> Discovery:
    try:
        content = await _fetch_listing(
            fetcher, url, source=source, allow_private=allow_private, politeness=politeness
        )
        return Discovery(items=parse_feed(content, source=source, base_url=url))
    except WebError as exc:
        return Discovery(rejects=[_reject(url, source, exc)])


async def discover_sitemap(
    fetcher: Fetcher,
    url: str,
    *,
    source: str,
    allow_private: bool | None = None,
    politeness: Politeness | None = None,
    max_depth: int = 3,
    max_sitemaps: int = 200,
) -> Discovery:
    """Walk a sitemap (index) breadth-first; broken children become rejects, the walk goes on."""
    found = Discovery()
    queue: deque[tuple[str, int]] = deque([(url, 0)])
    visited: set[str] = set()
    while queue and len(visited) < max_sitemaps:
        current, depth = queue.popleft()
        if current in visited:
            continue
        visited.add(current)
        try:
            content = await _fetch_listing(
                fetcher, current, source=source, allow_private=allow_private, politeness=politeness
            )
            sitemap = parse_sitemap(content, source=source, base_url=current)
        except WebError as exc:
            found.rejects.append(_reject(current, source, exc))
            continue
        found.items.extend(sitemap.urls)
        for child in sitemap.sitemaps:
            if depth + 1 > max_depth:
                found.rejects.append(
                    Reject(uri=child, input_source=source, stage=RejectStage.DISCOVER,
                           reason=RejectReason.SITEMAP_TOO_DEEP,
                           detail=f"deeper than {max_depth} levels of sitemap index")
                )  # fmt: skip
            elif child not in visited:
                queue.append((child, depth + 1))
    for leftover, _ in queue:
        found.rejects.append(
            Reject(uri=leftover, input_source=source, stage=RejectStage.DISCOVER, reason=RejectReason.TOO_MANY_SITEMAPS,
                   detail=f"more than {max_sitemaps} sitemaps")
        )  # fmt: skip
    found.items = dedupe(found.items)
    return found
