"""One exception family for everything that meets the web.

    WebError                    every error below carries a short ``reason`` code
    ├── UnsafeURL               refused before any byte is sent
    │   ├── UnsupportedScheme       reason "unsupported_scheme"
    │   ├── InvalidURL              reason "invalid_url"
    │   └── BlockedAddress          reason "blocked_address"
    ├── FetchError              the exchange itself failed
    │   ├── TransientFetchError     may succeed on a retry (timeouts, 429, 5xx, resets)
    │   │   ├── FetchTimeout            reason "timeout"
    │   │   └── ConnectFailed           reason "connect_error"
    │   ├── UnresolvableHost        reason "dns_error"
    │   ├── HTTPStatus              reason "http_<code>"
    │   ├── RobotsDisallowed        reason "robots_disallowed" | "robots_unreachable"
    │   ├── TooLarge                reason "too_large"
    │   ├── DecompressionBomb       reason "decompression_bomb"
    │   ├── BadContentEncoding      reason "stacked_content_encoding" | "unsupported_content_encoding" | ...
    │   ├── UnsupportedContentType  reason "unsupported_content_type"
    │   ├── RedirectLoop            reason "redirect_loop"
    │   └── TooManyRedirects        reason "too_many_redirects"
    ├── DiscoveryError          a feed, sitemap or URL list could not be read (reason "not_a_feed", ...)
    └── SourcesError            ``sources.toml`` is invalid (reason "invalid_sources")

The ``reason`` is what lands in the ``rejects`` table, so it is short, stable and
machine-friendly; the message says the rest.
"""

from __future__ import annotations

__all__ = [
    "BadContentEncoding",
    "BlockedAddress",
    "ConnectFailed",
    "DecompressionBomb",
    "DiscoveryError",
    "FetchError",
    "FetchTimeout",
    "HTTPStatus",
    "InvalidURL",
    "RedirectLoop",
    "RobotsDisallowed",
    "SourcesError",
    "TooLarge",
    "TooManyRedirects",
    "TransientFetchError",
    "UnsafeURL",
    "UnsupportedContentType",
    "UnresolvableHost",
    "UnsupportedScheme",
    "WebError",
]


class WebError(Exception):
    """Base of the family; ``reason`` is a short code such as ``"too_large"``."""

    reason: str = "web_error"

    def __init__(self, message: str = "", *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class UnsafeURL(WebError):
    reason = "unsafe_url"


class UnsupportedScheme(UnsafeURL):
    reason = "unsupported_scheme"


class InvalidURL(UnsafeURL):
    reason = "invalid_url"


class BlockedAddress(UnsafeURL):
    reason = "blocked_address"


class FetchError(WebError):
    reason = "fetch_error"


class TransientFetchError(FetchError):
    """Worth retrying; ``retry_after`` (seconds) is the server's wish, if it stated one."""

    reason = "transient_error"

    def __init__(self, message: str = "", *, reason: str | None = None, retry_after: float | None = None):
        super().__init__(message, reason=reason)
        self.retry_after = retry_after


class FetchTimeout(TransientFetchError):
    reason = "timeout"


class ConnectFailed(TransientFetchError):
    reason = "connect_error"


class UnresolvableHost(FetchError):
    reason = "dns_error"


class HTTPStatus(FetchError):
    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message or f"HTTP {status}", reason=f"http_{status}")
        self.status = status


class RobotsDisallowed(FetchError):
    reason = "robots_disallowed"


class TooLarge(FetchError):
    reason = "too_large"


class DecompressionBomb(FetchError):
    reason = "decompression_bomb"


class BadContentEncoding(FetchError):
    reason = "bad_content_encoding"


class UnsupportedContentType(FetchError):
    reason = "unsupported_content_type"


class RedirectLoop(FetchError):
    reason = "redirect_loop"


class TooManyRedirects(FetchError):
    reason = "too_many_redirects"


class DiscoveryError(WebError):
    reason = "discovery_error"


class SourcesError(WebError):
    reason = "invalid_sources"
