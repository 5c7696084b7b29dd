"""Read WARC archives (``.warc``, ``.warc.gz``; e.g. Common Crawl's CC-NEWS) as raw pages.

Only ``response`` records become pages, and only when the archived exchange was a 200 with
an HTML/XHTML/text body: the same rule the fetcher applies, so a backfill from an archive
and a live fetch yield the same articles. Other responses and ``revisit`` records become
rejects with a reason; ``request``, ``metadata`` and ``warcinfo`` records are bookkeeping and
are skipped. A corrupt archive ends the file with one reject (records before it are kept).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from flows.fetch import PAGE_TYPES, sniff_binary
from flows.inputs import RawPage, Reject

__all__ = ["iter_warc"]

_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _warc_date(value: str | None) -> datetime:
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


def iter_warc(path: str | Path, *, source: str, max_bytes: int = 10 * 2**20) -> Iterator[RawPage | Reject]:
    """Pages and rejects from one WARC file, in archive order."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                result = _from_record(record, source=source, max_bytes=max_bytes)
                if result is not None:
                    yield result
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, zlib.error) as exc:
        # warcio reports damaged input in assorted ways (AttributeError on a cut-off header).
        yield Reject(uri=str(path), source=source, stage="read", reason="corrupt_warc", detail=str(exc))


def _from_record(record, *, source: str, max_bytes: int) -> RawPage | Reject | None:  # type: ignore[no-untyped-def]
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type == "revisit":
        return Reject(uri=uri, source=source, stage="read", reason="warc_revisit",
                      detail="revisit record: the archive holds no body for it")  # fmt: skip
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = int(record.http_headers.get_statuscode() or 0)
    content_type = record.http_headers.get_header("Content-Type")
    if status != 200:
        return Reject(
            uri=uri, source=source, stage="read", reason=f"http_{status}", detail="archived response"
        )
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media and media not in PAGE_TYPES:
        return Reject(uri=uri, source=source, stage="read", reason="unsupported_content_type", detail=media)
    # content_stream() undoes chunking and content coding; reading one byte past the cap bounds memory.
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return Reject(
            uri=uri, source=source, stage="read", reason="too_large", detail=f"over {max_bytes} bytes"
        )
    label = sniff_binary(content)
    if label:
        return Reject(uri=uri, source=source, stage="read", reason="unsupported_content_type", detail=label)
    headers = {k.lower(): v for k, v in record.http_headers.headers if k.lower() not in _WIRE_HEADERS}
    return RawPage(
        uri=uri,
        content=content,
        source=source,
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
        content_type=content_type,
        headers=headers,
        final_url=uri,
        status=status,
    )
