"""Canonical entities across articles: cleaning, joins, definitions, stable ids, the upgrade of old databases."""

from __future__ import annotations

import re

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.article import Article
from parsers.entities import Mention, normalise_spans
from parsers.entity_names import clean_name
from warehouse import ArticleRecord, connect, load_batch
from warehouse.entities import canonical_mentions, entity_id_for, entity_key


def _mention(body: str, text: str, label: str, name: str | None = None, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention(name or text, label, start, start + len(text), text)


def _record(url: str, body: str, spans: list[tuple[str, str]], title: str = "A story") -> ArticleRecord:
    seen: dict[str, int] = {}
    mentions = []
    for text, label in spans:
        mentions.append(_mention(body, text, label, nth=seen.get(text, 0)))
        seen[text] = seen.get(text, 0) + 1
    return ArticleRecord(uri=url, input_source="test", article=Article(title=title, body=body, url=url),
                         mentions=mentions)


def _parsed(record: ArticleRecord) -> ArticleRecord:
    """The record as the pipeline hands it over: its spans resolved by the parser."""
    spans = [(m.start_char, m.end_char, m.label) for m in record.mentions]
    return ArticleRecord(uri=record.uri, input_source=record.input_source, article=record.article,
                         mentions=normalise_spans(record.article.body, spans))


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "news.duckdb")
    yield connection
    connection.close()


@pytest.mark.parametrize(
    ("name", "label", "expected"),
    [
        ("the European Union", "ORG", ("European Union", "ORG")),
        ("The Treasury", "ORG", ("Treasury", "ORG")),
        ("Kirby's", "PERSON", ("Kirby", "PERSON")),
        ("Russia’s", "GPE", ("Russia", "GPE")),
        ("[Vladimir] Putin", "PERSON", ("Vladimir Putin", "PERSON")),
        ("Shanghai Composite (SHCOMP)", "ORG", ("Shanghai Composite", "ORG")),
        ("President Vladimir Putin", "PERSON", ("Vladimir Putin", "PERSON")),
        ("Kremlin spokesman Dmitry Peskov", "PERSON", ("Dmitry Peskov", "PERSON")),
        ("Secretary of State John Kerry", "PERSON", ("John Kerry", "PERSON")),
        ("President Putin", "ORG", ("Putin", "PERSON")),
        ("Prime Minister's Office", "ORG", ("Prime Minister's Office", "ORG")),
        ("Bashar al-Assad", "PERSON", ("Bashar al-Assad", "PERSON")),
        ("U.S.", "GPE", ("U.S.", "GPE")),
        ("Apple Inc.", "ORG", ("Apple Inc.", "ORG")),
        ("2014", "DATE", None),
        ("the", "ORG", None),
        ("www.example.com", "ORG", None),
        ("said", "PERSON", None),
        ("()", "ORG", None),
    ],
)
def test_clean_name(name, label, expected):
    assert clean_name(name, label) == expected


def test_keys_fold_case_accents_dots_and_dashes():
    assert entity_key("U.S.") == entity_key("US") == "us"
    assert entity_key("Bashar al-Assad") == entity_key("Bashar Al Assad")
    assert entity_key("Zelenskyy") != entity_key("Zelensky")  # spelling variants are not guessed
    assert entity_key("Société Générale") == entity_key("Societe Generale")
    assert entity_id_for("Crimea") == entity_id_for("CRIMEA")
    assert entity_id_for("Russia") != entity_id_for("Russian")


def test_surname_and_title_forms_join_the_full_name():
    body = "President Joe Biden spoke. Biden's aide, spokesman John Kirby, said Kirby would travel."
    mentions = [
        _mention(body, "President Joe Biden", "PERSON"),
        _mention(body, "Biden's", "PERSON"),
        _mention(body, "John Kirby", "PERSON"),
        _mention(body, "Kirby", "ORG", nth=1),
    ]
    found = normalise_spans(body, [(m.start_char, m.end_char, m.label) for m in mentions])
    assert [(m.name, m.label) for m in found] == [
        ("Joe Biden", "PERSON"), ("Joe Biden", "PERSON"), ("John Kirby", "PERSON"), ("John Kirby", "PERSON"),
    ]


def test_a_span_given_twice_is_one_mention(con):
    # The mentions table has no key to refuse a second row for a span (migration 070): the loader keeps one.
    body = "Talks in Geneva went on. Geneva said no."
    twice = [_mention(body, "Geneva", "GPE"), _mention(body, "Geneva", "ORG"), _mention(body, "Geneva", "GPE", nth=1)]
    found, _ = canonical_mentions(body, twice)
    assert [(m.start_char, m.label) for m in found] == [(9, "GPE"), (25, "GPE")]
    record = ArticleRecord(uri="https://example.org/g", input_source="test",
                           article=Article(title="Talks", body=body, url="https://example.org/g"), mentions=twice)
    load_batch(con, run_id="r1", articles=[record])
    assert con.execute("SELECT start_char, label FROM mentions ORDER BY 1").fetchall() == [(9, "GPE"), (25, "GPE")]


def test_a_surname_the_model_called_a_place_stays_a_place():
    body = "George Washington was born in Virginia. Talks in Washington went on."
    mentions = [_mention(body, "George Washington", "PERSON"), _mention(body, "Washington", "GPE", nth=1)]
    found = normalise_spans(body, [(m.start_char, m.end_char, m.label) for m in mentions])
    assert [m.name for m in found] == ["George Washington", "Washington"]


@pytest.mark.parametrize(
    ("body", "spans", "alias", "full"),
    [
        ("Sanctions hit the Russian Agricultural Bank (Rosselkhozbank) today.",
         [("Russian Agricultural Bank", "ORG")], "Rosselkhozbank", "Russian Agricultural Bank"),
        ("Leaders of the European Union (EU) met.", [("European Union", "ORG"), ("EU", "ORG")], "EU", "European Union"),
        ("The EU (European Union) met.", [("EU", "ORG"), ("European Union", "ORG")], "EU", "European Union"),
        ("The North Atlantic Treaty Organization (NATO) said.", [("North Atlantic Treaty Organization (NATO)", "ORG")],
         "NATO", "North Atlantic Treaty Organization"),
    ],
)
def test_definitions_join_short_forms(body, spans, alias, full):
    mentions = [_mention(body, text, label, name=clean_name(text, label)[0]) for text, label in spans]
    _, definitions = canonical_mentions(body, mentions)
    assert [(d.alias, d.full_name) for d in definitions] == [(alias, full)]


@pytest.mark.parametrize(
    ("body", "spans"),
    [
        ("MOSCOW (Reuters) - Talks went on.", [("MOSCOW", "GPE")]),
        ("Gazprom Neft (Russia) said.", [("Gazprom Neft", "ORG"), ("Russia", "GPE")]),
        ("John Smith (Ohio) said.", [("John Smith", "PERSON")]),
        ("Bank of England (BoE) and Federal Reserve (ECB) said.", [("Federal Reserve", "ORG")]),
        ("Apple (AAPL.O) rose.", [("Apple", "ORG")]),
    ],
)
def test_parentheses_that_define_nothing(body, spans):
    mentions = [_mention(body, text, label) for text, label in spans]
    _, definitions = canonical_mentions(body, mentions)
    assert definitions == []


def test_definition_in_one_article_joins_the_short_form_everywhere(con):
    early = _record("https://a.example/1", "Rosselkhozbank lent money. Rosselkhozbank grew.",
                    [("Rosselkhozbank", "ORG"), ("Rosselkhozbank", "ORG")])
    defining = _record("https://b.example/2", "The Russian Agricultural Bank (Rosselkhozbank) was sanctioned.",
                       [("Russian Agricultural Bank", "ORG")])
    late = _record("https://c.example/3", "Rosselkhozbank said nothing.", [("Rosselkhozbank", "PERSON")])
    load_batch(con, run_id="r1", articles=[early])
    load_batch(con, run_id="r2", articles=[defining])
    load_batch(con, run_id="r3", articles=[late])
    rows = con.execute("SELECT entity_id, name, label, mentions, articles FROM entities").fetchall()
    assert rows == [(entity_id_for("Russian Agricultural Bank"), "Russian Agricultural Bank", "ORG", 4, 3)]
    aliases = dict(con.execute("SELECT alias, mentions FROM entity_aliases").fetchall())
    assert aliases == {"Rosselkhozbank": 3, "Russian Agricultural Bank": 1}


def test_label_is_a_vote_over_all_mentions_and_the_id_stays(con):
    body_org = "Crimea said so."
    load_batch(con, run_id="r1", articles=[_record("https://a.example/1", body_org, [("Crimea", "ORG")])])
    before = con.execute("SELECT entity_id, label FROM entities").fetchall()
    places = [_record(f"https://b.example/{i}", f"Talks in Crimea, part {i}.", [("Crimea", "GPE")]) for i in range(2)]
    load_batch(con, run_id="r2", articles=places)
    after = con.execute("SELECT entity_id, label, mentions, low_confidence FROM entities").fetchall()
    assert before == [(entity_id_for("Crimea"), "ORG")]
    assert after == [(before[0][0], "GPE", 3, False)]


def test_one_name_is_one_entity_whatever_kind_the_model_gave_it(con):
    """The label vote counts articles first: one article's systematic misreading does not win."""
    misread = "Trump spoke. Trump left. Trump won. Trump lost. Trump again."
    load_batch(con, run_id="r1", articles=[
        _record("https://a.example/1", misread, [("Trump", "ORG")] * 5),
        _record("https://b.example/2", "Trump said so.", [("Trump", "PERSON")]),
        _record("https://c.example/3", "Trump said no.", [("Trump", "PERSON")]),
    ])
    rows = con.execute("SELECT entity_id, name, label, kind, mentions, articles FROM entities").fetchall()
    assert rows == [(entity_id_for("Trump"), "Trump", "PERSON", "person", 7, 3)]


def test_singletons_are_kept_and_marked(con):
    body = "Novatek and Total met; Total agreed."
    load_batch(con, run_id="r1", articles=[_record("https://a.example/1", body,
                                                    [("Novatek", "ORG"), ("Total", "ORG"), ("Total", "ORG")])])
    marks = dict(con.execute("SELECT name, low_confidence FROM entities").fetchall())
    assert marks == {"Novatek": True, "Total": False}


def test_replaced_article_leaves_no_orphan_entities(con):
    load_batch(con, run_id="r1", articles=[_record("https://a.example/1", "Novatek grew.", [("Novatek", "ORG")])])
    load_batch(con, run_id="r2", articles=[_record("https://a.example/1", "Gazprom grew.", [("Gazprom", "ORG")])])
    assert con.execute("SELECT name, mentions FROM entities").fetchall() == [("Gazprom", 1)]


def test_reloading_keeps_ids_across_databases(tmp_path):
    body = "The European Union (EU) and Kremlin spokesman Dmitry Peskov. Peskov said the EU erred."
    record = _record("https://a.example/1", body, [("European Union", "ORG"), ("Kremlin", "ORG"),
                                                   ("Dmitry Peskov", "PERSON"), ("Peskov", "PERSON"), ("EU", "ORG")])
    record = _parsed(record)  # the warehouse joins no surname itself
    found = []
    for name in ("one", "two"):
        with duckdb.connect(str(tmp_path / f"{name}.duckdb")) as raw:
            raw.close()
        con = connect(tmp_path / f"{name}.duckdb")
        load_batch(con, run_id="r1", articles=[record])
        load_batch(con, run_id="r2", articles=[record])
        found.append(sorted(con.execute("SELECT entity_id, name, mentions FROM entities").fetchall()))
        con.close()
    assert found[0] == found[1]
    assert {name for _, name, _ in found[0]} == {"European Union", "Kremlin", "Dmitry Peskov"}


def test_old_databases_are_re_keyed_on_open(tmp_path):
    """A database written before migration 030 gets canonical ids when a writer opens it."""
    from warehouse.schema import available_migrations

    path = tmp_path / "old.duckdb"
    raw = duckdb.connect(str(path))
    raw.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                " applied_at TIMESTAMPTZ DEFAULT now())")
    first = available_migrations()[0]
    raw.execute(first.sql)
    raw.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [first.version, first.name])
    body = "Kirby's remarks. The Treasury spoke."
    raw.execute("INSERT INTO articles (article_id, url, content_hash, title, body, input_source, input_format,"
                " first_run_id, last_run_id, loaded_at) VALUES ('a1', 'u', 'h', 't', ?, 's', 'text', 'r', 'r', now())",
                [body])
    raw.execute("INSERT INTO entities VALUES ('old1', 'Kirby''s', 'PERSON'), ('old2', 'the Treasury', 'ORG')")
    raw.execute("INSERT INTO mentions VALUES ('a1', 'old1', 0, 7, 'Kirby''s'), ('a1', 'old2', 17, 29, 'The Treasury')")
    raw.close()
    con = connect(path)
    rows = sorted(con.execute("SELECT e.entity_id, e.name, m.surface, a.cluster_id FROM mentions m"
                              " JOIN entities e USING (entity_id) JOIN articles a USING (article_id)").fetchall())
    con.close()
    assert rows == sorted([
        (entity_id_for("Kirby"), "Kirby", "Kirby", "a1"),  # the spans as today's parser trims them
        (entity_id_for("Treasury"), "Treasury", "Treasury", "a1"),
    ])


@given(st.text(max_size=40), st.sampled_from(["PERSON", "ORG", "GPE", "NORP", "EVENT"]))
@settings(max_examples=300, deadline=None)
def test_clean_names_never_start_with_a_determiner_or_hold_a_bracket(name, label):
    result = clean_name(name, label)
    if result is not None:
        cleaned, _ = result
        assert cleaned == cleaned.strip() and cleaned
        assert not re.match(r"(?i)(the|a|an)\s", cleaned)
        assert not set(cleaned) & set("[](){}")


@given(st.text(alphabet="ab (EU)Tthe's.-", max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)),
                                                                   max_size=6))
@settings(max_examples=200, deadline=None)
def test_canonical_mentions_take_any_spans(body, spans):
    mentions = [Mention(body[s : s + n], "ORG", s, min(s + n, len(body)), body[s : s + n])
                for s, n in spans if s < len(body) and body[s : s + n].strip()]
    found, _ = canonical_mentions(body, mentions)
    assert all(body[m.start_char : m.end_char] == m.surface for m in found)


def test_re_keying_reproduces_a_fresh_load(con):
    """What upgrade_entities rebuilds from stored mentions equals what loading gave (definitions included)."""
    from warehouse.entities import upgrade_entities

    load_batch(con, run_id="r1", articles=[
        _parsed(_record("https://a.example/1", "Rosselkhozbank lent money.", [("Rosselkhozbank", "ORG")])),
        _parsed(_record("https://b.example/2",
                        "The Russian Agricultural Bank (Rosselkhozbank) and John Kirby. Kirby said.",
                        [("Russian Agricultural Bank", "ORG"), ("John Kirby", "PERSON"), ("Kirby", "ORG")])),
    ])
    tables = ("SELECT * FROM entities ORDER BY ALL", "SELECT * FROM mentions ORDER BY ALL",
              "SELECT * FROM entity_redirects ORDER BY ALL")
    before = [con.execute(query).fetchall() for query in tables]
    con.execute("UPDATE entities SET kind = NULL")
    assert upgrade_entities(con) == len(before[1])  # every stored mention moved
    assert [con.execute(query).fetchall() for query in tables] == before
    assert upgrade_entities(con) == 0
