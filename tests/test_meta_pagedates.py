"""Date sources read in one walk: ``_meta_pagedates`` finds the ``<time>``/``itemprop`` date
elements in one walk and tells them apart in Python; each Python test must select exactly
what the XPath that defines it (the keys of ``_TIME_TESTS``) selects, in the same order."""

from __future__ import annotations

import pytest

from bench.corpora import corpus_available, load_corpus
from parsers._meta_page import PageSources
from parsers._meta_pagedates import _TIME_TESTS, _time_candidates, page_dates
from parsers.dom import parse_html

CORPORA = ("article-extraction", "publishers", "l3s-gn1", "dragnet", "wcxb")

_PAGE = """<html><body>
<time>no attributes</time>
<time pubdate="">empty pubdate</time>
<time class="entry-date published" datetime="2024-05-01T10:00:00+02:00">1 May</time>
<time class="Date">capitalised class</time>
<time class="updated" datetime="2024-05-02">2 May</time>
<time class="last-modified-stamp">modified</time>
<span itemprop="datePublished" content="2024-05-01">1 May</span>
<div itemprop="dateModified"><time datetime="2024-05-03">3 May</time></div>
<span itemprop="datePublished dateCreated">two values are no match</span>
<p class="date">not a time element</p>
</body></html>"""


def _assert_tests_match_xpaths(scope: object, label: str) -> None:
    candidates = _time_candidates(scope)
    for xpath, test in _TIME_TESTS.items():
        assert [el for el in candidates if test(el)] == scope.xpath(xpath), (label, xpath)  # type: ignore[attr-defined]


def test_the_python_tests_select_what_their_xpaths_select() -> None:
    tree = parse_html(_PAGE)
    _assert_tests_match_xpaths(tree, "page")
    _assert_tests_match_xpaths(tree.find(".//div"), "div")  # a scope below the root: itself excluded
    assert sum(1 for xpath, test in _TIME_TESTS.items() if tree.xpath(xpath)) == len(_TIME_TESTS)


def test_page_dates_reads_the_time_elements() -> None:
    page = PageSources.read(parse_html(_PAGE), url=None)
    published, modified = page_dates(page)
    # the itemprop's bare day first, with the time of the <time> that names the same day
    assert published is not None and published.value.isoformat() == "2024-05-01T10:00:00+02:00"
    # the itemprop=dateModified <div> carries no value of its own: the <time class="updated">
    assert modified is not None and modified.value.isoformat() == "2024-05-02T00:00:00"


@pytest.mark.corpora
@pytest.mark.parametrize("name", CORPORA)
def test_the_python_tests_select_what_their_xpaths_select_on_real_pages(name: str) -> None:
    if not corpus_available(name):
        pytest.skip(f"corpus {name!r} not found beside the checkout (../shared/corpora)")
    for page in load_corpus(name, limit=60):
        tree = parse_html(page.html.decode("utf-8", "replace"))
        _assert_tests_match_xpaths(PageSources.read(tree, url=page.url).scope, page.name)
