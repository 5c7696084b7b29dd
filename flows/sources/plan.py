"""What a run reads, as source objects: the local paths, each WARC archive, the web sources together."""

from __future__ import annotations

from collections.abc import Sequence

from flows.http.fetch import FetchSession
from flows.sources.base import PageSource
from flows.sources.folder import FolderSource
from flows.sources.warcs import WarcSource
from flows.sources.web import plan_inputs
from flows.sources.website import WebSource
from warehouse.handle import Warehouse

__all__ = ["plan_sources"]


def plan_sources(
    *,
    paths: Sequence[str] = (),
    sources_file: str | None = None,
    feeds: Sequence[str] = (),
    sitemaps: Sequence[str] = (),
    url_files: Sequence[str] = (),
    session: FetchSession,
    warehouse: Warehouse,
) -> list[PageSource]:
    """The run's sources in the order they are read: files and folders, WARC archives, then the web.

    With nothing named, ``sources.toml`` (if present) or ``seeds/`` (see ``plan_inputs``).
    """
    plan = plan_inputs(paths=paths, sources_file=sources_file, feeds=feeds, sitemaps=sitemaps, url_files=url_files)
    sources: list[PageSource] = [FolderSource(plan)]
    sources += [WarcSource(warc) for warc in plan.warcs]
    if plan.web:
        sources.append(WebSource(plan.web, session=session, warehouse=warehouse))
    return sources
