"""Pre-cleaning: drop page furniture the markup names as such, before any extractor runs.

Two signals, both in the site's own words:

* the element: ``nav``, ``aside``, ``footer``, the page's ``header``, dialogs and
  buttons; code and vector art (``script``, ``style``, ``svg`` ...);
* the vocabulary of ``class``, ``id``, ``role`` and ``aria-label``: share bars,
  related-story boxes, newsletter and cookie blurbs, reader comments (and the
  commenting services' own names), bylines, captions and credits, ad slots.

Class names are split into words ("article-share__bar" -> article, share, bar) and a
word must equal a vocabulary entry, so "shared-content" or "adrail" do not read as
furniture. An element that holds the title heading, an ``<article>`` or ``<main>``, or
a large share of the page's text is never dropped: sites put modifier classes such as
"has-comments" on the very container of the story, and broken markup can leave the
whole story inside an unclosed ``<aside>``. Nor is anything inside ``<pre>`` or ``<code>``,
where a syntax highlighter's classes name token kinds ("hljs-comment").
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

__all__ = ["preclean"]

NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas")

# Not <form>: some sites wrap the whole page in one.
_FURNITURE = etree.XPath(
    "(//nav | //aside | //footer | //dialog | //select | //button"
    " | //header[not(ancestor::article or ancestor::main)])"
    "[not(.//article or .//main or .//h1)]"
)

_WORDS = frozenset(
    """
    comment comments commentary kommentare kommentar disqus viafoura openweb spotim coral
    share shares sharing sharebar sharetools socials
    related recommended recommendations recirc recirculation outbrain taboola trending mostread
    readmore morestories teasers
    newsletter newsletters subscribe subscription signup
    cookie cookies consent gdpr
    caption figcaption credit credits copyright
    byline bylines dateline bio
    breadcrumb breadcrumbs tags taglist
    advert adverts advertisement advertising adslot sponsor sponsored promo promotion
    """.split()
)
# Left out on purpose, for they name story text as often as furniture: "teaser" (German
# sites' word for the standfirst), "social" (embedded posts quoted by the story), "author"
# (boxes that hold the byline and the lead), "ad"/"ads" (modifiers on content wrappers).
_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search"})
_ARIA = re.compile(r"\b(?:share|related|newsletter|comments|advertisement|cookie)", re.IGNORECASE)
_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
# inside code, class names are a highlighter's token kinds ("hljs-comment", "token tag"), not furniture
_IN_CODE = etree.XPath("//pre//*[@class] | //code//*[@class]")
_NO_NAMES = (None, None, None, None)


def _holds_story(el: Any) -> bool:
    """``boolean(.//article | .//main | .//h1)``, by a walk that stops at the first (XPath walks thrice)."""
    return next(el.iterdescendants("article", "main", "h1"), None) is not None


# a box with more than this share of the page's text is a layout wrapper, whatever its name
_MAX_SHARE = 0.3


def _named_elements(tree: Any) -> list[tuple[Any, tuple[str | None, ...]]]:
    """Every element of the document with a role, aria-label, class or id, in document order, with
    those four: what ``//*[@class or @id or @role or @aria-label]`` selects (top-level elements that
    markup after ``</html>`` makes included), read by a walk in Python, faster than XPath's tests."""
    root = tree.getroottree().getroot()
    found: list[tuple[Any, tuple[str | None, ...]]] = []
    for top in (*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()):
        if not isinstance(top.tag, str):
            continue
        for el in top.iter(etree.Element):
            get = el.get
            key = (get("role"), get("aria-label"), get("class"), get("id"))
            if key != _NO_NAMES:
                found.append((el, key))
    return found


def _is_furniture(key: tuple[str | None, ...], seen: dict[tuple[str | None, ...], bool]) -> bool:
    """``key``: (role, aria-label, class, id); ``seen``: the verdict per key (a page repeats its class names)."""
    verdict = seen.get(key)
    if verdict is None:
        verdict = seen[key] = _names_furniture(*key)
    return verdict


def _names_furniture(role: str | None, label: str | None, cls: str | None, id_: str | None) -> bool:
    if role in _ROLES:
        return True
    if label and _ARIA.search(label):
        return True
    names = f"{cls or ''} {id_ or ''}"
    return any(word.lower() in _WORDS for word in _SPLIT.split(names) if word)


def preclean(tree: Any, *, keep: Any = None) -> list[Any]:
    """Drop furniture from ``tree`` in place; returns the dropped elements (for tests).

    ``keep`` (the title heading, when known) and its ancestors are never dropped.
    """
    etree.strip_elements(tree, *NEVER_TEXT, with_tail=False)
    dropped = []
    for el in _FURNITURE(tree):
        if el.getparent() is not None:
            el.drop_tree()
            dropped.append(el)
    protected = set(keep.iterancestors()) | {keep} if keep is not None else set()
    page_chars = len(tree.text_content()) or 1
    seen: dict[tuple[str | None, ...], bool] = {}
    protected.update(_IN_CODE(tree))
    for el, key in _named_elements(tree):
        if el.tag in ("html", "body", "article", "main") or el in protected or el.getparent() is None:
            continue
        if not _is_furniture(key, seen) or _holds_story(el):
            continue
        if len(el.text_content()) > _MAX_SHARE * page_chars:
            continue
        el.drop_tree()
        dropped.append(el)
    return dropped
