"""Content sniffing: an HTML page is HTML however it begins; a plain-text dump stays text.

Stored pages do not always open with a doctype or ``<html>``: a comment, a ``<script>`` or
``<style>`` block, an XML declaration, a byte order mark, white space or stray NUL bytes
come first. Browsers render those as HTML; taking them for a text dump would make the raw
markup the article's body.
"""

from __future__ import annotations

import codecs

import pytest

from bench.corpora import body_scores, corpus_available, load_corpus, render_as_text
from parsers import extract_article, sniff_content

CORPORA = ("article-extraction", "publishers", "l3s-gn1", "dragnet", "wcxb")

# What stored pages put before their first element, as found in the wild.
ODD_STARTS = {
    "comment": b"<!-- page cached 2024-05-01 12:00:03 by edge-7 -->\n",
    "conditional comment": b"<!--[if lt IE 9]><html class=\"ie\"><![endif]-->\n",
    "script": b"<script>window.dataLayer=[];if(a<b&&c>d){document.write('<p>x</p>')}</script>\n",
    "long script": b"<script type=\"text/javascript\">var cfg = '" + b"x" * 20_000 + b"';</script>",
    "style": b"<style type=\"text/css\">body > p { margin: 0 }</style>\n",
    "xml declaration": b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
    "bom": codecs.BOM_UTF8,
    "white space": b"\n\n   \t\r\n",
    "nul bytes": b"\x00" * 16,
    "bom, nul and comment": codecs.BOM_UTF8 + b"\x00\x00\n<!-- a --><!-- b -->",
}


@pytest.mark.parametrize("start", sorted(ODD_STARTS))
def test_odd_start_of_a_small_page_is_still_html(start: str) -> None:
    page = b"<html><head><title>T</title></head><body><p>One paragraph.</p></body></html>"
    assert sniff_content(ODD_STARTS[start] + page) == "html"
    assert sniff_content(ODD_STARTS[start] + page[len(b"<html>") :]) == "html"  # no <html> tag at all


def test_odd_start_page_extracts_its_text_not_its_markup() -> None:
    story = " ".join(f"Sentence number {i} of the story says something about the harbour." for i in range(30))
    page = f"<html><body><nav><a href=/>Home</a></nav><article><p>{story}</p></article></body></html>".encode()
    for start in ODD_STARTS.values():
        body = extract_article(start + page).body
        assert "<" not in body and "harbour" in body and "Home" not in body


def test_utf16_page_with_a_bom_is_html() -> None:
    page = "<!-- x --><html><body><p>Grüße aus Köln.</p></body></html>"
    assert sniff_content(codecs.BOM_UTF16_LE + page.encode("utf-16-le")) == "html"


def test_plain_text_stays_text_even_when_it_quotes_a_tag() -> None:
    dump = (
        "How to write a web page\n\nStart the file with <html> and put the text in a paragraph.\n\n"
        "Browsers are forgiving: a missing closing tag is added for you.\n"
    )
    assert sniff_content(dump.encode()) == "text"
    assert sniff_content("\ufeff\n\n" + dump) == "text"
    assert sniff_content(b"\x00\x01\x02" * 100) == "binary"
    assert sniff_content(b"\n \x00 \n") == "binary"
    assert sniff_content(codecs.BOM_UTF8 + b" \n") == "empty"


def _sample(name: str, per_corpus: int) -> list:
    if not corpus_available(name):
        pytest.skip(f"corpus {name!r} not found beside the checkout (../shared/corpora)")
    pages = load_corpus(name)
    step = max(1, len(pages) // per_corpus)
    return pages[::step][:per_corpus]


@pytest.mark.slow
@pytest.mark.corpora
@pytest.mark.parametrize("name", CORPORA)
def test_real_pages_are_html_whatever_comes_first_and_their_dumps_are_text(name: str) -> None:
    for page in load_corpus(name) if corpus_available(name) else _sample(name, 0):
        assert sniff_content(page.html) == "html", page.name
        for start, prefix in ODD_STARTS.items():
            assert sniff_content(prefix + page.html) == "html", (page.name, start)
        dump = render_as_text(page.html).encode()
        # a few broken pages (a <title> never closed) swallow their own markup as text: then the
        # "dump" is the HTML document itself, and is read as one
        expected = "html" if b"</body>" in dump.lower() else "text" if dump.strip() else "empty"
        assert sniff_content(dump) == expected, page.name


@pytest.mark.slow
@pytest.mark.corpora
@pytest.mark.parametrize("name", CORPORA)
def test_real_pages_with_odd_starts_give_the_same_article(name: str) -> None:
    pairs = []
    for page in _sample(name, 4):
        plain = extract_article(page.html, url=page.url).body
        for prefix in ODD_STARTS.values():
            pairs.append((extract_article(prefix + page.html, url=page.url).body, plain))
    assert body_scores(pairs).f1 >= 0.99
