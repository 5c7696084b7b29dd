"""What a reject row says: its stage and its reason, each declared once, with what it means.

``rejects.stage`` is a ``RejectStage``, ``rejects.reason`` a ``RejectReason`` or a code of a family with a
parameter, made by a typed constructor: ``RejectReason.http_status(404)`` is ``"http_404"``. The
``reject_stages`` table and the ``reject_reasons`` view (migrations 075, 088) hold the same lists, so an
analyst joins ``rejects`` to them for the meaning; tests/test_reject_codes.py checks the schema, the code
paths that make rejects and this module agree. A new reason is a member here and a new migration that
writes the view's rows again (``reason_rows()`` gives them).

Stages and reasons are ``StrEnum``s: a reason is its code wherever a string goes (the warehouse
column, the run summary, a log line), so the stored values are the short codes they always were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

__all__ = [
    "HTTPStatusReason", "Reason", "ReasonRow", "RejectReason", "RejectStage", "reason_rows", "reject_reason",
]


class RejectStage(StrEnum):
    """Where a page was rejected: the ``reject_stages`` table's list (migration 075)."""

    DISCOVER = "discover"
    READ = "read"
    FETCH = "fetch"
    PARSE = "parse"
    ENTITIES = "entities"
    LOAD = "load"


def _stages(names: str) -> frozenset[RejectStage]:
    return frozenset(RejectStage(name) for name in names.split())


class RejectReason(StrEnum):
    """Every reason a page can be rejected for: its code, the stages it occurs at, what it means."""

    stages: frozenset[RejectStage]
    description: str

    def __new__(cls, code: str, stages: str, description: str) -> RejectReason:
        member = str.__new__(cls, code)
        member._value_ = code
        member.stages = _stages(stages)
        member.description = description
        return member

    # Inputs that could not be listed (folders, URL lists, feeds, sitemaps).
    PATH_NOT_FOUND = "path_not_found", "discover", "a named file, folder or URL list that does not exist"
    BROKEN_LINK = "broken_link", "discover", "a symbolic link in a folder whose target is missing"
    NOT_A_FILE = "not_a_file", "discover", "a folder entry that is no regular file (a FIFO, a socket, a device)"
    NOT_A_FEED = "not_a_feed", "discover", "a feed URL that serves something else (an HTML page, another XML)"
    NOT_A_SITEMAP = "not_a_sitemap", "discover", "a sitemap URL that serves something else (an HTML page, another XML)"
    EMPTY = "empty", "discover", "a feed or sitemap with an empty body"
    MALFORMED_XML = "malformed_xml", "discover", "a feed or sitemap whose XML (or gzip) cannot be read"
    SITEMAP_TOO_DEEP = "sitemap_too_deep", "discover", "a sitemap nested deeper in sitemap indexes than the limit"
    TOO_MANY_SITEMAPS = "too_many_sitemaps", "discover", "a sitemap left unread: the walk reached its sitemap limit"
    # Refused before a byte is sent.
    INVALID_URL = "invalid_url", "discover fetch", "not a valid http(s) URL (a URL list line, a link, a redirect)"
    UNSUPPORTED_SCHEME = "unsupported_scheme", "discover fetch", "a URL of another scheme than http or https"
    BLOCKED_ADDRESS = "blocked_address", "discover fetch", "a host on a private, local or reserved address"
    ROBOTS_DISALLOWED = "robots_disallowed", "discover fetch", "robots.txt disallows the URL"
    ROBOTS_UNREACHABLE = "robots_unreachable", "discover fetch", "robots.txt could not be read, so nothing is fetched"
    # The exchange failed.
    TIMEOUT = "timeout", "discover fetch", "the server did not answer in time (after the retries)"
    CONNECT_ERROR = "connect_error", "discover fetch", "no connection to the server (after the retries)"
    DNS_ERROR = "dns_error", "discover fetch", "the host name does not resolve"
    REDIRECT_LOOP = "redirect_loop", "discover fetch", "redirects that lead back to a URL already visited"
    TOO_MANY_REDIRECTS = "too_many_redirects", "discover fetch", "more redirects than the limit"
    # The body could not be taken.
    TOO_LARGE = "too_large", "discover read fetch", "over a size limit: a file, an archive record, a body or a listing"
    DECOMPRESSION_BOMB = "decompression_bomb", "discover fetch", "a compressed body that expands beyond the limit"
    BAD_CONTENT_ENCODING = "bad_content_encoding", "discover fetch", "a compressed body that is corrupt"
    STACKED_CONTENT_ENCODING = (
        "stacked_content_encoding", "discover fetch", "a body compressed twice or more (stacked content codings)"
    )
    UNSUPPORTED_CONTENT_ENCODING = (
        "unsupported_content_encoding", "discover fetch", "a body compressed with a coding not read here"
    )
    UNSUPPORTED_CONTENT_TYPE = (
        "unsupported_content_type", "read fetch", "not a page: declared or sniffed as another type (PDF, image)"
    )
    # Files and archives that could not be read.
    UNREADABLE = "unreadable", "read", "a file the operating system would not read"
    BAD_GZIP = "bad_gzip", "read", "a gzipped page file that is corrupt or cut short"
    CORRUPT_WARC = "corrupt_warc", "read", "a WARC archive damaged here: the rest of it is not read"
    TRUNCATED_WARC = "truncated_warc", "read", "a WARC archive that ends inside this record: the rest is lost"
    WARC_REVISIT = "warc_revisit", "read", "a WARC revisit record: the archive holds no body for it"
    UNSUPPORTED_WARC_RECORD = (
        "unsupported_warc_record", "read", "a WARC record with no HTTP response (a resource record, no valid status)"
    )
    # Pages that did not become articles (the parser's own reasons are ``parsers.errors``' codes).
    EMPTY_DOCUMENT = "empty_document", "parse", "no article text on the page (empty, no parsable HTML, only furniture)"
    UNSUPPORTED_CONTENT = "unsupported_content", "parse", "binary content, not HTML or text"
    DOCUMENT_TOO_LARGE = "document_too_large", "parse", "a page over the size the parser accepts"
    PARSER_ERROR = "parser_error", "parse", "the parser failed on the page (a bug, in the detail)"
    PARSE_TIMEOUT = "parse_timeout", "parse", "the parser took longer than its limit, twice"
    PARSE_CRASHED = "parse_crashed", "parse", "the parser's worker process died on the page, twice"
    TOO_MUCH_MEMORY = "too_much_memory", "parse entities", "the worker needed more memory than its limit"
    # Articles whose entities could not be found.
    ENTITIES_TIMEOUT = "entities_timeout", "entities", "entity finding took longer than its limit, twice"
    ENTITIES_CRASHED = "entities_crashed", "entities", "the entity worker process died on the article, twice"
    ENTITIES_ERROR = "entities_error", "entities", "entity finding failed on the article (a bug, in the detail)"

    @staticmethod
    def http_status(status: int) -> HTTPStatusReason:
        """``http_<status>``: the server, or the archived response, gave this status instead of a page."""
        return HTTPStatusReason(status)

    @classmethod
    def not_a(cls, what: str) -> RejectReason:
        """``not_a_<what>``: a ``what`` (file, feed, sitemap) that is something else; only those three."""
        if (reason := _BY_CODE.get(f"not_a_{what}")) is None:
            raise ValueError(f"no reject reason not_a_{what}: a file, a feed or a sitemap can be something else")
        return reason


class HTTPStatusReason(str):
    """``http_<status>``, the one family of reasons with a parameter: ``RejectReason.http_status(404)``.

    The status is three digits as a server sends it, or 0 for an archived response that gives none.
    """

    __slots__ = ()
    family = "http_<status>"
    pattern = "http_%"  # the family's rows in ``reject_reasons``: ``rejects.reason LIKE pattern``
    stages = _stages("discover read fetch")
    description = "the server, or the archived response, gave this HTTP status, not a page (http_404: not found)"

    def __new__(cls, status: int) -> HTTPStatusReason:
        if not cls.accepts(status):
            raise ValueError(f"not an HTTP status for a reject reason: {status!r}")
        return super().__new__(cls, f"http_{status}")

    @staticmethod
    def accepts(status: object) -> bool:
        return isinstance(status, int) and not isinstance(status, bool) and (status == 0 or 100 <= status <= 999)

    @property
    def status(self) -> int:
        return int(self.removeprefix("http_"))

    def __getnewargs__(self) -> tuple[int]:  # type: ignore[override]  # pickled by its status, as made
        return (self.status,)


Reason = RejectReason | HTTPStatusReason
_HTTP_CODE = re.compile(r"http_(0|[1-9][0-9]{2})")
_BY_CODE = {reason.value: reason for reason in RejectReason}  # RejectReason(code), which mypy reads as __new__


class _Described(Protocol):
    stages: frozenset[RejectStage]
    description: str


def reject_reason(code: str) -> Reason:
    """The catalogued reason a code names (a ``Reason`` comes back as it is); ``ValueError`` for any other."""
    if isinstance(code, RejectReason | HTTPStatusReason):
        return code
    if (match := _HTTP_CODE.fullmatch(code)) is not None:
        return HTTPStatusReason(int(match.group(1)))
    if (reason := _BY_CODE.get(code)) is None:
        raise ValueError(f"{code!r} is no reject reason: declare it in warehouse.reject_codes")
    return reason


@dataclass(frozen=True)
class ReasonRow:
    """One row of the ``reject_reasons`` view: a reason (or a family's LIKE pattern) at one stage."""

    reason: str
    stage: RejectStage
    family: str | None  # how a family's codes are made ("http_<status>"); None for a plain reason
    description: str


def reason_rows() -> list[ReasonRow]:
    """The catalogue as the ``reject_reasons`` view holds it, in stage order, then by reason."""
    entries: list[tuple[str, str | None, _Described]] = [(reason.value, None, reason) for reason in RejectReason]
    entries.append((HTTPStatusReason.pattern, HTTPStatusReason.family, HTTPStatusReason))
    order = list(RejectStage)
    rows = [
        ReasonRow(code, stage, family, about.description)
        for code, family, about in entries
        for stage in about.stages
    ]
    return sorted(rows, key=lambda row: (order.index(row.stage), row.reason))
