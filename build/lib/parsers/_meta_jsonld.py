"""Read schema.org JSON-LD blocks and pick the page's own article among them.

Pages carry several blocks (organisation, breadcrumbs, website, teaser lists ...),
nest objects in ``@graph`` or lists, write ``@type`` as a list or with a
``schema:`` prefix and refer to shared objects by ``@id``. This module turns all
of that into plain dicts and answers "which object is the article?".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

__all__ = ["JsonLd", "read_json_ld", "type_names"]

Obj = dict[str, Any]

# The article types of schema.org (and the posting types news sites use), best first.
_ARTICLE_RANK = {
    "newsarticle": 0,
    "reportagenewsarticle": 0,
    "analysisnewsarticle": 0,
    "opinionnewsarticle": 0,
    "backgroundnewsarticle": 0,
    "reviewnewsarticle": 0,
    "asksnewsarticle": 0,
    "askpublicnewsarticle": 0,
    "article": 1,
    "blogposting": 1,
    "liveblogposting": 1,
    "socialmediaposting": 2,
    "report": 2,
    "scholarlyarticle": 2,
    "techarticle": 2,
    "satiricalarticle": 2,
    "creativework": 3,
}
_PAGE_TYPES = {"webpage", "itempage", "articlepage", "collectionpage", "profilepage"}
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


@dataclass
class JsonLd:
    """All objects of a page's JSON-LD blocks, with an ``@id`` index to resolve references."""

    objects: list[Obj] = field(default_factory=list)
    by_id: dict[str, Obj] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        """Follow a bare ``{"@id": ...}`` reference to the object it names (one level)."""
        if isinstance(value, dict) and "@id" in value and len(value) <= 2 and "name" not in value:
            return self.by_id.get(str(value["@id"]), value)
        return value

    def article(self, *, urls: tuple[str, ...] = ()) -> Obj | None:
        """The page's article: best article type, then the one whose URL is the page's, then first."""
        best: tuple[tuple[int, int, int], Obj] | None = None
        for index, obj in enumerate(self.objects):
            rank = _article_rank(obj)
            if rank is None:
                continue
            own = _names_url(obj, urls)
            has_headline = 0 if (obj.get("headline") or obj.get("name")) else 1
            key = (rank + has_headline, 0 if own else 1, index)
            if best is None or key < best[0]:
                best = (key, obj)
        return best[1] if best else None

    def page(self) -> Obj | None:
        """The ``WebPage`` object, a weaker fallback for pages without an article object."""
        for obj in self.objects:
            if type_names(obj) & _PAGE_TYPES:
                return obj
        return None


def read_json_ld(tree: HtmlElement) -> JsonLd:
    result = JsonLd()
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _loads(script.text or "")
        for obj in _flatten(data):
            result.objects.append(obj)
            if isinstance(obj.get("@id"), str):
                result.by_id.setdefault(obj["@id"], obj)
    return result


def type_names(obj: Obj) -> set[str]:
    """``@type`` as a set of lower-case local names ("schema:NewsArticle" -> "newsarticle")."""
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {re.split(r"[/:#]", str(v))[-1].strip().lower() for v in values if v}


def _article_rank(obj: Obj) -> int | None:
    ranks = [_ARTICLE_RANK[name] for name in type_names(obj) if name in _ARTICLE_RANK]
    if ranks:
        return min(ranks)
    return None


def _names_url(obj: Obj, urls: tuple[str, ...]) -> bool:
    if not urls:
        return False
    keys = {_url_key(u) for u in urls}
    for value in (obj.get("url"), obj.get("@id"), obj.get("mainEntityOfPage")):
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and _url_key(value) in keys:
            return True
    return False


def _url_key(url: str) -> str:
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return url.split("#")[0].split("?")[0].rstrip("/")


def _loads(text: str) -> Any:
    text = _CDATA.sub("", text.strip()).strip().rstrip(";")
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    try:  # hand-written blocks: trailing commas, raw newlines in strings
        return json.loads(_TRAILING_COMMA.sub(r"\1", text.replace("\n", " ")), strict=False)
    except ValueError:
        return None


def _flatten(data: Any) -> Iterator[Obj]:
    """Top-level objects, the members of ``@graph`` and lists, and an article named as
    ``mainEntity`` of a page. Lists of teasers (``itemListElement``) are not entered."""
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten(data["@graph"])
        if "@type" in data:
            yield data
            main = data.get("mainEntity")
            if isinstance(main, dict) and _article_rank(main) is not None:
                yield main
