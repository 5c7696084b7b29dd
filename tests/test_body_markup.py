"""Whether a page marks its article up decides the body's first choice (``html_body``): the test
is a tag scan plus one XPath for the attribute marks, and must answer as the four-way XPath
union that defines it, also on markup that libxml2 puts after ``</html>``."""

from __future__ import annotations

import pytest
from lxml import etree

from bench.corpora import corpus_available, load_corpus
from parsers.dom import parse_html
from parsers.html_body import _marked_article

CORPORA = ("article-extraction", "publishers", "l3s-gn1", "dragnet", "wcxb")
_DEFINITION = etree.XPath("boolean(//article | //main | //*[@role='main'] | //*[@itemprop='articleBody'])")


@pytest.mark.parametrize(
    ("page", "marked"),
    [
        ("<html><body><p>A story in a paragraph.</p></body></html>", False),
        ("<html><body><article><p>A story.</p></article></body></html>", True),
        ("<html><body><main><p>A story.</p></main></body></html>", True),
        ("<html><body><div role='main'><p>A story.</p></div></body></html>", True),
        ("<html><body><div itemprop='articleBody'><p>A story.</p></div></body></html>", True),
        ("<html><body><div role='navigation'>Menu</div></body></html>", False),
        ("<html><body><p>Intro.</p></body></html><article>After the end of the page</article>", True),
        ("<html><body><p>Intro.</p></body></html><div itemprop='articleBody'>After the end</div>", True),
        ("<p>No html element</p><main>late main</main>", True),
    ],
)
def test_marked_article_answers_as_its_xpath(page: str, marked: bool) -> None:
    tree = parse_html(page)
    assert _DEFINITION(tree) is marked
    assert _marked_article(tree) is marked


@pytest.mark.corpora
@pytest.mark.parametrize("name", CORPORA)
def test_marked_article_answers_as_its_xpath_on_real_pages(name: str) -> None:
    if not corpus_available(name):
        pytest.skip(f"corpus {name!r} not found beside the checkout (../shared/corpora)")
    for page in load_corpus(name, limit=60):
        tree = parse_html(page.html.decode("utf-8", "replace"))
        assert _marked_article(tree) is _DEFINITION(tree), page.name
