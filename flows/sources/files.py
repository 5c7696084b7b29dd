"""Pages read from disk: files or folders of saved HTML pages and plain-text dumps.

Discovery lists files; reading turns each into a ``RawPage`` (bytes plus where
they came from) or a ``Reject`` that says why not. Whether a file is HTML or
text is decided later, by its content, not by its extension.
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from parsers.sites import SiteProfile
from warehouse.records import Reject, RejectReason, RejectStage

__all__ = ["DEFAULT_MAX_FILE_BYTES", "LocalFile", "RawPage", "Reject", "discover_files", "read_file", "read_page_bytes"]

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
    input_source: str  # the configured input (source name) it came from; not ``Article.source``
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
    input_source: str  # the folder or file the user named


def discover_files(paths: Iterable[str | Path]) -> tuple[list[LocalFile], list[Reject]]:
    """Every candidate page under ``paths`` (sorted, hidden files skipped); missing paths become rejects,
    and so do the entries of a folder that cannot hold a page (a broken link, a FIFO, a socket)."""
    found: list[LocalFile] = []
    missing: list[Reject] = []
    for given in paths:
        root = Path(given)
        if root.is_file():
            found.append(LocalFile(root, str(given)))
        elif root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_dir() or not _looks_like_page_file(path.relative_to(root)):
                    continue
                if path.is_file():
                    found.append(LocalFile(path, str(given)))
                else:
                    missing.append(_not_a_file(path, str(given)))
        elif root.is_symlink() or root.exists():
            missing.append(_not_a_file(root, str(given)))
        else:
            detail = f"{given} does not exist"
            missing.append(Reject(str(given), str(given), RejectStage.DISCOVER, RejectReason.PATH_NOT_FOUND, detail))
    return found, missing


def _not_a_file(path: Path, source: str) -> Reject:
    """A folder entry that is not a page file: never opened (a FIFO would block the read)."""
    if path.is_symlink() and not path.exists():
        detail = f"links to {os.readlink(path)}, which is missing"
        return Reject(str(path), source, RejectStage.DISCOVER, RejectReason.BROKEN_LINK, detail)
    kind = _KINDS.get(stat.S_IFMT(path.lstat().st_mode), "special file")
    return Reject(str(path), source, RejectStage.DISCOVER, RejectReason.not_a("file"), f"a {kind}, not a regular file")


_KINDS = {stat.S_IFIFO: "FIFO", stat.S_IFSOCK: "socket", stat.S_IFCHR: "character device", stat.S_IFBLK: "block device"}


def _looks_like_page_file(relative: Path) -> bool:
    if any(part.startswith(".") for part in relative.parts) or relative.name in _SKIP_NAMES:
        return False
    return not relative.name.lower().endswith(_SKIP_SUFFIXES)


class PageTooLarge(ValueError):
    pass


class BadGzip(ValueError):
    pass


def _gunzip_bounded(content: bytes, max_bytes: int) -> bytes:
    """Decompress at most ``max_bytes``: a small file may expand to gigabytes."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(content, max_bytes + 1)
    except zlib.error as exc:
        raise BadGzip(f"{type(exc).__name__}: {exc}") from exc
    if len(out) > max_bytes:
        raise PageTooLarge(f"decompresses to over {max_bytes:,} bytes")
    if not inflater.eof:
        raise BadGzip("EOFError: truncated gzip stream")
    return out


def read_page_bytes(source: Path | BinaryIO, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> bytes:
    """A page's bytes from a regular file or a stream (stdin), gunzipped if gzipped, at most ``max_bytes``.

    Raises ``OSError`` (unreadable, not a regular file), ``PageTooLarge`` or ``BadGzip``. A path is
    opened without blocking and checked to be a regular file first: a FIFO is refused, not waited on.
    """
    if isinstance(source, Path):
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise OSError(f"{source} is not a regular file")
            if info.st_size > max_bytes:
                raise PageTooLarge(f"{info.st_size:,} bytes, over the {max_bytes:,} limit")
            content = stream.read(max_bytes + 1)
    else:
        content = source.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise PageTooLarge(f"over the {max_bytes:,}-byte limit")
    if content.startswith(_GZIP_MAGIC):  # saved pages are often kept gzipped (page.html.gz)
        content = _gunzip_bounded(content, max_bytes)
    return content


def read_file(local: LocalFile, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> RawPage | Reject:
    uri = str(local.path)
    try:
        content = read_page_bytes(local.path, max_bytes=max_bytes)
    except OSError as exc:
        detail = f"{type(exc).__name__}: {exc}"
        return Reject(uri, local.input_source, RejectStage.READ, RejectReason.UNREADABLE, detail)
    except PageTooLarge as exc:
        return Reject(uri, local.input_source, RejectStage.READ, RejectReason.TOO_LARGE, str(exc))
    except BadGzip as exc:
        return Reject(uri, local.input_source, RejectStage.READ, RejectReason.BAD_GZIP, str(exc))
    return RawPage(uri=uri, content=content, input_source=local.input_source, fetched_at=datetime.now(UTC))
