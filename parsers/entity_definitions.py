"""An article's definitions of short forms: "Full Name (Short)" and "Short (Full Name)".

    >>> [(d.alias, d.full_name) for d in find_definitions(body, mentions)]
    [('EU', 'European Union'), ('Rosselkhozbank', 'Russian Agricultural Bank')]

``parsers.entities`` joins the short form's mentions of the article to the full name; the
warehouse records the definition so that the short form joins the full name in every article.
Checked for shape: an acronym's letters in order in the full name, or one name-like word for an
organisation; never a person or a place as the short form, never a wire credit ("(Reuters)").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Definition", "MentionLike", "find_definitions"]


class MentionLike(Protocol):
    """An entity mention as definitions and the loader read it (``parsers.entities.Mention`` is one)."""

    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def start_char(self) -> int: ...
    @property
    def end_char(self) -> int: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Definition:
    """An article's "Full Name (Short)": the short form joins the full name's entity."""

    alias: str
    full_name: str
    label: str  # the full name's label


_DEFINITION = re.compile(r"\s*\(\s*([^()\n]{2,60}?)\s*\)")
_OWN_PARENTHESIS = re.compile(r"\(\s*([^()\n]{2,60}?)\s*\)$")
_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&.\-]{1,9}")
_CONNECTORS = frozenset({"of", "and", "for", "the", "on", "in", "de", "du", "la", "&"})
# Wire agencies and the like: "MOSCOW (Reuters)" defines nothing.
_CREDITS = frozenset("reuters ap afp ap photo upi dpa efe ansa xinhua tass ria itar tass bloomberg file".split())
_NOT_DEFINING = frozenset({"PERSON", "GPE", "LOC", "NORP"})  # a short form that is a person or place
_FOLD = re.compile(r"[\W_]+")


def _fold(name: str) -> str:
    return _FOLD.sub(" ", name.casefold().replace(".", "")).strip()


def find_definitions(body: str, mentions: Sequence[MentionLike]) -> list[Definition]:
    """ "Full Name (Short)" and "Short (Full Name)" of the article, checked for shape."""
    found = []
    for mention in mentions:
        inner_span = _parenthesis_after(body, mention)
        if inner_span is None:
            continue
        start, end = inner_span
        inner = body[start:end].strip()
        inside = next((m for m in mentions if start <= m.start_char < end), None)
        if inside is not None and inside is not mention:
            if len(inside.name.split()) > len(mention.text.split()):  # "EU (European Union)"
                if _is_short_form(mention.text, inside.name, inside.label, short_label=mention.label):
                    found.append(Definition(mention.text, inside.name, inside.label))
                continue
            if inside.label in _NOT_DEFINING:  # "Gazprom Neft (Russia)"
                continue
        if _is_short_form(inner, mention.name, mention.label, short_label=None):
            found.append(Definition(inner, mention.name, mention.label))
    return found


def _parenthesis_after(body: str, mention: MentionLike) -> tuple[int, int] | None:
    """The text inside a parenthesis right after the mention, or at the end of its own span."""
    own = _OWN_PARENTHESIS.search(mention.text)
    if own:
        return mention.start_char + own.start(1), mention.start_char + own.end(1)
    match = _DEFINITION.match(body, mention.end_char)
    return (match.start(1), match.end(1)) if match else None


def _is_short_form(short: str, full: str, label: str, *, short_label: str | None) -> bool:
    if label == "PERSON" or short_label in _NOT_DEFINING or " " not in full:
        return False
    if _fold(short) in _CREDITS or _fold(short) == _fold(full):
        return False
    if _ACRONYM.fullmatch(short) and sum(char.isupper() for char in short) >= 2:
        return _letters_in_order(short, full)
    # A single name-like word ("Rosselkhozbank") for an organisation only: too loose for places.
    return label == "ORG" and " " not in short and short[:1].isupper() and len(short) >= 4 and short.isalpha()


def _letters_in_order(acronym: str, full: str) -> bool:
    """ "EU" in "European Union", "NATO" in "North Atlantic Treaty Organization": first letter
    first, the others in order among the full name's letters."""
    letters = [char for char in acronym.casefold() if char.isalnum()]
    words = [w for w in full.split() if w.casefold() not in _CONNECTORS]
    if not letters or not words or letters[0] != words[0][0].casefold():
        return False
    rest = iter(" ".join(words).casefold())
    return all(char in rest for char in letters)
