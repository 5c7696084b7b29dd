"""The incremental search index: kept per batch, faithful to the fts extension's BM25."""

from __future__ import annotations

import shutil

import pytest

from parsers.article import Article
from tests.analytics_db import corpora_available, session_db
from warehouse import ArticleRecord, connect, load_batch
from warehouse.search import load_fts, search


def _record(url: str, title: str, body: str) -> ArticleRecord:
    return ArticleRecord(uri=url, input_source="t", article=Article(title=title, body=body, url=url))


def _index_rows(con) -> tuple[int, int]:
    return (con.execute("SELECT count(*) FROM search_terms").fetchone()[0],
            con.execute("SELECT count(*) FROM search_docs").fetchone()[0])


def test_a_later_batch_is_found_without_a_rebuild(tmp_path):
    con = connect(tmp_path / "news.duckdb")
    load_batch(con, run_id="r1", articles=[_record("a", "Harbour news", "Fishing boats left the harbour at dawn.")])
    assert search(con, "glaciers") == []
    load_batch(con, run_id="r2", articles=[_record("b", "Melting glaciers", "Alpine glaciers lost more ice.")])
    assert [hit.url for hit in search(con, "glacier")] == ["b"]
    assert [hit.url for hit in search(con, "harbours")] == ["a"]
    con.close()


def test_a_changed_article_matches_its_new_words_only(tmp_path):
    con = connect(tmp_path / "news.duckdb")
    load_batch(con, run_id="r1", articles=[
        _record("a", "Storm warning", "A violent storm hit the coast of Brittany."),
        _record("b", "Markets", "Shares rose in Tokyo."),
    ])
    assert [hit.url for hit in search(con, "brittany")] == ["a"]
    load_batch(con, run_id="r2", articles=[_record("a", "Storm warning", "The storm moved on towards Normandy.")])
    assert search(con, "brittany") == [] and search(con, "violent") == []
    assert [hit.url for hit in search(con, "normandy")] == ["a"]
    # The old rows are gone, not just outscored: one length row per article, the new count of words.
    assert con.execute("SELECT length FROM search_docs WHERE article_id = ?", [search(con, "storm")[0].article_id]
                       ).fetchone()[0] == 5  # storm warning storm move normandy ("the", "on", "towards" are stop words)
    assert _index_rows(con)[1] == 2
    con.close()


def test_unchanged_and_duplicate_pages_add_no_rows(tmp_path):
    con = connect(tmp_path / "news.duckdb")
    batch = [_record("a", "Storm warning", "A violent storm hit the coast."), _record("b", "Markets", "Shares rose.")]
    load_batch(con, run_id="r1", articles=batch)
    before = _index_rows(con)
    assert before[0] > 0 and before[1] == 2
    copy = _record("c", "Storm warning", "A violent storm hit the coast.")  # same text, another URL
    result = load_batch(con, run_id="r2", articles=[*batch, copy])
    assert (result.unchanged, result.duplicates) == (2, 1)
    assert _index_rows(con) == before
    con.close()


def test_no_words_in_common_means_no_hits_and_stop_words_alone_match_nothing(tmp_path):
    con = connect(tmp_path / "news.duckdb")
    load_batch(con, run_id="r1", articles=[_record("a", "Storm", "The storm is over.")])
    assert search(con, "the is over") == []  # all stop words: not indexed
    assert search(con, "") == []
    con.close()


# ---- Against the reference: the fts extension's own index over the same articles ----------------

QUERIES = (
    "Treasury sanctions Crimea",
    "election results",
    "police shooting",
    "climate change",
    "president Trump",
    "football match",
    "economy growth inflation",
    "Café société naïve",
    "the health of children",
)

needs_corpora = pytest.mark.skipif(not corpora_available(), reason="../shared/corpora is absent")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A copy of the session warehouse with the fts extension's index built over it."""
    path = tmp_path_factory.mktemp("reference") / "news.duckdb"
    shutil.copy(session_db(), path)
    con = connect(path)
    con.execute(
        "PRAGMA create_fts_index('articles', 'article_id', 'title', 'body',"
        " stemmer = 'porter', stopwords = 'english', strip_accents = 1, lower = 1, overwrite = 1)"
    )
    yield con
    con.close()


def _reference_top(con, query: str) -> list[tuple[str, float]]:
    return con.execute(
        "SELECT article_id, score FROM ("
        " SELECT article_id, fts_main_articles.match_bm25(article_id, ?) AS score FROM articles)"
        " WHERE score IS NOT NULL ORDER BY score DESC, article_id LIMIT 10",
        [query],
    ).fetchall()


def _ranked(rows: list[tuple[str, float]]) -> list[tuple[float, str]]:
    # Sums in another order may differ in the last bits: compare ranks at 1e-9, ties by id.
    return sorted((-round(score, 9), article_id) for article_id, score in rows)


@pytest.mark.slow
@pytest.mark.corpora
@needs_corpora
@pytest.mark.parametrize("query", QUERIES)
def test_top_ten_and_scores_match_the_fts_extension(reference, query):
    expected = _reference_top(reference, query)
    ours = [(hit.article_id, hit.score) for hit in search(reference, query)]
    assert [aid for _, aid in _ranked(ours)] == [aid for _, aid in _ranked(expected)]
    for (_, score), (_, want) in zip(ours, expected, strict=True):
        assert score == pytest.approx(want, rel=1e-9)


@pytest.mark.slow
@pytest.mark.corpora
@needs_corpora
def test_the_queries_reach_deep_into_the_ranking(reference):
    """The comparison above is not vacuous: most queries fill a top ten."""
    full = [query for query in QUERIES if len(_reference_top(reference, query)) == 10]
    assert len(full) >= len(QUERIES) // 2


@pytest.mark.slow
@pytest.mark.corpora
@needs_corpora
def test_the_migration_backfill_equals_the_per_batch_index(tmp_path):
    """An older warehouse upgraded by migration 050 gets the rows the batches would have written."""
    path = tmp_path / "news.duckdb"
    shutil.copy(session_db(), path)
    con = connect(path)
    per_batch = con.execute("SELECT * FROM search_terms ORDER BY ALL").fetchall()
    docs = con.execute("SELECT * FROM search_docs ORDER BY ALL").fetchall()
    load_fts(con)
    con.execute("DROP MACRO TABLE search_articles; DROP MACRO search_words;"
                " DROP TABLE search_terms; DROP TABLE search_docs; DROP TABLE search_stopwords;"
                " DELETE FROM schema_migrations WHERE version = 50")
    con.close()
    con = connect(path)  # applies 050 again, with its backfill
    assert con.execute("SELECT * FROM search_terms ORDER BY ALL").fetchall() == per_batch
    assert con.execute("SELECT * FROM search_docs ORDER BY ALL").fetchall() == docs
    assert len(docs) == con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
