"""Damaged WARC archives: every whole record before the damage is kept, the damage is one reject.

Archives are written by warcio itself, then cut at byte offsets chosen from the layout of
what was written (inside a record's header, its HTTP headers, its body, a gzip member's
header and trailer), so the cuts land where real interrupted downloads land.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.sources.files import RawPage, Reject
from flows.sources.warc import iter_warc

URIS = [f"https://n.example/story-{n}" for n in range(3)]


@dataclass(frozen=True)
class Archive:
    data: bytes
    starts: list[int]  # byte offset of each record (of its gzip member, in a .warc.gz)
    ends: list[int]


def _page(n: int) -> bytes:
    words = " ".join(f"word{n}-{i}" for i in range(300))  # varied, so gzip keeps the member long
    return f"<html><head><title>Story {n}</title></head><body><p>{words}</p></body></html>".encode()


def build(*, gz: bool) -> Archive:
    out = BytesIO()
    writer = WARCWriter(out, gzip=gz)
    starts, ends = [], []
    for n, uri in enumerate(URIS):
        starts.append(out.tell())
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(_page(n)), http_headers=http))
        ends.append(out.tell())
    return Archive(out.getvalue(), starts, ends)


def _cuts(archive: Archive, *, gz: bool) -> list[tuple[int, int, str]]:
    """(offset, index of the record it cuts, where) for cuts inside each record."""
    cuts = []
    for index, (start, end) in enumerate(zip(archive.starts, archive.ends, strict=True)):
        if gz:
            places = {"gzip header": start + 5, "early deflate": start + 40, "middle": (start + end) // 2,
                      "gzip trailer": end - 4, "last byte missing": end - 1}  # fmt: skip
        else:
            warc_head = archive.data.index(b"\r\n\r\n", start) + 4
            http_head = archive.data.index(b"\r\n\r\n", warc_head) + 4
            places = {"first line": start + 3, "WARC header": start + 40, "HTTP header": warc_head + 10,
                      "body": (http_head + end) // 2, "last body byte": end - 5}  # fmt: skip
        cuts += [(offset, index, where) for where, offset in places.items()]
    return cuts


def _read(path: Path) -> tuple[list[RawPage], list[Reject]]:
    results = list(iter_warc(path, source="cc"))
    return [r for r in results if isinstance(r, RawPage)], [r for r in results if isinstance(r, Reject)]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_cut_archive_keeps_whole_records_and_rejects_the_cut_once(tmp_path: Path, gz: bool) -> None:
    archive = build(gz=gz)
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    for offset, index, where in _cuts(archive, gz=gz):
        path.write_bytes(archive.data[:offset])
        pages, rejects = _read(path)
        label = f"cut at {offset} ({where} of record {index + 1})"
        assert [p.uri for p in pages] == URIS[:index], label
        assert [p.content for p in pages] == [_page(n) for n in range(index)], label
        assert len(rejects) == 1, label
        [reject] = rejects
        assert reject.reason == "truncated_warc" and reject.uri == str(path) and reject.stage == "read", label
        assert f"record {index + 1} at byte {archive.starts[index]}" in (reject.detail or ""), label


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_cut_on_a_record_boundary_loses_nothing(tmp_path: Path, gz: bool) -> None:
    archive = build(gz=gz)
    path = tmp_path / ("whole.warc.gz" if gz else "whole.warc")
    for count, end in enumerate([0, *archive.ends]):
        path.write_bytes(archive.data[:end])
        pages, rejects = _read(path)
        assert [p.uri for p in pages] == URIS[:count] and rejects == []


def test_a_damaged_gzip_member_is_corrupt_not_truncated(tmp_path: Path) -> None:
    archive = build(gz=True)
    start, end = archive.starts[1], archive.ends[1]
    member = bytearray(archive.data[start:end])
    # Inflating the member must fail: find a byte whose change breaks it (not just a gzip header field).
    for position in range(len(member) // 3, len(member) - 8):
        damaged = bytearray(member)
        damaged[position] ^= 0xFF
        try:
            zlib.decompress(bytes(damaged), 16 + zlib.MAX_WBITS)
        except zlib.error:
            break
    else:
        pytest.fail("no single-byte change broke the member")
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(archive.data[:start] + bytes(damaged) + archive.data[end:])
    pages, rejects = _read(path)
    assert [p.uri for p in pages] == URIS[:1]
    [reject] = rejects
    assert reject.reason == "corrupt_warc" and f"record 2 at byte {start}" in (reject.detail or "")


def test_garbage_after_the_last_record_is_one_reject(tmp_path: Path) -> None:
    archive = build(gz=False)
    path = tmp_path / "tail.warc"
    path.write_bytes(archive.data + b"this is not a WARC record\r\n\r\n")
    pages, rejects = _read(path)
    assert [p.uri for p in pages] == URIS
    [reject] = rejects
    assert reject.reason == "corrupt_warc" and f"record 4 at byte {len(archive.data)}" in (reject.detail or "")


def test_records_that_hold_no_http_response_are_rejected_not_dropped(tmp_path: Path) -> None:
    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record("x.warc.gz", {"software": "test"}))
    writer.write_record(writer.create_warc_record(
        "https://n.example/saved", "resource", payload=BytesIO(b"<p>saved</p>"), warc_content_type="text/html"
    ))  # fmt: skip
    path = tmp_path / "resource.warc.gz"
    path.write_bytes(out.getvalue())
    pages, rejects = _read(path)
    assert pages == []
    assert [(r.uri, r.reason) for r in rejects] == [("https://n.example/saved", "unsupported_warc_record")]


@pytest.mark.slow
def test_a_cut_archive_in_a_run_leaves_its_pages_and_a_reject_row(prefect_server: None, tmp_path: Path) -> None:
    from flows.ingest import ingest

    archive = build(gz=True)
    path = tmp_path / "cc-news.warc.gz"
    cut = (archive.starts[2] + archive.ends[2]) // 2
    path.write_bytes(archive.data[:cut])
    db = tmp_path / "news.duckdb"
    ingest(paths=[str(path)], db_path=str(db))
    con = duckdb.connect(str(db), read_only=True)
    try:
        urls = {url for (url,) in con.execute("SELECT url FROM articles").fetchall()}
        rejects = con.execute("SELECT uri, stage, reason, detail FROM rejects").fetchall()
    finally:
        con.close()
    assert urls == set(URIS[:2])
    [(uri, stage, reason, detail)] = rejects
    assert (uri, stage, reason) == (str(path), "read", "truncated_warc")
    assert f"record 3 at byte {archive.starts[2]}" in detail
