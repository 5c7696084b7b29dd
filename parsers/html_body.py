"""Main text of an HTML news page.

Cascade (comments carry the same numbers):

1. pre-clean the tree: code, page furniture, and nodes whose class/id/role/aria words
   name them as share bars, related boxes, captions, newsletter/cookie blurbs,
   comments, bylines or ads (``_body_clean``);
2. an independent text-density vote for the story's region (``_body_region``); on a page
   without article markup, readability-lxml's article (the first choice there) is taken
   without step 3 when the density vote found the same text (2b, corroborated), or when
   the vote found a region of some size that shares text with it and there is no JSON-LD
   body to check against (2c, uncontested: the vote of step 7 would keep the peer
   whatever trafilatura finds; measured on the five corpora, no page's body changed and
   step 3 was left out on 71 more of the 836 pages);
3. trafilatura's main extractor in fast mode (its readability/justext fallbacks are
   slow; step 5 is ours), rendered block by block;
4. block filters: the title repeated as a heading, link-only teasers (but not a linked
   section heading over running text), link lists, byline/dateline/credit lines, a post's
   taxonomy line ("Tags: ..."), promo, paywall and cross-link lines;
5. region check: when the extractor missed most of the region (wrong box, one chunk of
   a story split around ads) or dumped the whole page, extract the region alone, else
   render it ourselves; (5b) when the DOM holds no story at all, the story's markup
   shipped inside a script for client rendering (``_body_scripts``);
6. the page's own JSON-LD ``articleBody``, when whole: what trails after the story's
   last shared sentence is furniture;
7. a second opinion, when there is no articleBody to check against: readability-lxml's
   article, chosen over ours by agreement and by which of the two opens right under the
   heading that repeats the article's title (``_body_vote``); and when neither found text,
   trafilatura with its own fallbacks (``_body_peers``), before giving up;
8. furniture inside the story's container: consent placeholders, script state, calls to
   the reader and status notes at the edges, a kicker over the text, the readers' comments
   under a "Comments" label (``_body_furniture``);
9. optionally, the standfirst put back.

Set ``_DEBUG`` to a list to collect ``(stage, text)`` for everything dropped (bench/dev).
"""

from __future__ import annotations

import html as html_lib
import json
import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Extractor

from parsers._body_clean import preclean
from parsers._body_furniture import comments_start, furniture_reason
from parsers._body_peers import readability_paragraphs, trafilatura_paragraphs
from parsers._body_region import Region, find_region, region_blocks
from parsers._body_scripts import embedded_story, script_payloads
from parsers._body_vote import (
    agrees_with_region,
    choose,
    choose_unmarked,
    closer,
    disjoint,
    doubtful,
    prose_chars,
)

__all__ = ["extract_body"]


def extract_body(tree: Any, *, url: str | None = None, metadata: Any = None, standfirst: bool = False) -> str:
    """Article text of ``tree``: paragraphs separated by one blank line. May mutate ``tree``.

    ``standfirst``: also put back the summary paragraph shown under the headline when the
    extractor left it out. Conventions differ (the Zyte benchmark's annotators leave it out,
    Fundus keeps it), so it is off by default.
    """
    titles = _title_keys(tree, metadata)
    # on a page without article markup readability's is the first choice: ask it before our
    # pre-cleaning, whose class vocabulary is tuned to modern markup (it copies the tree anyway)
    unmarked = None if _marked_article(tree) else readability_paragraphs(tree)
    structured = _structured_body(tree, metadata)
    heading = _title_heading(tree, titles)
    headline = _headline(tree, metadata)
    headline_next = _text_after(headline) if headline is not None else ""
    payloads = script_payloads(tree)
    dropped = preclean(tree, keep=heading)  # 1 (also shrinks the tree: every later pass is faster)
    if _DEBUG is not None:
        _DEBUG.extend(("preclean", " ".join(el.text_content().split())) for el in dropped)
    region = find_region(tree, heading)  # 2
    overruled: list[_Block] | None = None  # the extractor's blocks, when the region check replaced them
    corroborated = _corroborated(unmarked, region, titles)
    if corroborated is None and not structured:
        corroborated = _uncontested(unmarked, region, titles)
    if corroborated is not None:  # 2b: readability and the density vote agree: no need for step 3
        blocks = corroborated
    else:
        blocks = _filter(_extract(tree), titles)  # 3, 4
        if region is not None and _misses_region(blocks, region):  # 5
            rescued = _rescue(blocks, region, titles)
            overruled, blocks = (blocks if rescued is not blocks and blocks else None), rescued
        if payloads and sum(len(b.text) for b in blocks) < _SHORT:  # 5b
            blocks = _from_scripts(blocks, payloads, titles)
    if structured:  # 6
        blocks = _reconcile(blocks, structured)
    if corroborated is None and (not structured or sum(len(b.text) for b in blocks) < _MIN_CHARS):  # 7
        blocks = _second_opinion(blocks, tree, titles, unmarked, overruled, headline_next)
    blocks = _without_furniture(blocks)  # 8
    if standfirst:  # 9
        blocks = _with_lead(blocks, tree, metadata, heading)
    text = "\n\n".join(b.text for b in blocks)
    # a few words are a menu or a button picked up from an empty page, not an article
    return text if len(text) >= _MIN_CHARS else ""


_MIN_CHARS = 50
_DEBUG: list[tuple[str, str]] | None = None


# trafilatura's options, built once (the library builds them on every call; it copies them
# before it changes any, so one object serves every page)
_CORE_OPTIONS = Extractor(
    url=None,  # link targets are not kept, so not resolved either
    fast=True,
    comments=False,
    tables=True,
    links=True,  # links mark teasers: step 4 measures link density per block
    with_metadata=False,
    output_format="xml",  # any format but "python": the body tree only, no text rendering of it
)


def _extract(tree: Any) -> list[_Block]:
    doc = trafilatura.bare_extraction(tree, options=_CORE_OPTIONS)
    body = getattr(doc, "body", None)
    return _blocks(body) if body is not None else []


# --- region check ---------------------------------------------------------------------


def _coverage(blocks: list[_Block], region: Region) -> float:
    """Share of the region's prose that the extracted blocks hold."""
    text = _key(" ".join(b.text for b in blocks))
    held = sum(len(t) for t in region.blocks if _key(t)[:60] in text)
    return held / max(1, region.mass)


def _misses_region(blocks: list[_Block], region: Region) -> bool:
    if not blocks:
        return region.mass >= 200
    if region.mass >= 1000 and _coverage(blocks, region) < 0.5:
        return True
    # the extractor fell back to dumping the page's text as one unstructured block
    total = sum(len(b.text) for b in blocks)
    dump = region.mass >= 300 and total > _DUMP_RATIO * region.mass and max(len(b.text) for b in blocks) > total / 2
    return dump and _coverage(blocks, region) >= 0.8


_DUMP_RATIO = 4


def _rescue(blocks: list[_Block], region: Region, titles: set[str]) -> list[_Block]:
    """The extractor missed most of the region: extract the region alone, else render it."""
    covered = _coverage(blocks, region)
    alternative = _filter(_extract(_region_tree(region)), titles)
    alternative_covered = _coverage(alternative, region)
    if alternative_covered < 0.7:
        rendered = [_Block(kind, text, links) for kind, text, links in region_blocks(region)]
        rendered = _filter(rendered, titles)
        if (rendered_covered := _coverage(rendered, region)) > alternative_covered:
            alternative, alternative_covered = rendered, rendered_covered
    if alternative_covered < covered or not alternative:
        return blocks
    if _DEBUG is not None:
        _DEBUG.append(("region", f"{covered:.2f} {region.mass}"))
    return alternative


_SHORT = 300
def _corroborated(unmarked: list[str] | None, region: Region | None, titles: set[str]) -> list[_Block] | None:
    """On a page without article markup, readability's article when our independent density
    vote found the same place: two models agree, and the third (trafilatura) need not run."""
    if unmarked is None or region is None:
        return None
    peer = _filter([_Block("p", text, 0) for text in unmarked], titles)
    if not agrees_with_region([b.text for b in peer], region.blocks):
        return None
    if _DEBUG is not None:
        _DEBUG.append(("corroborated", str(len(peer))))
    return peer


def _uncontested(unmarked: list[str] | None, region: Region | None, titles: set[str]) -> list[_Block] | None:
    """On a page without article markup, readability's article when nothing speaks against it:
    it holds running text and our density vote did not choose a different box. There
    readability's article is the vote's answer whatever trafilatura finds (``choose_unmarked``
    keeps ours only when ours and the peer share almost nothing), so step 3 need not run."""
    if unmarked is None:
        return None
    peer = _filter([_Block("p", text, 0) for text in unmarked], titles)
    texts = [b.text for b in peer]
    if sum(len(t) for t in texts) < _UNCONTESTED_CHARS or prose_chars(texts) < _UNCONTESTED_CHARS:
        return None
    # a small region (a box of a few lines) is no evidence either way: then the full vote
    if region is None or region.mass < _REGION_EVIDENCE or disjoint(texts, region.blocks):
        return None
    if _DEBUG is not None:
        _DEBUG.append(("uncontested", str(len(peer))))
    return peer


_UNCONTESTED_CHARS = 200
_REGION_EVIDENCE = 600


def _without_furniture(blocks: list[_Block]) -> list[_Block]:
    texts = [b.text for b in blocks]
    if (cut := comments_start(texts)) is not None:
        if _DEBUG is not None:
            _DEBUG.extend(("comments", text) for text in texts[cut:])
        blocks, texts = blocks[:cut], texts[:cut]
    kept = []
    for i, block in enumerate(blocks):
        reason = furniture_reason(texts, i)
        if reason is None:
            kept.append(block)
        elif _DEBUG is not None:
            _DEBUG.append((reason, block.text))
    return kept


def _marked_article(tree: Any) -> bool:
    """The page marks its article up: ``<article>``, ``<main>``, ``role=main``, ``itemprop=articleBody``
    (what ``//article | //main | //*[@role='main'] | //*[@itemprop='articleBody']`` finds, by walks
    that stop at the first: the tags by lxml's tag filter, the attributes read in Python, both
    faster than XPath's four walks). Markup after ``</html>`` can make a second top-level
    element: the walks cover those too."""
    root = tree.getroottree().getroot()
    tops = [t for t in (root, *root.itersiblings(), *root.itersiblings(preceding=True)) if isinstance(t.tag, str)]
    if any(next(top.iter("article", "main"), None) is not None for top in tops):
        return True
    elements = (el for top in tops for el in top.iter(etree.Element))
    return any(el.get("role") == "main" or el.get("itemprop") == "articleBody" for el in elements)


_TRACE: list[dict[str, Any]] | None = None


def _second_opinion(
    blocks: list[_Block],
    tree: Any,
    titles: set[str],
    unmarked: list[str] | None,
    overruled: list[_Block] | None,
    headline_next: str = "",
) -> list[_Block]:
    """readability-lxml's article against ours (``_body_vote``): always on a page that marks
    no article up (``unmarked`` holds readability's paragraphs then), else only when cheap
    evidence doubts ours. When our region check ``overruled`` the extractor, our two
    candidates disagree, and the peer's text is the third vote between them."""
    texts = [b.text for b in blocks]
    if unmarked is None and overruled is None and not doubtful(texts):
        return blocks
    paragraphs = readability_paragraphs(tree) if unmarked is None else unmarked
    peer = _filter([_Block("p", text, 0) for text in paragraphs], titles)
    peer_texts = [b.text for b in peer]
    if overruled is not None and peer_texts:
        if closer([b.text for b in overruled], texts, peer_texts):
            if _DEBUG is not None:
                _DEBUG.append(("vote-extractor", str(len(overruled))))
            blocks, texts = overruled, [b.text for b in overruled]
    vote = choose if unmarked is None else choose_unmarked
    who, _ = vote(texts, peer_texts, headline_next)
    if _TRACE is not None:
        _TRACE.append(dict(ours=texts, peer=peer_texts, who=who, unmarked=unmarked is not None))
    if who == "peer":
        if _DEBUG is not None:
            _DEBUG.append(("vote-peer", str(len(peer))))
        blocks = peer
    if sum(len(b.text) for b in blocks) < _MIN_CHARS:  # nobody found the article: the slow cascade
        last = _filter([_Block("p", text, 0) for text in trafilatura_paragraphs(tree)], titles)
        if sum(len(b.text) for b in last) >= _MIN_CHARS:
            blocks = last
    return blocks


def _from_scripts(blocks: list[_Block], payloads: list[str], titles: set[str]) -> list[_Block]:
    """No story in the DOM: the page may ship it as markup inside a script (client rendering)."""
    document = embedded_story(payloads)
    if document is None:
        return blocks
    found = _filter(_extract(document), titles)
    if sum(len(b.text) for b in found) <= sum(len(b.text) for b in blocks):
        return blocks
    if _DEBUG is not None:
        _DEBUG.append(("scripts", str(len(found))))
    return found


def _region_tree(region: Region) -> Any:
    body = lxml_html.Element("body")
    for el in region.elements:
        clone = deepcopy(el)
        clone.tail = None
        body.append(clone)
    root = lxml_html.Element("html")
    root.append(body)
    return root


_HEADLINE_NEXT = 600  # characters of text read after the title heading
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})


def _text_after(heading: Any, limit: int = _HEADLINE_NEXT) -> str:
    """The text that follows ``heading`` in the page, in document order, up to ``limit``
    characters: the heading's own tail, then its following siblings, then those of each
    ancestor in turn (scripts and styles skipped)."""
    parts: list[str] = []
    size = 0

    def add(text: str | None) -> bool:
        nonlocal size
        if text and not text.isspace():
            parts.append(text)
            size += len(text)
        return size >= limit

    node = heading
    while node is not None:
        if add(node.tail):
            break
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str) and sibling.tag not in _NOT_TEXT:
                if any(add(t) for t in _texts(sibling)):
                    return " ".join(parts)
            if add(sibling.tail):
                return " ".join(parts)
        node = node.getparent()
    return " ".join(parts)


def _texts(el: Any) -> Any:
    """Text pieces inside ``el`` in document order, without scripts and styles."""
    yield el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _NOT_TEXT:
            yield from _texts(child)
        yield child.tail


_OG_TITLE = etree.XPath('//meta[@property="og:title" or @name="twitter:title"]/@content')


def _headline(tree: Any, metadata: Any) -> Any:
    """The heading that repeats the article's own title (the metadata's title, else the
    page's og:title): not any ``<h1>``, which on many blogs is the site's name."""
    title = getattr(metadata, "title", None) or next(iter(_OG_TITLE(tree)), None)
    if not title or len(key := _key(str(title))) < 8:
        return None
    for heading in tree.iter("h1", "h2", "h3"):
        if _is_title(heading.text_content(), {key}):
            return heading
    return None


def _title_heading(tree: Any, titles: set[str]) -> Any:
    for heading in tree.iter("h1", "h2"):
        if _is_title(heading.text_content(), titles):
            return heading
    return None


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
    # one substitution for the whole text: _SPACE holds no newline, so no run crosses a line
    lines = (line.strip() for line in _SPACE.sub(" ", text).split("\n"))
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


@lru_cache(maxsize=2048)  # readability's paragraphs are filtered, so keyed, up to three times a page
def _key(text: str) -> str:
    if not text.isascii():  # NFKC leaves ASCII as it is, and lower() is its case folding
        return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))
    return " ".join(_WORD.findall(text.lower()))


def _title_keys(tree: Any, metadata: Any) -> set[str]:
    titles = {getattr(metadata, "title", None)}
    for node in tree.xpath("//title|//h1"):
        titles.add(node.text_content())
    for node in tree.xpath('//meta[@property="og:title" or @name="twitter:title"]/@content'):
        titles.add(str(node))
    return {k for t in titles if t and len(k := _key(t)) >= 8}


_TITLE_KEY_MAX = 400


def _is_title(text: str, titles: set[str]) -> bool:
    # A paragraph's key is over the limit already in its first part, cut before a space (neither
    # NFKC, case folding nor the key joins across a space, so that part's key starts the whole key):
    # no need to key all of it.
    cut = text.find(" ", _TITLE_KEY_MAX + 100)
    if cut > 0 and len(_key(text[:cut])) > _TITLE_KEY_MAX:
        return False
    key = _key(text)
    if len(key) < 8 or len(key) > _TITLE_KEY_MAX:
        return False
    # near-equal only: a section heading can repeat a few words of the title
    return any(
        key == t or len(key) >= 20 and (key in t or t in key) and 0.7 * len(t) <= len(key) <= 1.4 * len(t)
        for t in titles
    )


# --- filters ----------------------------------------------------------------------

# Lines news sites put around an article: cross-links, calls to subscribe or follow,
# agency credits and copyright. Matched only on short blocks, so a paragraph of the
# story that happens to mention a newsletter survives. Lower case, searched in the
# lower-cased block (IGNORECASE on every block costs several times more).
_BOILERPLATE_START = re.compile(
    r"^\W*(?:read (?:more|also|next)|related(?: articles?| stories| coverage)?\s*:|see (?:more|also)\b|"
    r"also read|more\s*:|click here|sign up\b|subscribe\b|follow (?:us|him|her|them)\b|"
    r"(?:listen|watch)(?: now)?\s*:|advertisement\b|story continues below|"
    r"lesen sie (?:auch|mehr)|mehr zum thema|zum artikel|auch interessant|"
    r"(?:à )?lire aussi|le(?:e|er) (?:también|más)|leia (?:também|mais)|leggi anche)",
)
# Two patterns, at the start and anywhere: one alternation that mixed both could not skip ahead
# to where an alternative can begin, and tried every one at every character.
_BOILERPLATE_AT_START = re.compile(
    r"\(?reporting by|editing by|with files from|copyright\b|©|(?:write|email) to \w+.*\bat\b"
)
_BOILERPLATE_ANY = re.compile(
    r"newsletter|all rights reserved|\(c\) \d{4}|"
    r"for your personal,? non-commercial use|have a (?:news )?tip\?|"
    r"follow .{0,40} on (?:twitter|facebook|instagram)|in your inbox|"
    # paywall prompts
    r"log in or create an account|already a subscriber|subscribers only|to continue reading|"
    r"r\u00e9serv\u00e9e aux abonn\u00e9s|il vous reste \d",
)


# Photo and source credits left behind when their figure was dropped ("Photo: AFP").
_CREDIT = re.compile(
    r"^\(?(?:photo|image|picture|foto|bild|credit|quelle|source)s?(?: credit)?\s*:\s*\S", re.IGNORECASE
)


# A byline or dateline line on its own: "By Jane Doe and John Roe", "Von Anna Sleegers,
# Frankfurt", "Updated 15.59 | Published 14.14", "Stand: 22.04.2024, 06:00 Uhr".
_NAME = r"[A-Z\u00c0-\u00dd][\w.\-']+(?:\s+[A-Z\u00c0-\u00dd][\w.\-']+){0,3}"
_BYLINE = re.compile(
    rf"^(?i:by|von|par|por|di|av|door|af|przez|od)\s+{_NAME}"
    rf"(?:\s*(?:,|(?i:and|und|et|y|e|og|och|en|i))\s*{_NAME})*\s*$"
)
_DATELINE = re.compile(
    r"^\W*(?:stand|updated?|published|posted|publicerad|uppdaterad|publi\u00e9|mis \u00e0 jour|aktualisiert|"
    r"ver\u00f6ffentlicht|oppdatert|publisert|publicado|actualizado|pubblicato|aggiornato|last updated)\b.{0,40}\d",
    re.IGNORECASE,
)


# A reporting credit ("Jane Doe contributed to this report", "(Additional reporting by ...)") is
# furniture when the block holds nothing else: every sentence before it is a credit too ("Doe
# reported from Paris."). Appended to the story's last paragraph, the paragraph stays.
_REPORT_CREDIT = re.compile(r"contributed to this report|additional reporting")
_CREDIT_WORDS = re.compile(r"\breport|\bwriters?\b|contribut|\bedit")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+")


def _credit_only(lowered: str) -> bool:
    match = _REPORT_CREDIT.search(lowered)
    if match is None:
        return False
    sentences = _SENTENCE_END.split(lowered[: match.start()])[:-1]  # the last is the credit's own
    return all(_CREDIT_WORDS.search(sentence) for sentence in sentences)


def _is_boilerplate(block: _Block) -> bool:
    if len(block.text) > 300 or block.kind not in ("p", "head"):
        return False
    if len(block.text) < 120 and _CREDIT.search(block.text):
        return True
    if len(block.text) < 90 and (_BYLINE.search(block.text) or _DATELINE.search(block.text)):
        return True
    lowered = block.text.lower()
    return bool(
        _BOILERPLATE_START.search(lowered) or _BOILERPLATE_AT_START.match(lowered) or _BOILERPLATE_ANY.search(lowered)
        or _credit_only(lowered)
    )


# A post's taxonomy line: a label, then terms ("Tags: Chicken, Moroccan, slow-cooker",
# "Filed under: Sports | Chess"), none of them a sentence.
_TAXONOMY = re.compile(
    r"^\W*(?:categories|category|tags?|tagged(?: as| with)?|filed under|topics?|posted in|"
    r"kategorien|schlagw\u00f6rter|themen|cat\u00e9gories|mots[- ]cl\u00e9s|etiquetas|categor\u00edas)\s*:",
    re.IGNORECASE,
)
_TERMS = re.compile(r"[,|;\n]")
_TERM_MAX = 60


def _is_taxonomy(text: str) -> bool:
    label = _TAXONOMY.match(text)
    if label is None:
        return False
    terms = text[label.end() :].strip()
    # a sentence is no list of terms ("Topics: the council discussed three matters, ..."); an
    # ellipsis or "?!" ends a term or a list cut short
    if _SENTENCE_END.search(terms) or terms.endswith(".") and not terms.endswith("..."):
        return False
    return all(len(term.strip()) <= _TERM_MAX for term in _TERMS.split(terms))


def _drop_reason(block: _Block, titles: set[str]) -> str | None:
    if block.kind in ("p", "head") and _is_title(block.text, titles):
        return "title"
    if block.kind == "p" and _is_taxonomy(block.text):
        return "taxonomy"
    # a paragraph or heading that is one link is a teaser for another page
    if block.link_density > 0.8 and (block.kind == "head" or block.kind == "p" and len(block.text) < 150):
        return "teaser"
    if _is_boilerplate(block):
        return "boilerplate"
    # a list of links is navigation or "related stories"
    if block.kind == "list" and block.link_density > 0.6:
        return "linklist"
    return None


def _clean_list(block: _Block) -> _Block:
    """A list keeps its items but loses promo lines slipped in as items ("Sign up for ...")."""
    items = block.text.split("\n")
    kept = [item for item in items if not _is_boilerplate(_Block("p", item, 0))]
    if len(kept) == len(items):
        return block
    if _DEBUG is not None:
        _DEBUG.extend(("boilerplate-item", item) for item in items if item not in kept)
    return _Block("list", "\n".join(kept), block.link_chars)


_SECTION_PROSE = 300  # characters of running text under a linked heading: a section, not a teaser


def _opens_section(blocks: list[_Block], reasons: list[str | None], at: int) -> bool:
    """The heading at ``at`` is one link, but what follows it up to the next heading is running
    text the filters keep: a section heading that links (to its own anchor, or to the place or
    product a list article describes), not a teaser's headline over a one-line summary."""
    section: list[str] = []
    for block, reason in zip(blocks[at + 1 :], reasons[at + 1 :], strict=True):
        if block.kind == "head":
            # a section among sections: the body's last heading is as often a box's ("Follow us")
            return prose_chars(section) >= _SECTION_PROSE
        if reason is not None:
            return False
        section.append(block.text)
    return False


def _filter(blocks: list[_Block], titles: set[str]) -> list[_Block]:
    blocks = [_clean_list(b) if b.kind == "list" else b for b in blocks]
    blocks = [b for b in blocks if b.text]
    reasons = [_drop_reason(block, titles) for block in blocks]
    for i, block in enumerate(blocks):
        if reasons[i] == "teaser" and block.kind == "head" and _opens_section(blocks, reasons, i):
            reasons[i] = None
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


# --- 4. the page's own structured body ----------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_LD_SCRIPT = '//script[@type="application/ld+json"][contains(., "articleBody")]'


def _structured_body(tree: Any, metadata: Any) -> str | None:
    """JSON-LD ``articleBody`` as plain text, when it looks like the whole article."""
    body = getattr(metadata, "json_ld_body", None)
    if body is None:
        body = _json_ld_body(tree)
    if not body:
        return None
    if "<" in body:
        body = _TAG.sub("\n", body)
    body = _clean_lines(html_lib.unescape(html_lib.unescape(body)))
    # teaser-length bodies ("first 500 characters...") say nothing about the rest
    if len(body) < 500 or body.rstrip().endswith(("...", "\u2026")):
        return None
    return body


def _json_ld_body(tree: Any) -> str | None:
    best: str | None = None
    for script in tree.xpath(_LD_SCRIPT):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        for node in _walk(data):
            value = node.get("articleBody")
            if isinstance(value, str) and len(value) > len(best or ""):
                best = value
    return best


def _walk(data: Any) -> Any:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk(value)
    elif isinstance(data, list):
        for value in data:
            yield from _walk(value)


def _shingles(text: str) -> set[tuple[str, ...]]:
    tokens = _WORD.findall(text.casefold())
    if len(tokens) < 4:
        return {tuple(tokens)}
    return set(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))


def _reconcile(blocks: list[_Block], structured: str) -> list[_Block]:
    """Check the DOM text against the page's own articleBody.

    When the DOM text holds little of it, the extractor picked the wrong region and the
    structured body replaces it; when the DOM text holds nearly all of it, blocks that
    share nothing with it are page furniture the extractor let through.
    """
    ref = _shingles(structured)
    dom = _shingles("\n".join(b.text for b in blocks)) if blocks else set()
    covered = len(ref & dom) / len(ref)
    if covered < 0.5:
        if _DEBUG is not None:
            _DEBUG.append(("structured-replace", f"{covered:.2f}"))
        return [_Block("p", para, 0) for para in structured.split("\n")]
    # a structured body much shorter than the DOM text is an excerpt, not a yardstick
    if covered < 0.9 or len(structured) < 0.6 * sum(len(b.text) for b in blocks):
        return blocks
    # only after the story: a lead paragraph the structured body leaves out is still the story's
    overlaps = [bool(_shingles(b.text) & ref) for b in blocks]
    last = max((i for i, hit in enumerate(overlaps) if hit), default=len(blocks) - 1)
    for block in blocks[last + 1 :]:
        if _DEBUG is not None:
            _DEBUG.append(("structured-after", block.text))
    return blocks[: last + 1]


# --- the standfirst --------------------------------------------------------------------

_DESCRIPTION = etree.XPath(
    '//meta[@property="og:description" or @name="description" or @name="twitter:description"]/@content'
)


def _with_lead(blocks: list[_Block], tree: Any, metadata: Any, heading: Any) -> list[_Block]:
    """Put back the standfirst when the page shows its summary as text and the extractor left it
    in the header above the story body."""
    description = getattr(metadata, "description", None) or next(iter(_DESCRIPTION(tree)), None)
    if not description or not blocks:
        return blocks
    want = _key(description)
    if len(want) < 40 or want[:60] in _key(" ".join(b.text for b in blocks[:3])):
        return blocks
    for el in tree.iter("p", "h2", "div", "span", "strong"):
        text = el.text_content()
        if not 0.8 * len(description) <= len(text) <= 1.3 * len(description):
            continue
        if _key(text) == want:
            if _DEBUG is not None:
                _DEBUG.append(("lead", text))
            return [_Block("p", _clean_lines(text), 0), *blocks]
    return blocks
