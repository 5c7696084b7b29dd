from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.sources.files import RawPage, Reject
from flows.sources.warc import iter_warc

PAGE = "<html><head><title>Пример</title></head><body><p>Текст статьи.</p></body></html>"


def write_warc(path: Path, records: list[tuple[str, str, int, dict[str, str], bytes]], *, gz: bool) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for rec_type, uri, status, headers, body in records:
            if rec_type == "request":
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
                writer.write_record(writer.create_warc_record(uri, "request", http_headers=http))
                continue
            http = StatusAndHeaders(f"{status} X", list(headers.items()), protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, rec_type, payload=BytesIO(body), http_headers=http)
            writer.write_record(record)


@pytest.mark.parametrize("gz", [True, False])
def test_only_200_html_responses_become_pages(tmp_path: Path, gz: bool) -> None:
    cp1251 = PAGE.encode("cp1251")
    records = [
        ("request", "https://n.example/a", 0, {}, b""),
        ("response", "https://n.example/a", 200, {"Content-Type": "text/html; charset=windows-1251"}, cp1251),
        ("response", "https://n.example/gz", 200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
         gzip.compress(b"<p>zipped</p>")),
        ("response", "https://n.example/missing", 404, {"Content-Type": "text/html"}, b"nope"),
        ("response", "https://n.example/doc.pdf", 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
        ("response", "https://n.example/liar", 200, {"Content-Type": "text/html"}, b"%PDF-1.4 ..."),
    ]  # fmt: skip
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    write_warc(path, records, gz=gz)
    results = list(iter_warc(path, source="cc"))
    pages = [r for r in results if isinstance(r, RawPage)]
    rejects = {r.uri: r.reason for r in results if isinstance(r, Reject)}
    assert [p.uri for p in pages] == ["https://n.example/a", "https://n.example/gz"]
    assert pages[0].content == cp1251 and pages[0].content_type == "text/html; charset=windows-1251"
    assert pages[0].fetched_at.tzinfo is not None and pages[0].input_source == "cc" and pages[0].status == 200
    assert pages[1].content == b"<p>zipped</p>" and "content-encoding" not in pages[1].headers
    assert rejects == {
        "https://n.example/missing": "http_404",
        "https://n.example/doc.pdf": "unsupported_content_type",
        "https://n.example/liar": "unsupported_content_type",
    }


def test_a_response_whose_status_is_no_http_status_costs_its_record_only(tmp_path: Path) -> None:
    path = tmp_path / "odd.warc"
    write_warc(path, [
        ("response", "https://n.example/odd", 2000, {"Content-Type": "text/html"}, b"<p>odd</p>"),
        ("response", "https://n.example/a", 200, {"Content-Type": "text/html"}, PAGE.encode()),
    ], gz=False)  # fmt: skip
    results = list(iter_warc(path, source="cc"))
    assert [(r.uri, r.reason, r.detail) for r in results if isinstance(r, Reject)] == [
        ("https://n.example/odd", "unsupported_warc_record", "response with status 2000"),
    ]  # not http_2000: the reason's family takes an HTTP status only; and the archive is read on
    assert [r.uri for r in results if isinstance(r, RawPage)] == ["https://n.example/a"]


def test_oversize_record_and_corrupt_archive(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    write_warc(
        path,
        [("response", "https://n.example/big", 200, {"Content-Type": "text/html"}, b"x" * 5000)],
        gz=True,
    )
    [reject] = list(iter_warc(path, source="cc", max_bytes=1000))
    assert isinstance(reject, Reject) and reject.reason == "too_large"

    broken = tmp_path / "broken.warc.gz"
    # Bytes that are no WARC are corrupt; a header the file ends inside is a cut (tests/test_warc_damage.py).
    for damage, reason in (
        (b"garbage" * 10, "corrupt_warc"),
        (b"WARC/1.0\r\nWARC-Type: response\r\n", "truncated_warc"),
    ):
        broken.write_bytes(damage)
        [reject] = list(iter_warc(broken, source="cc"))
        assert isinstance(reject, Reject) and reject.reason == reason and reject.uri == str(broken)
