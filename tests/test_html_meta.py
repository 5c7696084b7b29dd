"""Page metadata: each source (JSON-LD, OpenGraph, <meta>, <time>, byline) and each rule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import lxml.html
import pytest

from parsers.dom import parse_html
from parsers.html_meta import PageMetadata, extract_metadata


def page(head: str = "", body: str = "", *, lang: str | None = None) -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"<!doctype html><html{lang_attr}><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def meta(key: str, value: str, attr: str = "property") -> str:
    return f'<meta {attr}="{key}" content="{value}">'


def extract(html: str, url: str | None = "https://news.example.org/world/story-1") -> PageMetadata:
    return extract_metadata(parse_html(html), url=url)


ARTICLE = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Council approves the new river bridge",
    "author": {"@type": "Person", "name": "Jane Doe"},
    "datePublished": "2024-05-02T09:30:00+02:00",
    "dateModified": "2024-05-03T11:00:00+02:00",
    "articleSection": ["Local", "Politics"],
    "inLanguage": "en-GB",
    "publisher": {"@type": "NewsMediaOrganization", "name": "Example Times"},
    "articleBody": "The council voted on Tuesday.",
}


# -- JSON-LD ------------------------------------------------------------------


def test_json_ld_news_article_gives_every_field():
    result = extract(page(ld(ARTICLE)))
    assert result.title == "Council approves the new river bridge"
    assert result.authors == ["Jane Doe"]
    assert result.published_at == datetime(2024, 5, 2, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert result.published_tz_known is True
    assert result.modified_at == datetime(2024, 5, 3, 11, 0, tzinfo=timezone(timedelta(hours=2)))
    assert result.section == "Local"
    assert result.language == "en"
    assert result.site_name == "Example Times"
    assert result.json_ld_body == "The council voted on Tuesday."


def test_json_ld_graph_with_author_reference():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "https://ex.org/#site", "name": "Example"},
            {"@type": "Person", "@id": "https://ex.org/#jane", "name": "Jane Doe"},
            {
                "@type": "Article",
                "headline": "Graph headline about the harbour",
                "author": {"@id": "https://ex.org/#jane"},
                "datePublished": "2023-01-15T08:00:00Z",
            },
        ],
    }
    result = extract(page(ld(graph)))
    assert result.title == "Graph headline about the harbour"
    assert result.authors == ["Jane Doe"]
    assert result.published_at == datetime(2023, 1, 15, 8, 0, tzinfo=UTC)


def test_json_ld_top_level_list_picks_the_article_not_the_breadcrumbs():
    blocks = [
        {"@type": "BreadcrumbList", "name": "Home > World", "itemListElement": []},
        {"@type": "Organization", "name": "Example Times"},
        {"@type": ["NewsArticle", "ReportageNewsArticle"], "headline": "The real headline of this page"},
    ]
    assert extract(page(ld(blocks))).title == "The real headline of this page"


def test_json_ld_teasers_in_item_lists_are_not_the_article():
    teasers = {
        "@type": "ItemList",
        "itemListElement": [{"@type": "NewsArticle", "headline": "Some other story", "author": "Bob Roe"}],
    }
    html = page(ld(teasers) + ld({**ARTICLE, "author": "Jane Doe"}))
    result = extract(html)
    assert result.title == ARTICLE["headline"]
    assert result.authors == ["Jane Doe"]


def test_nested_author_objects_lists_and_strings():
    article = {
        **ARTICLE,
        "author": [
            {"@type": "Person", "name": "Jane Doe", "jobTitle": "Reporter"},
            [{"@type": "Person", "givenName": "John", "familyName": "Smith"}],
            {"@type": "Organization", "name": "Example Times"},
        ],
    }
    assert extract(page(ld(article))).authors == ["Jane Doe", "John Smith"]


def test_organisation_author_kept_when_no_person_is_named():
    article = {**ARTICLE, "author": {"@type": "Organization", "name": "Example Wire"}}
    assert extract(page(ld(article))).authors == ["Example Wire"]


def test_author_string_with_several_names_is_split():
    article = {**ARTICLE, "author": "Samya Kullab and Vasilisa Stepanenko"}
    assert extract(page(ld(article))).authors == ["Samya Kullab", "Vasilisa Stepanenko"]


def test_syndicated_source_from_source_organization():
    article = {**ARTICLE, "sourceOrganization": {"@type": "Organization", "name": "Associated Press"}}
    assert extract(page(ld(article))).source == "Associated Press"


def test_broken_json_ld_is_repaired_or_ignored():
    trailing_comma = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Trailing comma story here",}</script>'
    )
    assert extract(page(trailing_comma)).title == "Trailing comma story here"
    garbage = '<script type="application/ld+json">{not json at all</script><title>Fallback title of the page</title>'
    assert extract(page(garbage)).title == "Fallback title of the page"


def test_html_entities_in_json_ld_are_unescaped():
    article = {**ARTICLE, "headline": "Coach: &quot;Nothing left to lose&quot;"}
    assert extract(page(ld(article))).title == 'Coach: "Nothing left to lose"'


# -- OpenGraph and <meta> -----------------------------------------------------


def test_opengraph_without_json_ld():
    head = (
        meta("og:title", "Storm closes the coastal road | Example Times")
        + meta("og:site_name", "Example Times")
        + meta("article:published_time", "2024-02-01T06:15:00Z")
        + meta("article:modified_time", "2024-02-01T09:00:00Z")
        + meta("article:author", "https://www.facebook.com/exampletimes")
        + meta("article:section", "Weather")
        + meta("author", "Jane Doe", "name")
    )
    result = extract(page(head))
    assert result.title == "Storm closes the coastal road"
    assert result.site_name == "Example Times"
    assert result.published_at == datetime(2024, 2, 1, 6, 15, tzinfo=UTC)
    assert result.modified_at == datetime(2024, 2, 1, 9, 0, tzinfo=UTC)
    assert result.authors == ["Jane Doe"]  # the Facebook URL is not a name
    assert result.section == "Weather"


def test_dublin_core_parsely_and_sailthru():
    head = (
        meta("DC.title", "Dublin core headline for this story", "name")
        + meta("parsely-author", "Ana Ruiz", "name")
        + meta("sailthru.date", "2022-11-30 17:45:00", "name")
    )
    result = extract(page(head))
    assert result.title == "Dublin core headline for this story"
    assert result.authors == ["Ana Ruiz"]
    assert result.published_at == datetime(2022, 11, 30, 17, 45)
    assert result.published_tz_known is False


def test_author_meta_that_names_the_site_is_not_an_author():
    head = meta("og:site_name", "Example Times") + meta("author", "Example Times", "name")
    body = '<article><h1>Headline of the article text</h1><p class="byline">By Maria Lopez</p></article>'
    assert extract(page(head, body)).authors == ["Maria Lopez"]


def test_email_addresses_and_handles_are_dropped():
    head = meta("author", "j.doe@example.org", "name") + meta("twitter:creator", "@jdoe", "name")
    body = '<article><h1>A headline for this page</h1><span class="author">@jdoe</span></article>'
    assert extract(page(head, body)).authors == []


# -- <time>, itemprop and zones -----------------------------------------------


def test_time_element_without_zone_stays_naive():
    time = '<time itemprop="datePublished" datetime="2021-07-04 10:00">4 July</time>'
    body = f"<article><h1>Headline</h1>{time}</article>"
    result = extract(page("", body))
    assert result.published_at == datetime(2021, 7, 4, 10, 0)
    assert result.published_at.tzinfo is None
    assert result.published_tz_known is False


def test_naive_date_takes_the_zone_of_a_source_with_the_same_wall_time():
    head = meta("article:published_time", "2024-09-03T04:03:19")
    head += meta("date", "2024-09-03T04:03:19-04:00", "name")
    result = extract(page(head))
    assert result.published_tz_known is True
    assert result.published_at.utcoffset() == timedelta(hours=-4)


def test_published_and_modified_are_kept_apart():
    article = {**ARTICLE, "datePublished": "2024-01-01T10:00:00Z", "dateModified": "2024-03-01T10:00:00Z"}
    result = extract(page(ld(article)))
    assert result.published_at.month == 1
    assert result.modified_at.month == 3


def test_only_a_modified_date_is_not_a_publication_date():
    body = '<article><h1>Headline</h1><p>Text</p></article>'
    result = extract(page(meta("article:modified_time", "2024-03-01T10:00:00Z"), body), url=None)
    assert result.published_at is None
    assert result.modified_at == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)


def test_epoch_milliseconds_and_offsets_without_colon():
    assert extract(page(meta("article:published_time", "1762513252000"))).published_at == datetime(
        2025, 11, 7, 11, 0, 52, tzinfo=UTC
    )
    result = extract(page(meta("article:published_time", "2024-08-28T07:26:02-0400")))
    assert result.published_at.utcoffset() == timedelta(hours=-4)


@pytest.mark.parametrize("value", ["1970-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "next tuesday", "0"])
def test_implausible_dates_are_rejected(value):
    assert extract(page(meta("article:published_time", value)), url=None).published_at is None


def test_labelled_visible_date():
    body = "<article><h1>Headline</h1><ul><li><strong>Datum</strong> 28.04.2023</li></ul><p>Text</p></article>"
    assert extract(page("", body), url=None).published_at == datetime(2023, 4, 28)


# -- visible byline -----------------------------------------------------------


def test_byline_lead_in_and_shouting_are_cleaned():
    body = '<article><h1>Headline of the story</h1><p class="byline">By JANE DOE and John Smith</p></article>'
    assert extract(page("", body)).authors == ["Jane Doe", "John Smith"]


def test_rel_author_links():
    body = (
        '<article><h1>Headline of the story</h1><a rel="author" href="/a/1">Ingrid Treborg</a>'
        '<a rel="author" href="/a/2">Marlene Holm</a></article>'
    )
    assert extract(page("", body)).authors == ["Ingrid Treborg", "Marlene Holm"]


def test_photo_credits_and_quote_authors_are_not_bylines():
    body = (
        '<article><h1>Headline of the story</h1><div class="bildautor">Foto: Max Muster</div>'
        '<span class="quoteAuthor">Erika Mustermann</span><p>von Karl Beispiel</p></article>'
    )
    assert extract(page("", body)).authors == ["Karl Beispiel"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("von Anna Martel und Lea Wagner", ["Anna Martel", "Lea Wagner"]),
        ("Mathias Hagen / Journalist", ["Mathias Hagen"]),
        ("Elena Oberholzer (obe)", ["Elena Oberholzer"]),
        ("Per-Erik Ofstad", ["Per-Erik Ofstad"]),
        ("Miguel A. Herguedas", ["Miguel A. Herguedas"]),
        ("Michelle de Oliveira", ["Michelle de Oliveira"]),
        ("신현주 기자", ["신현주"]),
        ("Jane Doe, Senior Reporter", ["Jane Doe"]),
        ("Jane Doe, jane@example.org, @janedoe", ["Jane Doe"]),
        ("Jane Doe, example.com", ["Jane Doe"]),
        ("por María R. Sahuquillo", ["María R. Sahuquillo"]),
        ("Dylan Bailey, MS, RD, FAND", ["Dylan Bailey"]),
        ("Genevieve Carlton, Ph.D.", ["Genevieve Carlton"]),
        ("Rebecca Lake, CEPF®", ["Rebecca Lake"]),
        ("Tracy Parker, Dietitian", ["Tracy Parker"]),
        ("Peter Sayer, Monday", ["Peter Sayer"]),
        ("undefined", []),
        ("Nicole Burke, As founder of Rooted Garden", ["Nicole Burke"]),
        ("Matthew Digby, Minh Do on Monday", ["Matthew Digby", "Minh Do"]),
        ("Hasan Mansoor in Karachi", ["Hasan Mansoor"]),
        ("Posted by Elinor Mills", ["Elinor Mills"]),
        ("Mark Murray, Domenico Montanaro, and Brooke Brower", ["Mark Murray", "Domenico Montanaro", "Brooke Brower"]),
        ("Photo by Jane Doe", []),
        ("Maria da Silva dos Santos, Ludwig van der Berg", ["Maria da Silva dos Santos", "Ludwig van der Berg"]),
    ],
)
def test_author_name_rules(raw, expected):
    assert extract(page(meta("author", raw, "name"))).authors == expected


def test_authors_are_deduplicated():
    head = meta("author", "Jane Doe", "name") + meta("parsely-author", "JANE DOE", "name")
    assert extract(page(head)).authors == ["Jane Doe"]


# -- title --------------------------------------------------------------------


def test_title_site_and_section_suffixes_are_stripped():
    head = "<title>Bridge reopens after repairs - Local | Example Times</title>" + meta("og:site_name", "Example Times")
    assert extract(page(head)).title == "Bridge reopens after repairs - Local"
    body = "<h1>Bridge reopens after repairs</h1>"
    assert extract(page(head, body)).title == "Bridge reopens after repairs"


def test_site_prefix_is_stripped_and_colons_are_kept():
    head = "<title>Example Times :: Brexit: what happens next</title>" + meta("og:site_name", "Example Times")
    assert extract(page(head)).title == "Brexit: what happens next"


def test_title_prefers_the_headline_the_others_contain():
    headline = "Chiesa calls for resistance against the asylum policy"
    head = meta("og:title", headline) + f"<title>Party conference: {headline} | Example</title>"
    body = f"<h1>Party conference: {headline}</h1>"
    html = page(head + ld({**ARTICLE, "headline": f"Party conference: {headline}"}), body)
    assert extract(html).title == headline


def test_title_majority_wins_over_a_rewritten_social_title():
    head = meta("og:title", "You will not believe what the council did")
    head += "<title>Council approves the new river bridge | Example</title>"
    body = "<h1>Council approves the new river bridge</h1>"
    assert extract(page(head + ld(ARTICLE), body)).title == "Council approves the new river bridge"


def test_short_title_is_not_taken_for_a_site_name():
    # "Example" is the site, but a title that is only a few words keeps them.
    head = "<title>Example</title>" + meta("og:site_name", "Example")
    assert extract(page(head)).title == "Example"


# -- language, canonical URL, tree untouched -----------------------------------


def test_language_sources():
    assert extract(page("", "", lang="de-CH")).language == "de"
    assert extract(page(meta("og:locale", "pt_BR"))).language == "pt"
    assert extract(page(ld({**ARTICLE, "inLanguage": "fr"}))).language == "fr"
    assert extract(page("")).language is None


def test_canonical_url_is_absolute():
    head = '<link rel="canonical" href="/world/story-1">'
    assert extract(page(head)).canonical_url == "https://news.example.org/world/story-1"
    assert extract(page(meta("og:url", "https://example.org/a"))).canonical_url == "https://example.org/a"


def test_tree_is_not_mutated():
    html = page(ld(ARTICLE) + meta("og:title", "T"), '<article><h1>H</h1><p class="byline">By Jane Doe</p></article>')
    tree = parse_html(html)
    before = lxml.html.tostring(tree)
    extract_metadata(tree, url="https://example.org/x")
    assert lxml.html.tostring(tree) == before


def test_empty_page_gives_empty_metadata():
    result = extract(page(""), url=None)
    assert result == PageMetadata()


# -- rules added after reading unseen pages (article-extraction corpus) -------


def test_itemprop_with_several_names_and_bare_article_published():
    head = '<meta itemprop="datePublished dateCreated" content="2019-11-19T11:00:09.000Z">'
    assert extract(page(head)).published_at == datetime(2019, 11, 19, 11, 0, 9, tzinfo=UTC)
    head = meta("article:published", "2019-11-19T11:00:09Z") + meta("article:modified", "2019-11-20T06:00:00Z")
    result = extract(page(head))
    assert result.published_at.day == 19
    assert result.modified_at.day == 20


@pytest.mark.parametrize(
    ("value", "expected", "aware"),
    [
        ("01:38:07 PM IST Nov 20, 2019", datetime(2019, 11, 20, 13, 38, 7), False),
        ("20 November 2019", datetime(2019, 11, 20), False),
        ("May 3, 2024 10:00 AM UTC", datetime(2024, 5, 3, 10, 0, tzinfo=UTC), True),
        ("11/20/2019", datetime(2019, 11, 20), False),
        ("05/04/2025", datetime(2025, 4, 5), False),
    ],
)
def test_textual_and_slashed_dates_in_structured_fields(value, expected, aware):
    result = extract(page(ld({**ARTICLE, "datePublished": value})))
    assert result.published_at == expected
    assert result.published_tz_known is aware


def test_role_description_after_a_comma_is_not_a_second_author():
    head = meta("author", "Steve Peoples, AP National Political Writer", "name")
    assert extract(page(head)).authors == ["Steve Peoples"]


@pytest.mark.parametrize("placeholder", ["admin", "humans.txt", "Staff", "Nachrichten", "News"])
def test_cms_placeholders_are_not_authors(placeholder):
    assert extract(page(meta("author", placeholder, "name"))).authors == []


def test_marked_byline_completes_a_json_ld_author_list():
    body = (
        '<article><h1>Headline of the story</h1><a rel="author" href="/a/1">Tariq Malik</a>, '
        '<a rel="author" href="/a/2">Mike Wall</a></article>'
    )
    html = page(ld({**ARTICLE, "author": {"@type": "Person", "name": "Tariq Malik"}}), body)
    assert extract(html).authors == ["Tariq Malik", "Mike Wall"]
    unrelated = body.replace("Tariq Malik", "Someone Else")
    html = page(ld({**ARTICLE, "author": {"@type": "Person", "name": "Tariq Malik"}}), unrelated)
    assert extract(html).authors == ["Tariq Malik"]


def test_site_name_is_never_a_url_and_section_lists_give_their_first_tag():
    head = meta("og:site_name", "https://www.example.org") + meta("article:section", "game,news,slider")
    result = extract(page(head))
    assert result.site_name is None
    assert result.section == "game"


def test_truncated_headline_loses_to_the_full_one():
    long_headline = "Climate change: Labor on track to hit 2030 target as minister heralds pragmatic approach"
    html = page(ld({**ARTICLE, "headline": long_headline[:60] + "…"}), f"<h1>{long_headline}</h1>")
    assert extract(html).title == long_headline


def test_bare_date_takes_the_time_of_a_source_naming_the_same_day():
    head = meta("date", "2024-04-22", "name") + meta("article:published_time", "2024-04-22T15:55:00+02:00")
    result = extract(page(ld({**ARTICLE, "datePublished": "2024-04-22"}) + head))
    assert result.published_at == datetime(2024, 4, 22, 15, 55, tzinfo=timezone(timedelta(hours=2)))
    assert result.published_tz_known is True


def test_wire_agency_in_the_byline_becomes_the_source():
    head = meta("author", "Meg Kinnard and Errin Haines, The Associated Press", "name")
    result = extract(page(head))
    assert result.source == "AP"
    assert extract(page(meta("author", "Jane Doe", "name"))).source is None


def test_site_name_strip_keeps_title_parts_that_merely_start_with_the_site_name():
    head = "<title>Take care - comwrap auf der DMEXCO 2018</title>"
    result = extract(page(head), url="https://blog.comwrap.com/comwrap-auf-der-dmexco-2018")
    assert result.title == "Take care - comwrap auf der DMEXCO 2018"


def test_language_fields_holding_no_language_are_ignored():
    assert extract(page(meta("content-language", "utf-8", "http-equiv"))).language is None
    assert extract(page("", "", lang="nb-NO")).language == "no"
    assert extract(page("", "", lang="x-default")).language is None


def test_source_that_is_the_site_itself_is_not_a_syndication_source():
    article = {**ARTICLE, "sourceOrganization": {"@type": "Organization", "name": "Example Times"}}
    assert extract(page(ld(article))).source is None


def test_reporter_typed_into_the_body_when_the_cms_credits_only_the_site():
    body = (
        '<article><h1>Mining blasts shatter homes</h1><p><em>Villages cry foul</em></p>'
        "<p><strong>Mathatisi Sebusi/Mohalenyane Phakela</strong></p><p>A quarry company has come under fire.</p>"
        "</article>"
    )
    credited_to_site = ld({**ARTICLE, "author": {"@type": "Person", "name": "Example Times"}})
    assert extract(page(credited_to_site, body)).authors == ["Mathatisi Sebusi", "Mohalenyane Phakela"]
    # Without a site-only credit, a bold first paragraph is not taken for a byline.
    assert extract(page("", body)).authors == []


def test_site_desks_are_not_people_but_short_site_keys_do_not_swallow_names():
    head = meta("og:site_name", "CNN") + meta("author", "Jill Disis, CNN Business", "name")
    assert extract(page(head), url="https://edition.cnn.com/x").authors == ["Jill Disis"]
    head = meta("author", "Benjamin Njoroge", "name")
    assert extract(page(head), url="https://www.nj.com/x").authors == ["Benjamin Njoroge"]


def test_kicker_inside_the_h1_is_joined_with_a_colon():
    body = '<h1><span class="article-heading__kicker">Brexit</span> <span>What happens next</span></h1>'
    assert extract(page("", body)).title == "Brexit: What happens next"


def test_parsely_page_json_and_sailthru_author():
    blob = json.dumps({"title": "Parsely headline of the story", "pub_date": "2019-11-18T10:00:00Z",
                       "authors": ["Ana Ruiz", "Bo Li"], "section": "Tech"}).replace('"', "&quot;")
    result = extract(page(f'<meta name="parsely-page" content="{blob}">'))
    assert result.title == "Parsely headline of the story"
    assert result.published_at == datetime(2019, 11, 18, 10, 0, tzinfo=UTC)
    assert result.authors == ["Ana Ruiz", "Bo Li"]
    assert result.section == "Tech"
    assert extract(page(meta("sailthru.author", "Jane Doe", "name"))).authors == ["Jane Doe"]


def test_yoast_written_by_twitter_label():
    head = meta("twitter:label1", "Written by", "name") + meta("twitter:data1", "Dieter Kuckelkorn", "name")
    head += meta("author", "d.kuckelkorn@example.de", "name")
    assert extract(page(head)).authors == ["Dieter Kuckelkorn"]


def test_json_ld_date_as_list_or_value_object():
    assert extract(page(ld({**ARTICLE, "datePublished": ["2024-01-02T03:04:05Z"]}))).published_at.day == 2
    value = {"@value": "2024-01-03T03:04:05Z", "@type": "DateTime"}
    assert extract(page(ld({**ARTICLE, "datePublished": value}))).published_at.day == 3


def test_breadcrumb_gives_the_section_when_nothing_else_does():
    crumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home"},
            {"@type": "ListItem", "position": 2, "name": "Politik"},
            {"@type": "ListItem", "position": 3, "item": {"name": "Ausland"}},
            {"@type": "ListItem", "position": 4, "name": "Russlands Schattenflotte: USA stoppen ein Geisterschiff"},
        ],
    }
    article = {k: v for k, v in ARTICLE.items() if k != "articleSection"}
    assert extract(page(ld(article) + ld(crumbs))).section == "Ausland"


def test_section_suffix_is_stripped_only_when_it_is_the_section():
    head = "<title>Fake News - the week in review | Example</title>" + meta("article:section", "News")
    assert extract(page(head)).title == "Fake News - the week in review"
    head = "<title>The week in review - News | Example</title>" + meta("article:section", "News")
    assert extract(page(head)).title == "The week in review"


def test_social_title_cut_at_an_unescaped_quote_is_ignored():
    head = '<meta property="og:title" content="Marathon: winner and "royal visit"">'
    head += '<meta name="twitter:title" content="Marathon: winner and "royal visit"">'
    body = '<h1>Marathon: winner and "royal visit"</h1>'
    assert extract(page(head, body)).title == 'Marathon: winner and "royal visit"'


def test_json_ld_author_the_page_labels_as_editor_gives_way_to_the_byline():
    body = (
        "<div class='post-header'><h1>Graduates hear a strong message at the ceremony</h1>"
        "<div class='info'><div class='author-2'>Naufal Zuhdi</div><span class='datetime'>20/1/2026 18:30</span></div>"
        "<p>The school sent off its graduates on Tuesday.</p>"
        "<div class='info-author'>Editor : <a href='/author/112/heryadi' class='author'>Heryadi</a></div></div>"
    )
    html = page(ld({**ARTICLE, "author": {"@type": "Person", "name": "Heryadi"}}), body)
    assert extract(html).authors == ["Naufal Zuhdi"]
    # The same person shown as a byline stays the author.
    byline = body.replace("Editor : ", "By ")
    assert extract(page(ld({**ARTICLE, "author": {"@type": "Person", "name": "Heryadi"}}), byline)).authors == [
        "Heryadi"
    ]


def test_a_wire_credited_beside_the_reporter_in_json_ld_is_a_co_author():
    author = [{"@type": "Person", "name": "Paula Steiger"}, {"@type": "Organization", "name": "SDA"}]
    assert extract(page(ld({**ARTICLE, "author": author}))).authors == ["Paula Steiger", "SDA"]
    # Any other organisation beside a person is the publisher's CMS, not a co-author.
    author[1] = {"@type": "Organization", "name": "Example Media Group"}
    assert extract(page(ld({**ARTICLE, "author": author}))).authors == ["Paula Steiger"]


# -- the <h1> set in the breadcrumb trail ---------------------------------------

SEO_HEADLINE = "Payment system: how Europe can beat the card networks"
SEEN_HEADLINE = "Instead of the card networks: Europe's new way to pay could win"


def test_h1_in_the_breadcrumb_trail_gives_way_to_the_heading_readers_see():
    head = meta("og:title", SEEN_HEADLINE) + f"<title>{SEO_HEADLINE} | Example</title>"
    head += ld({**ARTICLE, "headline": SEO_HEADLINE})
    trail = (
        '<ul class="breadcrumb"><li><a href="/money/">Money</a></li>'
        f'<li class="breadcrumb__item"><h1 class="breadcrumb__headline">{SEO_HEADLINE}</h1></li></ul>'
    )
    visible = f'<h2><span class="title__kicker">Payments</span> <span>{SEEN_HEADLINE}</span></h2>'
    assert extract(page(head, trail + visible + "<p>Story.</p>")).title == SEEN_HEADLINE
    # The same <h1> outside any trail is the page's headline, and with the JSON-LD
    # headline and the <title> it outvotes the social title.
    plain = f"<h1>{SEO_HEADLINE}</h1>" + visible
    assert extract(page(head, plain + "<p>Story.</p>")).title == SEO_HEADLINE


def test_trail_in_a_nav_marked_by_a_data_attribute():
    head = meta("og:title", SEO_HEADLINE) + meta("twitter:title", SEO_HEADLINE, "name")
    head += f"<title>{SEO_HEADLINE}</title>" + ld({**ARTICLE, "headline": SEEN_HEADLINE})
    trail = (
        '<nav><ul><li><a href="/money/">Money</a></li>'
        f"<li><h1 data-breadcrumb-headline>{SEO_HEADLINE}</h1></li></ul></nav>"
    )
    body = trail + f"<aside>Advertisement</aside><hgroup><h2>{SEEN_HEADLINE}</h2></hgroup><p>Story.</p>"
    assert extract(page(head, body)).title == SEEN_HEADLINE


def test_section_label_below_the_trail_is_no_headline():
    trail = f'<ol typeof="BreadcrumbList"><li><a href="/">Home</a></li><li><h1>{SEO_HEADLINE}</h1></li></ol>'
    html = page(f"<title>{SEO_HEADLINE} | Example</title>", trail + "<h2>Politics</h2><p>Story.</p>")
    assert extract(html).title == SEO_HEADLINE


def test_article_whose_class_names_a_breadcrumb_is_no_trail():
    story = "<p>" + "The council voted on Tuesday to rebuild the bridge. " * 10 + "</p>"
    body = (
        f'<article class="story url-breadcrumb"><div><h1>{SEO_HEADLINE}</h1></div>{story}'
        "<h2>More stories from the region</h2></article>"
    )
    assert extract(page("", body)).title == SEO_HEADLINE


def test_h1_in_a_menu_is_no_headline():
    menu = '<nav><h1>Games</h1><a href="/pc">PC</a><a href="/tv">TV</a></nav>'
    assert extract(page("", menu + f"<h1>{SEO_HEADLINE}</h1><p>Story.</p>")).title == SEO_HEADLINE
