"""Site profiles: per-site selectors for the metadata a page does not mark up well.

The generic extractor (``parsers.html_meta``) reads structured data and common
page conventions; a site that needs more gets a small declarative profile in
``parsers/sites/<name>.toml``, which a user adds for a site they ingest::

    domain = "example.org"          # matches example.org and its subdomains
    [selectors]                     # XPath 1.0; each optional
    title = "//h1[@class='headline']"
    authors = "//span[@class='byline']/a"
    published = "//div[@class='dateline']/time"   # @datetime/@content, else the text
    section = "//nav[@class='crumbs']/a[last()]"

Profiles are picked by the page's host. A source in ``sources.toml`` can instead name one
(``site_profile = "example"``: ``sites/example.toml`` beside the sources file, else the
shipped ``parsers/sites/example.toml``), which then applies to all of that source's pages
whatever host serves them: a site published from several domains, or a mirror.

Each profile comes with a test on a saved real page of its site, so a layout change
shows up as a failing test rather than as silently wrong metadata.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

__all__ = ["SELECTOR_FIELDS", "SiteProfile", "SiteProfileError", "find_profile", "load_profiles", "profile_for"]

SELECTOR_FIELDS = ("title", "authors", "published", "section")


class SiteProfileError(ValueError):
    """A profile file that cannot be used (bad TOML, unknown key, invalid XPath)."""


@dataclass(frozen=True)
class SiteProfile:
    domain: str
    selectors: Mapping[str, str]
    source: str = ""

    def matches(self, host: str) -> bool:
        return host == self.domain or host.endswith("." + self.domain)

    def select(self, tree: etree._Element, field: str) -> list[str]:
        """Texts the profile's selector for ``field`` finds (attribute values for dates)."""
        xpath = self.selectors.get(field)
        if not xpath:
            return []
        values = []
        for found in tree.xpath(xpath):
            if isinstance(found, str):
                values.append(str(found))
            elif field == "published" and (found.get("datetime") or found.get("content")):
                values.append(found.get("datetime") or found.get("content"))
            else:
                values.append(" ".join(found.itertext()))
        return [" ".join(v.split()) for v in values if v and v.strip()]


def load_profiles(paths: Iterable[Path] | None = None) -> tuple[SiteProfile, ...]:
    """Profiles from ``paths`` (TOML files), or the ones shipped in ``parsers/sites/``."""
    if paths is None:
        return _shipped_profiles()
    return tuple(_read_profile(Path(path)) for path in sorted(paths))


def profile_for(url: str | None, profiles: Iterable[SiteProfile] | None = None) -> SiteProfile | None:
    """The profile for ``url``'s host; the most specific domain wins."""
    host = (urlsplit(url or "").hostname or "").lower()
    if not host:
        return None
    matching = [p for p in (_shipped_profiles() if profiles is None else profiles) if p.matches(host)]
    return max(matching, key=lambda p: len(p.domain)) if matching else None


def find_profile(name: str, *, folders: Iterable[Path] = ()) -> SiteProfile:
    """The profile ``<name>.toml`` from the first of ``folders`` holding one, else the shipped one.

    Raises ``SiteProfileError`` naming where it looked, or what is wrong with the file."""
    if not name or Path(name).name != name:
        raise SiteProfileError(f"{name!r} is not a profile name (a file name without '.toml')")
    places = [*map(Path, folders), _shipped_folder()]
    for folder in places:
        path = folder / f"{name}.toml"
        if path.is_file():
            return _read_profile(path)
    raise SiteProfileError(f"no site profile {name!r} in {', '.join(str(p) for p in places)}")


def _shipped_folder() -> Path:
    return Path(str(resources.files("parsers") / "sites"))


@functools.cache
def _shipped_profiles() -> tuple[SiteProfile, ...]:
    folder = _shipped_folder()
    if not folder.is_dir():
        return ()
    return load_profiles(folder.glob("*.toml"))


def _read_profile(path: Path) -> SiteProfile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SiteProfileError(f"{path.name}: {exc}") from exc
    unknown = set(data) - {"domain", "selectors"}
    domain = data.get("domain")
    selectors = data.get("selectors", {})
    if unknown or not isinstance(domain, str) or not domain.strip() or not isinstance(selectors, dict):
        raise SiteProfileError(f"{path.name}: needs 'domain' and a [selectors] table, nothing else")
    bad = set(selectors) - set(SELECTOR_FIELDS)
    if bad:
        raise SiteProfileError(f"{path.name}: unknown selector(s) {sorted(bad)}; known: {SELECTOR_FIELDS}")
    for field, xpath in selectors.items():
        try:
            etree.XPath(xpath)
        except (etree.XPathSyntaxError, TypeError) as exc:
            raise SiteProfileError(f"{path.name}: selector {field!r} is not valid XPath: {exc}") from exc
    return SiteProfile(domain.strip().lower().removeprefix("www."), dict(selectors), path.name)
