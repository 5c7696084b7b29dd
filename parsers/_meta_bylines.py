"""Who wrote the article: JSON-LD authors, author ``<meta>`` tags, then the visible byline.

Names are cleaned by ``_meta_authors``; this module decides which of the page's sources
to believe. A person beats an organisation, and the site's own name is never an author
when a person is named.
"""

from __future__ import annotations

import re
import string
from itertools import islice
from typing import Any

from parsers._meta_authors import clean_author_names, is_person_like, news_agency
from parsers._meta_jsonld import type_names
from parsers._meta_page import PageSources, element_text, is_url, names_site, short_text, site_keys, text_value

__all__ = ["ld_authors", "page_authors", "page_source"]

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
# Visible bylines, searched inside the article when there is one.
_BYLINE_XPATH = (".//*[@itemprop='author']", ".//*[@rel='author']", ".//*[@class]")
_BYLINE_CLASS_WORDS = ("byline", "author", "autor")  # in the class, ASCII case folded
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
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
_MAX_SCANNED_ELEMENTS = 1500
_MAX_BOLD_BYLINE_PARAGRAPH = 4
_MAX_BOLD_BYLINE_CHARS = 80
_WS = re.compile(r"\s+")
# A label that makes the name after it the article's editor, not its author ("Editor : Jane Doe").
_EDITOR_LABEL = re.compile(
    r"(?:^|[^\w])(?:editor|editors|edited\s+by|redaktur|penyunting|editado\s+por|édité\s+par|a\s+cura\s+di"
    r"|editor[ae]|责任编辑|责编|編集)\s*[:：]?\s*$",
    re.I,
)


def page_authors(page: PageSources) -> list[str]:
    """JSON-LD persons; else persons named in author <meta> tags; else the visible byline;
    else the organisations JSON-LD names as author (a wire or the paper itself)."""
    persons, organisations = ld_authors(page)
    keys = site_keys(page)
    if persons and all(names_site(n, keys) for n in persons):
        # A "Person" that is the site itself ("Lesotho Times"): the CMS's default author.
        persons, organisations = [], persons + organisations
    if persons and all(_credited_as_editor(page, n) for n in persons):
        # The CMS fills the JSON-LD author with the desk editor the page labels as such.
        editors, persons = {n.casefold() for n in clean_author_names(persons)}, []
    else:
        editors = set()
    if persons:
        names = clean_author_names(persons)
        # JSON-LD sometimes lists only the first of several authors that the byline marks up.
        marked = clean_author_names(_byline_texts(page, marked_only=True))
        known = {n.casefold() for n in marked}
        if len(marked) > len(names) and all(n.casefold() in known for n in names):
            return marked
        # A wire credited beside the reporter ("author": [Person, {"@type": "Organization",
        # "name": "SDA"}]) is a co-author, as the printed byline "Jane Doe, SDA" has it.
        wires = [n for n in clean_author_names(organisations) if news_agency(n)]
        return names + [w for w in wires if w.casefold() not in {n.casefold() for n in names}]

    def not_site(names: list[str]) -> list[str]:
        return [n for n in names if not names_site(n, keys) and n.casefold() not in editors]

    meta_names = clean_author_names(_meta_author_values(page))
    if not_site(meta_names):
        return not_site(meta_names)
    marked = clean_author_names(_byline_texts(page))
    for byline in (_person_names(marked), _person_names(_lead_in_bylines(page))):
        if not_site(byline):
            return not_site(byline)
    if organisations or any(names_site(n, keys) for n in meta_names + marked):
        # The CMS credits only the site: small sites then type the reporter's name into the body.
        bold = not_site(_person_names(_bold_byline(page), strict=True))
        if bold:
            return bold
    return clean_author_names(organisations) or not_site(meta_names)


def _credited_as_editor(page: PageSources, name: str) -> bool:
    """The page shows ``name`` only after an editor's label ("Editor : <a>Jane Doe</a>")."""
    # Elements holding the name as a text of their own: one pass over text nodes, not subtrees.
    shown = page.scope.xpath(".//*[text()[normalize-space(.)=$name]]", name=_WS.sub(" ", name).strip())
    if not shown:
        return False
    for element in shown:
        previous = element.getprevious()
        before = (previous.tail if previous is not None else element.getparent().text) or ""
        if previous is not None and not before.strip():
            before = element_text(previous)
        if not _EDITOR_LABEL.search(before):
            return False
    return True


def ld_authors(page: PageSources) -> tuple[list[str], list[str]]:
    persons: list[str] = []
    organisations: list[str] = []

    def walk(value: Any, depth: int = 0) -> None:
        if depth > 4 or value is None:
            return
        if isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, str):
            if not is_url(value):
                persons.append(value)
        elif isinstance(value, dict):
            value = page.ld.resolve(value)
            name = text_value(value.get("name"))
            if not name and (value.get("givenName") or value.get("familyName")):
                name = f"{text_value(value.get('givenName')) or ''} {text_value(value.get('familyName')) or ''}"
            if not name or is_url(name):
                return
            types = type_names(value)
            is_org = bool(types) and not types & {"person"} and any("organization" in t for t in types)
            (organisations if is_org else persons).append(name)

    for key in ("author", "creator"):
        walk(page.ld_value(key))
        if persons or organisations:
            break
    return persons, organisations


def _meta_author_values(page: PageSources) -> list[str]:
    values = [v for name in _META_AUTHOR for v in page.meta.get(name, []) if not is_url(v)]
    # Twitter card labels that blogs and news CMSs (Yoast, WordPress) fill: "Written by" -> name.
    values += page.meta.get("twitter:misc:written by", [])
    for index in range(1, 5):
        label = (page.first_meta((f"twitter:label{index}",)) or "").casefold()
        if label.startswith(("written by", "verfasst von", "geschrieben von", "escrito por", "écrit par")):
            values += page.meta.get(f"twitter:data{index}", [])
    return values


def _byline_texts(page: PageSources, *, marked_only: bool = False) -> list[str]:
    """Texts of the article's first byline: ``itemprop=author``, ``rel=author``, then the first
    element whose class names a byline or author (photo credits, quotes, comments and
    teaser boxes excluded); within it, its innermost byline parts."""
    for xpath in _BYLINE_XPATH[:2] if marked_only else _BYLINE_XPATH:
        found = page.scope.xpath(xpath)
        if xpath is _BYLINE_XPATH[-1]:  # matched here: XPath's translate() on every class costs twice as much
            found = [e for e in found if _names_byline(e.get("class"))]
        elements = [e for e in found if not _BYLINE_EXCLUDE.search(e.get("class") or "")]
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
            text = target.get("content") or element_text(target)
            if text and len(text) <= _MAX_BYLINE_CHARS:
                texts.append(text)
        if texts:
            return texts
    return []


def _names_byline(class_value: str) -> bool:
    lowered = class_value.translate(_ASCII_LOWER)
    return any(word in lowered for word in _BYLINE_CLASS_WORDS)


def _person_names(texts: list[str], *, strict: bool = False) -> list[str]:
    """Names from visible bylines, which also hold brands and initials: keep them only when a
    person is among them (every name, if ``strict``), then drop lower-case tokens ("amw")."""
    names = clean_author_names(texts)
    if not any(is_person_like(n) for n in names) or (strict and not all(map(is_person_like, names))):
        return []
    return [n for n in names if is_person_like(n) or n[:1].isupper() and len(n) >= 3]


def _lead_in_bylines(page: PageSources) -> list[str]:
    """Short page elements that read like a byline: "By Jane Doe", "von Max Muster", "Autor: ..."."""
    texts = []
    elements = page.scope.iter("p", "span", "div", "li", "address", "strong", "em")
    for element in islice(elements, _MAX_SCANNED_ELEMENTS):  # bylines sit near the top
        text = short_text(element, _MAX_LEAD_IN_CHARS)
        if not text or not text.strip():
            continue
        match = _LEAD_IN_BYLINE.match(_WS.sub(" ", text).strip())
        if match:
            texts.append(match.group(1))
            if len(texts) >= 2:
                break
    return texts


def _bold_byline(page: PageSources) -> list[str]:
    """Small sites type the byline into the body as a bold paragraph of its own near the top
    ("<p><strong>Jane Doe/John Smith</strong></p>"). Looked at only when nothing else names
    a person, and only among the first paragraphs."""
    seen = 0
    for paragraph in page.scope.iter("p"):
        text = element_text(paragraph)
        if not text:
            continue
        seen += 1
        if seen > _MAX_BOLD_BYLINE_PARAGRAPH:
            break
        bold = [b for b in paragraph if b.tag in {"strong", "b"}]
        if len(bold) == 1 and element_text(bold[0]) == text and len(text) <= _MAX_BOLD_BYLINE_CHARS:
            return [text]
    return []


def page_source(page: PageSources, authors: list[str]) -> str | None:
    """The organisation a syndicated article comes from (news agency, partner paper):
    declared in JSON-LD or <meta>, else a news agency the byline credits."""
    for key in ("sourceOrganization", "isBasedOn"):
        value = page.ld.resolve(page.ld_value(key))
        if isinstance(value, list) and value:
            value = page.ld.resolve(value[0])
        if isinstance(value, dict):
            name = text_value(value.get("name"))
            if not name and isinstance(value.get("publisher"), dict):
                name = text_value(value["publisher"].get("name"))
            if name and not names_site(name, site_keys(page)):
                return name
    declared = page.first_meta(("syndication-source", "original-source"))
    if declared and not is_url(declared):
        return declared
    _, organisations = ld_authors(page)
    for name in [*authors, *organisations]:
        if agency := news_agency(name):
            return agency
    return None

