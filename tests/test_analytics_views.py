"""The analyst views on a small hand-made warehouse, where every figure can be counted by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from parsers.article import Article
from parsers.entities import Mention
from warehouse import ArticleRecord, Reject, connect, load_batch, start_run
from warehouse.search import search


def _record(url: str, day: int, people: list[str], site: str = "Site A") -> ArticleRecord:
    body = " and ".join(people) + f" met in Geneva on day {day}."
    mentions, at = [], 0
    for person in people:
        mentions.append(Mention(person, "PERSON", at, at + len(person), person))
        at += len(person) + len(" and ")
    geneva = body.index("Geneva")
    mentions.append(Mention("Geneva", "GPE", geneva, geneva + 6, "Geneva"))
    article = Article(title=f"Day {day}", body=body, url=url, site_name=site,
                      published_at=datetime(2024, 3, day, 12, 0))
    return ArticleRecord(uri=url, input_source="t", article=article, mentions=mentions)


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "news.duckdb")
    start_run(connection, run_id="r1", name="first", inputs=["x"])
    load_batch(connection, run_id="r1", articles=[
        _record("https://a.example/1", 1, ["Ann Lee", "Bo Chan"]),
        _record("https://a.example/2", 1, ["Ann Lee", "Cy Diaz"]),
        _record("https://b.example/3", 5, ["Ann Lee", "Bo Chan"], site="Site B"),
    ], rejects=[Reject("bad.html", "x", "parse", "empty_document"),
                Reject("bin.pdf", "x", "parse", "unsupported_content")])
    start_run(connection, run_id="r2", name="second", inputs=["x"])
    load_batch(connection, run_id="r2", articles=[], rejects=[Reject("bad.html", "x", "parse", "empty_document")])
    yield connection
    connection.close()


def test_daily_volume(con):
    rows = con.execute("SELECT day, site_name, articles FROM daily_volume ORDER BY ALL").fetchall()
    assert rows == [(date(2024, 3, 1), "Site A", 2), (date(2024, 3, 5), "Site B", 1)]


def test_daily_entity_counts(con):
    rows = con.execute("SELECT day, mentions, articles FROM daily_entity_counts WHERE name = 'Ann Lee' ORDER BY 1")
    assert rows.fetchall() == [(date(2024, 3, 1), 2, 2), (date(2024, 3, 5), 1, 1)]


def test_cooccurrence_counts_pairs_once_with_first_and_last_seen(con):
    rows = con.execute(
        "SELECT least(name_a, name_b), greatest(name_a, name_b), articles, first_seen, last_seen"
        " FROM entity_cooccurrence WHERE label_a = 'PERSON' AND label_b = 'PERSON' ORDER BY ALL"
    ).fetchall()
    assert rows == [
        ("Ann Lee", "Bo Chan", 2, datetime(2024, 3, 1, 12), datetime(2024, 3, 5, 12)),
        ("Ann Lee", "Cy Diaz", 1, datetime(2024, 3, 1, 12), datetime(2024, 3, 1, 12)),
    ]


def test_top_entities_over_a_window(con):
    rows = con.execute("SELECT name, mentions FROM top_entities(DATE '2024-03-01', DATE '2024-03-02', n := 2)")
    assert rows.fetchall() == [("Ann Lee", 2), ("Geneva", 2)]
    later = con.execute("SELECT name FROM top_entities(DATE '2024-03-02', DATE '2024-04-01') ORDER BY name")
    assert [name for (name,) in later.fetchall()] == ["Ann Lee", "Bo Chan", "Geneva"]


def test_rejects_by_run_keeps_each_runs_reasons(con):
    rows = con.execute("SELECT run_id, flow_run_name, reason, pages FROM rejects_by_run ORDER BY ALL").fetchall()
    assert rows == [("r1", "first", "empty_document", 1), ("r1", "first", "unsupported_content", 1),
                    ("r2", "second", "empty_document", 1)]


def test_a_loaded_batch_is_searchable_before_the_run_closes(tmp_path):
    db = tmp_path / "news.duckdb"
    con = connect(db)
    load_batch(con, run_id="r1", articles=[_record("https://a.example/1", 1, ["Ann Lee"])])
    con.close()
    con = connect(db)
    assert [hit.url for hit in search(con, "geneva")] == ["https://a.example/1"]
    con.close()
