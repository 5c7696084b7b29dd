"""What the loader takes: parsed articles with their mentions, and rejects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from parsers.article import Article
from parsers.entity_definitions import MentionLike
from warehouse.reject_codes import Reason, RejectReason, RejectStage, reject_reason

__all__ = ["ArticleRecord", "MentionLike", "Reject", "RejectReason", "RejectStage"]


@dataclass(frozen=True)
class ArticleRecord:
    uri: str  # where the page was read or fetched
    input_source: str  # the configured input it came from
    article: Article
    mentions: Sequence[MentionLike] = field(default_factory=list)


@dataclass(frozen=True)
class Reject:
    """A page that did not become an article, and why (``warehouse.reject_codes`` declares both codes).

    ``stage`` may be given as its name ("parse") and ``reason`` as its code; they are kept as a
    ``RejectStage`` and a ``Reason``, and a code that is none, or a reason at a stage the catalogue
    does not give it, fails here, where the reject is made, not later in the warehouse's hands.
    """

    uri: str
    input_source: str  # the configured input it came from (the ``source`` column of ``rejects``)
    stage: RejectStage
    reason: Reason
    detail: str = ""

    def __post_init__(self) -> None:
        stage, reason = RejectStage(self.stage), reject_reason(self.reason)
        if stage not in reason.stages:
            raise ValueError(f"{reason} is no reason at stage {stage}: see warehouse.reject_codes")
        object.__setattr__(self, "stage", stage)
        object.__setattr__(self, "reason", reason)
