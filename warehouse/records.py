"""What the loader takes: parsed articles with their mentions, and rejects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from parsers.article import Article
from parsers.entity_definitions import MentionLike

__all__ = ["ArticleRecord", "MentionLike", "Reject", "RejectStage"]


@dataclass(frozen=True)
class ArticleRecord:
    uri: str  # where the page was read or fetched
    input_source: str  # the configured input it came from
    article: Article
    mentions: Sequence[MentionLike] = field(default_factory=list)


class RejectStage(StrEnum):
    """Where a page was rejected: the ``reject_stages`` table's list (migration 075)."""

    DISCOVER = "discover"
    READ = "read"
    FETCH = "fetch"
    PARSE = "parse"
    ENTITIES = "entities"
    LOAD = "load"


@dataclass(frozen=True)
class Reject:
    """A page that did not become an article, and why (``reason`` is a short stable code).

    ``stage`` may be given as its name ("parse"); it is kept as a ``RejectStage``, and a name
    that is not one fails here, where the reject is made, not later in the warehouse's hands.
    """

    uri: str
    input_source: str  # the configured input it came from (the ``source`` column of ``rejects``)
    stage: RejectStage
    reason: str
    detail: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "stage", RejectStage(self.stage))
