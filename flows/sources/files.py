"""Pages read from disk: files or folders of saved HTML pages and plain-text dumps.

Discovery lists files; reading turns each into a ``RawPage`` (bytes plus where
they came from) or a ``Reject`` that says why not. Whether a file is HTML or
text is decided later, by its content, not by its extension.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from parsers.sites import SiteProfile
from warehouse.records import Reject

__all__ = ["DEFAULT_MAX_FILE_BYTES", "LocalFile", "RawPage", "Reject", "discover_files", "read_file"]

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024

# Files that are never pages: the seed's ground truth beside it, editor and OS litter.
_SKIP_SUFFIXES = (".expected.json", ".json", ".md", ".toml", ".yaml", ".yml", ".py", ".pyc")
_SKIP_NAMES = {".DS_Store", "Thumbs.db"}
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class RawPage:
    """One page body as read or fetched, before parsing."""

    uri: str  # URL, or file path for pages read from disk
    content: bytes
    source: str  # the input (source name) it came from
    fetched_at: datetime  # aware UTC
    content_type: str | None = None  # HTTP Content-Type header, if any
    headers: dict[str, str] = field(default_factory=dict)
    final_url: str | None = None
    status: int | None = None
    # What its source in sources.toml tells the parser (not archived: they belong to the source, not the page).
    language_hint: str | None = None  # ISO 639-1, for a page that states no language
    site_profile: SiteProfile | None = None  # applied whatever host served the page


@dataclass(frozen=True)
class LocalFile:
    path: Path
    source: str  # the folder or file the user named


def discover_files(paths: Iterable[str | Path]) -> tuple[list[LocalFile], list[Reject]]:
    """Every candidate page under ``paths`` (sorted, hidden files skipped); missing paths become rejects."""
    found: list[LocalFile] = []
    missing: list[Reject] = []
    for given in paths:
        root = Path(given)
        if root.is_file():
            found.append(LocalFile(root, str(given)))
        elif root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and _looks_like_page_file(path.relative_to(root)):
                    found.append(LocalFile(path, str(given)))
        else:
            missing.append(Reject(str(given), str(given), "discover", "path_not_found", f"{given} does not exist"))
    return found, missing


def _looks_like_page_file(relative: Path) -> bool:
    if any(part.startswith(".") for part in relative.parts) or relative.name in _SKIP_NAMES:
        return False
    return not relative.name.lower().endswith(_SKIP_SUFFIXES)


class _TooLarge(Exception):
    pass


def _gunzip_bounded(content: bytes, max_bytes: int) -> bytes:
    """Decompress at most ``max_bytes``: a small file may expand to gigabytes."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = inflater.decompress(content, max_bytes + 1)
    if len(out) > max_bytes:
        raise _TooLarge(f"decompresses to over {max_bytes:,} bytes")
    if not inflater.eof:
        raise EOFError("truncated gzip stream")
    return out


def read_file(local: LocalFile, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> RawPage | Reject:
    uri = str(local.path)
    try:
        size = local.path.stat().st_size
        if size > max_bytes:
            return Reject(uri, local.source, "read", "too_large", f"{size:,} bytes, over the {max_bytes:,} limit")
        content = local.path.read_bytes()
    except OSError as exc:
        return Reject(uri, local.source, "read", "unreadable", f"{type(exc).__name__}: {exc}")
    if content.startswith(_GZIP_MAGIC):  # saved pages are often kept gzipped (page.html.gz)
        try:
            content = _gunzip_bounded(content, max_bytes)
        except (OSError, zlib.error, EOFError) as exc:
            return Reject(uri, local.source, "read", "bad_gzip", f"{type(exc).__name__}: {exc}")
        except _TooLarge as exc:
            return Reject(uri, local.source, "read", "too_large", str(exc))
    return RawPage(uri=uri, content=content, source=local.source, fetched_at=datetime.now(UTC))
