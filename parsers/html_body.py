"""Main text of an HTML page (first version: trafilatura without its slow fallbacks)."""

from __future__ import annotations

import re

import trafilatura

from parsers.dom import HtmlTree
from parsers.html_meta import PageMetadata

__all__ = ["extract_body"]

_BLANK_RUNS = re.compile(r"\n\s*\n+")


def extract_body(tree: HtmlTree, *, url: str | None = None, metadata: PageMetadata | None = None) -> str:
    """Article text, paragraphs separated by one blank line. May mutate ``tree``."""
    text = trafilatura.extract(tree, url=url, include_comments=False, include_tables=True) or ""
    paragraphs = (line.strip() for line in text.splitlines())
    return "\n\n".join(p for p in paragraphs if p)
