"""The clean article every parser returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["Article"]


@dataclass(frozen=True)
class Article:
    """One cleaned article.

    ``body`` holds paragraphs separated by one blank line. ``published_at`` is
    timezone-aware when the page states a zone; otherwise it is the page's
    local time as printed, naive, and ``published_tz_known`` is False.
    """

    title: str | None = None
    body: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    published_tz_known: bool = False
    modified_at: datetime | None = None
    source: str | None = None
    section: str | None = None
    language: str | None = None
    site_name: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    input_format: str = "html"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("published_at", "modified_at"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        return data
