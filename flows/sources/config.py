"""``sources.toml``: where articles come from, one ``[[source]]`` table each.

    [[source]]
    name = "example-news"          # unique; becomes articles.source
    kind = "feed"                  # feed | sitemap | urls | folder | warc
    location = "https://news.example.com/rss.xml"   # URL (feed, sitemap) or path (urls, folder, warc)
    site_profile = "example"       # optional: site profile for all its pages, whatever their host
    max_pages = 200                # optional: at most this many pages per run
    language = "en"                # optional: language of its pages that state none
    politeness = { concurrency = 1, delay = 2.0 }   # optional: per-host overrides
    allow_private_addresses = false                 # optional: fetch from private networks

Relative paths are taken from the file's own folder. Every problem is a ``SourcesError``
naming the file and the source, so a typo fails the run before anything is fetched.

``site_profile`` is a profile name, looked up as ``sites/<name>.toml`` beside the sources
file and then among the shipped profiles (``parsers.sites``), or a path ending in ``.toml``;
it is read and checked here. ``language`` is stored as its ISO 639-1 code ("de-AT" -> "de").
Both travel with each page to the parser (``RawPage.site_profile``, ``RawPage.language_hint``),
for the web, URL-list and WARC sources; a page's own language statement wins over the hint.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from flows.http.fetch import Politeness
from flows.http.weberrors import SourcesError
from parsers.language import language_code
from parsers.sites import SiteProfile, SiteProfileError, find_profile, load_profiles

__all__ = ["KINDS", "Source", "SourceKind", "load_sources", "parse_sources", "sources_from_flags"]

SourceKind = Literal["feed", "sitemap", "urls", "folder", "warc"]
KINDS: tuple[str, ...] = ("feed", "sitemap", "urls", "folder", "warc")
_WEB_KINDS = frozenset({"feed", "sitemap"})
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
_KEYS = frozenset(
    {
        "name",
        "kind",
        "location",
        "site_profile",
        "max_pages",
        "language",
        "politeness",
        "allow_private_addresses",
    }
)


@dataclass(frozen=True, kw_only=True)
class Source:
    name: str
    kind: SourceKind
    location: str  # URL for feed/sitemap, absolute path otherwise
    site_profile: str | None = None  # as written in the file
    profile: SiteProfile | None = None  # ``site_profile``, read and checked
    max_pages: int | None = None
    language: str | None = None  # ISO 639-1
    concurrency: int | None = None
    delay: float | None = None
    allow_private_addresses: bool = False

    @property
    def is_web(self) -> bool:
        return self.kind in _WEB_KINDS

    def politeness(self, default: Politeness) -> Politeness:
        return Politeness(
            concurrency=self.concurrency if self.concurrency is not None else default.concurrency,
            delay=self.delay if self.delay is not None else default.delay,
        )


def load_sources(path: str | Path) -> list[Source]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return parse_sources(text, origin=str(path), base_dir=path.parent)


def parse_sources(text: str, *, origin: str = "sources.toml", base_dir: str | Path = ".") -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{origin}: not valid TOML: {exc}") from exc
    unknown = set(data) - {"source"}
    if unknown:
        raise SourcesError(f"{origin}: unknown top-level keys {sorted(unknown)}; expected [[source]] tables")
    tables = data.get("source", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise SourcesError(f"{origin}: 'source' must be an array of tables ([[source]])")
    sources = [
        _source(table, origin=origin, index=i, base_dir=Path(base_dir)) for i, table in enumerate(tables, 1)
    ]
    _check_unique(sources, origin)
    return sources


def _check_unique(sources: Iterable[Source], origin: str) -> None:
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise SourcesError(f"{origin}: source name {source.name!r} is used twice")
        seen.add(source.name)


def _source(table: dict[str, Any], *, origin: str, index: int, base_dir: Path) -> Source:
    label = f"{origin}: source #{index}" + (
        f" ({table['name']!r})" if isinstance(table.get("name"), str) else ""
    )

    def fail(problem: str) -> SourcesError:
        return SourcesError(f"{label}: {problem}")

    unknown = set(table) - _KEYS
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)} (allowed: {', '.join(sorted(_KEYS))})")
    name = table.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise fail("'name' must be a non-empty string of letters, digits, '_', '.', ':', '-'")
    kind = table.get("kind")
    if kind not in KINDS:
        raise fail(f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    location = table.get("location")
    if not isinstance(location, str) or not location.strip():
        raise fail("'location' must be a non-empty string")
    location = location.strip()
    if kind in _WEB_KINDS:
        parts = urlsplit(location)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise fail(f"a {kind} location must be an http(s) URL, not {location!r}")
    else:
        # Joined, not resolved: "seeds" in ./sources.toml stays "seeds" (it names the input in the warehouse).
        location = str(base_dir / Path(location).expanduser())
    politeness = table.get("politeness", {})
    if not isinstance(politeness, dict) or set(politeness) - {"concurrency", "delay"}:
        raise fail("'politeness' must be a table with 'concurrency' and/or 'delay'")
    site_profile = _optional(table, "site_profile", str, fail)
    return Source(
        name=name,
        kind=cast(SourceKind, kind),
        location=location,
        site_profile=site_profile,
        profile=_profile(site_profile, base_dir, fail) if site_profile is not None else None,
        max_pages=_positive_int(table.get("max_pages"), "max_pages", fail),
        language=_language(_optional(table, "language", str, fail), fail),
        concurrency=_positive_int(politeness.get("concurrency"), "politeness.concurrency", fail),
        delay=_delay(politeness.get("delay"), fail),
        allow_private_addresses=_optional(table, "allow_private_addresses", bool, fail) or False,
    )


def _optional(table: dict[str, Any], key: str, kind: type, fail: Any) -> Any:
    value = table.get(key)
    if value is not None and not isinstance(value, kind):
        raise fail(f"{key!r} must be a {kind.__name__}, not {value!r}")
    return value


def _profile(value: str, base_dir: Path, fail: Any) -> SiteProfile:
    try:
        if value.strip().lower().endswith(".toml"):
            path = base_dir / Path(value.strip()).expanduser()
            if not path.is_file():
                raise SiteProfileError(f"no site profile file {str(path)!r}")
            [profile] = load_profiles([path])
            return profile
        return find_profile(value.strip(), folders=[base_dir / "sites"])
    except SiteProfileError as exc:
        raise fail(f"'site_profile': {exc}") from exc


def _language(value: str | None, fail: Any) -> str | None:
    if value is None:
        return None
    code = language_code(value)
    if code is None:
        raise fail(f"'language' must be a language code such as 'en' or 'de-AT', not {value!r}")
    return code


def _positive_int(value: Any, key: str, fail: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fail(f"{key!r} must be a positive integer, not {value!r}")
    return value


def _delay(value: Any, fail: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise fail(f"'politeness.delay' must be a number of seconds >= 0, not {value!r}")
    return float(value)


def sources_from_flags(
    *, feeds: Iterable[str] = (), sitemaps: Iterable[str] = (), url_files: Iterable[str | Path] = ()
) -> list[Source]:
    """Sources for ``--feed URL``, ``--sitemap URL`` and ``--urls FILE``; named after host or file."""
    sources: list[Source] = []
    for kind, urls in (("feed", feeds), ("sitemap", sitemaps)):
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise SourcesError(f"--{kind} needs an http(s) URL, not {url!r}")
            sources.append(
                Source(name=parts.hostname or parts.netloc, kind=cast(SourceKind, kind), location=url)
            )
    for file in url_files:
        path = Path(file).expanduser().resolve()
        sources.append(Source(name=path.stem, kind="urls", location=str(path)))
    return sources
