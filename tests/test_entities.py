"""Entity mentions: the seed article, each normalisation rule, and a text of our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpora import CORPORA_DIR
from parsers.entities import (
    COUNTRY_ALIASES,
    ENTITY_LABELS,
    Mention,
    find_mentions,
    find_mentions_batch,
    load_nlp,
    normalise_spans,
)

SEED_NAME = "000_cf23a9dec83e2434.expected.json"
SEED_PLACES = [
    Path(__file__).parent / "data" / SEED_NAME,
    CORPORA_DIR.parent / "seeds" / SEED_NAME,
]
SEED = next((path for path in SEED_PLACES if path.is_file()), None)
DETERMINERS = ("the ", "a ", "an ")


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def spans(body: str, *marks: tuple[str, str]) -> list[tuple[int, int, str]]:
    """Raw spans for ``normalise_spans``: each (surface, label) at its next occurrence in ``body``."""
    result, at = [], 0
    for surface, label in marks:
        start = body.index(surface, at)
        result.append((start, start + len(surface), label))
        at = start + len(surface)
    return result


def by_text(mentions: list[Mention]) -> list[tuple[str, str, str]]:
    return [(m.text, m.name, m.label) for m in mentions]


def assert_offsets(body: str, mentions: list[Mention]) -> None:
    for m in mentions:
        assert body[m.start_char : m.end_char] == m.text


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed():
    if SEED is None:
        pytest.skip(f"seed {SEED_NAME} not found in {[str(p.parent) for p in SEED_PLACES]}")
    return json.loads(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_mentions(seed, nlp):
    return find_mentions(seed["body"], nlp=nlp)


def test_seed_required_entities_with_their_labels(seed, seed_mentions):
    found = {(m.name, m.label) for m in seed_mentions}
    missing = [
        (name, label) for label, names in seed["entities_required"].items() for name in names
        if (name, label) not in found
    ]
    assert missing == []


def test_seed_forbidden_names_absent(seed, seed_mentions):
    names = {m.name for m in seed_mentions}
    assert [name for name in seed["entity_names_forbidden"] if name in names] == []


def test_seed_names_are_clean(seed, seed_mentions):
    for m in seed_mentions:
        assert not m.name.casefold().startswith(DETERMINERS), m
        assert not any(char in m.name for char in "[](){}"), m
        assert m.label in ENTITY_LABELS
    assert_offsets(seed["body"], seed_mentions)


def test_seed_united_states_is_one_entity(seed, seed_mentions):
    surfaces = {m.text: m.name for m in seed_mentions}
    assert {"US", "United States"} <= surfaces.keys()
    assert surfaces["US"] == surfaces["United States"] == "United States"
    # "the US State Department" holds a US mention too, and the department's own.
    body = seed["body"]
    state = body.index("US State Department")
    assert Mention("United States", "GPE", state, state + 2, "US") in seed_mentions
    assert Mention("State Department", "ORG", state + 3, state + 19, "State Department") in seed_mentions


def test_seed_surnames_join_full_names(seed_mentions):
    names_of = {}
    for m in seed_mentions:
        names_of.setdefault(m.text, set()).add(m.name)
    assert names_of["Kirby"] == {"John Kirby"}
    assert names_of["Peskov"] == {"Dmitry Peskov"}
    assert names_of["Treasury"] == {"Treasury Department"}


# --------------------------------------------------------------------------- one rule at a time


def test_leading_determiner_dropped_from_name_and_offsets():
    body = "Officials at the White House and an Associated Press reporter spoke."
    got = normalise_spans(body, spans(body, ("the White House", "ORG"), ("an Associated Press", "ORG")))
    assert by_text(got) == [
        ("White House", "White House", "ORG"),
        ("Associated Press", "Associated Press", "ORG"),
    ]
    assert_offsets(body, got)


def test_capitalised_determiner_dropped_too():
    body = "The Kremlin said so."
    assert by_text(normalise_spans(body, [(0, 11, "ORG")])) == [("Kremlin", "Kremlin", "ORG")]


def test_editorial_bracket_kept_in_text_dropped_from_name():
    body = 'He said "President [Vladimir] Putin agrees" and left.'
    # spaCy cuts the opener off: "Vladimir] Putin".
    start = body.index("Vladimir]")
    got = normalise_spans(body, [(start, start + len("Vladimir] Putin"), "PERSON")])
    assert by_text(got) == [("[Vladimir] Putin", "Vladimir Putin", "PERSON")]
    assert_offsets(body, got)


def test_stray_brackets_and_quotes_trimmed():
    body = 'Reports by ("Reuters") and [Bloomberg] arrived.'
    got = normalise_spans(body, spans(body, ('("Reuters")', "ORG"), ("Bloomberg]", "ORG")))
    assert [(m.text, m.name) for m in got] == [("Reuters", "Reuters"), ("Bloomberg", "Bloomberg")]
    assert_offsets(body, got)


def test_possessive_removed_and_joins_the_person():
    body = "Jane Okafor spoke. Okafor's remarks came later."
    got = normalise_spans(body, spans(body, ("Jane Okafor", "PERSON"), ("Okafor's", "PERSON")))
    assert by_text(got) == [("Jane Okafor", "Jane Okafor", "PERSON"), ("Okafor", "Jane Okafor", "PERSON")]


def test_possessive_kept_in_a_brand_name_written_only_with_it():
    body = "McDonald's said sales rose, and Moody's upgraded Acme's debt. Acme makes anvils."
    marks = (("McDonald's", "ORG"), ("Moody's", "ORG"), ("Acme's", "ORG"), ("Acme", "ORG"))
    got = normalise_spans(body, spans(body, *marks))
    assert [m.name for m in got] == ["McDonald's", "Moody's", "Acme", "Acme"]


def test_honorific_dropped_before_a_person():
    body = "Mr. Tanaka met Dr Alvarez."
    got = normalise_spans(body, spans(body, ("Mr. Tanaka", "PERSON"), ("Dr Alvarez", "PERSON")))
    assert [m.text for m in got] == ["Tanaka", "Alvarez"]


def test_trailing_dot_kept_on_initialisms_and_abbreviations_only():
    body = "Acme Corp. moved to Washington D.C. and to Lyon."
    marks = (("Acme Corp.", "ORG"), ("Washington D.C.", "GPE"), ("Lyon.", "GPE"))
    got = normalise_spans(body, spans(body, *marks))
    assert [m.text for m in got] == ["Acme Corp.", "Washington D.C.", "Lyon"]


@pytest.mark.parametrize(
    ("surface", "label"),
    [
        ("yesterday's news", "ORG"),  # all lowercase
        ("1984", "PERSON"),  # no letters
        ("X", "PRODUCT"),  # one character
        ("Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota", "ORG"),  # nine words
        ("Bank\nHolding", "ORG"),  # a line break inside
        ("TX @ Toyota Music Factory", "ORG"),  # a listing
        ("The", "ORG"),  # a determiner alone
        ("March 17, 2014", "DATE"),  # not an entity label we keep
        ("96.8 percent", "PERCENT"),
    ],
)
def test_misfires_dropped(surface, label):
    body = f"Before {surface} after."
    assert normalise_spans(body, spans(body, (surface, label))) == []


def test_misfire_filter_keeps_uncased_scripts():
    body = "北京 hosted talks."
    assert [m.name for m in normalise_spans(body, [(0, 2, "GPE")])] == ["北京"]


@pytest.mark.parametrize("alias", ["US", "U.S.", "USA", "U.S.A.", "the United States", "United States of America"])
def test_united_states_aliases(alias):
    body = f"Talks with {alias} resumed."
    got = normalise_spans(body, spans(body, (alias, "ORG")))  # the model's label is overruled
    assert [(m.name, m.label) for m in got] == [("United States", "GPE")]


def test_uk_aliases_are_one_entity():
    body = "Britain and the UK and the U.K. are one place."
    got = normalise_spans(body, spans(body, ("Britain", "GPE"), ("the UK", "GPE"), ("the U.K.", "GPE")))
    # The labelling guide maps short forms only: "Britain" is written as the body writes it.
    assert [(m.text, m.name) for m in got] == [("Britain", "Britain"), ("UK", "United Kingdom"),
                                               ("U.K.", "United Kingdom")]


def test_alias_acronyms_are_case_sensitive():
    body = "Us Weekly reported it."
    assert [m.name for m in normalise_spans(body, [(0, 9, "ORG")])] == ["Us Weekly"]
    assert [m.name for m in normalise_spans(body, [(0, 2, "ORG")])] == ["Us"]


def test_country_table_is_small_and_well_formed():
    assert len(COUNTRY_ALIASES) <= 15
    for canonical, (label, forms) in COUNTRY_ALIASES.items():
        assert label in {"GPE", "ORG"}
        assert canonical in forms


def test_country_qualifier_split_off_a_government_body():
    body = "Officials at the U.S. Treasury Department and the UK Foreign Office met."
    marks = (("the U.S. Treasury Department", "ORG"), ("the UK Foreign Office", "ORG"))
    got = normalise_spans(body, spans(body, *marks))
    assert by_text(got) == [
        ("U.S.", "United States", "GPE"),
        ("Treasury Department", "Treasury Department", "ORG"),
        ("UK", "United Kingdom", "GPE"),
        ("Foreign Office", "Foreign Office", "ORG"),
    ]
    assert_offsets(body, got)


def test_country_qualifier_kept_when_the_rest_is_no_body_of_its_own():
    body = "US Steel and the US Navy and US Airways Group."
    marks = (("US Steel", "ORG"), ("the US Navy", "ORG"), ("US Airways Group", "ORG"))
    got = normalise_spans(body, spans(body, *marks))
    assert [m.name for m in got] == ["US Steel", "US Navy", "US Airways Group"]


def test_country_qualifier_kept_when_two_countries_share_the_body():
    body = "The US Treasury Department and the UK Treasury Department disagreed."
    marks = (("The US Treasury Department", "ORG"), ("the UK Treasury Department", "ORG"))
    got = normalise_spans(body, spans(body, *marks))
    assert [m.name for m in got] == ["US Treasury Department", "UK Treasury Department"]


def test_surname_joins_the_nearest_full_name():
    body = (
        "Hillary Clinton spoke first. Clinton said no. "
        "Then Bill Clinton arrived. Clinton smiled."
    )
    marks = (
        ("Hillary Clinton", "PERSON"), ("Clinton", "PERSON"),
        ("Bill Clinton", "PERSON"), ("Clinton", "PERSON"),
    )
    got = normalise_spans(body, spans(body, *marks))
    assert [m.name for m in got] == ["Hillary Clinton", "Hillary Clinton", "Bill Clinton", "Bill Clinton"]


def test_surname_before_the_full_name_joins_it():
    body = "Kowalski won. Anna Kowalski is 30."
    got = normalise_spans(body, spans(body, ("Kowalski", "PERSON"), ("Anna Kowalski", "PERSON")))
    assert [m.name for m in got] == ["Anna Kowalski", "Anna Kowalski"]


def test_shorter_forms_join_the_longest_name():
    body = "Bashar al-Assad met Assad loyalists; Bashar Assad later left, Assad said."
    marks = (
        ("Bashar al-Assad", "PERSON"), ("Assad", "NORP"), ("Bashar Assad", "PERSON"), ("Assad", "PERSON"),
    )
    got = normalise_spans(body, spans(body, *marks))
    assert [m.name for m in got] == ["Bashar al-Assad"] * 4
    assert {m.label for m in got} == {"PERSON"}


def test_mislabelled_surname_joins_the_person_without_voting():
    body = "John Kirby spoke. Kirby added more. Kirby left."
    marks = (("John Kirby", "PERSON"), ("Kirby", "ORG"), ("Kirby", "ORG"))
    got = normalise_spans(body, spans(body, *marks))
    assert [(m.name, m.label) for m in got] == [("John Kirby", "PERSON")] * 3


def test_mislabelled_surname_joins_a_person_the_model_once_mislabelled_too():
    body = "Mary Steenburgen sings. Actress Mary Steenburgen wrote it. Steenburgen smiled."
    marks = (("Mary Steenburgen", "ORG"), ("Mary Steenburgen", "PERSON"), ("Steenburgen", "ORG"))
    got = normalise_spans(body, spans(body, *marks))
    assert [(m.name, m.label) for m in got] == [("Mary Steenburgen", "PERSON")] * 3


def test_surname_that_is_a_place_stays_a_place():
    body = "George Washington was born far away. Few in Washington know. Washington grew anyway."
    marks = (("George Washington", "PERSON"), ("Washington", "GPE"), ("Washington", "GPE"))
    got = normalise_spans(body, spans(body, *marks))
    assert [m.name for m in got] == ["George Washington", "Washington", "Washington"]


def test_surname_mislabelled_as_a_place_joins_the_person_the_text_mostly_means():
    body = "Adam Schiff spoke. Schiff said no. Schiff left. The letter went to Schiff."
    marks = (("Adam Schiff", "PERSON"), ("Schiff", "LOC"), ("Schiff", "GPE"), ("Schiff", "LOC"))
    got = normalise_spans(body, spans(body, *marks))
    assert [(m.name, m.label) for m in got] == [("Adam Schiff", "PERSON")] * 4


def test_bare_word_of_a_longer_org_does_not_become_a_person():
    body = "Gerald Ford drove a car from Ford Motor Company. Ford said sales fell."
    marks = (("Gerald Ford", "PERSON"), ("Ford Motor Company", "ORG"), ("Ford", "ORG"))
    got = normalise_spans(body, spans(body, *marks))
    assert [m.name for m in got][-1] == "Ford"


def test_org_head_joins_the_longer_name_only_through_designators():
    body = (
        "The Treasury Department acted. The Treasury said so. "
        "Apple Music grew while Apple shrank. Harvard University and Harvard agreed."
    )
    marks = (
        ("The Treasury Department", "ORG"), ("The Treasury", "ORG"), ("Apple Music", "ORG"),
        ("Apple", "ORG"), ("Harvard University", "ORG"), ("Harvard", "ORG"),
    )
    got = normalise_spans(body, spans(body, *marks))
    assert [m.name for m in got] == [
        "Treasury Department", "Treasury Department", "Apple Music", "Apple",
        "Harvard University", "Harvard University",
    ]


def test_acronym_joins_the_spelled_out_org():
    body = "The Federal Bureau of Investigation opened a file. The FBI declined comment. NASA did not."
    marks = (("The Federal Bureau of Investigation", "ORG"), ("The FBI", "ORG"), ("NASA", "ORG"))
    got = normalise_spans(body, spans(body, *marks))
    assert [m.name for m in got] == ["Federal Bureau of Investigation"] * 2 + ["NASA"]


def test_surname_the_model_missed_is_added():
    body = "FBI Director Christopher Wray spoke. Wray thanked police, and Mr. Wray's aides left."
    got = normalise_spans(body, spans(body, ("Christopher Wray", "PERSON")))
    assert by_text(got) == [("Christopher Wray", "Christopher Wray", "PERSON")] + [
        ("Wray", "Christopher Wray", "PERSON")
    ] * 2
    assert_offsets(body, got)


@pytest.mark.parametrize(
    ("body", "marks"),
    [
        # the word is also an ordinary word of the text
        ("Theresa May spoke. May left, and she may return.", (("Theresa May", "PERSON"),)),
        # inside a span the model tagged, even one we drop
        ("Anna March spoke. March 3 was the date.", (("Anna March", "PERSON"), ("March 3", "DATE"))),
        # part of a longer name the model missed
        ("Tom Ford spoke. Ford Motor hired staff.", (("Tom Ford", "PERSON"),)),
        # two people share it
        ("Bill Clinton and Hillary Clinton came. Clinton spoke.",
         (("Bill Clinton", "PERSON"), ("Hillary Clinton", "PERSON"))),
        # a first name of someone else
        ("Mohammed Yousuf Dar and Dar Yasin came. Dar spoke.",
         (("Mohammed Yousuf Dar", "PERSON"), ("Dar Yasin", "PERSON"))),
    ],
)
def test_missed_surname_not_added_when_unsafe(body, marks):
    raw = spans(body, *marks)
    got = normalise_spans(body, raw)
    assert len(got) == len([m for m in marks if m[1] == "PERSON"])


def test_label_majority_vote_and_place_preference():
    # "in Crimea": a place the gazetteer (cities and countries) lacks needs the text to vouch for it.
    body = "Crimea voted. Aid came in Crimea. Zorvan grew. Zorvan fell. Zorvan rose."
    marks = (
        ("Crimea", "ORG"), ("Crimea", "GPE"),
        ("Zorvan", "ORG"), ("Zorvan", "ORG"), ("Zorvan", "GPE"),
    )
    got = normalise_spans(body, spans(body, *marks))
    assert [(m.name, m.label) for m in got] == [("Crimea", "GPE")] * 2 + [("Zorvan", "ORG")] * 3


def test_mentions_are_in_text_order_with_offsets_into_the_body():
    body = "The US Treasury Department fined Acme; Acme's lawyers met Treasury staff."
    marks = (("Acme", "ORG"), ("The US Treasury Department", "ORG"), ("Acme's", "ORG"), ("Treasury", "ORG"))
    raw = spans(body, ("The US Treasury Department", "ORG"), ("Acme", "ORG"), ("Acme's", "ORG"), ("Treasury", "ORG"))
    got = normalise_spans(body, [raw[1], raw[0], raw[2], raw[3]])
    assert [m.start_char for m in got] == sorted(m.start_char for m in got)
    assert_offsets(body, got)
    assert len(marks) + 1 == len(got)


# --------------------------------------------------------------------------- with the model


OWN_ARTICLE = """\
German Chancellor Olaf Scholz met French President Emmanuel Macron in Berlin on Monday to discuss \
the energy crisis, the German government said.

Scholz told reporters that the European Union would agree on a gas price cap within weeks. \
"We are not there yet," Macron's office said in a statement.

The talks came as the U.S. Commerce Department announced new export rules for chips sold to China. \
The Commerce Department said the rules would take effect in January, and a spokesman for Nvidia said \
the company was studying them.

Analysts at Goldman Sachs said the measures would hit Chinese firms hardest. \
Goldman expects Beijing to respond within a month, while officials in Washington and the United States \
Congress urged caution.
"""


@pytest.fixture(scope="module")
def own_mentions(nlp):
    return find_mentions(OWN_ARTICLE, nlp=nlp)


def test_own_article_people_join_their_full_names(own_mentions):
    names_of = {}
    for m in own_mentions:
        names_of.setdefault(m.text, set()).add((m.name, m.label))
    assert names_of["Olaf Scholz"] == names_of["Scholz"] == {("Olaf Scholz", "PERSON")}
    assert names_of["Macron"] == {("Emmanuel Macron", "PERSON")}
    assert names_of["Commerce Department"] == {("Commerce Department", "ORG")}


def test_own_article_names_are_clean(own_mentions):
    names = {m.name for m in own_mentions}
    assert {"Berlin", "European Union", "Commerce Department", "China", "Emmanuel Macron"} <= names
    assert not {"Scholz", "Macron", "U.S. Commerce Department", "the European Union"} & names
    for m in own_mentions:
        assert not m.name.casefold().startswith(DETERMINERS), m
        assert not m.name.endswith(("'s", "’s")), m
    us = {m.name for m in own_mentions if m.text in {"U.S.", "United States"}}
    assert us == {"United States"}
    assert_offsets(OWN_ARTICLE, own_mentions)


SECOND_ARTICLE = """\
LONDON — The Federal Bureau of Investigation and Britain's National Crime Agency said on Thursday they had \
arrested 14 people in a joint operation against a ransomware gang.

FBI Director Christopher Wray said the suspects had extorted more than $200 million from hospitals. \
Wray thanked the NCA and police in the Netherlands.

The U.K. Home Office welcomed the arrests. Home Secretary Yvette Cooper told Parliament that Cooper's \
department would publish a report. "This is a good day," Ms. Cooper said.

Shares of Microsoft Corp. rose 2% after Microsoft said its security team had helped.
"""


def test_second_article_acronyms_aliases_and_possessives(nlp):
    mentions = find_mentions(SECOND_ARTICLE, nlp=nlp)
    assert_offsets(SECOND_ARTICLE, mentions)
    names_of = {}
    for m in mentions:
        names_of.setdefault(m.text, set()).add((m.name, m.label))
    assert names_of["FBI"] == {("Federal Bureau of Investigation", "ORG")}
    assert names_of["NCA"] == {("National Crime Agency", "ORG")}
    assert names_of["U.K."] == {("United Kingdom", "GPE")}
    assert names_of["Britain"] == {("Britain", "GPE")}  # only short forms are aliases (labelling guide)
    assert names_of["Home Office"] == {("Home Office", "ORG")}
    assert names_of["Cooper"] == {("Yvette Cooper", "PERSON")}  # "Cooper's" (read as ORG) and "Ms. Cooper"
    assert names_of["Microsoft"] == {("Microsoft Corp.", "ORG")}
    assert not {"Cooper", "FBI", "NCA", "Microsoft", "U.K. Home Office"} & {m.name for m in mentions}


def test_batch_matches_single_calls(nlp, own_mentions):
    bodies = [OWN_ARTICLE, "", "Nothing named here.", OWN_ARTICLE]
    got = find_mentions_batch(bodies, nlp=nlp, batch_size=2)
    assert got == [own_mentions, [], [], own_mentions]


@pytest.mark.slow
def test_batch_in_two_processes_matches(nlp, own_mentions):
    bodies = [OWN_ARTICLE, SECOND_ARTICLE] * 2
    single = find_mentions_batch(bodies, nlp=nlp)
    assert single[0] == own_mentions
    assert find_mentions_batch(bodies, nlp=nlp, n_process=2, batch_size=1) == single


def test_load_nlp_is_cached_and_lean():
    nlp = load_nlp()
    assert load_nlp() is nlp
    assert "ner" in nlp.pipe_names
    assert "lemmatizer" not in nlp.pipe_names and "parser" not in nlp.pipe_names


def test_entity_does_not_cross_a_paragraph_break(nlp):
    body = "The report was written by Maria Lopez\n\nReuters reported it first."
    for m in find_mentions(body, nlp=nlp):
        assert "\n" not in m.text


def test_title_before_a_name_makes_a_person():
    body = "German Chancellor Olaf Scholz arrived. Scholz told reporters he was in Berlin."
    marks = (("Olaf Scholz", "ORG"), ("Scholz", "GPE"), ("Berlin", "GPE"))
    got = normalise_spans(body, spans(body, *marks))
    assert [(m.name, m.label) for m in got] == [
        ("Olaf Scholz", "PERSON"), ("Olaf Scholz", "PERSON"), ("Berlin", "GPE"),
    ]


def test_title_cue_leaves_government_bodies_alone():
    body = "The minister Foreign Office staff met. The president European Commission replied."
    marks = (("Foreign Office", "ORG"), ("European Commission", "ORG"))
    got = normalise_spans(body, spans(body, *marks))
    assert [m.label for m in got] == ["ORG", "ORG"]


def test_dateline_capitals_become_a_name_but_acronyms_stay():
    body = "NEW YORK — Officials at NATO and UNICEF met JOHN O'NEILL and the UAE in WASHINGTON D.C."
    marks = (
        ("NEW YORK", "GPE"), ("NATO", "ORG"), ("UNICEF", "ORG"), ("JOHN O'NEILL", "PERSON"),
        ("UAE", "GPE"), ("WASHINGTON D.C.", "GPE"),
    )
    got = normalise_spans(body, spans(body, *marks))
    assert [m.name for m in got] == [
        "New York", "NATO", "UNICEF", "John O'Neill", "United Arab Emirates", "Washington D.C.",
    ]


def test_parenthetical_after_a_name_is_closed_in_text_and_left_out_of_the_name():
    body = "Stocks on the Shanghai Composite (SHCOMP) fell; the Indiana Jones Collection (PS4) sold."
    marks = (("Shanghai Composite (SHCOMP", "ORG"), ("Indiana Jones Collection (", "PRODUCT"))
    got = normalise_spans(body, spans(body, *marks))
    assert by_text(got) == [
        ("Shanghai Composite (SHCOMP)", "Shanghai Composite", "ORG"),
        ("Indiana Jones Collection", "Indiana Jones Collection", "PRODUCT"),
    ]


def test_name_spelled_as_the_article_writes_it_not_as_its_dateline():
    body = "WASHINGTON - Officials in Washington said so."
    got = normalise_spans(body, spans(body, ("WASHINGTON", "GPE"), ("Washington", "GPE")))
    assert [m.name for m in got] == ["Washington", "Washington"]


# --------------------------------------------------------------------------- any spans at all

_PIECES = [
    "the ", "The ", "US ", "U.S. ", "[", "]", "(", ")", "'s", "’s", '"', " ", "\n", ".", ",", "Kirby",
    "John", "Treasury", "Department", "State", "Russia", "Crimea", "Putin", "Vladimir", "FBI", "in ", "Mr. ",
    "al-Assad", "Bank", "of", "an ", "United States", "Co.",
]


@given(
    pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40),
    cuts=st.lists(st.tuples(st.integers(0, 400), st.integers(1, 60), st.sampled_from(sorted(ENTITY_LABELS))),
                  max_size=12),
)
@settings(max_examples=200, deadline=None)
def test_any_spans_give_valid_clean_mentions(pieces, cuts):
    body = "".join(pieces)
    raw, at = [], 0
    for offset, length, label in sorted(cuts):  # non-overlapping, in order, like a recogniser's
        start = max(at, offset % (len(body) + 1))
        end = min(len(body), start + length)
        if start < end:
            raw.append((start, end, label))
            at = end
    got = normalise_spans(body, raw)
    assert_offsets(body, got)
    assert [m.start_char for m in got] == sorted(m.start_char for m in got)
    for m in got:
        assert m.start_char < m.end_char and m.label in ENTITY_LABELS
        assert m.name and m.name == m.name.strip() and "\n" not in m.text
        assert not m.name.casefold().startswith(DETERMINERS) and m.name.casefold() not in ("the", "a", "an")
        assert not any(char in m.name for char in "[]{}()")
