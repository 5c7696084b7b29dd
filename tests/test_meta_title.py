"""Title vote rules (``parsers._meta_title``) on small hand-written candidate sets."""

from __future__ import annotations

from parsers._meta_title import TitleCandidate, choose_title
from parsers.dom import parse_html
from parsers.html_meta import extract_metadata


def _choose(*candidates: tuple[str, float, str], sites: tuple[str, ...] = ()) -> str | None:
    return choose_title([TitleCandidate(*c) for c in candidates], site_names=sites)


def test_cjk_bars_separate_the_site_name_without_spaces():
    for bar in "｜│":
        assert _choose((f"大雨の警報が出る{bar}毎朝新聞", 1.5, "title"), sites=("毎朝新聞",)) == "大雨の警報が出る"
    assert _choose(("서울에 폭우 경보ㅣ매일신문", 1.5, "title"), sites=("매일신문",)) == "서울에 폭우 경보"
    # A bar is only cut where the part beyond it names the site.
    assert _choose(("東京で大雨｜警報が出る", 1.5, "title"), sites=("毎朝新聞",)) == "東京で大雨｜警報が出る"


def test_section_between_headline_and_site_is_cut_when_another_source_states_the_headline():
    social = "Council approves the new river bridge-Politicsㅣ Daily Paper"
    candidates = [(social, 2.0, "meta:og:title"), (social, 1.0, "meta:twitter:title"), (social, 1.5, "title")]
    headline = ("Council approves the new river bridge", 1.0, "meta:headline")
    assert _choose(*candidates, headline, sites=("Daily Paper",)) == "Council approves the new river bridge"
    # With nothing stating the headline alone, an unknown section is not guessed at.
    assert _choose(*candidates, sites=("Daily Paper",)) == "Council approves the new river bridge-Politics"


def test_only_a_short_tail_before_the_site_name_is_a_section():
    title = ("Storm hits the whole northern coast - the city braces for more | Daily Paper", 1.5, "title")
    fragment = ("Storm hits the whole northern coast", 0.5, "h1")
    expected = "Storm hits the whole northern coast - the city braces for more"
    assert _choose(title, fragment, sites=("Daily Paper",)) == expected


def test_section_tail_is_cut_only_from_a_candidate_that_named_the_site():
    # "- Politics" here is the headline's own ending, not a title's section label.
    og = ("Storm hits the coast - Politics", 2.0, "meta:og:title")
    h1 = ("Storm hits the coast", 0.5, "h1")
    assert _choose(og, h1, sites=("Daily Paper",)) == "Storm hits the coast - Politics"


def test_kicker_with_the_pages_own_hidden_separator_is_not_joined_twice():
    body = (
        '<h1><span class="article-heading__kicker">Basketball</span><span class="visually-hidden">: </span>'
        "<span>Brawl in Madrid ends in sanctions</span></h1>"
    )
    html = f"<!doctype html><html><head></head><body>{body}</body></html>"
    assert extract_metadata(parse_html(html), url="https://example.org/a").title == (
        "Basketball: Brawl in Madrid ends in sanctions"
    )
