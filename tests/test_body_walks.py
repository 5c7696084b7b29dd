"""Walks over the page that the body stage restates in Python for speed must find what the XPath
that defines them finds, also on markup that libxml2 puts after ``</html>`` (a second top-level
element): whether the page marks its article up (``html_body``: a tag scan plus one XPath for
the attribute marks, against the four-way union), and the elements pre-cleaning judges by
their names (``_body_clean``: a walk reading role, aria-label, class and id), and whether a box
holds the story (an ``<article>``, ``<main>`` or ``<h1>`` below it: a walk that stops at the first).
Also the title test's shortcut: a paragraph whose first part alone keys over the limit is no title."""

from __future__ import annotations

import pytest
from lxml import etree

from bench.corpora import corpus_available, load_corpus
from parsers import _body_clean, _body_region
from parsers._body_clean import _named_elements
from parsers.dom import parse_html
from parsers.html_body import _marked_article

CORPORA = ("article-extraction", "publishers", "l3s-gn1", "dragnet", "wcxb")
_DEFINITION = etree.XPath("boolean(//article | //main | //*[@role='main'] | //*[@itemprop='articleBody'])")
_NAMED = etree.XPath("//*[@class or @id or @role or @aria-label]")
_HOLDS_STORY = etree.XPath("boolean(.//article | .//main | .//h1)")


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
        assert [el for el, _ in _named_elements(tree)] == _NAMED(tree), page.name
        for el in tree.iter("div", "aside", "section", "nav", "header", "footer", "li", "h1"):
            assert _body_clean._holds_story(el) is _HOLDS_STORY(el) is _body_region._holds_story(el), page.name


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><p class='a'>x</p><div id='b'><span role='note'>y</span></div></body></html>",
        "<html><body><p>Intro.</p></body></html><div class='late'>After the end</div><p id='x'>more</p>",
        "<p aria-label='Share'>No html element</p></html><aside class=''>empty class</aside>",
        "<html class='root'><body id='page'><br/><img alt='' role=''/></body></html>",
    ],
)
def test_named_elements_are_what_the_xpath_selects(page: str) -> None:
    tree = parse_html(page)
    named = _named_elements(tree)
    assert [el for el, _ in named] == _NAMED(tree)
    assert all(key == (el.get("role"), el.get("aria-label"), el.get("class"), el.get("id")) for el, key in named)


def test_holds_story_looks_below_the_element_only() -> None:
    tree = parse_html("<html><body><aside><h1>Title</h1></aside><h1 class='x'>Alone</h1><div><p>t</p></div></body>")
    aside, lone_h1, div = tree.find(".//aside"), tree.findall(".//h1")[1], tree.find(".//div")
    for el, holds in ((aside, True), (lone_h1, False), (div, False)):
        assert _HOLDS_STORY(el) is holds
        assert _body_clean._holds_story(el) is holds and _body_region._holds_story(el) is holds


def test_a_long_paragraph_is_no_title_whatever_its_first_part() -> None:
    from parsers.html_body import _is_title, _key

    title = "Ferry terminal opens in May after two years of works"
    titles = {_key(title)}
    assert _is_title(title, titles)
    paragraph = " ".join([title] * 12)  # its key is far over the limit: no title, as when keyed whole
    assert not _is_title(paragraph, titles) and len(_key(paragraph)) > 400
    almost = ("word " * 80).strip()  # 399 characters of key: keyed whole, short enough to be compared
    assert len(_key(almost)) == 399 and not _is_title(almost, titles)
