"""One exception family for everything that meets the web.

    WebError                    every error below but SourcesError carries a ``reason`` for its reject row
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
    └── SourcesError            ``sources.toml`` is invalid: the run stops before any page (no reason)

The ``reason`` is what lands in the ``rejects`` table: a ``warehouse.reject_codes`` reason, short,
stable and machine-friendly; the message says the rest. A kind of error names its reason below;
a base raised as it is (a 429 as a ``TransientFetchError``, a listing as a ``DiscoveryError``) is
given one by the code that raises it.
"""

from __future__ import annotations

from warehouse.reject_codes import Reason, RejectReason

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
    """Base of the family; ``reason`` is the reject reason, such as ``RejectReason.TOO_LARGE``."""

    reason: Reason

    def __init__(self, message: str = "", *, reason: Reason | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class UnsafeURL(WebError):
    pass


class UnsupportedScheme(UnsafeURL):
    reason = RejectReason.UNSUPPORTED_SCHEME


class InvalidURL(UnsafeURL):
    reason = RejectReason.INVALID_URL


class BlockedAddress(UnsafeURL):
    reason = RejectReason.BLOCKED_ADDRESS


class FetchError(WebError):
    pass


class TransientFetchError(FetchError):
    """Worth retrying; ``retry_after`` (seconds) is the server's wish, if it stated one."""

    def __init__(self, message: str = "", *, reason: Reason | None = None, retry_after: float | None = None):
        super().__init__(message, reason=reason)
        self.retry_after = retry_after


class FetchTimeout(TransientFetchError):
    reason = RejectReason.TIMEOUT


class ConnectFailed(TransientFetchError):
    reason = RejectReason.CONNECT_ERROR


class UnresolvableHost(FetchError):
    reason = RejectReason.DNS_ERROR


class HTTPStatus(FetchError):
    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message or f"HTTP {status}", reason=RejectReason.http_status(status))
        self.status = status


class RobotsDisallowed(FetchError):
    reason = RejectReason.ROBOTS_DISALLOWED


class TooLarge(FetchError):
    reason = RejectReason.TOO_LARGE


class DecompressionBomb(FetchError):
    reason = RejectReason.DECOMPRESSION_BOMB


class BadContentEncoding(FetchError):
    reason = RejectReason.BAD_CONTENT_ENCODING


class UnsupportedContentType(FetchError):
    reason = RejectReason.UNSUPPORTED_CONTENT_TYPE


class RedirectLoop(FetchError):
    reason = RejectReason.REDIRECT_LOOP


class TooManyRedirects(FetchError):
    reason = RejectReason.TOO_MANY_REDIRECTS


class DiscoveryError(WebError):
    pass


class SourcesError(WebError):
    """Not about a page: the run stops before reading any, so this error never becomes a reject row."""
