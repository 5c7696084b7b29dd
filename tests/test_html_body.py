"""Main-text extraction rules, one small hand-written page per rule."""

from __future__ import annotations

import pytest

from parsers._body_clean import preclean
from parsers.dom import parse_html
from parsers.html_body import extract_body

TITLE = "Harbour council approves new ferry terminal after long debate"

# Paragraphs long enough for any extractor to take them for the article.
PARAS = [
    "The harbour council voted on Tuesday evening to approve the new ferry terminal, ending a debate "
    "that has divided the town for almost three years and filled every public meeting since.",
    "Supporters argued that the terminal would bring hundreds of jobs to the waterfront and make the "
    "crossing to the islands faster, cheaper and safer for the families who depend on it every day.",
    "Opponents said the plans ignored the fishing fleet, which has moored in the old basin for more "
    "than a century, and warned that the building work would disturb the nesting birds on the spit.",
    "Construction is expected to begin next spring and to last about eighteen months, according to "
    "the harbour master, who said the old pier would stay open to passengers throughout the works.",
]


def page(article_extra: str = "", page_extra: str = "", before: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    return f"""<!DOCTYPE html><html lang="en"><head><title>{TITLE} | The Coast Times</title>
<meta property="og:title" content="{TITLE}"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article><h1>{TITLE}</h1>{before}
<div class="article-body">{paras}{article_extra}</div></article>{page_extra}</main>
<footer><p>The Coast Times, 1 Quay Street. Contact us.</p></footer></body></html>"""


def body_of(html: str) -> str:
    return extract_body(parse_html(html), url="https://coast.example/news/ferry-terminal")


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    body = body_of(page())
    assert body.split("\n\n") == PARAS


def test_title_heading_is_not_repeated_in_the_body() -> None:
    assert TITLE not in body_of(page())


def test_navigation_and_footer_are_dropped() -> None:
    body = body_of(page())
    assert "Sport" not in body and "Quay Street" not in body


def test_subheadings_lists_and_quotes_inside_the_article_are_kept() -> None:
    extra = (
        "<h2>What happens next</h2>"
        "<p>The council listed the steps that remain before the first ferry can dock at the terminal:</p>"
        "<ul><li>a final environmental survey of the spit</li><li>a tender for the building contract</li>"
        "<li>a public consultation on the timetable</li></ul>"
        "<blockquote><p>This is the biggest investment in the harbour since the war, and it will serve "
        "the town for generations.</p></blockquote>"
        "<p>The mayor said the vote was close but fair, and thanked residents for their patience.</p>"
    )
    body = body_of(page(article_extra=extra))
    assert "What happens next" in body
    assert "a final environmental survey of the spit\na tender for the building contract\n" in body
    assert "biggest investment in the harbour since the war" in body


def test_related_story_teasers_are_dropped() -> None:
    teasers = (
        '<div class="related-articles"><h3>Related stories</h3><ul>'
        '<li><a href="/a">Fishermen protest outside the town hall</a></li>'
        '<li><a href="/b">Island ferry fares to rise in January</a></li>'
        '<li><a href="/c">Birdwatchers count record numbers on the spit</a></li></ul></div>'
    )
    body = body_of(page(article_extra=teasers))
    assert "Fishermen protest" not in body and "Related stories" not in body
    assert PARAS[-1] in body


def test_inline_read_more_links_are_dropped() -> None:
    extra = '<p><strong>Read more:</strong> <a href="/d">How the old pier was built in 1890</a></p>'
    body = body_of(page(article_extra=extra))
    assert "old pier was built" not in body


def test_link_only_teaser_paragraphs_are_dropped() -> None:
    extra = '<p><a href="/e">Town celebrates 800 years of market charter</a></p>'
    assert "market charter" not in body_of(page(article_extra=extra))


def test_captions_and_photo_credits_are_dropped() -> None:
    figure = (
        '<figure><img src="/ferry.jpg" alt=""><figcaption>The ferry leaving the old pier at dawn. '
        '<span class="credit">Photo: Jane Doe / Coast Agency</span></figcaption></figure>'
    )
    body = body_of(page(before=figure))
    assert "leaving the old pier at dawn" not in body and "Jane Doe" not in body


def test_share_bars_are_dropped() -> None:
    share = (
        '<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a> '
        '<a href="#">Email this article</a></div>'
    )
    body = body_of(page(before=share))
    assert "Facebook" not in body and "Email this" not in body


def test_newsletter_blurbs_are_dropped() -> None:
    blurb = (
        '<div class="newsletter-signup"><p>Get the best of The Coast Times in your inbox every '
        'morning. Sign up for our free daily newsletter.</p><form><input type="email"></form></div>'
    )
    assert "newsletter" not in body_of(page(article_extra=blurb)).lower()


def test_newsletter_sentence_without_markup_is_dropped() -> None:
    extra = "<p>Sign up for our free daily newsletter to get the news in your inbox.</p>"
    assert "newsletter" not in body_of(page(article_extra=extra)).lower()


def test_cookie_banners_are_dropped() -> None:
    banner = (
        '<div id="cookie-consent" role="dialog"><p>We use cookies to improve your experience on our '
        'site and to show you personalised advertising. By continuing you accept our use of cookies.'
        '</p><button>Accept</button></div>'
    )
    assert "cookies" not in body_of(page(page_extra=banner)).lower()


def test_reader_comments_are_dropped() -> None:
    comments = (
        '<section id="comments" class="comments-area"><h2>3 comments</h2><ol class="comment-list">'
        '<li class="comment"><p>About time too, the old pier has been falling apart for years and '
        'nobody in the council seemed to care at all until now.</p></li>'
        '<li class="comment"><p>What about the birds? Nobody ever thinks about the birds when they '
        'pour concrete along the coast for another pointless project.</p></li></ol></section>'
    )
    body = body_of(page(page_extra=comments))
    assert "falling apart" not in body and "pointless project" not in body


@pytest.mark.parametrize(
    "byline",
    [
        '<div class="byline">By <a href="/authors/jane">Jane Doe</a>, Harbour correspondent</div>',
        '<p class="dateline">Published 12 March 2024, 18:05</p>',
    ],
)
def test_bylines_and_datelines_are_dropped(byline: str) -> None:
    body = body_of(page(before=byline))
    assert "Jane Doe" not in body and "12 March 2024" not in body


def test_empty_page_gives_empty_text() -> None:
    assert body_of("<html><body><nav><a href='/'>Home</a></nav></body></html>") == ""


def test_story_split_into_identical_containers_around_ads_is_kept_whole() -> None:
    chunks = "".join(
        f'<div class="body__chunk"><p>{p}</p></div><div class="ad-slot">Advertisement</div>' for p in PARAS
    )
    html = f"""<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>
<div class="chunks">{chunks}</div></article>
<div class="sidebar"><h3>Most read</h3><p><a href="/x">Lifeboat crew rescue walkers cut off by the tide</a></p></div>
</body></html>"""
    body = body_of(html)
    assert all(p in body for p in PARAS)
    assert "Advertisement" not in body and "Lifeboat" not in body


def test_story_left_inside_an_unclosed_aside_is_still_found() -> None:
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    html = f"""<html><head><title>{TITLE}</title></head><body>
<aside class="col-side"><div class="promo">Subscribe today</div>
<article><h1>{TITLE}</h1><div class="story">{paras}</div></article></aside></body></html>"""
    body = body_of(html)
    assert all(p in body for p in PARAS)


def test_modifier_class_on_the_story_container_does_not_drop_it() -> None:
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    html = f"""<html><head><title>{TITLE}</title></head><body><main><h1>{TITLE}</h1>
<div class="story-body has-comments with-share-bar">{paras}</div></main></body></html>"""
    assert body_of(html).split("\n\n") == PARAS


@pytest.mark.parametrize(
    ("markup", "dropped"),
    [
        ('<div class="article-share__bar">Share on Facebook</div>', True),
        ('<div id="taboola-below-article">Promoted stories</div>', True),
        ('<section class="RelatedStories">More on this</section>', True),
        ('<div role="dialog">We use cookies</div>', True),
        ('<div aria-label="Share this article">Share</div>', True),
        ('<figure><img src="a.jpg"><figcaption class="caption">A ferry</figcaption></figure>', True),
        # embedded posts the story quotes, and the standfirst that German sites call "Teaser"
        ('<div class="social-media-embed"><blockquote>A post the story quotes</blockquote></div>', False),
        ('<p class="ArticleTeaser-text">The standfirst of the story</p>', False),
        # words inside other words are not furniture
        ('<div class="shared-content adrail-layout">Story text</div>', False),
    ],
)
def test_preclean_vocabulary(markup: str, dropped: bool) -> None:
    tree = parse_html(f"<html><body><main><h1>{TITLE}</h1><p>{PARAS[0]}</p>{markup}</main></body></html>")
    text_before = "".join(tree.xpath("//main/*[last()]//text()"))
    preclean(tree)
    assert (text_before not in tree.text_content()) is dropped


def test_related_posts_with_cut_off_excerpts_are_not_taken_for_the_story() -> None:
    related = "".join(
        f'<div class="post"><h3><a href="/p{i}">Older story number {i}</a></h3><p>This is the opening of an '
        f"older story about the harbour, the ferries and the birds on the spit, cut off here to make the "
        f"reader click through to \u2026</p></div>"
        for i in range(8)
    )
    body = body_of(page(page_extra=f'<section class="more-posts">{related}</section>'))
    assert body.split("\n\n") == PARAS


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe and John Roe",
        "Von Anna Sleegers, Frankfurt",
        "Updated 15.59 | Published 14.14",
        "Stand: 22.04.2024, 06:00 Uhr",
        "Photo: Coast Agency",
        "Read more: Ferry fares to rise in January",
        "Sign up for our newsletter and get the news in your inbox",
    ],
)
def test_byline_dateline_credit_and_promo_lines_are_dropped(line: str) -> None:
    body = body_of(page(before=f"<p>{line}</p>", article_extra=f"<p>{line}</p>"))
    assert line not in body
    assert body.split("\n\n") == PARAS


def test_sentences_that_merely_start_like_a_byline_are_kept() -> None:
    line = "By the time the council met, the harbour had already been dredged twice this year."
    assert line in body_of(page(article_extra=f"<p>{line}</p>"))


def test_standfirst_shown_under_the_headline_can_be_put_back() -> None:
    lead = "After three years of argument the council said yes, and work on the quay starts in spring."
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    html = f"""<html><head><title>{TITLE}</title><meta name="description" content="{lead}"></head><body>
<header class="story-header"><h1>{TITLE}</h1><p class="dek">{lead}</p></header>
<div class="sidebar"><p><a href="/x">Most read</a></p></div>
<div class="story-body">{paras}</div></body></html>"""
    body = extract_body(parse_html(html), standfirst=True)
    assert body.startswith(lead)
    assert all(p in body for p in PARAS)


def test_story_shipped_as_markup_inside_a_script_is_found_when_the_dom_has_none() -> None:
    import json

    markup = "".join(f'<p class="editor-p">{p}</p>' for p in PARAS)
    payload = json.dumps([1, f"<div>{markup}</div>"]).replace("<", "\\u003c").replace(">", "\\u003e")
    html = f"""<html><head><title>{TITLE}</title></head><body><div id="root"></div>
<script>self.__next_f.push({payload})</script></body></html>"""
    assert body_of(html).split("\n\n") == PARAS


def test_script_markup_is_ignored_when_the_dom_has_the_story() -> None:
    import json

    other = "".join(f"<p>Unrelated text number {i} that a widget would render somewhere.</p>" for i in range(30))
    payload = json.dumps({"html": other}).replace("<", "\\u003c")
    html = page(page_extra=f"<script>window.__STATE__ = {payload}</script>")
    assert body_of(html).split("\n\n") == PARAS


def _stages(html: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, set[str]]:
    import parsers.html_body as html_body

    debug: list[tuple[str, str]] = []
    monkeypatch.setattr(html_body, "_DEBUG", debug)
    return body_of(html), {stage for stage, _ in debug}


def _unmarked_page(story: str, aside: str) -> str:
    """A 2000s table layout: no <article>/<main>, the story in one cell, a link column beside it."""
    menu = "".join(f"<tr><td><a href='/s{i}'>Section {i}</a></td></tr>" for i in range(20))
    return (
        f"<html><head><title>{TITLE}</title></head><body><table><tr><td><table>{menu}</table></td>"
        f"<td><h1>{TITLE}</h1>{story}</td><td>{aside}</td></tr></table></body></html>"
    )


def test_unmarked_page_takes_readability_without_trafilatura_when_the_density_vote_shares_its_text() -> None:
    from parsers._body_region import Region
    from parsers.html_body import _uncontested

    peer = [TITLE, *PARAS]
    # the density vote found half of the story and a paragraph readability left out
    extra = "A reader's letter about parking on the quay, printed beside the story in a box of its own " * 3
    region = Region([], sum(map(len, PARAS[:2])) + len(extra), [*PARAS[:2], extra])
    taken = _uncontested(peer, region, {"harbour council approves new ferry terminal after long debate"})
    assert taken is not None and [b.text for b in taken] == PARAS  # the title line filtered as everywhere
    # a region elsewhere (no shared text) contradicts readability: the full vote decides
    assert _uncontested(peer, Region([], 3 * len(extra), [extra, extra, extra]), set()) is None
    # a small region says nothing either way; no readability article, nothing to take
    assert _uncontested(peer, Region([], len(PARAS[0]), [PARAS[0]]), set()) is None
    assert _uncontested([], region, set()) is None
    assert _uncontested(None, region, set()) is None


def test_unmarked_page_with_only_a_small_box_of_prose_goes_to_the_full_vote(monkeypatch: pytest.MonkeyPatch) -> None:
    # one short paragraph: the density vote's region is too small to speak for or against readability
    story = f"<p>{PARAS[0]}</p>"
    body, stages = _stages(_unmarked_page(story, ""), monkeypatch)
    assert PARAS[0] in body
    assert "uncontested" not in stages


def test_a_one_line_post_under_its_headline_beats_the_about_box_beside_it() -> None:
    from parsers import extract_article

    # a blog without article markup: the site's name is the <h1>, the sidebar (about box first)
    # comes before the post, whose title is an <h2> over a picture and one short sentence
    html = """<html><head><title>A lamp that folds into a pocket - Odd Designs</title>
<meta property="og:title" content="A lamp that folds into a pocket"></head><body><div id="wrap">
<div id="header"><h1><a href="/">Odd Designs</a></h1></div>
<div class="sidebar"><div class="sidebar-block"><h2 class="name">Ann Lee (@OddDesigns)</h2>
<p>I write. I draw. I teach design. And, 140 characters are not enough. Here I share the odd designs I find.</p>
</div><div class="sidebar-block"><h2>Elsewhere</h2><ul class="links">
<li><a href="http://social.example/odd">Odd Designs on Social</a></li>
<li><a href="http://mag.example/top">Top design blogs of the year</a></li></ul></div></div>
<div id="entries"><div class="back"><a href="/">&laquo; Back to blog</a></div>
<div class="ec"><div class="entry text" id="postunit_1">
<div class="editbox"><ul class="mini_commands"><li><a href="/edit/1">Edit</a></li>
<li><a href="/tags/1">Tags</a></li></ul></div>
<div class="minimeta"><a href="/lamp" class="timestamp"><span>12</span><span>Jul 2012</span></a></div>
<div class="meta"><div class="inner-meta">July 12th, 4:01pm
<span><a href="/lamp#notes">0 comments</a></span></div></div>
<h2><a href="/lamp" rel="permalink">A lamp that folds into a pocket</a></h2>
<div class="content" id="post_1"><div class="bookmarklet_entry"><a href="http://shop.example/lamp"><img src="l.jpg"></a>
<p>It folds flat and still lights a whole room.  @OddDesigns</p></div></div><div class="clear"></div></div></div>
<div class="post-details"><div class="info"><a href="http://social.example/share">Tweet</a>
Posted <a href="/lamp"><span></span></a> by <a href="/users/1">Ann Lee</a></div></div>
</div></div></body></html>"""
    body = extract_article(html.encode()).body
    assert "lights a whole room" in body
    assert "I teach design" not in body


def test_a_reporting_credit_alone_goes_but_a_paragraph_ending_with_one_stays() -> None:
    closing = (
        "The mayor also said the town backed a second crossing to the islands, to be built once the "
        "terminal is open. (Additional reporting by Ann Lee)"
    )
    credit = "Doe reported from the harbour and Roe from the capital. Ann Lee contributed to this report."
    body = body_of(page(article_extra=f"<p>{closing}</p><p>{credit}</p>"))
    assert "backed a second crossing" in body
    assert "Roe from the capital" not in body


def test_a_linked_section_heading_over_running_text_is_kept_but_a_teaser_headline_goes() -> None:
    sections = "".join(
        f'<h2 id="s{i}"><a href="#s{i}">{name}</a></h2>'
        f"<p>{PARAS[i]} {PARAS[(i + 1) % 4]}</p>"
        for i, name in enumerate(["The crossing today", "What the terminal changes", "Who pays for it"])
    )
    teasers = "".join(
        f'<h3><a href="/news/{i}">Harbour story number {i} from last week</a></h3><p>A short summary.</p>'
        for i in range(3)
    )
    body = body_of(page(article_extra=sections + "<h2>More from the harbour</h2>" + teasers))
    assert "The crossing today" in body and "What the terminal changes" in body
    assert "Harbour story number 1" not in body


def test_readers_comments_under_a_comments_label_are_not_the_story() -> None:
    comments = (
        "<h3>Comments</h3>"
        "<p>Sam wrote on Tuesday: I have lived here for years and the ferry was always late, so good riddance.</p>"
        "<p>Kim wrote on Wednesday: The fishing fleet deserves better than this, and the council knows it well.</p>"
    )
    body = body_of(page(article_extra=comments))
    assert body.split("\n\n") == PARAS


def test_code_keeps_the_tokens_its_highlighter_classes_as_comments_or_tags() -> None:
    code = (
        '<pre><code class="language-bash hljs"><span class="hljs-comment"># start a repository here</span>\n'
        'git init\n<span class="hljs-comment"># stage every change for the next commit</span>\ngit add -A</code></pre>'
    )
    body = body_of(page(article_extra=code))
    assert "# start a repository here" in body and "# stage every change" in body and "git add -A" in body
    # outside code the same class word still names the readers' comments
    tree = parse_html(page(page_extra='<div class="comments"><p>Reader wrote: nice.</p></div>'))
    assert any("Reader wrote" in el.text_content() for el in preclean(tree))


@pytest.mark.parametrize("line", [
    "Tags: ferries, harbour, council budget",
    "Filed under: Local News | Transport",
    "Categories: Harbour, Politics, Hate It or Love It?!, You Can't Be Serious...",
])
def test_a_posts_taxonomy_line_goes(line: str) -> None:
    body = body_of(page(article_extra=f"<p>{line}</p>"))
    assert body.split("\n\n") == PARAS


def test_a_paragraph_that_starts_like_a_taxonomy_label_but_is_a_sentence_stays() -> None:
    line = "Topics: the council discussed three matters, the ferry, the bridge and the budget."
    assert line in body_of(page(article_extra=f"<p>{line}</p>"))
