"""Refuse to reach private networks from URLs we did not write ourselves.

A feed or sitemap can name any URL; fetching it blindly would let a hostile feed make us
talk to the metadata service, the router or localhost (server-side request forgery). Three
gates, each cheap:

1. ``check_url``: only http/https, a host, and no host that *spells* a non-global address
   (``localhost``, ``127.1``, ``0x7f000001``, ``2130706433``, ``0177.0.0.1``,
   ``[::ffff:127.0.0.1]``, NAT64 ``64:ff9b::/96`` and 6to4 ``2002::/16`` wrapping a private
   IPv4, ...). Runs before any network activity, so a refused URL sends nothing.
2. ``resolve_checked``: every address the name resolves to must be global.
3. ``SafeNetworkBackend``: the httpcore backend connects to the *checked* address, never
   re-resolving (a name can answer differently the second time), then checks the peer
   address of the open socket once more. Redirect hops go through the same gates because
   every request does.

Everything raises ``BlockedAddress`` / ``UnsupportedScheme`` / ``InvalidURL``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore

from flows.http.weberrors import BlockedAddress, InvalidURL, UnresolvableHost, UnsupportedScheme

__all__ = [
    "IPAddress",
    "Resolver",
    "SafeNetworkBackend",
    "address_problem",
    "check_address",
    "check_url",
    "parse_host_address",
    "resolve_checked",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
# Names that mean "this machine" or are never public, whatever DNS says.
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT; also Alibaba's metadata
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_SIXTOFOUR = ipaddress.ip_network("2002::/16")
_V4_COMPAT = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible form ::a.b.c.d
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}

# WHATWG-style IPv4 spellings: 1 to 4 dot-separated numbers in decimal, octal (0...) or hex (0x...).
_IPV4_PART = re.compile(r"^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$")


def parse_host_address(host: str) -> IPAddress | None:
    """The address ``host`` spells, in any spelling a resolver would accept, else None."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    host = host.rstrip(".")
    if "%" in host:  # IPv6 zone id: fe80::1%eth0
        host = host.split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(_IPV4_PART.match(p) for p in parts):
        return None
    numbers = []
    for part in parts:
        if part[:2] in ("0x", "0X"):
            numbers.append(int(part[2:] or "0", 16))
        elif len(part) > 1 and part.startswith("0"):
            numbers.append(int(part, 8))
        else:
            numbers.append(int(part))
    # inet_aton: the last number fills all remaining bytes ("127.1" is 127.0.0.1).
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(numbers)) + last
    return ipaddress.IPv4Address(value)


def address_problem(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public unicast address (a short phrase), or None if it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = None
        if ip.ipv4_mapped is not None:
            embedded = ip.ipv4_mapped
        elif ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip.sixtofour is not None:
            embedded = ip.sixtofour
        elif ip in _V4_COMPAT and int(ip) > 1:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = address_problem(embedded)
            return f"{inner} (embedded in {ip})" if inner else None
        if ip in _NAT64_LOCAL:
            return "local-use NAT64"
        if ip.teredo is not None:
            return "teredo tunnel"
    if ip in _METADATA:
        return "cloud metadata service"
    for label, flag in (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flag:
            return label
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared address space (100.64/10)"
    if not ip.is_global:
        return "not globally routable"
    return None


def check_address(ip: IPAddress, *, allow_private: bool = False, host: str = "") -> None:
    """Raise ``BlockedAddress`` unless ``ip`` is global or private addresses are allowed."""
    if allow_private:
        return
    problem = address_problem(ip)
    if problem:
        where = f"{host} -> {ip}" if host and host != str(ip) else str(ip)
        raise BlockedAddress(f"{where} is {problem}")


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Refuse, without touching the network, URLs we must never request."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise InvalidURL(f"{url!r}: {exc}") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsupportedScheme(f"{url!r}: only http and https are fetched")
    if not host:
        raise InvalidURL(f"{url!r} has no host")
    if allow_private:
        return
    name = host.rstrip(".").lower()
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        raise BlockedAddress(f"{host} names a local machine")
    ip = parse_host_address(host)
    if ip is not None:
        check_address(ip, host=host)


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def resolve_checked(
    host: str, port: int, *, allow_private: bool = False, resolver: Resolver | None = None
) -> list[IPAddress]:
    """Addresses of ``host``; all of them must pass ``check_address`` (one bad answer taints the name)."""
    literal = parse_host_address(host)
    if literal is not None:
        check_address(literal, allow_private=allow_private, host=host)
        return [literal]
    try:
        answers = await (resolver or system_resolver)(host, port)
    except socket.gaierror as exc:
        if exc.errno == socket.EAI_AGAIN:  # resolver temporarily failing: worth a retry
            raise httpcore.ConnectError(f"cannot resolve {host} right now: {exc}") from exc
        raise UnresolvableHost(f"cannot resolve {host}: {exc}") from exc
    except OSError as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    addresses = _unique(ipaddress.ip_address(a.split("%", 1)[0]) for a in answers)
    if not addresses:
        raise httpcore.ConnectError(f"{host} has no address")
    for ip in addresses:
        check_address(ip, allow_private=allow_private, host=host)
    return addresses


def _unique(items: Iterable[IPAddress]) -> list[IPAddress]:
    return list(dict.fromkeys(items))


class SafeNetworkBackend(httpcore.AsyncNetworkBackend):
    """httpcore backend that only opens TCP connections to checked addresses.

    TLS still verifies the certificate against the URL's host name: httpcore passes the
    origin's host to ``start_tls`` separately from the address we connect to.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        resolver: Resolver | None = None,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._allow_private = allow_private
        self._resolver = resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve_checked(
            host, port, allow_private=self._allow_private, resolver=self._resolver
        )
        last_error: Exception | None = None
        for ip in addresses:
            try:
                stream = await self._inner.connect_tcp(
                    str(ip), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            try:
                self._check_peer(stream, host)
            except BaseException:
                await stream.aclose()
                raise
            return stream
        assert last_error is not None
        raise last_error

    def _check_peer(self, stream: httpcore.AsyncNetworkStream, host: str) -> None:
        peer = stream.get_extra_info("server_addr")
        if not peer:  # no socket to ask (test doubles); the address was checked before connecting
            return
        check_address(
            ipaddress.ip_address(str(peer[0]).split("%", 1)[0]), allow_private=self._allow_private, host=host
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress(f"unix socket {path} refused")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
