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
        # One copy, cleaned in place (the cleaner's clean_html() would copy it once more): the
        # caller's tree stays untouched, and the library's second, lenient pass starts from it again.
        self.encoding = "utf-8"
        doc = deepcopy(input)
        for el in doc.xpath("//*[@hidden]"):
            el.drop_tree()
        for el in doc.xpath("//*[@style]"):
            if REGEXES["displayNoneRe"].search(el.get("style")):
                el.drop_tree()
        _CLEANER(doc)
        return doc

    # The methods below are the library's own (0.9), restated where its hot loops repeat work;
    # each gives the same result as the original, which ``tests/test_body_peers.py`` checks
    # on real pages. Together they halve readability's time on table layouts of the 2000s.

    def score_paragraphs(self) -> dict[Any, dict[str, Any]]:
        # The original measures every link's text once per enclosing candidate, and formats a
        # debug line (describing the element's ancestry) for every candidate even when debug
        # logging is off. Nothing changes the tree while it scores, so lengths are kept.
        self._lengths: dict[Any, int] | None = {}
        try:
            candidates: dict[Any, dict[str, Any]] = {}
            ordered = []
            for elem in self.tags(self._html(), "p", "pre", "td", "blockquote"):
                parent = elem.getparent()
                if parent is None:
                    continue
                grand_parent = parent.getparent()
                inner_text = elem.text_content() or ""  # clean() keeps commas: count them on the raw text
                inner_length = _clean_length(inner_text)
                if inner_length < self.min_text_length:
                    continue
                if parent not in candidates:
                    candidates[parent] = self.score_node(parent)
                    ordered.append(parent)
                if grand_parent is not None and grand_parent not in candidates:
                    candidates[grand_parent] = self.score_node(grand_parent)
                    ordered.append(grand_parent)
                content_score = 1 + inner_text.count(",") + 1 + min(inner_length / 100, 3)
                candidates[parent]["content_score"] += content_score
                if grand_parent is not None:
                    candidates[grand_parent]["content_score"] += content_score / 2.0
            for elem in ordered:
                candidates[elem]["content_score"] *= 1 - self.get_link_density(elem)
            return candidates
        finally:
            self._lengths = None

    def get_link_density(self, elem: Any) -> float:
        lengths = getattr(self, "_lengths", None)
        if lengths is None:
            link_length = sum(_text_length(a) for a in elem.iterfind(".//a"))
            return float(link_length) / max(_text_length(elem), 1)
        link_length = 0
        for a in elem.iterfind(".//a"):
            n = lengths.get(a)
            if n is None:
                n = lengths[a] = _text_length(a)
            link_length += n
        return float(link_length) / max(_text_length(elem), 1)

    def remove_unlikely_candidates(self) -> None:
        # the original formats and searches "class id" of every element; only those with a
        # class or an id can match; pages repeat their class names, so each is judged once
        unlikely: dict[str, bool] = {}
        for elem in self.html.xpath(".//*[@class or @id]"):
            s = "{} {}".format(elem.get("class", ""), elem.get("id", ""))
            verdict = unlikely.get(s)
            if verdict is None:
                verdict = unlikely[s] = (
                    len(s) >= 2
                    and REGEXES["unlikelyCandidatesRe"].search(s) is not None
                    and not REGEXES["okMaybeItsACandidateRe"].search(s)
                )
            if (
                verdict
                and elem.tag not in ("html", "body")
                # the original's two XPath queries ("ancestor-or-self::pre | ancestor-or-self::code",
                # "descendant-or-self::main | descendant-or-self::article | descendant-or-self::math"),
                # compiled for every element they test, as walks that stop at the first hit
                and elem.tag not in ("pre", "code")
                and next(elem.iterancestors("pre", "code"), None) is None
                and next(elem.iter("main", "article", "math"), None) is None
            ):
                elem.drop_tree()

    def transform_misused_divs_into_paragraphs(self) -> None:
        # The original serialises every <div>'s children (and then every inline child) and
        # searches the markup for a block tag's opening; the same test on the element tree
        # (markup holds no other "<" after readability's cleaner: comments, scripts and
        # processing instructions are gone, text and attributes are escaped). Its new <p>s are
        # made in place, not parsed from "<p/>" each (a whole document parse apiece).
        for elem in self.tags(self.html, "div"):
            if not any(_is_block(d) for d in elem.iterdescendants()):
                elem.tag = "p"
        for elem in self.tags(self.html, "div"):
            children = list(elem)
            paragraph = None
            if elem.text and elem.text.strip():
                p = elem.makeelement("p")
                p.text = elem.text
                elem.text = None
                elem.insert(0, p)
                paragraph = p
            for child in children:
                if child.tag == "br":
                    paragraph = None
                    continue
                if child.tag not in _INLINE or _is_block(child) or any(_is_block(d) for d in child.iterdescendants()):
                    paragraph = None
                    continue
                if paragraph is None:
                    paragraph = elem.makeelement("p")
                    child.addprevious(paragraph)
                paragraph.append(child)
            for pos, child in reversed(list(enumerate(elem))):
                if child.tail and child.tail.strip():
                    p = elem.makeelement("p")
                    p.text = child.tail
                    child.tail = None
                    elem.insert(pos + 1, p)
                if child.tag == "br":
                    child.drop_tree()


_INLINE = frozenset({"a", "b", "cite", "code", "em", "font", "i", "small", "span", "strong", "sub", "sup", "u"})
# readability's divToPElementsRe, "<(blockquote|dl|div|img|ol|p|pre|table|ul)", matches a tag by its start
_BLOCK_PREFIXES = ("blockquote", "dl", "div", "img", "ol", "p", "table", "ul")


def _is_block(el: Any) -> bool:
    return isinstance(el.tag, str) and el.tag.lower().startswith(_BLOCK_PREFIXES)


def _text_length(el: Any) -> int:
    return _clean_length(el.text_content() or "")


_RUN = re.compile(r"\s{2,}|[\n\t]")
_BLANKS = re.compile(r"[ \t]+")


def _clean_length(text: str) -> int:
    """``len(readability.readability.clean(text))`` without building the cleaned text (its three
    regex passes over a whole page's text, for every candidate, were half of readability's time):
    a run of whitespace holding a newline, or of 255 characters or more, becomes one character;
    in a shorter run each tab before the first space becomes a space, and the spaces and tabs
    from the first space on become one space; other whitespace stays; the ends are stripped."""
    text = text.strip()
    n = len(text)
    for match in _RUN.finditer(text):
        run = match.group()
        if len(run) >= 255 or "\n" in run:
            n -= len(run) - 1
            continue
        for blanks in _BLANKS.findall(run):
            tabs = len(blanks) - len(blanks.lstrip("\t"))
            n -= len(blanks) - tabs - (tabs < len(blanks))
    return n


def readability_paragraphs(tree: Any) -> list[str]:
    """readability-lxml's article of ``tree`` (left untouched) as paragraphs."""
    try:
        summary = _Readability(tree).summary(html_partial=True)  # it parses a copy
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
