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


def _title_of(head: str, body: str) -> str | None:
    html = f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(parse_html(html), url="https://example.org/2008/01/story.html").title


def test_title_is_cut_to_the_part_a_heading_states_when_no_markup_names_the_site():
    # An old page: no og:site_name, no JSON-LD; the story's heading is an <h2>.
    head = "<title>Fulham aim to secure King deal - Yahoo! Eurosport UK</title>"
    body = "<h2>Fulham aim to secure King deal</h2><p>Roy Hodgson remains hopeful of a deal.</p>"
    assert _title_of(head, body) == "Fulham aim to secure King deal"


def test_a_blogs_name_in_its_h1_and_title_is_not_the_headline():
    head = "<title>danah boyd | apophenia » Three conversations for parents: navigating networked publics</title>"
    body = (
        "<h1>danah boyd | apophenia</h1><div class='post'>"
        "<h2>Three conversations for parents: navigating networked publics</h2><p>Parents ask me.</p></div>"
    )
    assert _title_of(head, body) == "Three conversations for parents: navigating networked publics"


def test_a_short_heading_never_becomes_the_title():
    # "Politics News" is a heading and a part of the title, but shorter than the headline part.
    head = "<title>Politics News | Council approves the new river bridge after a long debate</title>"
    body = "<h3>Politics News</h3><p>The council voted on Tuesday.</p>"
    assert _title_of(head, body) == "Politics News | Council approves the new river bridge after a long debate"


def test_a_title_that_swallowed_markup_is_no_candidate():
    # "</tit" never closes the <title>: its text runs on through the head's markup.
    head = (
        "<title>Microsoft faces two new European antitrust cases</tit"
        '<script language="JavaScript" src="/general.js"></script></title>'
    )
    body = "<h1>Microsoft faces two new European antitrust cases</h1><p>The Commission opened two cases.</p>"
    assert _title_of(head, body) == "Microsoft faces two new European antitrust cases"
    swallowed = ("Gale to drive Nationwide</tit<script src=a.js></script> <div id=main>", 1.5, "title")
    assert _choose(swallowed) is None


def test_a_sites_tagline_after_its_name_goes_with_it():
    title = ("Slow Start Cost the Majors in Ottawa - OurSports Central - Independent and Minor League Sports News", 1.5)
    assert _choose((*title, "title"), sites=("oursportscentral.com",)) == "Slow Start Cost the Majors in Ottawa"
    # The site's name must be there: a headline's own dashes stay.
    plain = "Storm hits the coast - the city braces - more rain due"
    assert _choose((plain, 1.5, "title"), sites=("oursportscentral.com",)) == plain
