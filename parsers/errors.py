"""Errors the parsers raise. Callers catch ``ParseError`` and get every case.

    ParseError
    ├── EmptyDocument        nothing to parse (empty or whitespace only)
    ├── UnsupportedContent   binary or otherwise not a page (PDF, image, archive ...)
    └── DocumentTooLarge     over the size the parser accepts
"""

from __future__ import annotations

__all__ = ["DocumentTooLarge", "EmptyDocument", "ParseError", "UnsupportedContent"]


class ParseError(Exception):
    """A page that cannot become an article. ``reason`` is the short stable code of its reject row.

    Each kind below names its code, one of the parse reasons ``warehouse.reject_codes`` declares
    (the parsers stay below the warehouse, so the codes are written here; tests/test_reject_codes.py
    checks each is declared there).
    """

    reason: str


class EmptyDocument(ParseError):
    reason = "empty_document"


class UnsupportedContent(ParseError):
    reason = "unsupported_content"


class DocumentTooLarge(ParseError):
    reason = "document_too_large"
