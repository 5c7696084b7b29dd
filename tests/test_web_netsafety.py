"""SSRF guard: refused spellings, DNS answers, and the address actually connected to."""

from __future__ import annotations

import asyncio
import ipaddress

import httpcore
import pytest

from flows.http.fetch import FetchConfig, Fetcher, Politeness
from flows.http.netsafety import (
    SafeNetworkBackend,
    address_problem,
    check_url,
    parse_host_address,
    resolve_checked,
)
from flows.http.weberrors import BlockedAddress, InvalidURL, UnsupportedScheme
from tests.web_server import Reply, Site, serve

LOOPBACK_SPELLINGS = [
    "127.0.0.1",
    "localhost",
    "LOCALHOST.",
    "sub.localhost",
    "0x7f000001",
    "2130706433",
    "0177.0.0.1",
    "127.1",
    "0x7f.0.0.1",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[::127.0.0.1]",
    "[64:ff9b::127.0.0.1]",
    "[2002:7f00:1::]",
    "0.0.0.0",
    "0",
]
OTHER_BLOCKED = [
    "169.254.169.254",  # cloud metadata
    "[fd00:ec2::254]",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "100.64.0.1",  # shared address space
    "100.100.100.200",
    "[fe80::1]",
    "[fc00::1]",
    "224.0.0.1",
    "255.255.255.255",
    "[64:ff9b::10.0.0.1]",  # NAT64 wrapping a private address
    "[64:ff9b::a9fe:a9fe]",
    "[2002:c0a8:0101::1]",  # 6to4 wrapping 192.168.1.1
    "[2001:0::1]",  # Teredo
    "metadata.internal",
]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS + OTHER_BLOCKED)
def test_non_global_hosts_are_refused_whatever_the_spelling(host: str) -> None:
    with pytest.raises(BlockedAddress):
        check_url(f"http://{host}:8080/x")
    check_url(f"http://{host}:8080/x", allow_private=True)  # the flag lets them through


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "93.184.215.14",
        "[2606:2800:21f:cb07:6820:80da:af6b:8b2c]",
        "[64:ff9b::8.8.8.8]",
        "0x5db8d70e",
    ],
)
def test_global_hosts_pass(host: str) -> None:
    check_url(f"https://{host}/")


@pytest.mark.parametrize("spelling", ["0x7f000001", "2130706433", "0177.0.0.1", "127.1", "0x7f.1"])
def test_numeric_spellings_parse_like_inet_aton(spelling: str) -> None:
    assert parse_host_address(spelling) == ipaddress.ip_address("127.0.0.1")


@pytest.mark.parametrize("name", ["example.com", "1.2.3.4.5", "256.1.1.1", "0x1g", "deadbeef", "12a"])
def test_names_are_not_mistaken_for_addresses(name: str) -> None:
    assert parse_host_address(name) is None


def test_embedded_public_v4_is_fine_and_reasons_are_readable() -> None:
    assert address_problem(ipaddress.ip_address("64:ff9b::808:808")) is None
    assert "loopback" in (address_problem(ipaddress.ip_address("::ffff:127.0.0.1")) or "")
    assert "metadata" in (address_problem(ipaddress.ip_address("169.254.169.254")) or "")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/", "gopher://x/", "javascript:alert(1)"]
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(UnsupportedScheme):
        check_url(url, allow_private=True)


@pytest.mark.parametrize("url", ["http:///nohost", "http://example.com:99999/"])
def test_malformed_urls(url: str) -> None:
    with pytest.raises(InvalidURL):
        check_url(url)


def test_one_private_dns_answer_taints_the_name() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.0.0.7"]

    with pytest.raises(BlockedAddress, match="10.0.0.7"):
        asyncio.run(resolve_checked("mixed.example", 80, resolver=resolver))


class _FakeStream(httpcore.AsyncNetworkStream):
    def __init__(self, peer: str) -> None:
        self.peer = peer
        self.closed = False

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        pass

    async def aclose(self) -> None:
        self.closed = True

    def get_extra_info(self, info: str) -> object:
        return (self.peer, 80) if info == "server_addr" else None


class _FakeBackend(httpcore.AsyncNetworkBackend):
    """Connects 'somewhere else' than asked, as a rebinding resolver or odd routing might."""

    def __init__(self, peer: str) -> None:
        self.peer = peer
        self.asked: list[str] = []
        self.streams: list[_FakeStream] = []

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):  # type: ignore[no-untyped-def]
        self.asked.append(host)
        self.streams.append(_FakeStream(self.peer))
        return self.streams[-1]


def test_backend_connects_to_the_checked_address_and_checks_the_peer() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14"]

    inner = _FakeBackend(peer="127.0.0.1")
    backend = SafeNetworkBackend(resolver=resolver, inner=inner)
    with pytest.raises(BlockedAddress, match="127.0.0.1"):
        asyncio.run(backend.connect_tcp("news.example", 80))
    assert inner.asked == ["93.184.215.14"]  # the checked address, not the name again
    assert inner.streams[0].closed

    honest = _FakeBackend(peer="93.184.215.14")
    stream = asyncio.run(SafeNetworkBackend(resolver=resolver, inner=honest).connect_tcp("news.example", 80))
    assert stream is honest.streams[0]


def test_fetcher_uses_the_safe_backend_for_names_resolving_to_loopback() -> None:
    """Guards the transport wiring in flows.http.fetch: a harmless-looking name that resolves to
    127.0.0.1 is refused at connect time, and the server never sees a request."""

    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    site = Site({"/": Reply.html("<p>hi</p>")})
    with serve(site):

        async def go() -> tuple[object, object]:
            async with Fetcher(
                FetchConfig(respect_robots=False, retries=0, politeness=Politeness(delay=0)),
                resolver=resolver,
            ) as fetcher:
                refused = await fetcher.fetch(site.url("/", host="news.example"), source="t")
                allowed = await fetcher.fetch(
                    site.url("/", host="news.example"), source="t", allow_private=True
                )
                return refused, allowed

        refused, allowed = asyncio.run(go())
    assert getattr(refused, "reason", None) == "blocked_address"
    assert getattr(allowed, "status", None) == 200
    assert site.paths() == ["/"]  # only the allowed request arrived


def test_unknown_names_fail_fast_without_retries() -> None:
    async def go() -> object:
        config = FetchConfig(respect_robots=False, retries=3, backoff=5)
        async with Fetcher(config) as fetcher:
            return await fetcher.fetch("http://no-such-host.invalid/", source="t")

    result = asyncio.run(go())
    assert getattr(result, "reason", None) == "dns_error"
