"""Page metadata from an HTML tree: title, authors, dates, language, site, section.

Stages (the code's comments carry the same numbers):
1. read the structured sources once: JSON-LD (the page's article object), ``<meta>``
   tags (OpenGraph, Dublin Core, ``parsely-*``, ``sailthru.*``, ``itemprop``), links
   (``_meta_page``, ``_meta_jsonld``);
2. title: every source votes, the site's name is cut off (``_meta_title``);
3. authors: JSON-LD persons, then author ``<meta>`` tags, then the visible byline
   (``_meta_bylines``, names cleaned by ``_meta_authors``);
4. dates: JSON-LD, then ``<meta>``, then ``<time>``/``itemprop``; published and
   modified kept apart; htmldate only when nothing else names a date (``_meta_pagedates``);
5. language, canonical URL, site name, section, description, syndication source;
6. a site profile (``parsers.sites``) for the page's domain overrides what it selects.

Structured data wins where it exists and is sane, because newsrooms fill it for
search engines and it does not change with the page layout. The tree is never
mutated: the body stage runs on it afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import islice
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from parsers._meta_authors import clean_author_names
from parsers._meta_bylines import page_authors, page_source
from parsers._meta_dates import parse_date
from parsers._meta_page import PageSources, element_text, publisher_name, site_aliases, text_value
from parsers._meta_pagedates import page_dates
from parsers._meta_title import TitleCandidate, choose_title, headline_run, title_key
from parsers.language import language_code
from parsers.sites import SiteProfile, profile_for

__all__ = ["PageMetadata", "extract_metadata"]


@dataclass(frozen=True)
class PageMetadata:
    """What a page says about its article. ``published_at`` is timezone-aware when the
    page states a zone (``published_tz_known``), else naive local time as printed."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    published_tz_known: bool = False
    modified_at: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    section: str | None = None
    source: str | None = None
    description: str | None = None
    json_ld_body: str | None = None


_META_TITLE = (
    ("og:title", 2.0),
    ("twitter:title", 1.0),
    ("dc.title", 0.75),
    ("parsely-title", 0.75),
    ("sailthru.title", 0.75),
    ("title", 0.75),
    ("headline", 1.0),
)
_META_LANGUAGE = ("og:locale", "content-language", "language", "dc.language", "inlanguage")
_KICKER_CLASS = re.compile(r"kicker|topline|overline|eyebrow|dachzeile|roofline|supertitle|pretitle|spitzmarke", re.I)
_OWN_SEPARATOR = frozenset(":|-–—·•/»~")
_WS = re.compile(r"\s+")
_MAX_HEADINGS = 60
_MAX_HEADING_CHARS = 400
# A breadcrumb trail: marked so in a class, id or data attribute ("breadcrumb__item",
# data-breadcrumb-headline, typeof=BreadcrumbList) on the heading or its nearest ancestors
# (item, list, container), holding little text beside the heading: an <article> whose
# class names its URL "url-breadcrumb" is no trail.
_TRAIL_MARK = re.compile(r"breadcrumb", re.I)
_TRAIL_DEPTH = 3
_TRAIL_EXTRA_CHARS = 200
_MIN_HEADLINE_WORDS = 3
_NEXT_HEADINGS = 3


def extract_metadata(
    tree: HtmlElement,
    *,
    url: str | None = None,
    profiles: Iterable[SiteProfile] | None = None,
    profile: SiteProfile | None = None,
) -> PageMetadata:
    """Metadata of the page; never mutates ``tree`` (the body stage runs after it).

    ``profiles`` replaces the shipped site profiles (tests, users with their own); ``profile``
    is used whatever the URL's host (a source that names its profile)."""
    page = PageSources.read(tree, url=url)  # 1
    published, modified = page_dates(page)  # 4
    authors = page_authors(page)  # 3
    meta = PageMetadata(
        title=_title(page),  # 2
        authors=authors,
        published_at=published.value if published else None,
        published_tz_known=bool(published and published.tz_known),
        modified_at=modified.value if modified else None,
        language=_language(page),  # 5
        site_name=page.site_name,
        canonical_url=_canonical(page),
        section=page.section,
        source=page_source(page, authors),
        description=_description(page),
        json_ld_body=text_value(page.article.get("articleBody")) if page.article else None,
    )
    profile = profile or profile_for(url, profiles)
    return _apply_profile(meta, profile, tree) if profile else meta  # 6


def _apply_profile(meta: PageMetadata, profile: SiteProfile, tree: HtmlElement) -> PageMetadata:
    changes: dict[str, Any] = {}
    if titles := profile.select(tree, "title"):
        changes["title"] = titles[0]
    if authors := clean_author_names(profile.select(tree, "authors")):
        changes["authors"] = authors
    for value in profile.select(tree, "published"):
        if found := parse_date(value):
            changes.update(published_at=found.value, published_tz_known=found.tz_known)
            break
    if sections := profile.select(tree, "section"):
        changes["section"] = sections[0]
    return replace(meta, **changes)


def _title(page: PageSources) -> str | None:
    candidates, sites, sections = title_candidates(page)
    return choose_title(candidates, site_names=sites, section_names=sections)


def title_candidates(page: PageSources) -> tuple[list[TitleCandidate], list[str], list[str]]:
    """Every headline the page states, weighted by source, with the site's names and
    section that ``choose_title`` cuts off them (``bench.titles`` lists them too)."""
    candidates: list[TitleCandidate] = []
    for key, weight in (("headline", 3.0), ("name", 1.0), ("alternativeHeadline", 0.5)):
        text = text_value(page.ld_value(key))
        if text:
            candidates.append(TitleCandidate(text, weight, f"ld:{key}"))
            break  # the article's name repeats its headline; count the object once
    for name, weight in _META_TITLE:
        for value in page.meta.get(name, [])[:1]:
            candidates.append(TitleCandidate(value, weight, f"meta:{name}"))
    title = page.tree.find(".//title")
    run = None
    if title is not None and title.text_content().strip():
        text = _WS.sub(" ", title.text_content()).strip()
        run = headline_run(text, _heading_texts(page))
        candidates.append(TitleCandidate(run[0] if run else text, 1.5, "title"))
    site_parts = run[1] if run else frozenset()
    for rank, h1 in enumerate(_headings(page)):
        if title_key(h1) in site_parts:
            continue  # the blog's name over its post, which the <title> shows as the site's
        # The visible headline outweighs any single machine-readable one but the JSON-LD headline.
        candidates.append(TitleCandidate(h1, 2.75 if rank == 0 else 0.5, "h1"))
    sites = [s for s in (page.site_name, publisher_name(page), *site_aliases(page)) if s]
    return candidates, sites, [page.section] if page.section else []


def _heading_texts(page: PageSources) -> Iterator[str]:
    """Texts of the page's first ``<h1>``-``<h3>`` headings (a blog sets its post's title in
    an ``<h2>`` under the blog's name in the ``<h1>``); lazy, as most titles need none."""
    return (element_text(h) for h in islice(page.tree.iter("h1", "h2", "h3"), _MAX_HEADINGS))


def _headings(page: PageSources) -> list[str]:
    """The page's headline elements: an ``<h1>`` marked ``itemprop=headline``, else any
    element so marked, else the ``<h1>``; the article's own first, then the page's.
    A heading in the page's navigation is none (a menu's "Games", a site's logo), and when
    the page spent its only ``<h1>`` on the breadcrumb trail, the headline is the heading below."""
    found_all = page.tree.xpath(".//h1 | .//*[@itemprop='headline']")  # one pass, document order
    places = [_navigation(e) for e in found_all]
    elements = [e for e, place in zip(found_all, places, strict=True) if place is None]
    tiers = (
        lambda e: e.tag == "h1" and e.get("itemprop") == "headline",
        lambda e: e.get("itemprop") == "headline",
        lambda e: e.tag == "h1",
    )
    for tier in tiers:
        matching = [e for e in elements if tier(e)]
        in_scope = [e for e in matching if page.scope is page.tree or page.scope in e.iterancestors()]
        found: list[str] = []
        for element in in_scope[:2] + matching[:2]:
            text = _heading_text(element)
            if text and text not in found and len(text) < _MAX_HEADING_CHARS:
                found.append(text)
        if found:
            return found[:2]
    trail = next((e for e, place in zip(found_all, places, strict=True) if place == "trail" and e.tag == "h1"), None)
    return _heading_below(trail) if trail is not None else []


def _navigation(element: HtmlElement) -> str | None:
    """"trail" for a heading in a breadcrumb trail, "nav" for one in a ``<nav>`` (or
    ``role=navigation``), else None. Only the heading and its nearest ancestors count: a
    page wrapped whole in a ``<nav>`` left open is no menu."""
    own = None
    for depth, node in enumerate((element, *element.iterancestors())):
        if depth > _TRAIL_DEPTH:
            return None
        if node.tag == "nav" or node.get("role") == "navigation":
            return "nav"
        if any(_TRAIL_MARK.search(name) or _TRAIL_MARK.search(value) for name, value in node.attrib.items()):
            own = len(element.text_content()) if own is None else own
            if len(node.text_content()) <= own + _TRAIL_EXTRA_CHARS:
                return "trail"
    return None


def _heading_below(trail: HtmlElement) -> list[str]:
    """The headline readers see when the ``<h1>`` is the breadcrumb trail's last item (there
    it is the search engines' headline, set small): the first ``<h2>`` after the trail,
    when it reads as a headline (a "Politik" section label does not)."""
    for heading in trail.xpath(f"following::h2[position() <= {_NEXT_HEADINGS}]"):
        if _navigation(heading) is not None:
            continue
        text = _heading_text(heading)
        if len(text.split()) >= _MIN_HEADLINE_WORDS and len(text) < _MAX_HEADING_CHARS:
            return [text]
        return []
    return []


def _heading_text(element: HtmlElement) -> str:
    """A heading's text; a kicker set in its own element ("<span class=kicker>Brexit</span>
    What happens next") is joined as "Brexit: What happens next", as sites write it elsewhere;
    unless the page puts its own separator there (often a visually hidden ": " for screen readers)."""
    text = element_text(element)
    first = next(iter(element), None)
    if first is None or not _KICKER_CLASS.search(first.get("class") or ""):
        return text
    kicker = element_text(first)
    rest = text[len(kicker) :].strip() if text.startswith(kicker) else ""
    if not kicker or not rest or not kicker[-1].isalnum() or rest[0] in _OWN_SEPARATOR:
        return text
    return f"{kicker}: {rest}"


def _language(page: PageSources) -> str | None:
    candidates = [page.tree.get("lang"), page.tree.get("xml:lang"), text_value(page.ld_value("inLanguage"))]
    candidates += [page.first_meta(_META_LANGUAGE)]
    for value in candidates:
        code = language_code(value)
        if code:
            return code
    return None


def _canonical(page: PageSources) -> str | None:
    for value in page.canonical_links + page.meta.get("og:url", []):
        absolute = urljoin(page.url or "", value.strip())
        if urlsplit(absolute).scheme in {"http", "https"}:
            return absolute
    return None


def _description(page: PageSources) -> str | None:
    return (
        page.first_meta(("og:description", "description", "twitter:description", "dc.description"))
        or text_value(page.ld_value("description"))
    )

