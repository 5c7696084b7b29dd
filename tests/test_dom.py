"""The shared parse: characters XML forbids are dropped (vertical tab and form feed become
spaces) on the UTF-8 bytes, with the same result as the two regex passes over the text that
define it (``_XML_INCOMPATIBLE``, ``_XML_INCOMPATIBLE_SPACE``)."""

from __future__ import annotations

import random

import lxml.html
import pytest
from lxml import etree

from parsers.dom import _PARSER, _XML_INCOMPATIBLE, _XML_INCOMPATIBLE_SPACE, parse_html
from parsers.errors import EmptyDocument

# ASCII, accented and Hangul letters (Hangul's UTF-8 shares the lead byte of surrogates), lone
# surrogates, noncharacters, control characters, white space of several kinds, markup
_PIECES = [
    "a", "é", "한", "\ud7ff", "\ud800", "\udfff", "\ufffe", "\uffff", "\uffef", "\x00", "\x08", "\x0b", "\x0c",
    "\x1c", "\x1f", "\x7f", " ", "\xa0", "\u3000", "\n", "<p>", "</p>", "<b>x</b>",
]


def _by_definition(text: str) -> bytes | None:
    text = _XML_INCOMPATIBLE_SPACE.sub(" ", _XML_INCOMPATIBLE.sub("", text))
    if not text.strip():
        return None
    try:
        return etree.tostring(lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER))
    except (etree.ParserError, ValueError, UnicodeError):
        return None


def _parsed(text: str) -> bytes | None:
    try:
        return etree.tostring(parse_html(text))
    except EmptyDocument:
        return None


@pytest.mark.parametrize("seed", range(4))
def test_byte_level_cleaning_gives_the_regex_definitions_tree(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 14)))
        assert _parsed(text) == _by_definition(text), repr(text)


def test_a_page_of_white_space_of_any_kind_is_empty() -> None:
    for text in ("", " \n\t", "\xa0\u3000 ", "\x00\x0b\x1f", "\ud800 \xa0"):
        with pytest.raises(EmptyDocument):
            parse_html(text)
    assert parse_html("<p>\xa0x\xa0</p>").text_content() == "\xa0x\xa0"


def test_a_title_that_never_closes_does_not_swallow_the_page() -> None:
    from parsers import extract_article

    story = "".join(
        f"<p>Paragraph {i} of the story: the county board met on Monday night and agreed, after a long "
        f"debate about costs, to rebuild the bridge over the creek by the spring of {2009 + i}.</p>"
        for i in range(6)
    )
    menu = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(12))
    # bytes lost in transit cut "</title>" and the head's end away: "<title>Board backs bri" + "w.site..."
    page = (
        '<html><head><title>Board backs briw.example.org/search.xml" />\n<script src="/a.js"></script>\n'
        f'</head><body><ul class="nav">{menu}</ul><div id="story"><h1>Board backs bridge</h1>{story}</div>'
        '<div class="footer"><p>&copy; 2008 The County Paper</p></div></body></html>'
    )
    tree = parse_html(page)
    assert "rebuild the bridge" in "".join(tree.body.itertext())
    body = extract_article(page.encode()).body
    assert "Paragraph 0 of the story" in body and "Paragraph 5 of the story" in body
    assert "<script" not in body and "Section 3" not in body
    # a long title of plain text is a title, not a runaway one
    long_title = "Board backs bridge " * 80
    tree = parse_html(f"<html><head><title>{long_title}</title></head><body>{story}</body></html>")
    assert tree.find(".//title").text == long_title
