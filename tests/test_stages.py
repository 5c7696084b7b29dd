"""The plain-function stages the Prefect tasks wrap: every page ends as an article or a reject."""

from __future__ import annotations

from datetime import UTC, datetime

from flows.pool.stages import find_entities, parse_pages
from flows.sources.files import RawPage

PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Mayor opens bridge | City Times</title>
<meta property="og:site_name" content="City Times"></head><body><nav><a href="/">Home</a></nav>
<article><h1>Mayor opens bridge</h1>
<p>Mayor Jane Porter opened the new bridge over the River Avon in Bristol on Monday, the city council said.</p>
<p>Porter said the bridge would cut journeys for thousands of commuters who cross the river every day.</p>
<p>The council spent three years planning the crossing with engineers from Arup and local residents.</p>
</article><footer>Join our newsletter</footer></body></html>"""


def _page(uri: str, content: bytes) -> RawPage:
    return RawPage(uri=uri, content=content, input_source="test", fetched_at=datetime.now(UTC))


def test_every_page_becomes_an_article_or_a_reject():
    pages = [_page("ok.html", PAGE), _page("empty.html", b""), _page("doc.pdf", b"%PDF-1.4 binary"),
             _page("nul.bin", b"\x00" * 4096)]
    records, rejects = parse_pages(pages)
    assert [r.uri for r in records] == ["ok.html"]
    assert {(r.uri, r.reason) for r in rejects} == {
        ("empty.html", "empty_document"), ("doc.pdf", "unsupported_content"), ("nul.bin", "unsupported_content")
    }
    article = records[0].article
    assert article.title == "Mayor opens bridge"
    assert "Join our newsletter" not in article.body


def test_entities_come_from_the_body_and_join_surnames():
    records, _ = parse_pages([_page("ok.html", PAGE)])
    (record,) = find_entities(records)
    names = {(m.name, m.label) for m in record.mentions}
    assert ("Jane Porter", "PERSON") in names
    assert all(m.name != "Porter" for m in record.mentions)
    assert all(record.article.body[m.start_char : m.end_char] == m.text for m in record.mentions)
