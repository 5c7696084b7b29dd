"""Pick the headline among the page's title candidates.

A page names its headline several times: JSON-LD ``headline``, ``og:title``,
``twitter:title``, ``<title>``, the ``<h1>``. They disagree: the ``<title>`` carries
the site's name ("Headline | Site"), a social title is rewritten for sharing, the
``<h1>`` has a kicker glued on. So each candidate is cleaned and then voted on:

1. the site's name is cut off at a separator ("Headline | Site", "見出し｜サイト");
2. what then sits between the headline and where the site's name was is a section
   ("Headline - Politics | Site"): cut when it is the page's section, or when it is one
   or two words and another candidate states the headline without them;
3. a candidate that is another one cut short ("Headline cut at 110 charac…") drops out,
   and so does one that is not a headline at all: markup an unclosed ``<title>``
   swallowed, or a paragraph's length;
4. the vote: a candidate gets the weight of every source that says the same thing, and
   part of the weight of every source that contains it at a word boundary (the
   ``<title>`` "Headline - Section | Site" backs "Headline").
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["TitleCandidate", "choose_title", "headline_run", "strip_site_name", "title_key"]

# Separators between a headline and the site's name or section. A bare ":" is not
# one: headlines use it ("Brexit: what happens next"). A vertical bar needs no spaces,
# nor do its CJK stand-ins: the fullwidth "｜", the box-drawing "│" and the Hangul
# letter "ㅣ" Korean sites set as a bar ("Headline-Politicsㅣ Daily").
_SEPARATOR = re.compile(r"\s+(?:[–—•·»«/]|-{1,2}|::|~)\s+|\s*[|｜│ㅣ]\s*")
_WS = re.compile(r"\s+")
_KEY = re.compile(r"[\W_]+")
# How much of a container's weight a contained candidate gets: a full headline inside
# "Kicker: Headline" or "Headline - Section" takes it all; a short fragment only part.
_CONTAINED_SHARE = 1.0
_FRAGMENT_SHARE = 0.5
_MIN_HEADLINE_WORDS = 5
_MIN_CONTAINED_WORDS = 3
_STRONG_SOURCE = 2.0
_MAX_SITE_EXTRA_CHARS = 6
_MAX_BARE_KICKER_WORDS = 3
_MAX_SECTION_WORDS = 2
_SUFFIX_START = re.compile(r"^\s*[|\-–—:·•/(\[»~]")
_SECTION_TAIL = re.compile(r"^\s*[|｜│ㅣ\-–—·•/»~]")
_KICKER_END = re.compile(r"[|\-–—:·•/»~]\s*$")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_QUOTE_CHARS = frozenset('"\'“”„«»‘’')
_DATE_PART = re.compile(r"^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s*$")
# Markup inside a title's text: a ``<title>`` left unclosed swallows the head that follows.
_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|<!--|-->|</[A-Za-z]")
_MAX_TITLE_CHARS = 400
_MIN_RUN_WORDS = 2
_KEY_PIECE_CHARS = 1000
_MAX_TAGLINE_PARTS = 1


@dataclass(frozen=True)
class TitleCandidate:
    text: str
    weight: float
    source: str


def choose_title(
    candidates: Iterable[TitleCandidate], *, site_names: Iterable[str] = (), section_names: Iterable[str] = ()
) -> str | None:
    """The headline. ``site_names`` (and, matched whole only, ``section_names``) are cut off
    a candidate's ends: "Headline - Politics | Example Times"."""
    sites = [k for k in (_key(s) for s in site_names) if len(k) >= 2]
    sections = {k for k in (_key(s) for s in section_names) if k}
    cleaned: list[TitleCandidate] = []
    site_cut: list[bool] = []
    for cand in candidates:
        tidy = _tidy(cand.text)
        text = strip_site_name(tidy, sites, sections)  # 1
        if text and len(_key(text)) >= 2 and not _not_a_headline(text):
            cleaned.append(TitleCandidate(text, cand.weight, cand.source))
            site_cut.append(text != tidy)
    cleaned = _drop_section_tails(cleaned, site_cut)  # 2
    cleaned = [c for c in cleaned if not _is_truncation(c.text, cleaned)] or cleaned  # 3
    if not cleaned:
        return None
    scores: dict[str, float] = {}  # 4
    first: dict[str, TitleCandidate] = {}
    for cand in cleaned:
        key = _key(cand.text)
        first.setdefault(key, cand)
        scores.setdefault(key, 0.0)
    for key in scores:
        for other in cleaned:
            other_key = _key(other.text)
            if other_key == key:
                scores[key] += other.weight
            elif _contains_at_boundary(other.text, first[key].text):
                scores[key] += other.weight * _share(first[key], cleaned)
    order = {key: i for i, key in enumerate(first)}
    best = max(scores, key=lambda k: (scores[k], -order[k]))
    return first[best].text


def headline_run(title: str, headings: Iterable[str]) -> tuple[str, frozenset[str]] | None:
    """The run of the ``<title>``'s parts that a heading on the page states on its own:
    "Fulham aim to secure King deal - Yahoo! Eurosport UK" beside an ``<h2>`` "Fulham aim
    to secure King deal". Old pages and blogs name no site in their markup, so the site's
    name cannot be cut by name; the page's own heading shows where the headline ends.

    The longest such run of at least two words, and only when it is longer than every
    part it leaves out (a "Politics News" heading never becomes the title). Returns the
    run and the keys of what was left out before and after it (the site's name, which a
    blog also sets as its ``<h1>``)."""
    parts = _split_parts(title)
    if len(parts) < 2:
        return None
    stated = {_key(h) for h in headings}
    longest = max((len(key) for key in stated), default=0)
    best: tuple[int, int] | None = None
    for i in range(len(parts)):
        for j in range(i + 1, len(parts) + 1):
            start, end = parts[i][1], parts[j - 1][2]
            run = title[start:end].strip()
            # (at most _MIN_RUN_WORDS pieces: a <title> that swallowed the page holds thousands of words)
            if (i, j) == (0, len(parts)) or len(run.split(None, _MIN_RUN_WORDS - 1)) < _MIN_RUN_WORDS:
                continue
            if _key_up_to(run, longest) not in stated:
                continue
            left_out = [p[0].strip() for k, p in enumerate(parts) if not i <= k < j]
            if all(len(run) > len(part) for part in left_out) and (best is None or end - start > best[1] - best[0]):
                best = (start, end)
    if best is None:
        return None
    start, end = best
    cut = frozenset(k for k in (_key(title[:start]), _key(title[end:])) if k)
    return title[start:end].strip(), cut


def strip_site_name(title: str, site_keys: list[str], section_keys: set[str] | frozenset[str] = frozenset()) -> str:
    """Drop leading/trailing parts that name the site ("Headline | Site", "SITE - Headline")
    or, exactly, its section ("Headline - Politics | Site")."""
    parts = _split_parts(title)
    if len(parts) < 2:
        return title

    def drop(part: str) -> bool:
        return _key(part) in section_keys or _is_site(part, site_keys)

    start, end = 0, len(parts)
    while end - start > 1 and drop(parts[end - 1][0]):
        end -= 1
    if end == len(parts):
        end = _site_before_tagline(parts, site_keys) or end
    while end - start > 1 and drop(parts[start][0]):
        start += 1
    if (start, end) == (0, len(parts)):
        return title
    return title[parts[start][1] : parts[end - 1][2]].strip()


def _site_before_tagline(parts: list[tuple[str, int, int]], site_keys: list[str]) -> int | None:
    """"Headline - Site - Its tagline": where the site's name stands with only its motto after it."""
    for i in range(max(1, len(parts) - 1 - _MAX_TAGLINE_PARTS), len(parts) - 1):
        if _is_site(parts[i][0], site_keys):
            return i
    return None


def _split_parts(title: str) -> list[tuple[str, int, int]]:
    parts, pos = [], 0
    for match in _SEPARATOR.finditer(title):
        parts.append((title[pos : match.start()], pos, match.start()))
        pos = match.end()
    parts.append((title[pos:], pos, len(title)))
    return [p for p in parts if p[0].strip()]


def _is_site(part: str, site_keys: list[str]) -> bool:
    key = _key(part)
    if not key or _DATE_PART.match(part):
        return True
    for site in site_keys:
        if key == site:
            return True
        # "WELT" of "DIE WELT", "Globalnews.ca" of "Global News": a short part inside the
        # site's name, or the site's name with a few more characters (a domain ending).
        if len(key) >= 3 and len(part.split()) <= 4:
            if key in site or (site in key and len(key) - len(site) <= _MAX_SITE_EXTRA_CHARS):
                return True
    return False


def _drop_section_tails(cleaned: list[TitleCandidate], site_cut: list[bool]) -> list[TitleCandidate]:
    """"Headline - Politics | Site" less the site is still "Headline - Politics": what sits
    between a headline and the site's name is a section, so when another candidate states
    the headline alone, the short tail ("- Politics", "-정치") is cut off."""
    result = []
    for cand, cut in zip(cleaned, site_cut, strict=True):
        folded = _fold(cand.text)
        heads = [
            o.text
            for o in cleaned
            if cut and len(o.text) < len(cand.text) and folded.startswith(_fold(o.text))
            and _is_section_tail(folded[len(_fold(o.text)) :], o.text)
        ]
        result.append(TitleCandidate(max(heads, key=len), cand.weight, cand.source) if heads else cand)
    return result


def _is_section_tail(rest: str, head: str) -> bool:
    """A dash or bar, then one or two words, shorter than the headline before it."""
    words = _KEY.sub(" ", rest).split()
    return bool(_SECTION_TAIL.match(rest)) and 0 < len(words) <= _MAX_SECTION_WORDS and len(rest) < len(head)


def _is_truncation(text: str, cleaned: list[TitleCandidate]) -> bool:
    """"Headline cut at 110 charac…": the start of another candidate, ended by an ellipsis;
    or a ``<meta content="...">`` the CMS broke at an unescaped quote in the headline."""
    if text.endswith(("…", "...")):
        stem = _fold(text.rstrip(".… "))
        return any(len(o.text) > len(text) - 3 and _fold(o.text).startswith(stem) for o in cleaned if o.text != text)
    folded = _fold(text)
    for other in cleaned:
        longer = _fold(other.text)
        rest = longer[len(folded) :].lstrip() if longer.startswith(folded) else ""
        if rest[:1] in _QUOTE_CHARS and rest:
            return True
    return False


def _share(candidate: TitleCandidate, cleaned: list[TitleCandidate]) -> float:
    """A full headline that a strong source states on its own takes a container's whole weight;
    a short fragment, or one only a weak source (``<title>``) states, part of it."""
    key = _key(candidate.text)
    own = max(c.weight for c in cleaned if _key(c.text) == key)
    if own >= _STRONG_SOURCE and len(candidate.text.split()) >= _MIN_HEADLINE_WORDS:
        return _CONTAINED_SHARE
    return _FRAGMENT_SHARE


def _contains_at_boundary(container: str, text: str) -> bool:
    """``container`` is ``text`` plus a suffix after a separator ("Headline - Section") or
    plus a kicker before it ("Kicker: Headline", "MSV-Headline", a short "Topic Headline")."""
    if len(text.split()) < _MIN_CONTAINED_WORDS or len(container) <= len(text):
        return False
    a, b = _fold(container), _fold(text)
    if a.startswith(b):
        return bool(_SUFFIX_START.match(a[len(b) :]))
    if a.endswith(b):
        kicker = a[: -len(b)]
        return bool(_KICKER_END.search(kicker)) or (
            not kicker[-1:].isalnum() and len(kicker.split()) <= _MAX_BARE_KICKER_WORDS
        )
    return False


def _not_a_headline(text: str) -> bool:
    return len(text) > _MAX_TITLE_CHARS or bool(_MARKUP.search(text))


def _tidy(text: str) -> str:
    if "&" in text and ";" in text:
        text = html.unescape(text)  # escaped twice by the CMS: "Q&amp;A"
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("\u200b", "")
    return _WS.sub(" ", text).strip()


def _fold(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)).strip()


def title_key(text: str) -> str:
    """What two headlines must share to be the same one: letters and digits, case folded."""
    return _key(text)


def _key_up_to(text: str, limit: int) -> str | None:
    """``_key(text)``, or None as soon as it is longer than ``limit``: a ``<title>`` that broken
    markup left open swallows the page (50,000 characters), and keying each run of its parts
    in full to compare with a short heading's key cost a second per hundred pages.
    Read in pieces cut before a space, which neither NFKC, case folding nor the key joins
    across, so the pieces' keys joined are the whole text's key."""
    key, start = "", 0
    while start < len(text):
        end = text.find(" ", start + _KEY_PIECE_CHARS)
        end = len(text) if end < 0 else end
        key += _key(text[start:end])
        if len(key) > limit:
            return None
        start = end
    return key


@lru_cache(maxsize=4096)  # headline_run keys the same first pieces of a long <title>'s runs again and again
def _key(text: str) -> str:
    # Punctuation (quote styles included) does not make two headlines different.
    return _KEY.sub("", unicodedata.normalize("NFKC", text).casefold())
