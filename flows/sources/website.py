"""The web sources of a run (feeds, sitemaps, URL lists): discovered together, fetched a batch at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import zip_longest
from urllib.parse import urlsplit

from prefect.utilities.annotations import opaque

from flows.http.fetch import FetchSession
from flows.progress import Progress
from flows.sources.base import Batch, Found, batched, slug
from flows.sources.config import Source
from flows.sources.web import Target
from flows.tasks import discover_web, fetch, named
from warehouse.handle import Warehouse

__all__ = ["WebSource", "round_robin"]


class WebSource:
    """Every web source of a run through one ``FetchSession``, so hosts keep their politeness for the run."""

    def __init__(self, sources: Sequence[Source], *, session: FetchSession, warehouse: Warehouse) -> None:
        self.sources = list(sources)
        self.session = session
        self.warehouse = warehouse  # the raw archive: validators for conditional GETs, every body kept
        self._targets: list[Target] = []

    @property
    def labels(self) -> list[str]:
        return [f"{source.kind}:{source.location}" for source in self.sources]

    def discover(self) -> Found:
        self._targets, rejects = discover_web(self.sources, self.session)
        return Found(len(self._targets), rejects)

    def batches(self, size: int) -> Iterator[Batch]:
        with Progress("fetch", len(self._targets)) as line:  # live on a terminal only
            # A fetch batch takes URLs from every host in turn, so hosts are fetched side by side
            # (each within its own politeness); the pages then go on source by source.
            for number, batch in enumerate(batched(round_robin(self._targets), size), 1):
                names = {target.input_source for target in batch}  # a batch of one source is named after it
                label = f"{slug(names.pop()) if len(names) == 1 else 'web'}-{number}"
                pages, unfetched, not_modified = named(fetch, label)(self.warehouse, opaque(batch), self.session, line)
                by_source: dict[str, int] = {}
                for target in batch:
                    by_source[target.input_source] = by_source.get(target.input_source, 0) + 1
                for position, (source, count) in enumerate(by_source.items(), 1):
                    own = [page for page in pages if page.input_source == source]
                    yield Batch(
                        f"{slug(source)}-{number}", source, own,
                        [reject for reject in unfetched if reject.input_source == source],
                        discovered=count, not_modified=not_modified[source],
                        done=len(batch) if position == len(by_source) else 0, archive=own,
                    )  # fmt: skip


def round_robin(targets: Sequence[Target]) -> list[Target]:
    """One URL from each host in turn, keeping each host's own order."""
    queues: dict[str, list[Target]] = defaultdict(list)
    for target in targets:
        queues[urlsplit(target.url).netloc.lower()].append(target)
    return [target for round_ in zip_longest(*queues.values()) for target in round_ if target is not None]
