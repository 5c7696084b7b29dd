"""One entity name as an article writes it, cleaned into the name it goes by (pure string work).

The only place names are cleaned: ``parsers.entities`` calls ``clean_name`` on every span the
model gives, and the warehouse stores what comes out without touching the name again.

    >>> clean_name("Kremlin spokesman Dmitry Peskov", "PERSON")
    ('Dmitry Peskov', 'PERSON')
    >>> clean_name("Taylor Swift‘s", "PERSON")
    ('Taylor Swift', 'PERSON')

Rules, each a property of names in news copy rather than of any page:

- brackets and what parentheses hold leave the name ("[Vladimir] Putin", "Shanghai Composite (SHCOMP)");
- a leading determiner, a trailing possessive (straight or curly quote, even the opening curly
  quote that many sites type for an apostrophe), symbols at the ends, a final dot that is not an
  initialism's or an abbreviation's;
- titles and honorifics before a person ("President", "Adv", "Kremlin spokesman"): the last title
  word of the span cuts it, and what follows must look like a personal name;
- lower-case words before a name ("said Putin");
- junk: no letters, all lower case, links and handles, over eight words, a sentence of a language
  written without spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "ABBREVIATIONS",
    "INITIALISM",
    "LABEL_ORDER",
    "PARTICLES",
    "TITLES",
    "clean_name",
    "is_title",
    "keeps_dot",
    "looks_like_a_personal_name",
]

# Ties between labels go to the first one here. Places first: the small model reads a place at the start
# of a sentence as ORG or PERSON now and then ("Crimea declared ..."), while a name it calls GPE is seldom
# an organisation.
LABEL_ORDER = ("GPE", "LOC", "PERSON", "ORG", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART")

# A trailing dot that belongs to the word: initialisms ("U.S.", "D.C.") and these abbreviations.
INITIALISM = re.compile(r"(?:[A-Za-z]\.){2,}")
ABBREVIATIONS = frozenset({"corp.", "inc.", "co.", "ltd.", "jr.", "sr.", "st.", "bros.", "plc."})

# Words that stand before a person's name in news copy and are not part of it.
TITLES = frozenset(
    """president vice prime minister premier chancellor secretary spokesman spokeswoman spokesperson
    senator sen rep representative congressman congresswoman governor gov mayor king queen prince
    princess pope chairman chairwoman chair ceo founder director general gen lieutenant lt colonel col
    major maj captain capt sergeant sgt admiral adm commander judge justice ambassador envoy
    commissioner leader lawmaker mr mrs ms miss mx dr prof professor sir dame lord lady sheikh emir
    ayatollah president-elect attorney adv advocate hon rev reverend fr father bishop archbishop cardinal
    rabbi imam coach manager officer detective inspector constable deputy superintendent sheriff
    chief executive minister-president chief-executive striker midfielder defender goalkeeper
    quarterback pitcher actress actor singer rapper star stars author writer columnist reporter
    correspondent analyst economist mullah maulvi maulana mufti""".split()
)
# Titles that only ever stand before a person: they make a person of a span the model called something
# else ("President Putin" read as ORG). Not "General" (General Motors), "Star", "Chief" ...
_PERSON_ONLY_TITLES = frozenset(
    """president senator sen rep congressman congresswoman governor gov mayor chancellor premier minister
    secretary spokesman spokeswoman spokesperson ambassador pope mr mrs ms mx dr prof sir dame adv sheikh""".split()
)
# Lower-case words that belong inside a personal name.
PARTICLES = frozenset("al el bin ibn bint abu de da di du del della der den van von la le ter dos das".split())
# A title before these is a body's name ("Prime Minister's Office"), not a person's.
_BODY_WORDS = frozenset(
    "office department ministry administration council committee house cabinet government party".split()
)

_DETERMINER = re.compile(r"(?i)^(?:the|a|an)\s+")
# A possessive: straight or curly apostrophe, and the opening curly quote typed in its place ("Swift‘s").
_POSSESSIVE = re.compile(r"\s*['’‘`]s?$")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_BRACKET_CHARS = str.maketrans("", "", "[](){}")
_EDGE = "\"'“”‘’«»„‟‹›`*•·,;:!?|/\\-–—_#@~^+=<> \t\n"
_WHITESPACE = re.compile(r"\s+")
_NOT_IN_NAMES = ("@", "://", "www.", "|", "\n")
_MAX_WORDS = 8
_MAX_CHARS = 60
_SENTENCE_MARKS = frozenset("。，、；：！？“”「」『』")
_KEEPS_POSSESSIVE = frozenset({"ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "LAW"})


def clean_name(name: str, label: str) -> tuple[str, str] | None:
    """The name an entity goes by, and its label (a title makes a person); None for junk."""
    text = unicodedata.normalize("NFC", name)
    text = _PARENTHESES.sub(" ", text)  # "Shanghai Composite (SHCOMP)": the name is outside
    text = _WHITESPACE.sub(" ", text.translate(_BRACKET_CHARS)).strip()  # "[Vladimir] Putin"
    for _ in range(4):  # each rule may expose another: "the President's" ...
        before = text
        text = _trim_symbols(text.strip(_EDGE))
        text = _DETERMINER.sub("", text)
        if label not in _KEEPS_POSSESSIVE or text.endswith(("’s", "‘s")):  # "McDonald's" keeps its 's
            text = _POSSESSIVE.sub("", text)
        if text.endswith(".") and not keeps_dot(text):
            text = text[:-1]
        text, label = _drop_title(text, label)
        text = _drop_lowercase_lead(text)
        text = _drop_lowercase_tail(text)
        if text == before:
            break
    if _is_junk(text):
        return None
    return text, label


def _trim_symbols(text: str) -> str:
    """No name starts or ends with a symbol ("👁 Prepare"); a final dot is judged apart."""
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    return text[start:end].strip()


def keeps_dot(text: str) -> bool:
    last = text.rsplit(None, 1)[-1]
    return bool(INITIALISM.fullmatch(last)) or last.casefold() in ABBREVIATIONS


def is_title(word: str) -> bool:
    folded = word.casefold().rstrip(".")
    return folded in TITLES or ("-" in folded and all(part in TITLES for part in folded.split("-")))  # "Major-Gen"


def _drop_title(text: str, label: str) -> tuple[str, str]:
    """ "President Vladimir Putin" -> "Vladimir Putin"; the last title word of the span cuts it."""
    words = text.split(" ")
    cut = max((i for i, word in enumerate(words[:-1]) if is_title(word)), default=-1)
    if cut < 0:
        return text, label
    rest = words[cut + 1 :]
    while len(rest) > 1 and rest[0] in ("of", "for", "to"):  # "Secretary of State John Kerry"
        rest = rest[2:]
    if not rest or not looks_like_a_personal_name(rest):
        return text, label
    person_title = words[cut].casefold().rstrip(".") in _PERSON_ONLY_TITLES
    if label != "PERSON" and (cut != 0 or len(rest) > 3 or not person_title):
        return text, label  # "President Putin" read as ORG; nothing longer, and no "General Motors"
    return " ".join(rest), "PERSON"


def looks_like_a_personal_name(words: Sequence[str]) -> bool:
    return (
        all(
            (word[:1].isupper() or word.casefold() in PARTICLES or word.split("-", 1)[0] in PARTICLES)
            and word.casefold() not in _BODY_WORDS
            and not is_title(word)
            for word in words
        )
        and not words[0].islower()
    )


def _drop_lowercase_lead(text: str) -> str:
    """ "said Putin" -> "Putin"; particles and mixed case ("al-Assad", "iPhone") stay."""
    words = text.split(" ")
    i = 0
    while i < len(words) - 1 and words[i].islower() and words[i] not in PARTICLES and "-" not in words[i]:
        i += 1
    return " ".join(words[i:])


def _drop_lowercase_tail(text: str) -> str:
    """ "Magnus Carlsen of" -> "Magnus Carlsen", "Koneru Humpy - the" -> "Koneru Humpy -" (then trimmed)."""
    words = text.split(" ")
    end = len(words)
    while end > 1 and words[end - 1].islower() and words[end - 1] not in PARTICLES:
        end -= 1
    return " ".join(words[:end])


def _is_junk(text: str) -> bool:
    return (
        len(text) < 2
        or not any(char.isalpha() for char in text)
        or text.islower()
        or len(text.split()) > _MAX_WORDS
        or len(text) > _MAX_CHARS  # a sentence of a language written without spaces
        or any(char in _SENTENCE_MARKS for char in text)
        or any(marker in text for marker in _NOT_IN_NAMES)
        or _DETERMINER.match(text) is not None
        or text.casefold() in ("the", "a", "an")
    )
