"""The structured sources of one page, read once: JSON-LD, ``<meta>``, links, the article's
element, and what names the site. Shared by the metadata stages (``parsers.html_meta``)."""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from parsers._meta_jsonld import JsonLd, read_json_ld, type_names

__all__ = [
    "PageSources",
    "element_text",
    "is_url",
    "key_of",
    "links",
    "names_site",
    "publisher_name",
    "site_aliases",
    "short_text",
    "site_keys",
    "text_value",
]

_META_SECTION = ("article:section", "parsely-section", "section", "article.section", "dc.subject")
_META_SITE = ("og:site_name", "application-name", "apple-mobile-web-app-title", "publisher", "dc.publisher")
_MIN_SITE_KEY = 3
_MIN_HEADLINE_WORDS = 5
_HOME_KEYS = frozenset(
    "home homepage start startseite accueil inicio portada forside etusivu hem strona główna"
    " stronagłówna titelseite frontpage".split()
)
_MAX_SITE_EXTRA = 6
_WS = re.compile(r"\s+")


@dataclass
class PageSources:
    """Stage 1: the page's structured sources, read once."""

    tree: HtmlElement
    url: str | None
    ld: JsonLd
    article: dict[str, Any] | None
    meta: dict[str, list[str]]
    scope: HtmlElement  # the <article> element when there is one, else the whole page
    canonical_links: list[str] = field(default_factory=list)
    site_name: str | None = None
    section: str | None = None
    # Per-page results that several stages ask for (XPath over the article is the costly part).
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, tree: HtmlElement, *, url: str | None) -> PageSources:
        ld = read_json_ld(tree)
        meta = _read_meta(tree)
        canonical = links(tree, "canonical")
        urls = tuple(u for u in (url, *meta.get("og:url", []), *canonical) if u)
        article = ld.article(urls=urls) or ld.page()
        page = cls(tree, url, ld, article, meta, _article_scope(tree), canonical)
        page.site_name = _site_name(page)
        page.section = _section(page)
        return page

    def first_meta(self, names: tuple[str, ...]) -> str | None:
        for name in names:
            for value in self.meta.get(name, []):
                if value.strip():
                    return value.strip()
        return None

    def ld_value(self, key: str) -> Any:
        return self.article.get(key) if self.article else None


def _read_meta(tree: HtmlElement) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for element in tree.iterfind(".//meta"):
        content = element.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "http-equiv"):
            key = (element.get(attr) or "").strip().lower()
            if key:
                meta.setdefault(key, []).append(content)
        # itemprop may hold several names: "datePublished dateCreated".
        for key in (element.get("itemprop") or "").lower().split():
            meta.setdefault(key, []).append(content)
    for blob in meta.get("parsely-page", [])[:1]:
        _add_parsely_page(meta, blob)
    return meta


def _add_parsely_page(meta: dict[str, list[str]], blob: str) -> None:
    """Parse.ly's older tag packs its fields into one JSON ``<meta name="parsely-page">``;
    they join the separate ``parsely-*`` tags of the newer format."""
    try:
        data = json.loads(blob)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    for name in ("title", "pub_date", "section"):
        if isinstance(data.get(name), str):
            meta.setdefault("parsely-" + name.replace("_", "-"), []).append(data[name])
    authors = data.get("authors") or data.get("author")
    for author in authors if isinstance(authors, list) else [authors]:
        if isinstance(author, str):
            meta.setdefault("parsely-author", []).append(author)


def links(tree: HtmlElement, rel: str) -> list[str]:
    return [
        link.get("href", "").strip()
        for link in tree.iterfind(".//link")
        if rel in (link.get("rel") or "").lower().split() and link.get("href", "").strip()
    ]


def _article_scope(tree: HtmlElement) -> HtmlElement:
    """The element holding the article: the ``<article>``/``<main>`` around the first ``<h1>``;
    without one, the ``<article>`` with the most text (teaser lists hold many small ones),
    else ``<main>``, else the page."""
    h1 = next(tree.iterfind(".//h1"), None)
    if h1 is not None:
        for ancestor in h1.iterancestors():
            if ancestor.tag in {"article", "main"} or ancestor.get("role") == "main":
                return ancestor
    articles = tree.xpath(".//article")
    if articles:
        return max(articles, key=lambda e: len(e.text_content()))
    main = tree.xpath(".//main | .//*[@role='main']")
    return main[0] if main else tree


def _site_name(page: PageSources) -> str | None:
    for value in (page.first_meta(("og:site_name",)), publisher_name(page), page.first_meta(("application-name",))):
        if value and not is_url(value):
            return value
    return None


def publisher_name(page: PageSources) -> str | None:
    publisher = page.ld.resolve(page.ld_value("publisher"))
    if isinstance(publisher, list) and publisher:
        publisher = page.ld.resolve(publisher[0])
    return text_value(publisher.get("name")) if isinstance(publisher, dict) else None


def _section(page: PageSources) -> str | None:
    value = text_value(page.ld_value("articleSection")) or page.first_meta(_META_SECTION)
    if value and "," in value and ", " not in value:
        value = value.split(",")[0].strip()  # a tag list ("game,news,slider"): its first tag
    return value or _breadcrumb_section(page)


def _breadcrumb_section(page: PageSources) -> str | None:
    """The deepest category of a JSON-LD ``BreadcrumbList``: not the home page, not the
    site, and not the trail's last step when that step is the article itself."""
    for obj in page.ld.objects:
        if "breadcrumblist" not in type_names(obj):
            continue
        items = obj.get("itemListElement")
        steps = [s for s in (items if isinstance(items, list) else []) if isinstance(s, dict)]
        steps.sort(key=_position)
        names = []
        for step in steps:
            item = step.get("item")
            name = text_value(step.get("name")) or (text_value(item.get("name")) if isinstance(item, dict) else None)
            if name:
                names.append(name)
        headline = key_of(text_value(page.ld_value("headline")) or "")
        if names and (len(names[-1].split()) >= _MIN_HEADLINE_WORDS or key_of(names[-1]) == headline):
            names.pop()
        keys = site_keys(page)
        names = [n for n in names if key_of(n) not in _HOME_KEYS and not names_site(n, keys)]
        if names:
            return names[-1]
    return None


def _position(step: dict[str, Any]) -> int:
    position = step.get("position")
    return position if isinstance(position, int) else 0


def site_aliases(page: PageSources) -> list[str]:
    aliases = [v for name in _META_SITE for v in page.meta.get(name, [])]
    host = urlsplit(page.url or "").hostname or ""
    if host:
        host = re.sub(r"^(www\d?|m|amp)\.", "", host)
        aliases += [host, _registered_name(host)]
    return aliases


def _registered_name(host: str) -> str:
    """The name a site registered: "comwrap" of blog.comwrap.com, "bbc" of news.bbc.co.uk."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {"co", "com", "org", "net", "ac", "gov", "or"}:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def site_keys(page: PageSources) -> set[str]:
    return {key_of(s) for s in (page.site_name, publisher_name(page), *site_aliases(page)) if s and key_of(s)}


def names_site(name: str, keys: set[str]) -> bool:
    """The site's name ("NDR.de" for ndr.de), part of it ("WELT" of "DIE WELT"), a desk of it
    ("MDR THÜRINGEN", "CNN Business"), or it with a short addition ("Le Figaro et AFP").
    Two-letter keys ("nj", "vg") count only whole: they hide inside people's names."""
    key = key_of(name)
    for site in keys:
        if key == site or (len(key) >= _MIN_SITE_KEY and key in site):
            return True
        if len(site) >= _MIN_SITE_KEY and (
            key.startswith(site) or (site in key and len(key) - len(site) <= _MAX_SITE_EXTRA)
        ):
            return True
    return False


def text_value(value: Any) -> str | None:
    """A JSON-LD value as one string (first of a list, ``@value`` of an object), unescaped."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | dict) and v), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if not isinstance(value, str):
        return None
    if "&" in value:
        value = html_lib.unescape(value)
    value = _WS.sub(" ", value).strip()
    return value or None


def short_text(element: HtmlElement, max_chars: int, *, max_elements: int = 12) -> str | None:
    """The text of a small element, or None for a big one: a byline or date line is a few
    elements deep, and reading the text of every wrapper on a large page costs quadratic time."""
    if next(islice(element.iter(), max_elements, None), None) is not None:
        return None
    text = element.text_content()
    return text if len(text) <= max_chars else None


def element_text(element: HtmlElement) -> str:
    return _WS.sub(" ", element.text_content()).strip()


def is_url(value: str) -> bool:
    return bool(re.match(r"\s*(?:https?:)?//|\s*www\.", value, re.I))


def key_of(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())

