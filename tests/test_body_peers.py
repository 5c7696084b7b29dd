"""readability-lxml as a second opinion: our restated hot methods must give the library's result.

``parsers._body_peers._Readability`` restates three of readability-lxml's methods for speed
(lengths kept while scoring, block tags found on the tree instead of in serialised markup,
only elements with a class or id searched for unlikely names). On real pages of every
corpus, the summary must be the library's own, byte for byte.
"""

from __future__ import annotations

from copy import deepcopy

import pytest
from lxml import html as lxml_html
from readability import Document
from readability.readability import clean

from bench.corpora import corpus_available, load_corpus
from parsers._body_peers import _clean_length, _Readability, html_paragraphs, readability_paragraphs
from parsers.dom import parse_html

CORPORA = ("article-extraction", "publishers", "l3s-gn1", "dragnet", "wcxb")


class _Library(_Readability):
    """Our parse (same cleaner), the library's own scoring methods."""

    score_paragraphs = Document.score_paragraphs
    get_link_density = Document.get_link_density
    remove_unlikely_candidates = Document.remove_unlikely_candidates
    transform_misused_divs_into_paragraphs = Document.transform_misused_divs_into_paragraphs


def _summary(cls: type, tree: object) -> str | None:
    try:
        return str(cls(deepcopy(tree)).summary(html_partial=True))
    except Exception:  # the library raises bare Exceptions on pages it cannot read
        return None


@pytest.mark.slow
@pytest.mark.corpora
@pytest.mark.parametrize("name", CORPORA)
def test_restated_methods_give_the_librarys_summary(name: str) -> None:
    if not corpus_available(name):
        pytest.skip(f"corpus {name!r} not found beside the checkout (../shared/corpora)")
    pages = load_corpus(name, limit=40)
    for page in pages:
        tree = parse_html(page.html.decode("utf-8", "replace"))
        assert _summary(_Readability, tree) == _summary(_Library, tree), page.name


def test_a_table_layout_story_is_read_and_the_callers_tree_left_untouched() -> None:
    cells = "".join(
        f"<tr><td class='story'><font>Paragraph {i} of the story, with commas, clauses, and enough words "
        f"to read as running text in a table cell of an old layout.</font></td></tr>"
        for i in range(6)
    )
    menu = "".join(f"<div><a href='/s{i}'>Section number {i} of the site menu</a></div>" for i in range(12))
    page = f"<html><body><table><tr><td>{menu}</td><td><table>{cells}</table></td></tr></table></body></html>"
    tree = lxml_html.document_fromstring(page)
    paragraphs = readability_paragraphs(tree)
    assert any("Paragraph 3 of the story" in p for p in paragraphs)
    assert tree.xpath("count(//a)") == 12  # the caller's tree is left untouched


def test_divs_without_blocks_become_paragraphs_and_inline_runs_are_wrapped() -> None:
    page = (
        "<html><body><div id='x'><div>Loose text of a story, long enough, with a comma, to be scored as a "
        "paragraph by readability.<b>Bold words</b> and <div>an inner block, with commas, long enough to "
        "count as a paragraph of its own.</div></div></div></body></html>"
    )
    ours = _summary(_Readability, lxml_html.document_fromstring(page))
    library = _summary(_Library, lxml_html.document_fromstring(page))
    assert ours == library
    assert ours is not None and "Bold words" in " ".join(html_paragraphs(ours))


@pytest.mark.parametrize(
    "text",
    [
        "", " ", "plain words, one comma", "\t\tlead tabs", "a\t\t\tb", "a \t\tb", "a\t \tb", "a  \t b",
        "a \n\t b", "a\r\rb", "a\xa0\xa0 b", "a \xa0 \t\tb", "end\n", "x" + " " * 254 + "y", "x" + " " * 255 + "y",
        "x" + " \xa0" * 200 + "y", "x" + "\n" * 300 + "y", "\u2009a\u2009\u2009b\u3000",
    ],
)
def test_clean_length_is_the_length_of_readabilitys_clean(text: str) -> None:
    assert _clean_length(text) == len(clean(text))
