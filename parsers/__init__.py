"""Pure functions from page bytes or text to clean articles. No I/O.

    >>> from parsers import extract_article
    >>> article = extract_article(html_bytes, url="https://example.org/story")
    >>> article.title, article.published_at, article.body

``extract_article`` tells HTML from a plain-text dump by content, decodes bytes
(HTTP charset, BOM, ``<meta>``, detection) and returns a frozen ``Article``.
Everything that cannot become an article raises a ``ParseError`` subclass whose
``reason`` is a short code for the warehouse's reject rows.
"""

from __future__ import annotations

from dataclasses import replace

from parsers.article import Article
from parsers.charset import decode_html
from parsers.detect import ContentKind, sniff_content
from parsers.errors import DocumentTooLarge, EmptyDocument, ParseError, UnsupportedContent
from parsers.html import extract_html
from parsers.language import guess_language
from parsers.sites import SiteProfile
from parsers.textdump import clean_text_dump

__all__ = [
    "Article",
    "ContentKind",
    "DocumentTooLarge",
    "EmptyDocument",
    "ParseError",
    "UnsupportedContent",
    "clean_text_dump",
    "extract_article",
    "extract_html",
    "sniff_content",
]

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def extract_article(
    content: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    language: str | None = None,
    profile: SiteProfile | None = None,
) -> Article:
    """One page (HTML or a plain-text dump) as a clean ``Article``.

    ``content_type`` is the HTTP Content-Type header, when the page came over HTTP.
    ``language`` is the page's language as known from elsewhere (its source, an HTTP header):
    used when the page states none, before guessing from the text. ``profile`` is a site
    profile to apply whatever the URL's host (else one is chosen by host).
    Raises ``ParseError`` (``EmptyDocument``, ``UnsupportedContent``, ``DocumentTooLarge``).
    """
    if len(content) > max_bytes:
        raise DocumentTooLarge(f"page is {len(content):,} bytes, over the {max_bytes:,} byte limit")
    kind = sniff_content(content)
    if kind == "empty":
        raise EmptyDocument("page is empty")
    if kind == "binary":
        raise UnsupportedContent("page is binary, not HTML or text")
    text = decode_html(content, content_type=content_type) if isinstance(content, bytes) else content
    article = extract_html(text, url=url, profile=profile) if kind == "html" else clean_text_dump(text, url=url)
    if not article.body.strip():
        raise EmptyDocument("no article text found on the page")
    if article.language is None:
        article = replace(article, language=language or guess_language(article.body))
    return article
