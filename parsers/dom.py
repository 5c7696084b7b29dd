"""Parse HTML text into the lxml tree every HTML stage shares (parsed once per page)."""

from __future__ import annotations

import re
from typing import TypeAlias

import lxml.html
from lxml import etree

from parsers.errors import EmptyDocument

__all__ = ["HtmlTree", "parse_html"]

HtmlTree: TypeAlias = lxml.html.HtmlElement

# The text is already decoded, so the parser gets UTF-8 bytes and is told so:
# lxml refuses str input that carries an XML encoding declaration.
_PARSER = lxml.html.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=False
)


# Control characters XML forbids: lxml keeps them from the parse but then refuses to set them as
# text (drop_tree, tail edits), so a stray \x13 would crash a later stage. Browsers drop them too.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_INCOMPATIBLE_SPACE = re.compile("[\x0b\x0c]")  # vertical tab, form feed: white space in HTML


def parse_html(text: str) -> HtmlTree:
    text = _XML_INCOMPATIBLE_SPACE.sub(" ", _XML_INCOMPATIBLE.sub("", text))
    if not text.strip():
        raise EmptyDocument("page has no content")
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError, UnicodeError) as exc:
        raise EmptyDocument(f"page has no parsable HTML: {exc}") from exc
