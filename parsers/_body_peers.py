"""Second opinions on a page's article: independent extractors, run only when asked.

``html_body`` extracts with its own cascade first and asks for these only when cheap evidence
says its choice is doubtful (too little text, a page mostly links, a choice far from the
page's densest prose). Each returns the article as paragraphs, or ``[]``.

- readability-lxml: the Arc90/Readability scoring of paragraph containers (a different
  model from trafilatura's: it scores parents by their paragraphs' commas and length and
  keeps the best one with its siblings), so where the two agree the choice is safe, and
  where they differ the page's structure decides (``_body_vote``);
- trafilatura with its own fallbacks (readability and jusText ports), for the page where
  neither found anything.
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy
from typing import Any

import trafilatura
from lxml import etree
from lxml_html_clean import Cleaner
from readability import Document
from readability.readability import REGEXES

__all__ = ["html_paragraphs", "readability_paragraphs", "trafilatura_paragraphs"]

# readability logs (with a traceback) every page it cannot summarise; that is an empty
# candidate here, not an error worth a log line
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)

_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "figure", "figcaption", "td", "th",
})
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2009\u200a\u202f\u200b]+")
_PARAGRAPH_BREAK = "\ue000\ue001"  # two private-use characters: not found in a page's text


# readability's own cleaner with one difference: ``javascript=False``. That pass rewrites every
# link of the page to strip ``javascript:`` targets, a third of readability's time on a modern
# page, and no link target reaches the text.
_CLEANER = Cleaner(
    scripts=True, javascript=False, comments=True, style=True, links=True, meta=False, add_nofollow=False,
    page_structure=False, processing_instructions=True, embedded=False, frames=False, forms=False,
    annoying_tags=False, remove_unknown_tags=False, safe_attrs_only=False,
)


class _Readability(Document):  # type: ignore[misc]  # untyped library class
    """readability-lxml's Document, given our parsed tree (no second parse, no URL rewriting)."""

    def _parse(self, input: Any) -> Any:  # noqa: A002  # the library's own parameter name
        self.encoding = "utf-8"
        for el in input.xpath("//*[@hidden]"):
            el.drop_tree()
        for el in input.xpath("//*[@style]"):
            if REGEXES["displayNoneRe"].search(el.get("style")):
                el.drop_tree()
        return _CLEANER.clean_html(input)


def readability_paragraphs(tree: Any) -> list[str]:
    """readability-lxml's article of ``tree`` (left untouched) as paragraphs."""
    try:
        summary = _Readability(deepcopy(tree)).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions on pages it cannot read
        return []
    return html_paragraphs(summary)


def html_paragraphs(fragment: str) -> list[str]:
    """An HTML fragment's text, one paragraph per block element, ``<br>`` as a line break."""
    try:
        root = etree.fromstring(fragment, etree.HTMLParser())
    except (etree.ParserError, ValueError):
        return []
    return _paragraphs(root) if root is not None else []


def trafilatura_paragraphs(tree: Any) -> list[str]:
    """trafilatura's article with its own fallbacks (slow: the last resort)."""
    try:
        text = trafilatura.extract(deepcopy(tree), include_comments=False, include_tables=True, fast=False)
    except Exception:  # a peer crashing on a page gives no candidate
        return []
    return [p for p in (_clean(line) for line in (text or "").split("\n")) if p]


def _paragraphs(root: Any) -> list[str]:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _BLOCKS:
            el.text = _PARAGRAPH_BREAK + (el.text or "")
            el.tail = _PARAGRAPH_BREAK + (el.tail or "")
        elif el.tag == "br":
            el.tail = "\n" + (el.tail or "")
    text = "".join(root.itertext())
    paragraphs = []
    for chunk in text.split(_PARAGRAPH_BREAK):
        lines = [_clean(line) for line in chunk.split("\n")]
        if paragraph := "\n".join(line for line in lines if line):
            paragraphs.append(paragraph)
    return paragraphs


def _clean(line: str) -> str:
    return _SPACE.sub(" ", line).strip()
