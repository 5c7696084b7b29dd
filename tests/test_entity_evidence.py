"""Entity evidence beyond the model's label, on small texts (no model: the spans are given)."""

from __future__ import annotations

import pytest

from parsers.entities import normalise_spans
from parsers.entity_evidence import given_names, is_place, judge
from parsers.entity_names import clean_name


def spans(body: str, *marks: tuple[str, str]) -> list[tuple[int, int, str]]:
    out, seen = [], {}
    for text, label in marks:
        start = body.index(text, seen.get(text, -1) + 1)
        seen[text] = start
        out.append((start, start + len(text), label))
    return out


def resolved(body: str, *marks: tuple[str, str]) -> list[tuple[str, str]]:
    found = normalise_spans(body, spans(body, *marks))
    assert all(body[m.start_char : m.end_char] == m.text for m in found)
    return [(m.name, m.label) for m in found]


def test_gazetteers_are_real_lists():
    assert is_place("Kiev") and is_place("Kyiv") and is_place("Durban") and is_place("Britain")
    assert not is_place("Netflix") and not is_place("Novatek")
    assert {"taylor", "john", "maria"} <= given_names() and "ukraine" not in given_names()


@pytest.mark.parametrize(
    ("name", "label", "expected"),
    [
        ("Taylor Swift‘s", "PERSON", ("Taylor Swift", "PERSON")),  # an opening curly quote typed as apostrophe
        ("Taylor Swift’s", "PERSON", ("Taylor Swift", "PERSON")),
        ("Adv Tšosane", "PERSON", ("Tšosane", "PERSON")),
        ("Major-Gen Gopaul Govender", "PERSON", ("Gopaul Govender", "PERSON")),
        ("Magnus Carlsen of", "PERSON", ("Magnus Carlsen", "PERSON")),
        ("General Motors", "ORG", ("General Motors", "ORG")),  # "General" before a company is no title
        ("McDonald's", "ORG", ("McDonald's", "ORG")),
    ],
)
def test_names_lose_titles_possessives_and_tails(name, label, expected):
    assert clean_name(name, label) == expected


def test_a_curly_quote_possessive_first_mention_still_joins_the_surname():
    body = "Taylor Swift‘s new album is out. Swift said she was proud."
    later = body.index("Swift said")
    found = normalise_spans(body, [(0, 14, "PERSON"), (later, later + 5, "PERSON")])
    assert [(m.name, m.label, m.text) for m in found] == [("Taylor Swift", "PERSON", "Taylor Swift"),
                                                          ("Taylor Swift", "PERSON", "Swift")]


def test_the_bill_is_no_person_and_bill_smith_is():
    body = "MPs voted on the Bill. The Bill goes to the Lords. Bill Smith said the Bill was bad."
    marks = [("Bill", "PERSON"), ("The Bill", "PERSON"), ("Bill Smith", "PERSON")]
    assert resolved(body, *marks) == [("Bill Smith", "PERSON")]


def test_common_words_and_headline_fragments_are_no_entities():
    body = "Update: the council will update its plan. Trump’s Lawyers Argue for delay, as lawyers argue."
    assert resolved(body, ("Update", "ORG"), ("Trump’s Lawyers Argue", "ORG")) == []


def test_spans_holding_two_names_are_split():
    body = "Vassily Ivanchuk of Ukraine drew. Armenia’s Levon Aronian won."
    got = resolved(body, ("Vassily Ivanchuk of Ukraine", "ORG"), ("Armenia’s Levon Aronian", "ORG"))
    assert got == [("Vassily Ivanchuk", "PERSON"), ("Ukraine", "GPE"), ("Levon Aronian", "PERSON")]


@pytest.mark.parametrize(
    ("body", "marks", "expected"),
    [
        ("Sanctions hit gas producer Novatek.", [("Novatek", "PERSON")], [("Novatek", "ORG")]),
        ("Kiev launched operations.", [("Kiev", "PERSON")], [("Kiev", "GPE")]),
        ("She will take on Netflix. Netflix grew.", [("Netflix", "GPE"), ("Netflix", "GPE")], [("Netflix", "ORG")] * 2),
        ("He posted on Twitter.", [("Twitter", "PERSON")], [("Twitter", "ORG")]),
        ("The Cleveland Browns won.", [("Cleveland Browns", "GPE")], [("Cleveland Browns", "ORG")]),
        ("Read the Miami Herald.", [("Miami Herald", "PERSON")], [("Miami Herald", "ORG")]),
        ("The Toyota RAV4 Hybrid sold well.", [("RAV4 Hybrid", "PERSON")], []),
        ("Stars at the Academy Awards.", [("Academy Awards", "ORG")], [("Academy Awards", "EVENT")]),
        ("Crowds at Wells Fargo Arena.", [("Wells Fargo Arena", "ORG")], [("Wells Fargo Arena", "FAC")]),
        ("Actor Daniel Day-Lewis won.", [("Daniel Day-Lewis", "ORG")], [("Daniel Day-Lewis", "PERSON")]),
        ("Google said Google Search grew.", [("Google", "ORG"), ("Google Search", "ORG")],
         [("Google", "ORG"), ("Google Search", "PRODUCT")]),
        ("Talks in Zorvania went on.", [("Zorvania", "GPE")], [("Zorvania", "GPE")]),  # the text vouches
        ("Zorvak spoke once.", [("Zorvak", "PERSON")], []),  # one bare word, no given name, no full name
        ("A pro-Taliban cleric spoke.", [("pro-Taliban", "ORG")], []),
        ("MOGADISHU (Reuters) - Gunmen struck.", [("Reuters", "PERSON")], [("Reuters", "ORG")]),  # the credit
        ("Mr. Zorvak spoke once.", [("Zorvak", "PERSON")], [("Zorvak", "PERSON")]),  # the honorific vouches
        ("The Zorvania grew.", [("Zorvania", "GPE")], [("Zorvania", "ORG")]),  # no place the text or list knows
        ("北京 hosted talks.", [("北京", "GPE")], [("北京", "GPE")]),  # no Latin-script evidence either way
    ],
)
def test_labels_from_evidence(body, marks, expected):
    assert resolved(body, *marks) == expected


def test_judge_passes_labels_outside_the_three():
    for label in ("NORP", "LAW", "PRODUCT", "EVENT"):
        assert judge("Russian", label, lower_words=set(), located=False, person_word=False, org_context=False) == label
