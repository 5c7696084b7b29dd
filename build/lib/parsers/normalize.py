"""Small normalisers shared by the HTML and text-dump paths."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_title", "fold_whitespace"]

_WHITESPACE = re.compile(r"\s+")
# Separators sites put between a headline and their own name: "Headline | Site", "Site - Headline".
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—•·»:]|-{1,2}|::)\s+")


def fold_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def clean_title(title: str | None, *, site_name: str | None = None) -> str | None:
    """Trim a title and drop a site-name prefix or suffix.

    Only a part that names the site is dropped: headlines contain separators too
    ("Brexit: what happens next"), so a separator alone is never enough.
    """
    if not title:
        return None
    title = fold_whitespace(unicodedata.normalize("NFC", title))
    if site_name:
        parts = _TITLE_SEPARATORS.split(title)
        if len(parts) > 1:
            site_key = _key(site_name)
            if _key(parts[-1]) and (_key(parts[-1]) in site_key or site_key in _key(parts[-1])):
                title = _join_kept(title, parts[:-1])
            elif _key(parts[0]) and (_key(parts[0]) in site_key or site_key in _key(parts[0])):
                title = _join_kept(title, parts[1:])
    return title or None


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _join_kept(title: str, kept: list[str]) -> str:
    # Keep the original separators between the parts that stay.
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip()
