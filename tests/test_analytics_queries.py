"""Analyst views and docs/queries.sql on a warehouse built from seeds/ and the corpora's HTML pages."""

from __future__ import annotations

import duckdb
import pytest

from tests.analytics_db import ROOT, corpora_available, session_db
from warehouse.search import load_fts
from warehouse.views import ANALYST_VIEWS, read_queries

pytestmark = [
    pytest.mark.slow,
    pytest.mark.corpora,
    pytest.mark.skipif(not corpora_available(), reason="../shared/corpora is absent"),
]

QUERIES = read_queries(ROOT / "docs" / "queries.sql")


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect(str(session_db()), read_only=True)
    load_fts(connection)
    yield connection
    connection.close()


def test_the_queries_file_documents_at_least_ten_questions():
    assert len(QUERIES) >= 10
    assert len({q.name for q in QUERIES}) == len(QUERIES)
    assert all(q.question.endswith("?") or "?" in q.question for q in QUERIES)


@pytest.mark.parametrize("view", sorted(ANALYST_VIEWS))
def test_every_view_returns_rows(con, view):
    assert con.execute(f"SELECT count(*) FROM {view}").fetchone()[0] > 0


def test_top_entities_macro_over_a_window(con):
    rows = con.execute(
        "SELECT name, mentions FROM top_entities(DATE '2000-01-01', DATE '2100-01-01', n := 5)"
    ).fetchall()
    assert len(rows) == 5 and rows == sorted(rows, key=lambda r: -r[1])


# Questions whose answer may rightly be empty on an archive of unrelated pages.
MAY_BE_EMPTY = {"cooccurring_people_this_week", "syndicated_stories"}


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_documented_query_runs(con, query):
    rows = con.execute(query.sql).fetchall()
    assert rows or query.name in MAY_BE_EMPTY


def test_entity_names_have_no_determiner_or_bracket(con):
    bad = con.execute(
        "SELECT name FROM entities WHERE regexp_matches(name, '^(?i)(the|a|an)\\s')"
        " OR regexp_matches(name, '[\\[\\](){}]')"
    ).fetchall()
    assert bad == []


def test_no_person_under_surname_and_full_name_in_one_article(con):
    pairs = con.execute(
        """
        WITH p AS (
            SELECT DISTINCT m.article_id, e.entity_id, e.name
            FROM mentions m JOIN entities e USING (entity_id) WHERE m.label = 'PERSON'
        )
        SELECT a.article_id, a.name, b.name
        FROM p a JOIN p b ON a.article_id = b.article_id AND a.entity_id <> b.entity_id
        WHERE a.name NOT LIKE '% %' AND lower(b.name) LIKE '% ' || lower(a.name)
        """
    ).fetchall()
    assert pairs == []


def test_each_article_has_one_cluster_and_clusters_cover_all(con):
    missing = con.execute("SELECT count(*) FROM articles WHERE cluster_id IS NULL").fetchone()[0]
    covered = con.execute("SELECT sum(articles) FROM clusters").fetchone()[0]
    assert missing == 0 and covered == con.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_entity_figures_agree_with_mentions(con):
    wrong = con.execute(
        "SELECT count(*) FROM entities e LEFT JOIN (SELECT entity_id, count(*) AS n FROM mentions GROUP BY 1) m"
        " USING (entity_id) WHERE coalesce(m.n, 0) <> e.mentions OR e.low_confidence <> (e.mentions <= 1)"
    ).fetchone()[0]
    assert wrong == 0
