"""Tell an HTML page from a plain-text dump (or from something that is neither) by its content.

A page as stored does not always begin with ``<!doctype html>`` or ``<html>``: crawlers and
CMSs put comments, a ``<script>`` or ``<style>`` block, an XML declaration, a byte order mark,
blank lines or stray bytes first. Browsers render all of those as HTML, so the sniffer does
too: it steps over such a prologue and looks at the first real markup, and failing that counts
element tags in the page's first part. A plain-text dump (a page saved as text) carries no
element tags, so it still goes to the text cleaner.
"""

from __future__ import annotations

import codecs
import re
from typing import Literal

__all__ = ["ContentKind", "sniff_content"]

ContentKind = Literal["html", "text", "binary", "empty"]

# Signatures of common non-page files (PDF, images, archives, office documents).
_BINARY_MAGIC = (
    b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
    b"\xd0\xcf\x11\xe0", b"RIFF", b"\x00\x00\x01\x00", b"OggS", b"ID3", b"7z\xbc\xaf",
)
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Bytes a browser skips before the first markup: white space, NULs and other C0 controls, BOMs.
_LEADING_JUNK = re.compile(rb"(?:[\x00-\x20\x7f]|\xef\xbb\xbf)+")
# What may come before the page's first element and still leave it HTML: comments (conditional
# ones included), an XML declaration or other processing instruction, a doctype, CDATA, and
# whole script/style/noscript/template blocks or lone head-only void tags.
_PROLOGUE = re.compile(
    rb"<!--.*?(?:-->|\Z)|<\?.*?(?:\?>|>|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<![a-z][^>]*>"
    rb"|<(script|style|noscript|template)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    rb"|<(?:meta|link|base)\b[^>]*>",
    re.I | re.S,
)
_ELEMENT = rb"(?:html|head|body|title|meta|link|header|nav|main|article|section|aside|footer|div|span|p|a|br|hr|img|" \
    rb"ul|ol|li|dl|dt|dd|table|tbody|thead|tr|td|th|form|input|button|iframe|figure|figcaption|picture|" \
    rb"h[1-6]|b|i|em|strong|small|blockquote|pre|code|center|font|frameset|frame|svg)"
_FIRST_TAG = re.compile(rb"</?" + _ELEMENT + rb"[\s/>]", re.I)
_ANY_TAG = re.compile(rb"</?" + _ELEMENT + rb"(?:\s[^<>]*)?/?>", re.I)
# A page's frame anywhere in the sample, with its ending tag: an HTML page behind some other
# prologue (HTTP headers, a server warning) rather than a dump quoting a tag.
_FRAME = re.compile(rb"<(?:html|body)\b[^<>]*>", re.I)
_FRAME_END = re.compile(rb"</(?:html|body|head)\s*>", re.I)

_PROLOGUE_SCAN = 1 << 20  # a prologue longer than this (a megabyte of inline script) is not looked past
# Element tags per kilobyte: pages carry tens; a dump quoting some markup (an ad's leaked
# <a><img>, an article about HTML) carries a few.
_TAGS_PER_KB = 10


def sniff_content(content: bytes | str, *, sample_size: int = 8192) -> ContentKind:
    """Classify a document from its content.

    An extension lies more often than content does (a ``.txt`` saved HTML, an
    ``.html`` that is really a PDF), so only the bytes decide.
    """
    head = content[: max(sample_size, _PROLOGUE_SCAN)]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    for bom, encoding in _WIDE_BOMS:  # UTF-16/32 text is full of NULs: judge it decoded
        if head.startswith(bom):
            return sniff_content(head[len(bom) :].decode(encoding, "replace"), sample_size=sample_size)
    raw = head
    head = head[_skip_junk(head, 0) :]
    sample = head[:sample_size]
    if not sample.strip():
        # white space only is empty; a run of control bytes is some binary
        return "empty" if not raw.replace(b"\xef\xbb\xbf", b"").strip() else "binary"
    if sample.startswith(_BINARY_MAGIC):
        return "binary"
    if _starts_as_html(head):
        return "html"
    if _control_ratio(sample) > 0.05:
        return "binary"
    if _FRAME.search(sample) and _FRAME_END.search(head) or _markup_density(head) >= _TAGS_PER_KB:
        return "html"
    return "text"


def _starts_as_html(head: bytes) -> bool:
    """After any prologue a browser skips, the first thing is an HTML element's tag."""
    pos = 0
    while True:
        pos = _skip_junk(head, pos)
        match = _PROLOGUE.match(head, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
    if pos >= len(head):  # nothing but prologue (a page that is all script): markup all the same
        return pos > 0 and head.lstrip().startswith(b"<")
    return _FIRST_TAG.match(head, pos) is not None


def _markup_density(head: bytes) -> float:
    tags = len(_ANY_TAG.findall(head))
    return 0.0 if tags < 3 else tags * 1000 / len(head)


def _skip_junk(head: bytes, pos: int) -> int:
    match = _LEADING_JUNK.match(head, pos)
    return match.end() if match else pos


def _control_ratio(sample: bytes) -> float:
    # UTF-16 text and binaries both carry NULs; real pages and dumps rarely carry control bytes.
    control = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return control / len(sample)
