"""Polite, defensive HTTP fetching: URL in, ``RawPage`` / ``NotModified`` / ``Reject`` out.

Per request, in order:

1. safety: ``netsafety.check_url`` before anything, and a connection backend that only
   connects to checked addresses (``netsafety.SafeNetworkBackend``);
2. robots.txt of the host, fetched once per ``Fetcher`` (i.e. per run) and cached;
3. politeness: at most ``concurrency`` requests in flight per host, request starts at
   least ``delay`` seconds apart, and a 429's ``Retry-After`` holds back the whole host
   (even when the URL is given up on);
4. the exchange, bounded by connect/read timeouts and a total deadline per attempt;
   timeouts, 408, 429, 5xx and dropped connections are retried with exponential backoff
   and jitter (never sooner than ``Retry-After``);
5. redirects followed by hand, each hop going through 1-4 again, loops detected;
6. the body: content type checked from the header before reading, the *raw* stream read
   with a byte cap and decoded with an output cap (httpx's decoded stream would inflate a
   double-gzipped 1 KB body into one 512 MB chunk), a single content coding only, then a
   magic-number sniff so a PDF served as ``text/html`` is still refused.

Decoding bytes to text is not done here (``parsers.charset``). Errors are the
``flows.http.weberrors`` family; ``Fetcher.fetch`` turns them into ``Reject`` rows.

A run fetches through one ``FetchSession``: one ``Fetcher`` on one event loop for the whole
run, so the per-host state of 2-3 (and the open connections) lasts across batches and is
shared by every source that names the same host. The session also heeds a run's stop request
(``flows.stopping``): a Ctrl-C cancels the batch's fetches in flight and pending within a
fraction of a second, instead of after the whole batch (50 URLs of one host at 1 s each).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import random
import ssl
import threading
import time
import zlib
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from flows.http.netsafety import Resolver, SafeNetworkBackend, check_url
from flows.http.robots import RobotsCache, RobotsRules, parse_robots
from flows.http.weberrors import (
    BadContentEncoding,
    ConnectFailed,
    DecompressionBomb,
    FetchTimeout,
    HTTPStatus,
    InvalidURL,
    RedirectLoop,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    TransientFetchError,
    UnsupportedContentType,
    WebError,
)
from flows.sources.files import RawPage, Reject
from flows.stopping import RunInterrupted, stop_requested
from warehouse.records import RejectReason, RejectStage

try:  # brotli is optional: without it we simply do not advertise "br"
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

__all__ = [
    "DEFAULT_USER_AGENT",
    "FEED_TYPES",
    "PAGE_TYPES",
    "FetchConfig",
    "FetchRequest",
    "FetchResult",
    "FetchSession",
    "Fetcher",
    "NotModified",
    "Politeness",
    "Validators",
    "fetch_all",
    "parse_retry_after",
    "run_sync",
    "sniff_binary",
]

_STOP_POLL_SECONDS = 0.1  # how often a session waiting on its fetches looks for a stop request
_CANCEL_WAIT_SECONDS = 5.0  # how long it then waits for the cancelled fetches to let go of their connections
DEFAULT_USER_AGENT = "newsingest/0.1 (+https://github.com/newsingest/newsingest)"
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
# Feeds and sitemaps arrive under many labels (and sometimes as text/html); the XML parser judges.
FEED_TYPES: frozenset[str] | None = None
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({408, 425, 429})
# Signatures of bodies that are never a web page, whatever the header claims.
_BINARY_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\x00\x00\x00", "binary data"),
)
# Headers describing the wire form of a body we hand on decoded.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


@dataclass(frozen=True, kw_only=True)
class Politeness:
    concurrency: int = 2  # requests in flight per host
    delay: float = 1.0  # minimum seconds between request starts on one host


@dataclass(frozen=True, kw_only=True)
class FetchConfig:
    user_agent: str = DEFAULT_USER_AGENT
    politeness: Politeness = field(default_factory=Politeness)
    max_connections: int = 16
    max_bytes: int = 10 * 2**20  # body as sent
    max_decoded_bytes: int = 10 * 2**20  # body after content decoding
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 0.5  # first retry waits about this long, doubling each time
    max_backoff: float = 30.0
    max_retry_after: float = 120.0  # a server asking for longer is given up on
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # per attempt, from connect to last body byte
    respect_robots: bool = True
    max_crawl_delay: float = 30.0
    allow_private_addresses: bool = False
    ca_file: str | None = None  # trust these CAs instead of the system's (an intranet's own CA)


@dataclass(frozen=True)
class Validators:
    """What we stored from the previous fetch, sent back for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class NotModified:
    """The server answered 304: the stored copy is current, nothing to parse."""

    uri: str
    input_source: str
    fetched_at: datetime
    final_url: str | None = None


@dataclass(frozen=True, kw_only=True)
class FetchRequest:
    url: str
    input_source: str
    validators: Validators | None = None
    politeness: Politeness | None = None
    allow_private: bool | None = None  # None: the config's setting


FetchResult = RawPage | NotModified | Reject
T = TypeVar("T")


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # HTTP numbers are ASCII digits ("¹" is a digit to isdigit)
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


# Added to a host's delay between request starts: the way of a request to the server (a new connection
# or a reused one, the scheduling of threads) varies by some milliseconds, and the promise is that the
# *server* sees the starts at least ``delay`` apart.
SPACING_SLACK = 0.05


class _Host:
    """Politeness state for one host: a semaphore, a start-time gate, robots rules."""

    def __init__(self, politeness: Politeness) -> None:
        self.slots = asyncio.Semaphore(max(1, politeness.concurrency))
        self.delay = max(0.0, politeness.delay)
        self.next_start = 0.0
        self.gate = asyncio.Lock()
        self.robots: RobotsRules | None = None
        self.robots_lock = asyncio.Lock()

    def hold(self, seconds: float) -> None:
        self.next_start = max(self.next_start, time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self.slots:
            async with self.gate:
                wait = self.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.next_start = time.monotonic() + (self.delay + SPACING_SLACK if self.delay else 0.0)
            yield


@dataclass
class _Response:
    url: str
    status: int
    headers: httpx.Headers
    content: bytes = b""
    location: str | None = None


class _BoundedDecoder:
    """Decompress one content coding with a hard cap on output size."""

    def __init__(self, coding: str, limit: int) -> None:
        self.coding = coding
        self.limit = limit
        self.total = 0
        self._zlib: zlib._Decompress | None = None
        self._raw_deflate = False
        self._brotli = None
        if coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif coding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        elif coding == "br" and brotli is not None:
            self._brotli = brotli.Decompressor()
        elif coding != "identity":
            raise BadContentEncoding(
                f"content coding {coding!r} not supported", reason=RejectReason.UNSUPPORTED_CONTENT_ENCODING
            )

    def _room(self) -> int:
        return self.limit - self.total + 1  # one byte over the limit proves the bomb

    def _take(self, out: bytes, parts: list[bytes]) -> None:
        self.total += len(out)
        if self.total > self.limit:
            raise DecompressionBomb(f"{self.coding} body expands beyond {self.limit} bytes")
        if out:
            parts.append(out)

    def feed(self, data: bytes) -> bytes:
        if self.coding == "identity":
            parts: list[bytes] = []
            self._take(data, parts)
            return data
        parts = []
        try:
            if self._brotli is not None:
                self._take(self._brotli.process(data, output_buffer_limit=self._room()), parts)
                while not self._brotli.can_accept_more_data():
                    self._take(self._brotli.process(b"", output_buffer_limit=self._room()), parts)
            else:
                self._feed_zlib(data, parts)
        except (zlib.error, getattr(brotli, "error", zlib.error)) as exc:
            raise BadContentEncoding(
                f"corrupt {self.coding} body: {exc}", reason=RejectReason.BAD_CONTENT_ENCODING
            ) from exc
        return b"".join(parts)

    def _feed_zlib(self, data: bytes, parts: list[bytes]) -> None:
        assert self._zlib is not None
        while data:
            if self._zlib.eof:
                if self.coding == "deflate" or not data.startswith(b"\x1f\x8b"):
                    return  # bytes after the end of the stream are ignored, as browsers do
                self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)  # concatenated gzip members are legal
            try:
                out = self._zlib.decompress(data, self._room())
            except zlib.error:
                # "deflate" is often sent without its zlib wrapper; retry once as raw deflate.
                if self.coding != "deflate" or self._raw_deflate or self.total:
                    raise
                self._raw_deflate = True
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._take(out, parts)
            # Input held back by the output cap, or what follows the end of this gzip member.
            data = self._zlib.unconsumed_tail or (self._zlib.unused_data if self._zlib.eof else b"")

    def finish(self) -> bytes:
        parts: list[bytes] = []
        if self._zlib is not None:
            self._take(self._zlib.flush(self._room()), parts)
        return b"".join(parts)


def _single_coding(headers: httpx.Headers) -> str:
    codings = [
        c.strip().lower()
        for value in headers.get_list("content-encoding")
        for c in value.split(",")
        if c.strip() and c.strip().lower() != "identity"
    ]
    if len(codings) > 1:
        # Legal HTTP, but the classic way to get one huge chunk out of a tiny body; no site needs it.
        raise BadContentEncoding(f"stacked content codings {codings}", reason=RejectReason.STACKED_CONTENT_ENCODING)
    return codings[0] if codings else "identity"


def sniff_binary(content: bytes) -> str | None:
    """What a body is when its first bytes say it is not text (PDF, image, archive), else None."""
    head = content[:8].lstrip()
    for magic, label in _BINARY_MAGIC:
        if head.startswith(magic):
            return label
    return None


class Fetcher:
    """Fetches pages for one run; robots.txt and politeness state live as long as it does.

    Use as ``async with Fetcher(config) as fetcher: await fetcher.fetch_many(requests)``.
    ``resolver`` replaces DNS (tests map made-up host names onto 127.0.0.1). ``robots_cache``
    lets several fetchers of one run share robots.txt, fetched once per host.
    """

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        resolver: Resolver | None = None,
        robots_cache: RobotsCache | None = None,
    ) -> None:
        self.config = config or FetchConfig()
        self._resolver = resolver
        self._robots_cache = RobotsCache() if robots_cache is None else robots_cache
        self._hosts: dict[str, _Host] = {}
        self._clients: dict[bool, httpx.AsyncClient] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    # -- public surface -------------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        *,
        source: str,
        validators: Validators | None = None,
        politeness: Politeness | None = None,
        allow_private: bool | None = None,
    ) -> FetchResult:
        """Fetch one page; every failure comes back as a ``Reject`` with a short reason."""
        try:
            return await self.fetch_or_raise(
                url,
                source=source,
                validators=validators,
                politeness=politeness,
                allow_private=allow_private,
            )
        except WebError as exc:
            return Reject(uri=url, input_source=source, stage=RejectStage.FETCH, reason=exc.reason, detail=str(exc))

    async def fetch_many(
        self, requests: Iterable[FetchRequest], *, on_result: Callable[[FetchResult], None] | None = None
    ) -> list[FetchResult]:
        """Fetch all, concurrently within the politeness limits; results in request order."""

        async def one(request: FetchRequest) -> FetchResult:
            result = await self.fetch(
                request.url,
                source=request.input_source,
                validators=request.validators,
                politeness=request.politeness,
                allow_private=request.allow_private,
            )
            if on_result is not None:
                on_result(result)
            return result

        return list(await asyncio.gather(*(one(r) for r in requests)))

    async def fetch_or_raise(
        self,
        url: str,
        *,
        source: str,
        validators: Validators | None = None,
        politeness: Politeness | None = None,
        allow_private: bool | None = None,
        accept: frozenset[str] | None = PAGE_TYPES,
        max_bytes: int | None = None,
    ) -> RawPage | NotModified:
        """Like ``fetch`` but raises; ``accept=None`` takes any content type (feeds, sitemaps)."""
        private = self.config.allow_private_addresses if allow_private is None else allow_private
        headers = validators.headers() if validators else {}
        response = await self._get(
            url,
            headers=headers,
            allow_private=private,
            politeness=politeness,
            accept=accept,
            max_bytes=max_bytes,
        )
        fetched_at = datetime.now(UTC)
        if response.status == 304:
            return NotModified(uri=url, input_source=source, fetched_at=fetched_at, final_url=response.url)
        kept = {k: v for k, v in response.headers.items() if k not in _WIRE_HEADERS}
        return RawPage(
            uri=url,
            content=response.content,
            input_source=source,
            fetched_at=fetched_at,
            content_type=response.headers.get("content-type"),
            headers=kept,
            final_url=response.url,
            status=response.status,
        )

    # -- the pipeline of one request ------------------------------------------------------

    async def _get(
        self,
        url: str,
        *,
        headers: dict[str, str],
        allow_private: bool,
        politeness: Politeness | None,
        accept: frozenset[str] | None,
        max_bytes: int | None = None,
        robots: bool = True,
    ) -> _Response:
        seen = {url}
        current = url
        for _hop in range(self.config.max_redirects + 1):
            check_url(current, allow_private=allow_private)
            host = self._host(current, politeness)
            if robots and self.config.respect_robots:
                rules = await self._robots(current, host, allow_private=allow_private)
                if rules.unreachable:
                    message = f"robots.txt unreachable, so nothing is fetched: {rules.unreachable}"
                    raise RobotsDisallowed(message, reason=RejectReason.ROBOTS_UNREACHABLE)
                if not rules.allows(_path(current)):
                    raise RobotsDisallowed(f"robots.txt disallows {current}")
            response = await self._with_retries(
                host,
                current,
                headers=headers,
                allow_private=allow_private,
                accept=accept,
                max_bytes=max_bytes,
            )
            if response.location is None:
                return response
            target = urljoin(current, response.location)
            if target in seen:
                raise RedirectLoop(f"{current} redirects back to {target}")
            seen.add(target)
            current = target
        raise TooManyRedirects(f"more than {self.config.max_redirects} redirects from {url}")

    async def _with_retries(self, host: _Host, url: str, **kwargs: object) -> _Response:
        cfg = self.config
        for attempt in range(cfg.retries + 1):
            try:
                return await self._attempt(host, url, **kwargs)  # type: ignore[arg-type]
            except TransientFetchError as exc:
                if exc.retry_after is not None:
                    # The host asked everyone to back off, not one URL: held even when this URL is given up.
                    host.hold(min(exc.retry_after, cfg.max_retry_after))
                if attempt == cfg.retries or (exc.retry_after or 0.0) > cfg.max_retry_after:
                    raise
                wait = min(cfg.max_backoff, cfg.backoff * 2**attempt) * random.uniform(0.5, 1.0)
                await asyncio.sleep(max(wait, exc.retry_after or 0.0))
        raise AssertionError("unreachable")

    async def _attempt(
        self,
        host: _Host,
        url: str,
        *,
        headers: dict[str, str],
        allow_private: bool,
        accept: frozenset[str] | None,
        max_bytes: int | None,
    ) -> _Response:
        client = self._client(allow_private)
        async with host.slot():
            try:
                async with asyncio.timeout(self.config.total_timeout):
                    async with client.stream("GET", url, headers=headers) as response:
                        return await self._read(response, url, accept=accept, max_bytes=max_bytes)
            except TimeoutError as exc:
                raise FetchTimeout(
                    f"{url}: no complete response within {self.config.total_timeout}s"
                ) from exc
            except httpx.TimeoutException as exc:
                raise FetchTimeout(f"{url}: {type(exc).__name__}") from exc
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise InvalidURL(f"{url}: {exc}") from exc
            except (httpx.TransportError, httpcore.ConnectError) as exc:
                raise ConnectFailed(f"{url}: {type(exc).__name__}: {exc}") from exc

    async def _read(
        self, response: httpx.Response, url: str, *, accept: frozenset[str] | None, max_bytes: int | None
    ) -> _Response:
        status = response.status_code
        if status in _REDIRECTS and response.headers.get("location"):
            return _Response(url, status, response.headers, location=response.headers["location"])
        if status == 304:
            return _Response(url, status, response.headers)
        if status in _RETRY_STATUSES or status >= 500:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            raise TransientFetchError(
                f"{url}: HTTP {status}", reason=RejectReason.http_status(status), retry_after=retry_after
            )
        if status >= 400 or status < 200:
            raise HTTPStatus(status, f"{url}: HTTP {status}")
        media = _media_type(response.headers.get("content-type"))
        if accept is not None and media is not None and media not in accept:
            raise UnsupportedContentType(f"{url}: content type {media}")
        content = await self._body(response, url, max_bytes=max_bytes)
        if accept is not None:
            label = sniff_binary(content)
            if label:
                raise UnsupportedContentType(f"{url}: body is {label} (declared {media or 'nothing'})")
        return _Response(url, status, response.headers, content=content)

    async def _body(self, response: httpx.Response, url: str, *, max_bytes: int | None) -> bytes:
        cap = self.config.max_bytes if max_bytes is None else max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > cap:
            raise TooLarge(f"{url}: Content-Length {declared} exceeds {cap} bytes")
        coding = _single_coding(response.headers)
        # Unencoded bodies are bounded by ``cap`` already; encoded ones by what they expand to.
        decoder = _BoundedDecoder(
            coding, limit=cap if coding == "identity" else self.config.max_decoded_bytes
        )
        received = 0
        parts: list[bytes] = []
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received > cap:
                raise TooLarge(f"{url}: body exceeds {cap} bytes")
            parts.append(decoder.feed(chunk))
        parts.append(decoder.finish())
        return b"".join(parts)

    # -- per-host state -------------------------------------------------------------------

    def _host(self, url: str, politeness: Politeness | None) -> _Host:
        key = urlsplit(url).netloc.lower()
        host = self._hosts.get(key)
        if host is None:
            # The first request to a host fixes its politeness for the run.
            host = self._hosts[key] = _Host(politeness or self.config.politeness)
        return host

    async def _robots(self, url: str, host: _Host, *, allow_private: bool) -> RobotsRules:
        async with host.robots_lock:
            if host.robots is None:
                key = urlsplit(url).netloc.lower()
                rules = self._robots_cache.get(key)
                if rules is None:
                    rules = await self._load_robots(url, allow_private=allow_private)
                    self._robots_cache.put(key, rules)
                host.robots = rules
                if host.robots.crawl_delay:
                    host.delay = max(host.delay, min(host.robots.crawl_delay, self.config.max_crawl_delay))
            return host.robots

    async def _load_robots(self, url: str, *, allow_private: bool) -> RobotsRules:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            response = await self._get(
                robots_url,
                headers={},
                allow_private=allow_private,
                politeness=None,
                accept=None,
                max_bytes=512 * 1024,
                robots=False,
            )
        except HTTPStatus:
            return RobotsRules()  # 4xx: no robots.txt, everything allowed (RFC 9309 2.3.1.3)
        except (TransientFetchError, TooLarge, BadContentEncoding, DecompressionBomb) as exc:
            # Unreachable: assume complete disallow (RFC 9309 2.3.1.4), and say why.
            return RobotsRules(disallow_all=True, unreachable=f"{exc.reason}: {exc}")
        return parse_robots(response.content.decode("utf-8", "replace"), self.config.user_agent)

    def _client(self, allow_private: bool) -> httpx.AsyncClient:
        client = self._clients.get(allow_private)
        if client is None:
            cfg = self.config
            transport = httpx.AsyncHTTPTransport(retries=0)
            # httpx has no public hook for the network backend, so swap in a pool built on the
            # safe one (httpx is pinned <0.29; tests/test_web_netsafety.py guards this).
            trust = ssl.create_default_context(cafile=cfg.ca_file) if cfg.ca_file else httpx.create_ssl_context()
            transport._pool = httpcore.AsyncConnectionPool(
                ssl_context=trust,
                max_connections=cfg.max_connections,
                max_keepalive_connections=cfg.max_connections,
                keepalive_expiry=5.0,
                network_backend=SafeNetworkBackend(allow_private=allow_private, resolver=self._resolver),
            )
            client = self._clients[allow_private] = httpx.AsyncClient(
                transport=transport,
                timeout=httpx.Timeout(
                    connect=cfg.connect_timeout,
                    read=cfg.read_timeout,
                    write=cfg.read_timeout,
                    pool=cfg.total_timeout,
                ),
                follow_redirects=False,
                trust_env=False,  # a proxy would hide the address we actually reach
                headers={
                    "User-Agent": cfg.user_agent,
                    "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1",
                    "Accept-Encoding": "gzip, deflate, br" if brotli is not None else "gzip, deflate",
                },
            )
        return client


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def fetch_all(
    requests: Sequence[FetchRequest],
    *,
    config: FetchConfig | None = None,
    resolver: Resolver | None = None,
    on_result: Callable[[FetchResult], None] | None = None,
    robots_cache: RobotsCache | None = None,
) -> list[FetchResult]:
    """Synchronous entry point for one batch on its own (a run keeps one ``FetchSession`` instead)."""
    with FetchSession(config, resolver=resolver, robots_cache=robots_cache) as session:
        return session.fetch_many(requests, on_result=on_result)


class FetchSession:
    """One ``Fetcher`` for a whole run, callable from plain (synchronous) code in any thread.

    The fetcher's per-host state (request spacing, concurrency slots, ``Retry-After`` holds,
    robots.txt) and its connections are bound to an event loop; the session keeps one loop
    running in its own thread for as long as the run lasts, so that state outlives each batch
    (before, every batch began with a fresh fetcher and the first request of a batch could
    follow the previous batch's last one at once). Use it as a context manager, or ``close`` it.
    """

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        resolver: Resolver | None = None,
        robots_cache: RobotsCache | None = None,
    ) -> None:
        self.config = config or FetchConfig()
        self.fetcher = Fetcher(self.config, resolver=resolver, robots_cache=robots_cache)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fetch-session", daemon=True)
        self._thread.start()

    def run(self, work: Callable[[Fetcher], Coroutine[Any, Any, T]]) -> T:
        """``work(fetcher)`` run to completion on the session's loop; blocks the calling thread.

        A stop request (``flows.stopping``) cancels it: the requests in flight are dropped, the
        pending ones never start, and ``RunInterrupted`` is raised here. Nothing of the work
        is kept (its pages are archived only when their batch is loaded), so the next run fetches
        those URLs again.
        """
        if self._loop.is_closed():
            raise RuntimeError("the fetch session is closed")
        done = threading.Event()
        future = asyncio.run_coroutine_threadsafe(self._until_done(work, done), self._loop)
        while True:
            try:
                return future.result(timeout=_STOP_POLL_SECONDS)
            except concurrent.futures.TimeoutError:
                signum = stop_requested()
                if signum is None:
                    continue
            future.cancel()
            done.wait(_CANCEL_WAIT_SECONDS)  # the cancelled task has closed its streams
            raise RunInterrupted(signum)

    async def _until_done(self, work: Callable[[Fetcher], Coroutine[Any, Any, T]], done: threading.Event) -> T:
        try:
            return await work(self.fetcher)
        finally:
            done.set()

    def fetch_many(
        self, requests: Iterable[FetchRequest], *, on_result: Callable[[FetchResult], None] | None = None
    ) -> list[FetchResult]:
        return self.run(lambda fetcher: fetcher.fetch_many(requests, on_result=on_result))

    def close(self) -> None:
        if self._loop.is_closed():
            return
        try:
            self.run(lambda fetcher: fetcher.aclose())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def __enter__(self) -> FetchSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion from sync code, even when this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as pool:  # e.g. called from inside an async flow
        return pool.submit(lambda: asyncio.run(make())).result()
