"""Full-text search: the extension loads from the installed package, BM25 ranks the seed first."""

from __future__ import annotations

import duckdb
import pytest

from flows.cli import main
from parsers.article import Article
from tests.analytics_db import corpora_available, session_db
from warehouse import ArticleRecord, connect, load_batch
from warehouse.search import SearchError, fts_extension_path, search


def test_extension_file_comes_from_the_package():
    path = fts_extension_path()
    assert path.name == "fts.duckdb_extension" and path.is_file()
    assert f"v{duckdb.__version__}" in path.parts


def _record(url: str, title: str, body: str) -> ArticleRecord:
    return ArticleRecord(uri=url, input_source="t", article=Article(title=title, body=body, url=url))


def test_bm25_ranks_the_most_relevant_article_first(tmp_path):
    con = connect(tmp_path / "news.duckdb")
    with pytest.raises(SearchError):
        search(con, "crimea")
    load_batch(con, run_id="r1", articles=[
        _record("a", "Football results", "The match in Madrid ended in a draw after extra time."),
        _record("b", "Treasury sanctions", "The Treasury imposed sanctions on companies working in Crimea."),
        _record("c", "Crimea tourism", "Tourists returned to the beaches of Crimea this summer."),
    ])
    hits = search(con, "Treasury sanctions Crimea")
    assert [hit.url for hit in hits] == ["b", "c"]
    assert search(con, "sanctioned") and search(con, "SANCTION")[0].url == "b"  # stemmed, case-folded
    assert search(con, "zeppelin") == []
    con.close()


def test_the_sql_command_can_call_the_search_macro(tmp_path, capsys):
    db = tmp_path / "news.duckdb"
    con = connect(db)
    load_batch(con, run_id="r1", articles=[
        _record("a", "Football results", "The match in Madrid ended in a draw after extra time."),
        _record("b", "Treasury sanctions", "The Treasury imposed sanctions on companies working in Crimea."),
    ])  # fmt: skip
    con.close()
    query = "SELECT 'hit=' || url FROM search_articles('sanctions') JOIN articles USING (article_id)"
    assert main(["sql", query, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "hit=b" in out and "hit=a" not in out


@pytest.mark.slow
@pytest.mark.corpora
@pytest.mark.skipif(not corpora_available(), reason="../shared/corpora is absent")
def test_cli_search_ranks_the_seed_first_among_the_corpora(capsys):
    assert main(["search", "Treasury sanctions Crimea", "--db", str(session_db()), "--limit", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("  1.") and "US to continue diplomatic ties with Russia" in out[0]


def test_cli_search_without_a_warehouse_says_so(tmp_path, capsys):
    assert main(["search", "crimea", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no warehouse" in capsys.readouterr().err
