"""Web inputs for the flows, as plain functions: sources -> URLs -> fetched, archived pages.

- ``plan_inputs`` splits sources by how they are read (local paths, WARC files, the web);
- ``discover_targets`` turns feed, sitemap and URL-list sources into URLs to fetch
  (canonical, deduplicated across sources, ``max_pages`` per source);
- ``fetch_targets`` fetches one batch with conditional-GET state from the raw archive; every
  body it gets is archived (``archivable``) in the transaction that loads its batch, so
  ``reparse`` can redo the parsing, and a page fetched by a run stopped before its batch was
  loaded leaves no validators behind: the next run fetches it again in full, not as a 304;
- ``read_warcs`` and ``archived_batch`` yield pages from WARC files and from the archive.

A source's ``language`` and ``site_profile`` ride on its ``Target`` and then on each of its
``RawPage`` s to the parser; the raw archive keeps only what the server sent.

Prefect tasks in ``flows.tasks`` wrap these; the source objects of ``flows.sources`` call the tasks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from flows.http.discover import Discovered, Discovery, dedupe, discover_feed, discover_sitemap, parse_url_list
from flows.http.fetch import (
    FetchConfig,
    Fetcher,
    FetchRequest,
    FetchResult,
    FetchSession,
    NotModified,
    Politeness,
    Validators,
)
from flows.http.weberrors import SourcesError
from flows.sources.config import Source, load_sources, sources_from_flags
from flows.sources.files import LocalFile, RawPage, Reject
from flows.sources.warc import iter_warc
from parsers.sites import SiteProfile
from warehouse.handle import Warehouse
from warehouse.raw import ArchivedPage, archived_pages, validators
from warehouse.records import RejectReason, RejectStage

__all__ = [
    "DEFAULT_SOURCES_FILE",
    "Fetched",
    "InputPlan",
    "ParserHints",
    "Target",
    "archived_batch",
    "discover_targets",
    "fetch_config",
    "archivable",
    "fetch_targets",
    "plan_inputs",
    "read_warcs",
]

DEFAULT_SOURCES_FILE = "sources.toml"


@dataclass(frozen=True)
class Target:
    """One URL to fetch, with the politeness, address policy and parser hints of its source."""

    url: str
    input_source: str  # the configured input that named it
    politeness: Politeness | None = None
    allow_private: bool = False
    language_hint: str | None = None
    site_profile: SiteProfile | None = None


@dataclass(frozen=True)
class InputPlan:
    paths: list[str] = field(default_factory=list)  # files and folders, read by flows.sources.files
    warcs: list[Source] = field(default_factory=list)
    web: list[Source] = field(default_factory=list)  # feed, sitemap and URL-list sources
    folders: dict[str, Source] = field(default_factory=dict)  # the folder sources among ``paths``, by location

    def labels(self) -> list[str]:
        """How the run's inputs are named in the runs table and the summary."""
        return self.paths + [f"{s.kind}:{s.location}" for s in self.warcs + self.web]

    def named(self, file: LocalFile) -> LocalFile:
        """A file of a folder source under the source's name, which its articles then carry
        (``input_source``); files of paths named on the command line keep the path."""
        source = self.folders.get(file.input_source)
        return replace(file, input_source=source.name) if source else file

    def with_hints(self, page: RawPage) -> RawPage:
        """A page read from ``paths`` with its folder source's language and site profile, if it has one."""
        return self.hints_for(page.input_source).apply(page)

    def hints_for(self, source_name: str) -> ParserHints:
        """The parser hints of the folder source named ``source_name``: its location, as a file
        read from disk is first named (``LocalFile.source``), or its name, once ``named``."""
        source = self.folders.get(source_name) or next(
            (folder for folder in self.folders.values() if folder.name == source_name), None
        )
        return ParserHints(source.language, source.profile) if source else ParserHints()


@dataclass(frozen=True)
class ParserHints:
    """A source's language and site profile, for the parser of its pages; plain data, so it travels
    to a cluster's workers with the batch."""

    language: str | None = None
    profile: SiteProfile | None = None

    def apply(self, page: RawPage) -> RawPage:
        return _with_hints(page, self.language, self.profile)


@dataclass
class Fetched:
    pages: list[RawPage] = field(default_factory=list)
    not_modified: list[NotModified] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def plan_inputs(
    *,
    paths: Sequence[str] = (),
    sources_file: str | None = None,
    feeds: Sequence[str] = (),
    sitemaps: Sequence[str] = (),
    url_files: Sequence[str] = (),
    default_sources: str = DEFAULT_SOURCES_FILE,
) -> InputPlan:
    """What a run reads. With nothing named, ``sources.toml`` (if present) or ``seeds/`` (if present).

    A sources file without sources, or nothing named and neither default there, is a ``SourcesError``.

    Paths ending in ``.warc`` / ``.warc.gz`` are read as WARC archives.
    """
    sources = _some_sources(sources_file) if sources_file else []
    sources += sources_from_flags(feeds=feeds, sitemaps=sitemaps, url_files=url_files)
    paths = list(paths)
    if not sources and not paths:
        if Path(default_sources).is_file():
            sources = _some_sources(default_sources)
        elif Path("seeds").is_dir():
            paths = ["seeds"]
        else:
            raise SourcesError(
                f"nothing to ingest: name files or folders, a sources file (--sources), --feed, --sitemap or --urls"
                f" (there is no ./{default_sources} and no ./seeds here)"
            )
    plan = InputPlan()
    for path in paths:
        if path.lower().endswith((".warc", ".warc.gz")):
            plan.warcs.append(Source(name=Path(path).name, kind="warc", location=path))
        else:
            plan.paths.append(path)
    for source in sources:
        if source.kind == "folder":
            plan.paths.append(source.location)
            plan.folders[source.location] = source
        elif source.kind == "warc":
            plan.warcs.append(source)
        else:
            plan.web.append(source)
    return plan


def _some_sources(path: str) -> list[Source]:
    """The sources of a file that must name some: an empty one is a mistake, not a reason to read seeds/."""
    sources = load_sources(path)
    if not sources:
        raise SourcesError(f"{path}: no [[source]] tables: nothing to ingest")
    return sources


_POLITENESS_KEYS = frozenset({"concurrency", "delay"})


def fetch_config(options: Mapping[str, Any] | None = None, *, allow_private: bool = False) -> FetchConfig:
    """A ``FetchConfig`` from flat, serialisable options (``concurrency``/``delay`` set politeness)."""
    options = dict(options or {})
    known = {f.name for f in fields(FetchConfig)} | _POLITENESS_KEYS
    unknown = set(options) - known
    if unknown:
        raise ValueError(f"unknown fetch options {sorted(unknown)}; known: {', '.join(sorted(known))}")
    politeness = {k: options.pop(k) for k in list(options) if k in _POLITENESS_KEYS}
    if politeness:
        options["politeness"] = Politeness(**politeness)
    options.setdefault("allow_private_addresses", allow_private)
    return FetchConfig(**options)


def discover_targets(
    sources: Sequence[Source], *, session: FetchSession
) -> tuple[list[Target], list[Reject]]:
    """URLs named by the web sources, first source wins a URL named twice.

    Fetched through the run's ``session``, so a feed's host keeps its politeness for the pages after it.
    """
    config = session.config

    async def run(fetcher: Fetcher) -> list[tuple[Source, Discovery]]:
        return await asyncio.gather(*(_discover(fetcher, source, config) for source in sources))

    targets: list[Target] = []
    rejects: list[Reject] = []
    seen: set[str] = set()
    for source, found in session.run(run):
        rejects += found.rejects
        items = [item for item in dedupe(found.items) if item.url not in seen]
        if source.max_pages is not None:
            items = _newest_first(items)[: source.max_pages]
        allow = source.allow_private_addresses or config.allow_private_addresses
        for item in items:
            seen.add(item.url)
            politeness = source.politeness(config.politeness)
            targets.append(Target(item.url, source.name, politeness, allow, source.language, source.profile))
    return targets, rejects


def _newest_first(items: list[Discovered]) -> list[Discovered]:
    """Listings are usually newest first already; when they give dates, make sure of it."""

    def when(item: Discovered) -> float:
        stamp = item.published_at or item.modified_at
        return stamp.timestamp() if stamp else 0.0

    if not any(item.published_at or item.modified_at for item in items):
        return items
    return sorted(items, key=when, reverse=True)


async def _discover(fetcher: Fetcher, source: Source, config: FetchConfig) -> tuple[Source, Discovery]:
    allow = source.allow_private_addresses or config.allow_private_addresses
    politeness = source.politeness(config.politeness)
    if source.kind == "feed":
        found = await discover_feed(
            fetcher, source.location, source=source.name, allow_private=allow, politeness=politeness
        )
    elif source.kind == "sitemap":
        found = await discover_sitemap(
            fetcher, source.location, source=source.name, allow_private=allow, politeness=politeness
        )
    else:
        try:
            text = Path(source.location).read_text(encoding="utf-8-sig", errors="replace")
        except OSError as exc:
            reject = Reject(source.location, source.name, RejectStage.DISCOVER, RejectReason.PATH_NOT_FOUND, str(exc))
            return source, Discovery(rejects=[reject])
        found = parse_url_list(text, source=source.name, origin=source.location)
    return source, found


def fetch_targets(
    targets: Sequence[Target],
    *,
    warehouse: Warehouse,
    session: FetchSession,
    on_result: Callable[[FetchResult], None] | None = None,
) -> Fetched:
    """Fetch one batch (conditionally, when the archive has validators); nothing is written.

    Through the run's ``session``: a host's politeness carries over from the previous batch.
    """
    with warehouse.connection() as con:
        known = validators(con, [t.url for t in targets])
    requests = [
        FetchRequest(
            url=t.url,
            input_source=t.input_source,
            validators=Validators(*known[t.url]) if t.url in known else None,
            politeness=t.politeness,
            allow_private=t.allow_private,
        )
        for t in targets
    ]
    fetched = Fetched()
    by_url = {t.url: t for t in targets}
    for result in session.fetch_many(requests, on_result=on_result):
        if isinstance(result, RawPage):
            target = by_url.get(result.uri)
            if target is not None:
                result = _with_hints(result, target.language_hint, target.site_profile)
            fetched.pages.append(result)
        elif isinstance(result, NotModified):
            fetched.not_modified.append(result)
        else:
            fetched.rejects.append(result)
    return fetched


def read_warcs(sources: Sequence[Source]) -> Iterator[RawPage | Reject]:
    for source in sources:
        count = 0
        for item in iter_warc(source.location, source=source.name):
            if isinstance(item, RawPage):
                if source.max_pages is not None and count >= source.max_pages:
                    break
                count += 1
                item = _with_hints(item, source.language, source.profile)
            yield item


def _with_hints(page: RawPage, language: str | None, profile: SiteProfile | None) -> RawPage:
    if language is None and profile is None:
        return page
    return replace(page, language_hint=language, site_profile=profile)


_ARCHIVED_FIELDS = tuple(f.name for f in fields(ArchivedPage))


def archivable(page: RawPage) -> ArchivedPage:
    """A fetched page as the raw archive keeps it: what the server sent, without the source's hints."""
    return ArchivedPage(**{name: getattr(page, name) for name in _ARCHIVED_FIELDS})


def archived_batch(warehouse: Warehouse, uris: Sequence[str]) -> list[RawPage]:
    with warehouse.connection() as con:
        return [RawPage(**vars(page)) for page in archived_pages(con, uris)]
