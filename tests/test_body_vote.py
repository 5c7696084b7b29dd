"""Choosing between our article and a peer's by agreement (parsers._body_vote)."""

from __future__ import annotations

from parsers._body_vote import choose, containment, prose_chars, shingles

_WORDS = "ferry bridge council harbour residents meeting cost repairs vote spring engineers budget".split()
STORY = [  # eight paragraphs that share no four words in a row
    " ".join(f"{_WORDS[(i + j) % 12]}{i}{j}" for j in range(18)) + ", the council said on Tuesday evening."
    for i in range(8)
]
RELATED = [f"Related: another headline number {i} about something else" for i in range(40)]
COMMENTS = [f"Reader {i} wrote: I have lived here for years and the ferry was always late, sadly." for i in range(20)]


def test_containment_is_a_share_of_the_part() -> None:
    whole, part = shingles(" ".join(STORY)), shingles(" ".join(STORY[:2]))
    assert containment(part, whole) == 1.0
    assert 0.0 < containment(whole, part) < 0.5
    assert containment(shingles(""), whole) == 0.0


def test_prose_counts_running_text_not_menus() -> None:
    assert prose_chars(STORY) == sum(len(p) for p in STORY)
    assert prose_chars(RELATED) == 0


def test_peer_inside_ours_with_much_furniture_around_wins() -> None:
    assert choose(STORY + COMMENTS, STORY)[0] == "peer"
    assert choose(RELATED[:20] + STORY + RELATED[20:], STORY)[0] == "peer"


def test_ours_stands_when_the_peer_keeps_only_a_caption_or_disagrees() -> None:
    assert choose(STORY, STORY[:1])[0] == "ours"  # a sliver of ours: not a better choice
    assert choose(STORY, COMMENTS)[0] == "ours"  # disagreement alone does not swap
    assert choose(STORY + STORY[:1], STORY)[0] == "ours"  # nearly the same text
    assert choose(STORY, [])[0] == "ours"


def test_empty_ours_takes_a_peer_with_prose() -> None:
    assert choose([], STORY) == ("peer", STORY)
    assert choose(["Home"], STORY)[0] == "peer"
    assert choose([], RELATED[:1])[0] == "ours"  # a peer's blurb is no better than nothing


def test_a_peer_that_completes_a_cut_story_wins() -> None:
    assert choose(STORY[:3], STORY)[0] == "peer"
    # ... but not when what it adds is a list of links, nor when it prints the story twice
    assert choose(STORY[:3], STORY[:3] + RELATED)[0] == "ours"
    assert choose(STORY, STORY + STORY)[0] == "ours"


def test_a_table_layout_story_without_paragraph_tags_is_found_not_its_menu() -> None:
    from parsers import extract_article

    lines = [
        f"Line {i}: the county board met on Monday night and agreed, after a long debate about costs, "
        f"to rebuild the bridge over the creek by {2009 + i}."
        for i in range(8)
    ]
    menu = "".join(f"<tr><td><a href='/s{i}'>Section {i}</a></td></tr>" for i in range(30))
    page = (
        "<html><head><title>Board backs bridge</title></head><body><table><tr>"
        f"<td><table>{menu}</table></td><td><font size=2>{'<br><br>'.join(lines)}</font></td>"
        "</tr></table></body></html>"
    )
    body = extract_article(page.encode()).body
    assert all(line in body for line in lines)
    assert "Section 1" not in body


def test_disjoint_texts_share_almost_nothing() -> None:
    from parsers._body_vote import disjoint

    story = ["The council voted on Tuesday to approve the new ferry terminal after three years of debate."]
    other = ["Sign up for our newsletter to receive the best stories of the week in your inbox every day."]
    assert disjoint(story, other)
    assert not disjoint(story, [story[0] + " " + other[0]])


def test_the_candidate_opening_under_the_headline_wins_when_the_two_chose_different_boxes() -> None:
    from parsers._body_vote import choose_unmarked, opens_under

    post = ["via example.org", "A lamp that folds into a pocket, and it still lights the whole room."]
    about = ["I write. I draw. I collect odd designs from around the web and share the best of them here."]
    under = "via example.org A lamp that folds into a pocket, and it still lights the whole room. 0 comments Share"
    assert opens_under(post, under) and not opens_under(about, under)
    assert choose_unmarked(about, post, under) == ("peer", post)
    assert choose(about, post, under) == ("peer", post)
    # without a headline to anchor to, the short post is no evidence against ours
    assert choose_unmarked(about, post)[0] == "ours"
    # when ours is what follows the headline, ours stays
    assert choose_unmarked(post, about, under)[0] == "ours"
    # both open under the headline: the usual rules decide
    assert choose(STORY, STORY[:1], " ".join(STORY[:1]))[0] == "ours"
    # ours lost the story's opening (a lead split from the rest by a side rail): the peer
    assert choose(STORY[1:], STORY)[0] == "ours"
    assert choose(STORY[1:], STORY, STORY[0])[0] == "peer"
    # the two overlap only in part (each has much the other lacks): no swap on the headline alone
    assert choose(STORY[:5] + COMMENTS[:8], STORY[:1] + STORY[5:], " ".join(STORY[:1]))[0] == "ours"
