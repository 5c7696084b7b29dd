"""Page metadata from an HTML tree (first version: trafilatura's metadata extractor)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from trafilatura.metadata import extract_metadata as _trafilatura_metadata

from parsers.dom import HtmlTree

__all__ = ["PageMetadata", "extract_metadata"]


@dataclass(frozen=True)
class PageMetadata:
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


def extract_metadata(tree: HtmlTree, *, url: str | None = None) -> PageMetadata:
    """Metadata of the page; never mutates ``tree`` (the body stage runs after it)."""
    doc = _trafilatura_metadata(tree, default_url=url, extensive=False)
    published = _parse_date(doc.date)
    language = tree.get("lang") or None
    return PageMetadata(
        title=doc.title or None,
        authors=[name.strip() for name in (doc.author or "").split(";") if name.strip()],
        published_at=published,
        published_tz_known=bool(published and published.tzinfo),
        language=language.split("-")[0].lower() if language else None,
        site_name=doc.sitename or None,
        canonical_url=doc.url or None,
        section=(doc.categories or [None])[0],
        description=doc.description or None,
    )


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
