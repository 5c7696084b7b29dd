"""When the article was published and last modified, from the page's sources.

Order of trust: JSON-LD, ``<meta>`` (OpenGraph, Dublin Core, ``parsely``, ``sailthru``...),
``<time>``/``itemprop`` in the article, a date printed after a label ("Datum 28.04.2023"),
then htmldate's quick search. Published and modified never borrow from each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice
from typing import Any

from lxml import etree

from parsers._meta_dates import PageDate, parse_date
from parsers._meta_page import PageSources, short_text

__all__ = ["page_dates"]

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


def _is_time(el: Any, *words: str) -> bool:
    return el.tag == "time" and any(w in (el.get("class") or "") for w in words)


# The same tests in Python, for one walk over the page instead of one per XPath (each walk of a
# large page costs as much as the tests); tests/test_html_meta.py checks they agree.
_TIME_TESTS: dict[str, Callable[[Any], bool]] = {
    _TIME_PUBLISHED_XPATH[0]: lambda el: el.get("itemprop") == "datePublished",
    _TIME_PUBLISHED_XPATH[1]: lambda el: el.tag == "time" and el.get("pubdate") is not None,
    _TIME_PUBLISHED_XPATH[2]: lambda el: _is_time(el, "publish", "pubdate", "date"),
    _TIME_PUBLISHED_XPATH[3]: lambda el: el.tag == "time" and el.get("datetime") is not None,
    _TIME_MODIFIED_XPATH[0]: lambda el: el.get("itemprop") == "dateModified",
    _TIME_MODIFIED_XPATH[1]: lambda el: _is_time(el, "update", "modif"),
}
_DATE_PROPS = ("datePublished", "dateModified")


def _time_candidates(scope: Any) -> list[Any]:
    """``descendant::*[self::time or @itemprop='datePublished' or @itemprop='dateModified']``, read by a
    walk in Python (faster than XPath's attribute test on every element)."""
    return [el for el in scope.iterdescendants(etree.Element) if el.tag == "time" or el.get("itemprop") in _DATE_PROPS]
_DATE_LABEL = re.compile(
    r"^(?i:datum|date|published(?: on)?|publiziert(?: am)?|veröffentlicht(?: am)?|erschienen(?: am)?|"
    r"publicado(?: el)?|publié(?: le)?|pubblicato(?: il)?|gepubliceerd(?: op)?|publisert|publicerad|"
    r"opublikowano|yayınlanma(?: tarihi)?|data publicação)\s*:?\s+"
    r"(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:,?\s+\d{1,2}[:.]\d{2})?)"
)
_MAX_LABEL_CHARS = 120
_MAX_SCANNED_ELEMENTS = 1500
_WS = re.compile(r"\s+")


def page_dates(page: PageSources) -> tuple[PageDate | None, PageDate | None]:
    """(published, modified): each the first sane value in order of trust."""
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
        if isinstance(value, list):  # JSON-LD allows a list; its first entry is the date
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("@value")
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    return None


def _time_values(page: PageSources, xpaths: tuple[str, ...]) -> list[str]:
    if xpaths in page.cache:
        return list(page.cache[xpaths])
    candidates = page.cache.get(_time_candidates)
    if candidates is None:
        candidates = page.cache[_time_candidates] = _time_candidates(page.scope)
    values: list[str] = []
    for xpath in xpaths:
        test = _TIME_TESTS[xpath]
        for element in [el for el in candidates if test(el)][:3]:
            value = element.get("datetime") or element.get("content")
            if value:
                values.append(value)
    page.cache[xpaths] = values
    return list(values)


def _with_zone(found: PageDate, page: PageSources) -> PageDate:
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


def _labelled_date(page: PageSources) -> PageDate | None:
    """A date printed after a publication label: "Datum 28.04.2023", "Published: 2024-05-01"."""
    elements = page.scope.iter("li", "p", "span", "div", "dd", "time")
    for element in islice(elements, _MAX_SCANNED_ELEMENTS):  # date lines sit near the top
        text = short_text(element, _MAX_LABEL_CHARS)
        if not text:
            continue
        match = _DATE_LABEL.match(_WS.sub(" ", text).strip())
        if match:
            found = parse_date(match.group(1))
            if found:
                return found
    return None


def _htmldate(page: PageSources) -> PageDate | None:
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

