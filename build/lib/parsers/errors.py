"""Errors the parsers raise. Callers catch ``ParseError`` and get every case.

    ParseError
    ├── EmptyDocument        nothing to parse (empty or whitespace only)
    ├── UnsupportedContent   binary or otherwise not a page (PDF, image, archive ...)
    └── DocumentTooLarge     over the size the parser accepts
"""

from __future__ import annotations

__all__ = ["DocumentTooLarge", "EmptyDocument", "ParseError", "UnsupportedContent"]


class ParseError(Exception):
    """A page that cannot become an article. ``reason`` is a short stable code for reject rows."""

    reason = "parse_error"


class EmptyDocument(ParseError):
    reason = "empty_document"


class UnsupportedContent(ParseError):
    reason = "unsupported_content"


class DocumentTooLarge(ParseError):
    reason = "document_too_large"
