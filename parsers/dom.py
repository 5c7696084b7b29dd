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
# lxml.html's own lookup is a Python method called for every element proxy the stages create
# (millions per 200 pages: every iteration, xpath and ancestor walk), only to give form controls
# their own classes, which nothing here uses; the same HtmlElement for every tag, chosen in C.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
))


# Control characters XML forbids: lxml keeps them from the parse but then refuses to set them as
# text (drop_tree, tail edits), so a stray \x13 would crash a later stage. Browsers drop them too.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_INCOMPATIBLE_SPACE = re.compile("[\x0b\x0c]")  # vertical tab, form feed: white space in HTML
# (the two patterns are the definition; parse_html applies them on bytes, tests/test_dom.py checks it)


# The same cleaning on the UTF-8 bytes, where a C table pass does it (the two regex passes over
# the text took as long as lxml's parse): ASCII control bytes never occur inside a multi-byte
# sequence, so they are deleted or made spaces byte by byte; surrogates (ED A0-BF xx) and
# U+FFFE/U+FFFF (EF BF BE/BF) are searched for only where their lead bytes occur.
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x20))
_SPACE_BYTES = bytes.maketrans(b"\x0b\x0c", b"  ")
_XML_INCOMPATIBLE_BYTES = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]|\xef\xbf[\xbe\xbf]")
_ASCII_SPACE = frozenset(b" \t\n\r\x0b\x0c")  # what bytes.strip() strips
_NOT_ASCII_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c]")


def parse_html(text: str) -> HtmlTree:
    data = text.encode("utf-8", "surrogatepass").translate(_SPACE_BYTES, _CONTROL_BYTES)
    if b"\xed" in data or b"\xef\xbf" in data:
        data = _XML_INCOMPATIBLE_BYTES.sub(b"", data)
    # the first and last bytes that are not ASCII white space (as bytes.strip() sees it, without its copy)
    first = _NOT_ASCII_SPACE.search(data)
    if first is None:
        raise EmptyDocument("page has no content")
    end = len(data)
    while data[end - 1] in _ASCII_SPACE:
        end -= 1
    # white space beyond ASCII's (no-break, ideographic spaces) can only hide behind a non-ASCII end byte
    if max(data[first.start()], data[end - 1]) >= 0x80 and not data.decode("utf-8", "surrogatepass").strip():
        raise EmptyDocument("page has no content")
    try:
        tree = lxml.html.document_fromstring(data, parser=_PARSER)
        if _runaway_title(tree):
            tree = lxml.html.document_fromstring(_TITLE_OPEN.sub(b"", data, count=1), parser=_PARSER)
    except (etree.ParserError, ValueError, UnicodeError) as exc:
        raise EmptyDocument(f"page has no parsable HTML: {exc}") from exc
    return tree


# A <title> whose closing tag is lost (a page cut or garbled in transit: "<title>News - Intww.site...")
# holds the rest of the page as its text, since a title's content is text up to "</title>", and
# the page's body is then empty. Such a title is long and holds markup; parsed again without its
# opening tag, the page's elements are elements again (its few words become stray text).
_TITLE_OPEN = re.compile(rb"<title\b[^>]*>", re.IGNORECASE)
_RUNAWAY_TITLE = 1000  # characters: no headline is this long
_MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>")


def _runaway_title(tree: HtmlTree) -> bool:
    title = tree.find(".//title")
    text = title.text if title is not None else None
    return text is not None and len(text) > _RUNAWAY_TITLE and len(_MARKUP.findall(text, 0, 5000)) >= 3
