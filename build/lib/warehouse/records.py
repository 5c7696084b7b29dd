"""What the loader takes: parsed articles with their mentions, and rejects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from parsers.article import Article

__all__ = ["ArticleRecord", "MentionLike", "Reject"]


class MentionLike(Protocol):
    """An entity mention as the loader needs it (``parsers.entities.Mention`` is one)."""

    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def start_char(self) -> int: ...
    @property
    def end_char(self) -> int: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class ArticleRecord:
    uri: str  # where the page was read or fetched
    input_source: str  # the configured input it came from
    article: Article
    mentions: Sequence[MentionLike] = field(default_factory=list)


@dataclass(frozen=True)
class Reject:
    """A page that did not become an article, and why (``reason`` is a short stable code)."""

    uri: str
    source: str
    stage: str  # read | fetch | parse | entities | load
    reason: str
    detail: str = ""
