"""Main text of an HTML news page.

Cascade (comments carry the same numbers):

1. pre-clean the tree: drop nodes whose class/id/role/aria vocabulary marks them as
   boilerplate (share bars, teasers, captions, newsletter and cookie blurbs, bylines)
2. trafilatura's main extractor on the cleaned tree, in fast mode (no external fallbacks)
3. render its blocks to text, dropping the title repeated as a heading, link-only
   teasers and short boilerplate lines
4. reconcile with the page's own JSON-LD ``articleBody`` when it is present and sane
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import trafilatura

__all__ = ["extract_body"]


def extract_body(tree: Any, *, url: str | None = None, metadata: Any = None) -> str:
    """Article text of ``tree``: paragraphs separated by one blank line. May mutate ``tree``."""
    titles = _title_keys(tree, metadata)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=True,
        include_comments=False,
        include_tables=True,
        include_links=True,
        with_metadata=False,
    )
    if doc is None or doc.body is None:
        return ""
    blocks = _blocks(doc.body)
    blocks = _filter(blocks, titles)
    text = "\n\n".join(b.text for b in blocks)
    # a few words are a menu or a button picked up from an empty page, not an article
    return text if len(text) >= _MIN_CHARS else ""


_MIN_CHARS = 50


# --- 3. blocks ------------------------------------------------------------------

@dataclass
class _Block:
    kind: str  # p, head, list, quote, table
    text: str
    link_chars: int

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2009\u200a\u202f\u200b]+")


def _clean_lines(text: str) -> str:
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _raw_text(el: Any) -> tuple[str, int]:
    """Text of ``el`` with ``lb`` as newlines, and how many characters sit inside links."""
    parts: list[str] = []
    link = 0

    def walk(node: Any, in_ref: bool) -> None:
        nonlocal link
        in_ref = in_ref or node.tag == "ref"
        if node.tag == "lb":
            parts.append("\n")
        if node.text:
            parts.append(node.text)
            if in_ref:
                link += len(node.text.strip())
        for child in node:
            walk(child, in_ref)
            if child.tail:
                parts.append(child.tail)
                if in_ref:
                    link += len(child.tail.strip())

    walk(el, False)
    return "".join(parts), link


def _blocks(body: Any) -> list[_Block]:
    blocks: list[_Block] = []
    for el in body:
        tag = el.tag
        if tag == "list":
            texts, link = [], 0
            for item in el.iter("item"):
                raw, n = _raw_text(item)
                texts.append(_clean_lines(raw).replace("\n", " "))
                link += n
            text = "\n".join(t for t in texts if t)
        elif tag == "table":
            rows, link = [], 0
            for row in el.iter("row"):
                cells = []
                for cell in row.iter("cell"):
                    raw, n = _raw_text(cell)
                    link += n
                    if c := _clean_lines(raw).replace("\n", " "):
                        cells.append(c)
                if cells:
                    rows.append(" | ".join(cells))
            text = "\n".join(rows)
        else:
            raw, link = _raw_text(el)
            text = _clean_lines(raw)
            if tag not in ("head", "quote"):
                tag = "p"
        if text:
            blocks.append(_Block(tag, text, link))
    return blocks


# --- title ------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _key(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def _title_keys(tree: Any, metadata: Any) -> set[str]:
    titles = {getattr(metadata, "title", None)}
    for node in tree.xpath("//title|//h1"):
        titles.add(node.text_content())
    for node in tree.xpath('//meta[@property="og:title" or @name="twitter:title"]/@content'):
        titles.add(str(node))
    return {k for t in titles if t and len(k := _key(t)) >= 8}


def _is_title(text: str, titles: set[str]) -> bool:
    key = _key(text)
    if len(key) < 8 or len(key) > 400:
        return False
    # near-equal only: a section heading can repeat a few words of the title
    return any(
        key == t or len(key) >= 20 and (key in t or t in key) and 0.7 * len(t) <= len(key) <= 1.4 * len(t)
        for t in titles
    )


# --- filters ----------------------------------------------------------------------

# Lines news sites put around an article: cross-links, calls to subscribe or follow,
# agency credits and copyright. Matched only on short blocks, so a paragraph of the
# story that happens to mention a newsletter survives.
_BOILERPLATE_START = re.compile(
    r"^\W*(?:read (?:more|also|next)|related(?: articles?| stories| coverage)?\s*:|see (?:more|also)\b|"
    r"also read|more\s*:|click here|sign up\b|subscribe\b|follow (?:us|him|her|them)\b|"
    r"(?:listen|watch)(?: now)?\s*:|advertisement\b|story continues below|"
    r"lesen sie (?:auch|mehr)|mehr zum thema|zum artikel|auch interessant|"
    r"(?:à )?lire aussi|le(?:e|er) (?:también|más)|leia (?:também|mais)|leggi anche)",
    re.IGNORECASE,
)
_BOILERPLATE_ANY = re.compile(
    r"newsletter|contributed to this report|additional reporting|^\(?reporting by|^editing by|"
    r"^with files from|all rights reserved|^copyright\b|^©|\(c\) \d{4}|"
    r"for your personal,? non-commercial use|have a (?:news )?tip\?|^(?:write|email) to \w+.*\bat\b|"
    r"follow .{0,40} on (?:twitter|facebook|instagram)|in your inbox",
    re.IGNORECASE,
)


def _is_boilerplate(block: _Block) -> bool:
    if len(block.text) > 300 or block.kind not in ("p", "head"):
        return False
    return bool(_BOILERPLATE_START.search(block.text) or _BOILERPLATE_ANY.search(block.text))


_DEBUG: list[tuple[str, str]] | None = None


def _drop_reason(block: _Block, titles: set[str]) -> str | None:
    if block.kind in ("p", "head") and _is_title(block.text, titles):
        return "title"
    # a paragraph or heading that is one link is a teaser for another page
    if block.link_density > 0.8 and (block.kind == "head" or block.kind == "p" and len(block.text) < 150):
        return "teaser"
    if _is_boilerplate(block):
        return "boilerplate"
    # a list of links is navigation or "related stories"
    if block.kind == "list" and block.link_density > 0.6:
        return "linklist"
    return None


def _filter(blocks: list[_Block], titles: set[str]) -> list[_Block]:
    reasons = [_drop_reason(block, titles) for block in blocks]
    kept: list[_Block] = []
    for i, (block, reason) in enumerate(zip(blocks, reasons, strict=True)):
        # a heading over dropped teasers or link lists introduced them ("More stories")
        if reason is None and block.kind == "head" and i + 1 < len(blocks):
            if reasons[i + 1] in ("teaser", "linklist"):
                reason = "teaser-head"
        if reason is None:
            kept.append(block)
        elif _DEBUG is not None:
            _DEBUG.append((reason, block.text))
    # a heading closing the text introduces whatever came after the article
    while kept and kept[-1].kind == "head":
        if _DEBUG is not None:
            _DEBUG.append(("trailing-head", kept[-1].text))
        kept.pop()
    return kept
