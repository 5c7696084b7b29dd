"""Where the article sits in the page: a text-density vote over the DOM.

Independent of trafilatura's choice, so the two can check each other. Every block of
prose (a ``<p>``, or a ``<div>``/``<td>`` holding its own running text) votes with its
length for its parent, half for its grandparent and a quarter above that; votes are
weighted by the class/id vocabulary and link density. The winner, plus any element
with the same tag and class in the same ``<article>`` (sites split one story into
identical containers around their ads), is the region.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

__all__ = ["Region", "find_region", "region_blocks", "text_of"]

# Ancestors whose prose is never the story.
_OUTSIDE = frozenset({"nav", "aside", "footer", "header", "form", "figure", "figcaption", "li", "dialog"})
_SKIP = _OUTSIDE | {"script", "style", "noscript", "template", "button", "select", "iframe", "svg"}
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_INLINE = frozenset(
    {"a", "span", "b", "i", "em", "strong", "u", "font", "small", "sup", "sub", "q", "cite", "time", "abbr", "mark"}
)
# Matched as prefixes of the class/id words ("comments-area", "sharebar"), so that a
# layout modifier like "grid--adrail" does not read as a rail.
_NEGATIVE = re.compile(
    r"(?:^|[\s_-])(?:comment|sidebar|related|widget|footer|promo|teaser|recommend|share|social|nav|menu|"
    r"newsletter|outbrain|taboola|popular|trending|rail|banner|cookie|consent|modal|popup)",
    re.IGNORECASE,
)
_POSITIVE = re.compile(r"(?:^|[\s_-])(?:article|content|body|entry|post|story|text|main|prose)", re.IGNORECASE)
_MIN_BLOCK = 50


# unclosed tags in broken markup can leave the whole story inside an <aside> or <li>
def _holds_story(el: Any) -> bool:
    """``boolean(.//article | .//main | .//h1)``, by a walk that stops at the first (XPath walks thrice)."""
    return next(el.iterdescendants("article", "main", "h1"), None) is not None


_CONTAINERS = frozenset({"div", "td", "section", "article", "pre", "main"})


@dataclass(frozen=True)
class Region:
    elements: list[Any]
    mass: int  # characters of prose inside the region
    blocks: list[str]  # that prose, block by block, in document order


def text_of(el: Any) -> str:
    return str(el.text_content())


def _own_text(el: Any) -> str:
    """Running text of a container, not counting its block-level children."""
    parts = [el.text or ""]
    for child in el:
        if child.tag in _INLINE:
            parts.append(child.text_content())
        elif child.tag == "br":
            parts.append(" ")
        parts.append(child.tail or "")
    return "".join(parts)


def _link_chars(el: Any, inline_only: bool) -> int:
    links = el.iter("a") if not inline_only else (c for c in el if c.tag == "a")
    return sum(len(a.text_content().strip()) for a in links)


_EXCERPT_END = re.compile(r"(?:\u2026|\.\.\.|\[\.\.\.\]|\[\u2026\])\W*$")


def _is_excerpt(text: str) -> bool:
    """Cut-off text ("... to make a plan for …") is a teaser for another page."""
    return bool(_EXCERPT_END.search(text[-12:]))


def _prose_blocks(root: Any) -> list[tuple[Any, int, str]]:
    """Blocks of running text in document order, outside page furniture."""
    out = []
    stack = [iter(root)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP and not (tag in _OUTSIDE and _holds_story(child)):
            continue
        if tag == "p":
            text = child.text_content().strip()
            inline_links = False
        elif tag in _CONTAINERS:
            text = " ".join(_own_text(child).split())
            inline_links = True
            stack.append(iter(child))
        else:
            stack.append(iter(child))
            continue
        n = len(text)
        if n >= _MIN_BLOCK and not _is_excerpt(text) and _link_chars(child, inline_only=inline_links) <= 0.3 * n:
            out.append((child, n, text))
    return out


def _weight(el: Any) -> float:
    names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}"
    weight = 1.0
    if _NEGATIVE.search(names):
        weight *= 0.3
    if _POSITIVE.search(names):
        weight *= 1.3
    return weight


def _cached_weight(el: Any, cache: dict[Any, float]) -> float:
    weight = cache.get(el)
    if weight is None:
        weight = cache[el] = _weight(el)
    return weight


def _article_of(el: Any) -> Any:
    return next(el.iterancestors("article"), None)


def _under_furniture(el: Any, best: Any) -> bool:
    """``el`` sits in a comments/related/sidebar box that does not also hold ``best``."""
    around_best = set(best.iterancestors())
    for anc in el.iterancestors():
        if anc in around_best:
            return False
        if _weight(anc) < 1 or anc.tag in _OUTSIDE:
            return True
    return False


def _foreign(el: Any, home: Any) -> bool:
    """``el`` lies in an ``<article>`` that is not the one holding the title, nor around it."""
    art = el if el.tag == "article" else _article_of(el)
    if art is None or art is home:
        return False
    return art not in home.iterancestors() and home not in art.iterancestors()


def find_region(tree: Any, title_heading: Any = None) -> Region | None:
    blocks = _prose_blocks(tree)
    if not blocks:
        return None
    score: dict[Any, float] = defaultdict(float)
    for el, n, _ in blocks:
        target = el if el.tag != "p" else el.getparent()
        share = 1.0
        for _ in range(3):
            if target is None:
                break
            score[target] += n * share
            share /= 2
            target = target.getparent()
    # a page with several <article>s (infinite scroll, teasers): the story is the one
    # holding the title heading
    home = _article_of(title_heading) if title_heading is not None else None
    weights: dict[Any, float] = {}
    for el in score:
        score[el] *= _cached_weight(el, weights)
        # prose inside a comments or related box is theirs, whatever the inner class says
        if any(_cached_weight(anc, weights) < 1 for anc in el.iterancestors() if anc.tag not in ("body", "html")):
            score[el] *= 0.3
        if home is not None and _foreign(el, home):
            score[el] *= 0.3
    best = max(score, key=score.__getitem__)
    elements = [best]
    cls, art = best.get("class"), _article_of(best)
    if cls:
        for el in tree.iter(best.tag):
            if el is not best and el.get("class") == cls and el in score and _article_of(el) is art:
                if not _under_furniture(el, best):
                    elements.append(el)
    elements = [e for e in elements if not any(o is not e and o in e.iterancestors() for o in elements)]
    inside = [(el, n, t) for el, n, t in blocks if any(el is e or e in el.iterancestors() for e in elements)]
    return Region(elements, sum(n for _, n, _ in inside), [t for _, _, t in inside])


def region_blocks(region: Region) -> list[tuple[str, str, int]]:
    """The region's own rendering as (kind, text, link characters) blocks.

    For when the extractors lose parts of the region.
    """
    out: list[tuple[str, str, int]] = []

    def emit(kind: str, el: Any, text: str, inline_links: bool = False) -> None:
        if text:
            out.append((kind, text, _link_chars(el, inline_only=inline_links)))

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP or _weight(child) < 1:
                continue
            if tag == "p" or tag == "pre":
                text = " ".join(text_of(child).split())
                if not _is_excerpt(text):
                    emit("p", child, text)
            elif tag in _HEADINGS:
                emit("head", child, " ".join(text_of(child).split()))
            elif tag in ("ul", "ol"):
                items = (" ".join(text_of(li).split()) for li in child.iter("li"))
                emit("list", child, "\n".join(i for i in items if i))
            elif tag == "blockquote":
                emit("quote", child, " ".join(text_of(child).split()))
            else:
                own = " ".join(_own_text(child).split())
                if len(own) >= _MIN_BLOCK and not _is_excerpt(own):
                    emit("p", child, own, inline_links=True)
                walk(child)

    for element in region.elements:
        walk(element)
    return out
