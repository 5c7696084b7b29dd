"""HTML page -> Article: parse once, read metadata, then take the main text.

Stages (numbered as in the code):
1. parse the decoded text into one lxml tree;
2. metadata from structured data and the visible page (never mutates the tree);
3. main text (may prune the tree, so it runs last);
4. normalise: title without the site's name, language, canonical URL.
"""

from __future__ import annotations

from parsers.article import Article
from parsers.dom import parse_html
from parsers.html_body import extract_body
from parsers.html_meta import extract_metadata
from parsers.normalize import clean_title
from parsers.sites import SiteProfile

__all__ = ["extract_html"]


def extract_html(text: str, *, url: str | None = None, profile: SiteProfile | None = None) -> Article:
    """``profile``: a site profile to apply whatever the URL's host (else one is chosen by host)."""
    tree = parse_html(text)  # 1
    meta = extract_metadata(tree, url=url, profile=profile)  # 2
    body = extract_body(tree, url=url, metadata=meta)  # 3
    return Article(  # 4
        title=clean_title(meta.title, site_name=meta.site_name),
        body=body,
        authors=list(meta.authors),
        published_at=meta.published_at,
        published_tz_known=meta.published_tz_known,
        modified_at=meta.modified_at,
        source=meta.source,
        section=meta.section,
        language=meta.language,
        site_name=meta.site_name,
        url=url,
        canonical_url=meta.canonical_url,
        input_format="html",
    )
