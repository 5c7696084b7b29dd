"""A WARC archive (``.warc``, ``.warc.gz``; e.g. CC-NEWS) as a source: its responses, a batch at a time."""

from __future__ import annotations

from collections.abc import Iterator

from flows.sources.base import Batch, Found, batched, slug
from flows.sources.config import Source
from flows.sources.files import RawPage, Reject
from flows.sources.web import read_warcs

__all__ = ["WarcSource"]


class WarcSource:
    """One archive, read in the order of its records; how many pages it holds is known once read."""

    def __init__(self, source: Source) -> None:
        self.source = source

    @property
    def labels(self) -> list[str]:
        return [f"{self.source.kind}:{self.source.location}"]

    def discover(self) -> Found:
        return Found()

    def batches(self, size: int) -> Iterator[Batch]:
        name = self.source.name
        for number, items in enumerate(batched(read_warcs([self.source]), size), 1):
            pages = [item for item in items if isinstance(item, RawPage)]
            damaged = [item for item in items if isinstance(item, Reject)]
            yield Batch(f"{slug(name)}-{number}", name, pages, damaged, discovered=len(items))
