"""The raw archive as a source (``reparse``): every body the web sources fetched, parsed again, no network."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flows.sources.base import Batch, Found, batched
from flows.sources.web import ParserHints
from flows.tasks import list_archive, named, read_archive
from warehouse.handle import Warehouse

__all__ = ["ArchiveSource"]


class ArchiveSource:
    """The archived pages fetched at or after ``since``, each with its own source's parser hints.

    Each page keeps the name of the source it was fetched for (its articles' ``input_source``);
    the run counts them all under one label, ``raw archive``.
    """

    def __init__(self, warehouse: Warehouse, *, since: datetime | None, hints: dict[str, ParserHints]) -> None:
        self.warehouse = warehouse
        self.since = since
        self.hints = hints  # by source name
        self.label = "raw archive" + (f" since {since.isoformat()}" if since else "")
        self._uris: list[str] = []

    @property
    def labels(self) -> list[str]:
        return [self.label]

    def discover(self) -> Found:
        self._uris = list_archive(self.warehouse, self.since)
        return Found(len(self._uris))

    def batches(self, size: int) -> Iterator[Batch]:
        for number, uris in enumerate(batched(self._uris, size), 1):
            label = f"archive-{number}"
            pages = named(read_archive, label)(self.warehouse, uris)
            pages = [self.hints.get(page.input_source, ParserHints()).apply(page) for page in pages]
            yield Batch(label, self.label, pages, discovered=len(uris), done=len(uris))
