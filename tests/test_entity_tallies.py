"""Entity figures kept batch by batch equal the figures recomputed from all mentions.

A batch of new articles adds its own counts to its entities' tallies (warehouse.entities);
a replaced article and a short form joined to its full name recompute the entities they
touch. Whatever the order of batches, every entity's name, label, counts, first and last
seen must be what a full recomputation over the mentions gives.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.article import Article
from parsers.entities import Mention
from warehouse import ArticleRecord, connect, load_batch
from warehouse.schema import available_migrations

# Phrases with the names they hold; labels are drawn per article, so the votes have something to decide.
PHRASES = [
    ("Maria Lopez said so.", ["Maria Lopez"]),
    ("Lopez agreed.", ["Lopez"]),
    ("The European Union (EU) met.", ["European Union", "EU"]),
    ("EU rules apply.", ["EU"]),
    ("Paris was calm.", ["Paris"]),
    ("PARIS reacted.", ["PARIS"]),
    ("Acme Corp grew.", ["Acme Corp"]),
    ("Acme grew too.", ["Acme"]),
    ("North Atlantic Treaty Organization (NATO) troops left.", ["North Atlantic Treaty Organization", "NATO"]),
    ("NATO said nothing.", ["NATO"]),
]
LABELS = ["PERSON", "ORG", "GPE"]
WHEN = [
    None,
    datetime(2024, 3, 1, 9, 30),  # wall-clock time, zone unknown
    datetime(2024, 3, 2, 23, 15, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2024, 2, 28, 1, 0, tzinfo=timezone(timedelta(hours=9))),
]

# The figures as the loader used to compute them: everything from the mentions.
EXPECTED = """
WITH m AS (
    SELECT m.entity_id, m.article_id, m.name, m.label, m.via_alias,
           coalesce(a.published_utc AT TIME ZONE 'UTC', a.published_at, a.loaded_at AT TIME ZONE 'UTC') AS seen_at
    FROM mentions m JOIN articles a USING (article_id)
),
labels AS (SELECT entity_id, label, count(DISTINCT article_id) AS articles, count(*) AS n FROM m GROUP BY ALL),
names AS (SELECT entity_id, name, count(*) FILTER (WHERE NOT via_alias) AS own, count(*) AS n FROM m GROUP BY ALL),
figures AS (
    SELECT entity_id, count(*) AS mentions, count(DISTINCT article_id) AS articles,
           min(seen_at) AS first_seen, max(seen_at) AS last_seen
    FROM m GROUP BY ALL
)
SELECT f.entity_id, f.mentions, f.articles, f.first_seen, f.last_seen, f.mentions <= 1,
       (SELECT arg_max(l.label, {'articles': l.articles, 'n': l.n,
                                 'order': -coalesce(list_position(?, l.label), 99)})
        FROM labels l WHERE l.entity_id = f.entity_id),
       (SELECT arg_max(x.name, {'own': x.own > 0, 'cased': x.name <> upper(x.name), 'n': x.n, 'name': x.name})
        FROM names x WHERE x.entity_id = f.entity_id)
FROM figures f ORDER BY f.entity_id
"""
ACTUAL = (
    "SELECT entity_id, mentions, articles, first_seen, last_seen, low_confidence, label, name"
    " FROM entities ORDER BY entity_id"
)
LABEL_ORDER = ["GPE", "LOC", "PERSON", "ORG", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"]


def _record(url: str, phrases: list[int], labels: list[int], when: int, version: int) -> ArticleRecord:
    body, mentions, draw = "", [], iter(labels * 10)
    for index in phrases:
        text, names = PHRASES[index]
        start = len(body)
        for name in names:
            offset = start + text.index(name)
            mentions.append(Mention(name, LABELS[next(draw)], offset, offset + len(name), name))
        body += text + " "
    body += f"Version {version}."
    published = WHEN[when]
    article = Article(title=url, body=body, url=url, published_at=published,
                      published_tz_known=published is not None and published.tzinfo is not None)
    return ArticleRecord(uri=url, input_source="test", article=article, mentions=mentions)


articles = st.tuples(
    st.integers(0, 5),  # URL: a repeated URL with other text replaces the article
    st.lists(st.integers(0, len(PHRASES) - 1), min_size=1, max_size=5),
    st.lists(st.integers(0, len(LABELS) - 1), min_size=1, max_size=4),
    st.integers(0, len(WHEN) - 1),
)


@pytest.mark.slow  # 25 examples, each a fresh warehouse: 7 s here
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(st.lists(articles, min_size=1, max_size=4), min_size=1, max_size=4))
def test_kept_figures_equal_a_recomputation_after_every_batch(batches):
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "news.duckdb")
        try:
            for number, batch in enumerate(batches):
                records = [
                    _record(f"https://example.org/{url}", phrases, labels, when, version=number)
                    for url, phrases, labels, when in batch
                ]
                load_batch(con, run_id=f"run-{number}", articles=records)
                assert con.execute(ACTUAL).fetchall() == con.execute(EXPECTED, [LABEL_ORDER]).fetchall()
        finally:
            con.close()


def test_migration_backfills_the_tallies_the_loader_keeps(tmp_path):
    con = connect(tmp_path / "news.duckdb")
    try:
        records = [
            _record(f"https://example.org/{n}", [n % len(PHRASES), (3 * n) % len(PHRASES), 1], [n % 3, 1], n % 4, 0)
            for n in range(12)
        ]
        load_batch(con, run_id="run", articles=records[:6])
        load_batch(con, run_id="run", articles=records[6:])
        kept = {table: _rows(con, table) for table in ("entity_label_tallies", "entity_name_tallies")}
        assert all(kept.values())
        migration = next(m for m in available_migrations() if m.name.startswith("060"))
        con.execute("DROP TABLE entity_label_tallies")
        con.execute("DROP TABLE entity_name_tallies")
        con.execute(migration.sql)
        assert {table: _rows(con, table) for table in kept} == kept
    finally:
        con.close()


def _rows(con, table: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_a_date_found_later_moves_first_and_last_seen(tmp_path):
    con = connect(tmp_path / "news.duckdb")
    try:
        load_batch(con, run_id="r1", articles=[_record("https://example.org/a", [0], [0], when=0, version=0)])
        dated = _record("https://example.org/a", [0], [0], when=1, version=0)  # same text, a date this time
        assert load_batch(con, run_id="r2", articles=[dated]).loaded == 1
        assert con.execute("SELECT first_seen, last_seen FROM entities").fetchall() == [(WHEN[1], WHEN[1])]
    finally:
        con.close()
