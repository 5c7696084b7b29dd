"""Page metadata from an HTML tree: title, authors, dates, language, site, section.

Stages (the code's comments carry the same numbers):
1. read the structured sources once: JSON-LD (the page's article object), ``<meta>``
   tags (OpenGraph, Dublin Core, ``parsely-*``, ``sailthru.*``, ``itemprop``), links;
2. title: every source votes, the site's name is cut off (``_meta_title``);
3. authors: JSON-LD persons, then author ``<meta>`` tags, then the visible byline;
4. dates: JSON-LD, then ``<meta>``, then ``<time>``/``itemprop``; published and
   modified kept apart; htmldate only when nothing else names a date;
5. language, canonical URL, site name, section, description, syndication source;
6. a site profile (``parsers.sites``) for the page's domain overrides what it selects.

Structured data wins where it exists and is sane, because newsrooms fill it for
search engines and it does not change with the page layout. The tree is never
mutated: the body stage runs on it afterwards.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from parsers._meta_authors import clean_author_names, is_person_like, news_agency
from parsers._meta_dates import PageDate, parse_date
from parsers._meta_jsonld import JsonLd, read_json_ld, type_names
from parsers._meta_title import TitleCandidate, choose_title
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


# <meta> names in the order they are trusted, per field.
_META_PUBLISHED = (
    "article:published_time",
    "article:published:time",
    "article:published",
    "og:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "cxenseparse:recs:publishtime",
    "cxenseparse:recs:published_time",
    "article.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_date",
    "originalpublicationdate",
    "date",
    "dc.date",
    "dcterms.date",
)
_META_MODIFIED = (
    "article:modified_time",
    "article:modified:time",
    "article:modified",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
)
_META_AUTHOR = (
    "author",
    "article:author",
    "article:author_name",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "cxenseparse:author",
)
_META_TITLE = (
    ("og:title", 2.0),
    ("twitter:title", 1.0),
    ("dc.title", 0.75),
    ("parsely-title", 0.75),
    ("sailthru.title", 0.75),
    ("title", 0.75),
    ("headline", 1.0),
)
_META_SECTION = ("article:section", "parsely-section", "section", "article.section", "dc.subject")
_META_SITE = ("og:site_name", "application-name", "apple-mobile-web-app-title", "publisher", "dc.publisher")
_META_LANGUAGE = ("og:locale", "content-language", "language", "dc.language", "inlanguage")

# Visible-page fallbacks (stage 3 and 4), searched inside the article when there is one.
_BYLINE_XPATH = (
    ".//*[@itemprop='author']",
    ".//*[@rel='author']",
    ".//*[contains(concat(' ', translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),"
    " ' '), 'byline') or contains(translate(@class, 'AUTHOR', 'author'), 'author')"
    " or contains(translate(@class, 'AUTOR', 'autor'), 'autor')]",
)
_TIME_PUBLISHED_XPATH = (
    ".//*[@itemprop='datePublished']",
    ".//time[@pubdate]",
    ".//time[contains(@class, 'publish') or contains(@class, 'pubdate') or contains(@class, 'date')]",
    ".//time[@datetime]",
)
_TIME_MODIFIED_XPATH = (
    ".//*[@itemprop='dateModified']",
    ".//time[contains(@class, 'update') or contains(@class, 'modif')]",
)
_BYLINE_EXCLUDE = re.compile(
    r"quote|comment|bild|foto|photo|image|img|credit|caption|follow|avatar|copyright|teaser|box|related|social",
    re.I,
)
_MAX_BYLINE_CHARS = 200
_LEAD_IN_BYLINE = re.compile(
    r"^(?:By|BY|Von|von|VON|Par|par|Por|por|Av|av|Door|door|Di|di|Af|af|"
    r"(?:Autor(?:in)?|Author|Text|Texto|Tekst)(?:\s*/\s*Autor(?:in)?)?\s*:?)\s+(\S.{2,80})$"
)
_MAX_LEAD_IN_CHARS = 120
_MIN_SITE_KEY = 3
_MAX_SITE_EXTRA = 6
_MAX_BOLD_BYLINE_PARAGRAPH = 4
_MAX_BOLD_BYLINE_CHARS = 80
_DATE_LABEL = re.compile(
    r"^(?i:datum|date|published(?: on)?|publiziert(?: am)?|veröffentlicht(?: am)?|erschienen(?: am)?|"
    r"publicado(?: el)?|publié(?: le)?|pubblicato(?: il)?|gepubliceerd(?: op)?|publisert|publicerad|"
    r"opublikowano|yayınlanma(?: tarihi)?|data publicação)\s*:?\s+"
    r"(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:,?\s+\d{1,2}[:.]\d{2})?)"
)
_WS = re.compile(r"\s+")
_ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
    ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io
    is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr
    ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si
    sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh
    yi yo za zh zu""".split()
)
# Three-letter and legacy codes pages use for languages that have a two-letter one.
_LANGUAGE_ALIASES = {"nb": "no", "nn": "no", "ger": "de", "deu": "de", "eng": "en", "fre": "fr", "fra": "fr",
                     "spa": "es", "ita": "it", "por": "pt", "rus": "ru", "zho": "zh", "chi": "zh", "jpn": "ja",
                     "kor": "ko", "ara": "ar", "tur": "tr", "nld": "nl", "dut": "nl", "iw": "he", "in": "id"}


def extract_metadata(
    tree: HtmlElement, *, url: str | None = None, profiles: Iterable[SiteProfile] | None = None
) -> PageMetadata:
    """Metadata of the page; never mutates ``tree`` (the body stage runs after it).

    ``profiles`` replaces the shipped site profiles (tests, users with their own)."""
    page = _Page.read(tree, url=url)  # 1
    published, modified = _dates(page)  # 4
    authors = _authors(page)  # 3
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
        source=_source(page, authors),
        description=_description(page),
        json_ld_body=_text_value(page.article.get("articleBody")) if page.article else None,
    )
    profile = profile_for(url, profiles)
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


@dataclass
class _Page:
    """Stage 1: the page's structured sources, read once."""

    tree: HtmlElement
    url: str | None
    ld: JsonLd
    article: dict[str, Any] | None
    meta: dict[str, list[str]]
    scope: HtmlElement  # the <article> element when there is one, else the whole page
    site_name: str | None = None
    section: str | None = None

    @classmethod
    def read(cls, tree: HtmlElement, *, url: str | None) -> _Page:
        ld = read_json_ld(tree)
        meta = _read_meta(tree)
        urls = tuple(u for u in (url, *meta.get("og:url", []), *_links(tree, "canonical")) if u)
        article = ld.article(urls=urls) or ld.page()
        page = cls(tree, url, ld, article, meta, _article_scope(tree))
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
    return meta


def _links(tree: HtmlElement, rel: str) -> list[str]:
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


# -- 2. title -----------------------------------------------------------------


def _title(page: _Page) -> str | None:
    candidates: list[TitleCandidate] = []
    for key, weight in (("headline", 3.0), ("name", 1.0), ("alternativeHeadline", 0.5)):
        text = _text_value(page.ld_value(key))
        if text:
            candidates.append(TitleCandidate(text, weight, f"ld:{key}"))
            break  # the article's name repeats its headline; count the object once
    for name, weight in _META_TITLE:
        for value in page.meta.get(name, [])[:1]:
            candidates.append(TitleCandidate(value, weight, f"meta:{name}"))
    title = page.tree.find(".//title")
    if title is not None and title.text_content().strip():
        candidates.append(TitleCandidate(title.text_content(), 1.5, "title"))
    for rank, h1 in enumerate(_headings(page)):
        # The visible headline outweighs any single machine-readable one but the JSON-LD headline.
        candidates.append(TitleCandidate(h1, 2.75 if rank == 0 else 0.5, "h1"))
    sites = [s for s in (page.site_name, _publisher_name(page), *_site_aliases(page)) if s]
    return choose_title(candidates, site_names=sites + ([page.section] if page.section else []))


def _headings(page: _Page) -> list[str]:
    found: list[str] = []
    for xpath in (".//h1[@itemprop='headline']", ".//*[@itemprop='headline']", ".//h1"):
        for scope in (page.scope, page.tree):
            for element in scope.xpath(xpath)[:2]:
                text = _element_text(element)
                if text and text not in found and len(text) < 400:
                    found.append(text)
        if found:
            break
    return found[:2]


def _site_aliases(page: _Page) -> list[str]:
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


# -- 3. authors ---------------------------------------------------------------


def _authors(page: _Page) -> list[str]:
    """JSON-LD persons; else persons named in author <meta> tags; else the visible byline;
    else the organisations JSON-LD names as author (a wire or the paper itself)."""
    persons, organisations = _ld_authors(page)
    site_keys = _site_keys(page)
    if persons and all(_names_site(n, site_keys) for n in persons):
        # A "Person" that is the site itself ("Lesotho Times"): the CMS's default author.
        persons, organisations = [], persons + organisations
    if persons:
        names = clean_author_names(persons)
        # JSON-LD sometimes lists only the first of several authors that the byline marks up.
        marked = clean_author_names(_byline_texts(page, marked_only=True))
        known = {n.casefold() for n in marked}
        if len(marked) > len(names) and all(n.casefold() in known for n in names):
            return marked
        return names

    def not_site(names: list[str]) -> list[str]:
        return [n for n in names if not _names_site(n, site_keys)]

    meta_names = clean_author_names(_meta_author_values(page))
    if not_site(meta_names):
        return not_site(meta_names)
    marked = clean_author_names(_byline_texts(page))
    for byline in (_person_names(marked), _person_names(_lead_in_bylines(page))):
        if not_site(byline):
            return not_site(byline)
    if organisations or any(_names_site(n, site_keys) for n in meta_names + marked):
        # The CMS credits only the site: small sites then type the reporter's name into the body.
        bold = not_site(_person_names(_bold_byline(page), strict=True))
        if bold:
            return bold
    return clean_author_names(organisations) or not_site(meta_names)


def _person_names(texts: list[str], *, strict: bool = False) -> list[str]:
    """Names from visible bylines, which also hold brands and initials: keep them only when a
    person is among them (every name, if ``strict``), then drop lower-case tokens ("amw")."""
    names = clean_author_names(texts)
    if not any(is_person_like(n) for n in names) or (strict and not all(map(is_person_like, names))):
        return []
    return [n for n in names if is_person_like(n) or n[:1].isupper() and len(n) >= 3]


def _lead_in_bylines(page: _Page) -> list[str]:
    """Short page elements that read like a byline: "By Jane Doe", "von Max Muster", "Autor: ..."."""
    texts = []
    for element in page.scope.iter("p", "span", "div", "li", "address", "strong", "em"):
        text = element.text_content()
        if len(text) > _MAX_LEAD_IN_CHARS or not text.strip():
            continue
        match = _LEAD_IN_BYLINE.match(_WS.sub(" ", text).strip())
        if match:
            texts.append(match.group(1))
            if len(texts) >= 2:
                break
    return texts


def _bold_byline(page: _Page) -> list[str]:
    """Small sites type the byline into the body as a bold paragraph of its own near the top
    ("<p><strong>Jane Doe/John Smith</strong></p>"). Looked at only when nothing else names
    a person, and only among the first paragraphs."""
    seen = 0
    for paragraph in page.scope.iter("p"):
        text = _element_text(paragraph)
        if not text:
            continue
        seen += 1
        if seen > _MAX_BOLD_BYLINE_PARAGRAPH:
            break
        bold = [b for b in paragraph if b.tag in {"strong", "b"}]
        if len(bold) == 1 and _element_text(bold[0]) == text and len(text) <= _MAX_BOLD_BYLINE_CHARS:
            return [text]
    return []


def _meta_author_values(page: _Page) -> list[str]:
    values = [v for name in _META_AUTHOR for v in page.meta.get(name, []) if not _is_url(v)]
    # Twitter card labels that blogs and news CMSs (Yoast, WordPress) fill: "Written by" -> name.
    values += page.meta.get("twitter:misc:written by", [])
    for index in range(1, 5):
        label = (page.first_meta((f"twitter:label{index}",)) or "").casefold()
        if label.startswith(("written by", "verfasst von", "geschrieben von", "escrito por", "écrit par")):
            values += page.meta.get(f"twitter:data{index}", [])
    return values


def _site_keys(page: _Page) -> set[str]:
    return {_key(s) for s in (page.site_name, _publisher_name(page), *_site_aliases(page)) if s and _key(s)}


def _names_site(name: str, site_keys: set[str]) -> bool:
    """The site's name ("NDR.de" for ndr.de), part of it ("WELT" of "DIE WELT"), a desk of it
    ("MDR THÜRINGEN", "CNN Business"), or it with a short addition ("Le Figaro et AFP").
    Two-letter keys ("nj", "vg") count only whole: they hide inside people's names."""
    key = _key(name)
    for site in site_keys:
        if key == site or (len(key) >= _MIN_SITE_KEY and key in site):
            return True
        if len(site) >= _MIN_SITE_KEY and (
            key.startswith(site) or (site in key and len(key) - len(site) <= _MAX_SITE_EXTRA)
        ):
            return True
    return False


def _ld_authors(page: _Page) -> tuple[list[str], list[str]]:
    persons: list[str] = []
    organisations: list[str] = []

    def walk(value: Any, depth: int = 0) -> None:
        if depth > 4 or value is None:
            return
        if isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, str):
            if not _is_url(value):
                persons.append(value)
        elif isinstance(value, dict):
            value = page.ld.resolve(value)
            name = _text_value(value.get("name"))
            if not name and (value.get("givenName") or value.get("familyName")):
                name = f"{_text_value(value.get('givenName')) or ''} {_text_value(value.get('familyName')) or ''}"
            if not name or _is_url(name):
                return
            types = type_names(value)
            is_org = bool(types) and not types & {"person"} and any("organization" in t for t in types)
            (organisations if is_org else persons).append(name)

    for key in ("author", "creator"):
        walk(page.ld_value(key))
        if persons or organisations:
            break
    return persons, organisations


def _byline_texts(page: _Page, *, marked_only: bool = False) -> list[str]:
    """Texts of the article's first byline: ``itemprop=author``, ``rel=author``, then the first
    element whose class names a byline or author (photo credits, quotes, comments and
    teaser boxes excluded); within it, its innermost byline parts."""
    for xpath in _BYLINE_XPATH[:2] if marked_only else _BYLINE_XPATH:
        elements = [e for e in page.scope.xpath(xpath) if not _BYLINE_EXCLUDE.search(e.get("class") or "")]
        if not elements:
            continue
        if xpath is not _BYLINE_XPATH[-1]:
            # itemprop/rel=author mark each author: take them all (outermost marks only).
            leaves = [e for e in elements if not any(a in elements for a in e.iterancestors())]
        else:
            # A byline class marks a block: the first one, down to its innermost marked parts.
            first = elements[0]
            inner = [e for e in elements[1:] if first in e.iterancestors()]
            leaves = [e for e in inner if not any(e in other.iterancestors() for other in inner)] or [first]
        texts = []
        for element in leaves[:8]:
            named = element.xpath(".//*[@itemprop='name']")
            target = named[0] if named else element
            text = target.get("content") or _element_text(target)
            if text and len(text) <= _MAX_BYLINE_CHARS:
                texts.append(text)
        if texts:
            return texts
    return []


# -- 4. dates -----------------------------------------------------------------


def _dates(page: _Page) -> tuple[PageDate | None, PageDate | None]:
    published = _first_date(
        [page.ld_value("datePublished"), page.ld_value("dateCreated")]
        + [v for name in _META_PUBLISHED for v in page.meta.get(name, [])]
        + _time_values(page, _TIME_PUBLISHED_XPATH)
    )
    modified = _first_date(
        [page.ld_value("dateModified")]
        + [v for name in _META_MODIFIED for v in page.meta.get(name, [])]
        + _time_values(page, _TIME_MODIFIED_XPATH)
    )
    if published is None:
        published = _labelled_date(page) or _htmldate(page)
        if published and modified and published.value.date() == modified.value.date():
            published = None  # htmldate found the update stamp, not a publication date
    if published is not None and not published.tz_known:
        published = _with_zone(published, page)
    return published, modified


def _first_date(values: list[Any]) -> PageDate | None:
    for value in values:
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    return None


def _time_values(page: _Page, xpaths: tuple[str, ...]) -> list[str]:
    values: list[str] = []
    for xpath in xpaths:
        for element in page.scope.xpath(xpath)[:3]:
            value = element.get("datetime") or element.get("content")
            if value:
                values.append(value)
    return values


def _with_zone(found: PageDate, page: _Page) -> PageDate:
    """A naive date takes the zone of another source that prints the same wall-clock time;
    a bare date takes the time of another source that names the same day."""
    values = [page.ld_value("datePublished")] + [v for n in _META_PUBLISHED for v in page.meta.get(n, [])]
    values += _time_values(page, _TIME_PUBLISHED_XPATH)
    others = [d for d in (parse_date(v) for v in values) if d is not None]
    for other in others:
        if other.tz_known and other.value.replace(tzinfo=None) == found.value:
            return other
    if not found.has_time:
        same_day = [o for o in others if o.has_time and o.value.date() == found.value.date()]
        if same_day:
            return max(same_day, key=lambda o: o.tz_known)
    return found


def _labelled_date(page: _Page) -> PageDate | None:
    """A date printed after a publication label: "Datum 28.04.2023", "Published: 2024-05-01"."""
    for element in page.scope.iter("li", "p", "span", "div", "dd", "time"):
        text = element.text_content()
        if len(text) > _MAX_LEAD_IN_CHARS:
            continue
        match = _DATE_LABEL.match(_WS.sub(" ", text).strip())
        if match:
            found = parse_date(match.group(1))
            if found:
                return found
    return None


def _htmldate(page: _Page) -> PageDate | None:
    """Last resort: htmldate's quick search (URL patterns, header markup); never the crawl date."""
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - htmldate is a dependency
        return None
    try:
        found = find_date(
            page.tree,
            url=page.url,
            extensive_search=False,
            original_date=True,
            outputformat="%Y-%m-%dT%H:%M:%S",
            deferred_url_extractor=True,
        )
    except Exception:  # noqa: BLE001 - a fallback must never break extraction
        return None
    return parse_date(found) if found else None


# -- 5. language, URL, site, section, description, source --------------------


def _language(page: _Page) -> str | None:
    candidates = [page.tree.get("lang"), page.tree.get("xml:lang"), _text_value(page.ld_value("inLanguage"))]
    candidates += [page.first_meta(_META_LANGUAGE)]
    for value in candidates:
        code = _language_code(value)
        if code:
            return code
    return None


def _language_code(value: str | None) -> str | None:
    """The ISO 639-1 code of a language tag ("de-CH" -> "de"); pages put charsets
    ("utf-8") and country names in these fields too, which are not languages."""
    if not value:
        return None
    code = re.split(r"[-_,;\s]", value.strip().lower())[0]
    code = _LANGUAGE_ALIASES.get(code, code)
    return code if code in _ISO_639_1 else None


def _canonical(page: _Page) -> str | None:
    for value in _links(page.tree, "canonical") + page.meta.get("og:url", []):
        absolute = urljoin(page.url or "", value.strip())
        if urlsplit(absolute).scheme in {"http", "https"}:
            return absolute
    return None


def _site_name(page: _Page) -> str | None:
    for value in (page.first_meta(("og:site_name",)), _publisher_name(page), page.first_meta(("application-name",))):
        if value and not _is_url(value):
            return value
    return None


def _publisher_name(page: _Page) -> str | None:
    publisher = page.ld.resolve(page.ld_value("publisher"))
    if isinstance(publisher, list) and publisher:
        publisher = page.ld.resolve(publisher[0])
    return _text_value(publisher.get("name")) if isinstance(publisher, dict) else None


def _section(page: _Page) -> str | None:
    value = _text_value(page.ld_value("articleSection")) or page.first_meta(_META_SECTION)
    if value and "," in value and ", " not in value:
        value = value.split(",")[0].strip()  # a tag list ("game,news,slider"): its first tag
    return value or None


def _description(page: _Page) -> str | None:
    return (
        page.first_meta(("og:description", "description", "twitter:description", "dc.description"))
        or _text_value(page.ld_value("description"))
    )


def _source(page: _Page, authors: list[str]) -> str | None:
    """The organisation a syndicated article comes from (news agency, partner paper):
    declared in JSON-LD or <meta>, else a news agency the byline credits."""
    for key in ("sourceOrganization", "isBasedOn"):
        value = page.ld.resolve(page.ld_value(key))
        if isinstance(value, list) and value:
            value = page.ld.resolve(value[0])
        if isinstance(value, dict):
            name = _text_value(value.get("name"))
            if not name and isinstance(value.get("publisher"), dict):
                name = _text_value(value["publisher"].get("name"))
            if name and not _names_site(name, _site_keys(page)):
                return name
    declared = page.first_meta(("syndication-source", "original-source"))
    if declared and not _is_url(declared):
        return declared
    _, organisations = _ld_authors(page)
    for name in [*authors, *organisations]:
        if agency := news_agency(name):
            return agency
    return None


# -- helpers ------------------------------------------------------------------


def _text_value(value: Any) -> str | None:
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


def _element_text(element: HtmlElement) -> str:
    return _WS.sub(" ", element.text_content()).strip()


def _is_url(value: str) -> bool:
    return bool(re.match(r"\s*(?:https?:)?//|\s*www\.", value, re.I))


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())
