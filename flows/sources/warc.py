"""Read WARC archives (``.warc``, ``.warc.gz``; e.g. Common Crawl's CC-NEWS) as raw pages.

Only ``response`` records become pages, and only when the archived exchange was a 200 with
an HTML/XHTML/text body: the same rule the fetcher applies, so a backfill from an archive
and a live fetch yield the same articles. Other responses and ``revisit`` records become
rejects with a reason, as do record types that hold no HTTP response (``resource``,
``conversion``, ...); ``request``, ``metadata`` and ``warcinfo`` records are bookkeeping and
are skipped.

A damaged archive ends the file with exactly one reject naming the record and byte offset
where it broke; every whole record before it is kept. warcio stops quietly at a cut-off
gzip member or a short record, so each record is checked before it is used:

1. its header gives a valid ``Content-Length``;
2. the file held all of those bytes (warcio's length-limited reader ran down to zero);
3. in a ``.warc.gz``, its gzip member ended properly (so its CRC was checked);
4. after the last record, nothing of the file is left unread.

A file that runs out is ``truncated_warc``; bytes that are there but are not a WARC are
``corrupt_warc``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.statusandheaders import StatusAndHeadersParserException

from flows.http.fetch import PAGE_TYPES, sniff_binary
from flows.sources.files import RawPage, Reject
from warehouse.records import RejectReason, RejectStage
from warehouse.reject_codes import HTTPStatusReason

__all__ = ["iter_warc"]

_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
# warcio reports damaged input in assorted ways (AttributeError on a cut-off header).
_DAMAGE = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, ValueError, AttributeError, zlib.error)
_GZIP_MAGIC = b"\x1f\x8b"
_BOOKKEEPING = frozenset({"request", "metadata", "warcinfo"})
_CHUNK = 1 << 16
_MAX_HEADER = 1 << 20  # a WARC header block longer than this is not one
_WARC_START = b"WARC/"
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(rb"(?im)^content-length:[ \t]*(\d+)[ \t]*\r?$")


class _QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator without its stderr warning for a record not followed by a newline: that
    warning prints the next bytes of the file raw (binary junk on the console), and the record is
    checked here anyway (``_check_whole``), its damage reported as a reject."""

    INC_RECORD = ""


class _Broken(Exception):
    """The archive cannot be read past this point; ``reason`` becomes the reject's reason."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def _warc_date(value: str | None) -> datetime:
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


def iter_warc(path: str | Path, *, source: str, max_bytes: int = 10 * 2**20) -> Iterator[RawPage | Reject]:
    """Pages and rejects from one WARC file, in archive order; damage ends it with one reject."""
    path = Path(path)
    try:
        yield from _records(path, source=source, max_bytes=max_bytes)
    except OSError as exc:
        yield Reject(str(path), source, RejectStage.READ, RejectReason.CORRUPT_WARC, detail=str(exc))
    except _Broken as exc:
        yield Reject(str(path), source, RejectStage.READ, exc.reason, detail=str(exc))


def _records(path: Path, *, source: str, max_bytes: int) -> Iterator[RawPage | Reject]:
    with path.open("rb") as stream:
        gzipped = stream.read(2) == _GZIP_MAGIC
        size = stream.seek(0, 2)
        stream.seek(0)
        archive = _QuietArchiveIterator(stream)
        records = iter(archive)
        number = 0
        while True:
            start = archive.offset  # where the next record begins: the previous one was read to its end
            where = f"record {number + 1} at byte {start}"
            try:
                record = next(records)
            except StopIteration:
                break
            except _DAMAGE as exc:
                raise _damage(path, start, where, gzipped=gzipped, problem=_text(exc)) from exc
            number += 1
            failure: BaseException | None = None
            result = None
            try:
                result = _from_record(record, source=source, max_bytes=max_bytes, anchor=f"{path}#byte={start}")
            except _DAMAGE as exc:  # a cut-off body can fail inside content decoding
                failure = exc
            try:
                archive.read_to_end()  # the whole record, and its gzip member, before trusting it
            except _DAMAGE as exc:
                failure = failure or exc
            _check_whole(record, archive, path, start, where, gzipped=gzipped)
            if failure is not None:
                raise _Broken(RejectReason.CORRUPT_WARC, f"{where}: {_text(failure)}") from failure
            if result is not None:
                yield result
        # 4. warcio also ends quietly on a record header cut short: any unread byte is damage.
        if archive.offset < size:
            where = f"record {number + 1} at byte {archive.offset}"
            raise _damage(path, archive.offset, where, gzipped=gzipped, problem="not a WARC record")


def _check_whole(record: Any, archive: ArchiveIterator, path: Path, start: int, where: str, *, gzipped: bool) -> None:
    # 1. Content-Length is mandatory; without it warcio reads the rest of the file as this record.
    declared = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not (declared.isascii() and declared.isdigit()):
        raise _damage(path, start, where, gzipped=gzipped, problem=f"no valid Content-Length ({declared!r})")
    # 2. The length-limited body reader runs down to zero only if the file held the whole block.
    body = record.raw_stream
    if isinstance(body, LimitReader) and body.limit > 0:
        short = f"{body.limit} bytes short of its {declared}-byte block"
        if not gzipped:
            raise _Broken(RejectReason.TRUNCATED_WARC, f"{where}: the file ends {short}")
        raise _damage(path, start, where, gzipped=True, problem=f"its gzip member ends {short}")
    # 3. A gzip member cut inside its trailer still yields the whole block, its CRC unchecked.
    #    (A sound member that is not finished holds several records: warcio rejects that itself.)
    decompressor = archive.reader.decompressor if archive.reader else None
    if gzipped and decompressor is not None and not decompressor.eof and _inflate_member(path, start):
        raise _damage(path, start, where, gzipped=True, problem="gzip member does not end")


def _damage(path: Path, start: int, where: str, *, gzipped: bool, problem: str) -> _Broken:
    """Name the damage at ``start``: a file that ends inside that record (truncated) or bytes that are
    wrong (corrupt). In a ``.warc.gz`` the member at ``start`` is inflated on its own."""
    state = _inflate_member(path, start) if gzipped else _record_state(path, start)
    if state == "cut":
        cut = f"{where}: the file ends inside this {'gzip member' if gzipped else 'record'}"
        return _Broken(RejectReason.TRUNCATED_WARC, cut)
    return _Broken(RejectReason.CORRUPT_WARC, f"{where}: {state or problem}")


def _text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _record_state(path: Path, start: int) -> str | None:
    """``"cut"`` if the file ends before the plain record at ``start`` does: inside its header
    block (``WARC/...`` with no blank line yet) or inside the block its ``Content-Length`` announces."""
    with path.open("rb") as stream:
        size = stream.seek(0, 2)
        stream.seek(start)
        head = stream.read(_MAX_HEADER + 1)
    if not (head.startswith(_WARC_START) or _WARC_START.startswith(head)):
        return None  # not the start of a record: damage, not a cut
    blank = _BLANK_LINE.search(head)
    if blank is None:
        return "cut" if len(head) <= _MAX_HEADER else None
    length = _CONTENT_LENGTH.search(head[: blank.start()])
    return "cut" if length and start + blank.end() + int(length.group(1)) > size else None


def _inflate_member(path: Path, start: int) -> str | None:
    """``None`` if the gzip member at ``start`` is whole, ``"cut"`` if the file ends inside it, else its error."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with path.open("rb") as stream:
        stream.seek(start)
        while not inflater.eof:
            chunk = stream.read(_CHUNK)
            if not chunk:
                return "cut"
            try:
                while chunk and not inflater.eof:
                    inflater.decompress(chunk, _CHUNK)  # output discarded, bounded per call
                    chunk = inflater.unconsumed_tail
            except zlib.error as exc:
                return f"damaged gzip member: {exc}"
    return None


def _from_record(record: Any, *, source: str, max_bytes: int, anchor: str) -> RawPage | Reject | None:
    # A record without a target URI is named by its place in the file, so its reject row stays its own.
    uri = record.rec_headers.get_header("WARC-Target-URI") or anchor
    if record.rec_type == "revisit":
        return Reject(uri, source, RejectStage.READ, RejectReason.WARC_REVISIT,
                      detail="revisit record: the archive holds no body for it")  # fmt: skip
    if record.rec_type in _BOOKKEEPING:
        return None
    if record.rec_type != "response" or record.http_headers is None:
        what = f"{record.rec_type} record" if record.rec_type != "response" else "response without HTTP headers"
        return Reject(uri, source, RejectStage.READ, RejectReason.UNSUPPORTED_WARC_RECORD, detail=what)
    status = int(record.http_headers.get_statuscode() or 0)
    content_type = record.http_headers.get_header("Content-Type")
    if not HTTPStatusReason.accepts(status):  # "HTTP/1.1 2000": a record of some other kind, not damage
        what = f"response with status {status}"
        return Reject(uri, source, RejectStage.READ, RejectReason.UNSUPPORTED_WARC_RECORD, detail=what)
    if status != 200:
        return Reject(uri, source, RejectStage.READ, RejectReason.http_status(status), detail="archived response")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media and media not in PAGE_TYPES:
        return Reject(uri, source, RejectStage.READ, RejectReason.UNSUPPORTED_CONTENT_TYPE, detail=media)
    # content_stream() undoes chunking and content coding; reading one byte past the cap bounds memory.
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return Reject(uri, source, RejectStage.READ, RejectReason.TOO_LARGE, detail=f"over {max_bytes} bytes")
    label = sniff_binary(content)
    if label:
        return Reject(uri, source, RejectStage.READ, RejectReason.UNSUPPORTED_CONTENT_TYPE, detail=label)
    headers = {k.lower(): v for k, v in record.http_headers.headers if k.lower() not in _WIRE_HEADERS}
    return RawPage(
        uri=uri,
        content=content,
        input_source=source,
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
        content_type=content_type,
        headers=headers,
        final_url=uri,
        status=status,
    )
