"""Choose between independent candidates for a page's article by what they agree on.

Candidates are lists of paragraphs: ours (trafilatura's tree walk plus our filters and
region check) and a second opinion (readability-lxml's paragraph scoring, a different
model). Agreement is measured on the field's unit, 4-word shingles, as containment: the
share of one candidate's shingles found in the other.

- Ours holds nothing worth the name (a blurb, a button, a menu without one sentence of
  running text): the peer, when it has more prose.
- The peer's text lies almost wholly inside ours, and ours carries much more that the
  peer left out: both found the article, and the rest of ours is what a second model
  judged furniture (a related list, comments, a menu around the story), so the peer's
  tighter choice wins, provided it is prose and not a caption.
- Ours lies almost wholly inside the peer's text, and the peer holds much more (at least
  ``GROW`` times ours in distinct shingles) whose extra paragraphs read as prose: ours was
  cut (a story split by an ad, a list our filters took for links), so the peer wins.
  Distinct shingles here, as sets: a page that prints the story twice (a print copy, a
  teaser of the same text) doubles a peer's text without adding to it.
- Ours is short (a blurb, an "about" box) and the peer found, elsewhere in the page, at
  least twice its running text: the peer.
- Otherwise ours stands: where the two disagree on the whole region, neither's word is
  better than ours on the pages we measured, so no swap on disagreement alone.

On a page that marks no article up (no ``<article>``, ``<main>``, ``role=main`` or
``itemprop=articleBody``: the table layouts of the 2000s, many blogs), the roles turn:
trafilatura's tree walk leans on such markup and readability's paragraph scoring does
not, so readability's article is the first choice (``choose_unmarked``) and ours is the
check: ours when readability found nothing (but a short post of a few sentences that ours
holds among other things is readability's), or when the two share almost nothing (one of
them took a wrong box, and ours has the title, region and furniture filters behind it).

Before all of these, the page's headline: the text printed right under the heading that
repeats the article's title is the story's opening. When the peer opens there and ours does
not, and the two are one text and a box (one lies inside the other: ours with an "about me"
blurb before the post, or ours missing a lead split from the rest by a side rail) or two
different boxes (they share almost nothing), the peer is the article. Only the headline's
place in the page counts, not its words (``opens_under``); where the two overlap in part,
the rules below decide.

No rule looks at a site, a URL or a page's words; only at shingle overlap and at the shape
of the text (paragraph length, sentence punctuation).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

__all__ = [
    "agrees_with_region", "choose", "choose_unmarked", "closer", "containment", "disjoint", "doubtful", "opens_under",
    "prose_chars", "shingles",
]

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f][\"'\u201d\u2019)\]]*(?:\s|$)")

# Thresholds measured across the five development corpora (bench.extraction), chosen where
# they help on every set rather than where they peak on one.
INSIDE = 0.85  # the peer's text is inside ours when this share of its shingles is
OUTSIDE = 0.7  # ... and ours is not inside the peer's when less than this share of it is
MIN_PROSE_SHARE = 0.3  # the peer keeps at least this share of our prose (not just a caption)
MIN_PEER_CHARS = 200
EMPTY = 200  # ours under this many characters holds no article
SHORT = 600  # ours under this many characters may be a blurb beside the article
GROW = 1.3  # the peer holds this many times our distinct shingles ...
EXTRA_PROSE = 0.3  # ... and this share of what it adds is prose


def shingles(text: str) -> Counter[tuple[str, ...]]:
    # a fresh Counter of the cached counts: the vote measures the same texts several times a page
    # (the peer against the region, then against ours), and a caller may change its copy
    return Counter(_shingle_counts(text))


@lru_cache(maxsize=32)
def _shingle_counts(text: str) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text.casefold())
    if len(tokens) < 4:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))


def containment(part: Counter[tuple[str, ...]], whole: Counter[tuple[str, ...]]) -> float:
    """Share of ``part``'s shingles (as a multiset) found in ``whole``."""
    total = sum(part.values())
    if not total:
        return 0.0
    # the multiset intersection's size (positive counts, as Counter's & keeps), summed directly:
    # & builds a Counter first
    return sum(m for s, n in part.items() if s in whole and (m := min(n, whole[s])) > 0) / total


def prose_chars(paragraphs: Sequence[str]) -> int:
    """Characters in lines that read as running text: long enough and holding a sentence end
    (line by line: a menu rendered as one block is many short lines)."""
    lines = (line for p in paragraphs for line in p.split("\n"))
    return sum(len(line) for line in lines if len(line) >= 80 and _SENTENCE_END.search(line))


def doubtful(ours: Sequence[str]) -> bool:
    """Cheap evidence that ours may be the wrong choice, worth a second opinion: a short text
    (a blurb beside the article, or a cut one) or one without a line of running text (a menu).

    Also measured, and left out because they changed no choice for the better on any of the
    five corpora while costing a readability run on up to a third of the pages: many of its
    characters in links, a length far from the densest prose region's."""
    return sum(len(p) for p in ours) < SHORT or prose_chars(ours) < EMPTY


def choose(ours: list[str], peer: list[str], headline_next: str = "") -> tuple[str, list[str]]:
    """``("ours" | "peer", paragraphs)``: the candidate the agreement rules pick.
    ``headline_next``: the text under the page's title heading (``""`` when there is none)."""
    if not peer:
        return "ours", ours
    if _headline_picks(ours, peer, headline_next) and _boxed(ours, peer):
        return "peer", peer
    ours_len, peer_len = sum(len(p) for p in ours), sum(len(p) for p in peer)
    if ours_len < EMPTY or prose_chars(ours) < EMPTY:  # a blurb, or a menu: no running text
        if prose_chars(peer) > max(prose_chars(ours), 100) or not ours and peer_len >= EMPTY:
            return "peer", peer
        return "ours", ours
    if peer_len < MIN_PEER_CHARS or prose_chars(peer) < MIN_PROSE_SHARE * prose_chars(ours):
        return "ours", ours
    mine, theirs = shingles("\n".join(ours)), shingles("\n".join(peer))
    if containment(theirs, mine) >= INSIDE and containment(mine, theirs) < OUTSIDE:
        return "peer", peer
    if _completes(ours, peer, set(mine)):
        return "peer", peer
    if ours_len < SHORT and prose_chars(peer) >= 2 * prose_chars(ours) and containment(mine, theirs) < DISAGREE:
        return "peer", peer  # a short text elsewhere than a much longer article: a blurb
    return "ours", ours


MIN_POST = 100  # a post shorter than this is a caption or a button
DISAGREE = 0.3  # on an unmarked page, under this containment both ways the two chose different boxes


def agrees_with_region(peer: list[str], region: list[str]) -> bool:
    """The peer's article and the page's densest prose region are the same text: most of each
    lies in the other, and it is running text, not a blurb."""
    if prose_chars(peer) < SHORT or prose_chars(region) < SHORT:
        return False
    theirs, dense = shingles("\n".join(peer)), shingles("\n".join(region))
    return containment(dense, theirs) >= REGION_AGREES and containment(theirs, dense) >= REGION_AGREES


REGION_AGREES = 0.8


def disjoint(first: list[str], second: list[str]) -> bool:
    """The two texts share almost nothing (under ``DISAGREE`` containment both ways)."""
    a, b = shingles("\n".join(first)), shingles("\n".join(second))
    return containment(a, b) < DISAGREE and containment(b, a) < DISAGREE


def closer(first: list[str], second: list[str], peer: list[str]) -> bool:
    """``first`` agrees with the peer better than ``second`` does (shingle F1 against it)."""
    theirs = shingles("\n".join(peer))

    def agreement(candidate: list[str]) -> float:
        mine = shingles("\n".join(candidate))
        common = sum((mine & theirs).values())
        total = sum(mine.values()) + sum(theirs.values())
        return 2 * common / total if total else 0.0

    return agreement(first) > agreement(second)


OPENING = 200  # characters of a candidate's start compared with the text under the headline
UNDER = 0.6  # ... and this share of its shingles found there: it opens under the headline


def opens_under(candidate: Sequence[str], headline_next: str) -> bool:
    """``candidate`` starts where the page's headline is followed by text: most of its opening
    shingles are in ``headline_next``, the text printed after the title heading."""
    opening = shingles("\n".join(candidate)[:OPENING])
    return bool(opening) and containment(opening, shingles(headline_next)) >= UNDER


def _headline_picks(ours: list[str], peer: list[str], headline_next: str) -> bool:
    """The peer opens under the headline and ours does not."""
    return bool(headline_next) and opens_under(peer, headline_next) and not opens_under(ours, headline_next)


def _boxed(ours: list[str], peer: list[str]) -> bool:
    """The two candidates are one text and a box around or beside it: one lies inside the
    other (a story with a box before it, or a story missing its opening), or they share
    almost nothing (two different boxes)."""
    theirs, mine = shingles("\n".join(peer)), shingles("\n".join(ours))
    inside, holds = containment(theirs, mine), containment(mine, theirs)
    return inside >= INSIDE or holds >= INSIDE or inside < DISAGREE and holds < DISAGREE


def choose_unmarked(ours: list[str], peer: list[str], headline_next: str = "") -> tuple[str, list[str]]:
    """The choice on a page without article markup: the peer first, ours as the check.
    ``headline_next``: the text under the page's title heading (``""`` when there is none)."""
    ours_len, peer_len = sum(len(p) for p in ours), sum(len(p) for p in peer)
    if peer and _headline_picks(ours, peer, headline_next) and _boxed(ours, peer):
        return "peer", peer  # a short post under its headline, ours a box beside it
    if peer_len < EMPTY:
        # a short post: the peer's few sentences, when ours holds them among other things
        short_post = peer_len >= MIN_POST and _SENTENCE_END.search(peer[-1]) is not None
        if short_post and containment(shingles("\n".join(peer)), shingles("\n".join(ours))) >= INSIDE:
            return "peer", peer
        return "ours", ours
    if ours_len >= EMPTY and prose_chars(ours) >= min(EMPTY, prose_chars(peer)):
        mine, theirs = shingles("\n".join(ours)), shingles("\n".join(peer))
        if containment(mine, theirs) < DISAGREE and containment(theirs, mine) < DISAGREE:
            return "ours", ours
    return "peer", peer


def _completes(ours: list[str], peer: list[str], mine: set[tuple[str, ...]]) -> bool:
    """The peer holds ours and adds running text to it."""
    theirs = set(shingles("\n".join(peer)))
    if len(mine & theirs) < INSIDE * len(mine) or len(theirs) < GROW * len(mine):
        return False
    extra = [p for p in peer if len(set(shingles(p)) & mine) < 0.5 * len(set(shingles(p)))]
    extra_chars = sum(len(p) for p in extra)
    return extra_chars > 0 and prose_chars(extra) >= EXTRA_PROSE * extra_chars
