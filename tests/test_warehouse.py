"""The warehouse on a real DuckDB file: migrations, idempotent transactional loads, duplicates, rejects."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import duckdb
import pytest

from parsers.article import Article
from parsers.entities import Mention
from warehouse import ArticleRecord, BatchResult, LoadBudget, Reject, batch_memory_limit_mb, connect, load_batch
from warehouse.schema import apply_migrations, available_migrations


def _record(uri: str, body: str = "First paragraph.\n\nSecond one.", **fields) -> ArticleRecord:
    article = Article(title=fields.pop("title", "A title"), body=body, url=uri, **fields)
    mentions = [Mention("John Kirby", "PERSON", 0, 5, body[0:5])]
    return ArticleRecord(uri=uri, input_source="test", article=article, mentions=mentions)


def _count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "news.duckdb")
    yield connection
    connection.close()


def test_migrations_apply_once(con):
    assert apply_migrations(con) == []  # connect() already applied them
    versions = [row[0] for row in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
    assert versions == [m.version for m in available_migrations()]
    assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0] is False  # not in a run's output


def test_loading_twice_adds_no_rows(con):
    batch = [_record("https://example.org/a"), _record("https://example.org/b", body="Other text here.")]
    binary = Reject("x.bin", "test", "parse", "unsupported_content")
    first = load_batch(con, run_id="r1", articles=batch, rejects=[binary])
    second = load_batch(con, run_id="r2", articles=batch, rejects=[binary])
    assert (first.loaded, first.rejects) == (2, 1)
    assert (second.loaded, second.unchanged) == (0, 2)
    assert [_count(con, t) for t in ("articles", "mentions", "entities", "rejects")] == [2, 2, 1, 1]
    assert con.execute("SELECT last_run_id FROM rejects").fetchone()[0] == "r2"


def test_same_text_under_another_url_is_a_known_duplicate(con):
    load_batch(con, run_id="r1", articles=[_record("https://example.org/a")])
    result = load_batch(
        con, run_id="r2", articles=[_record("https://mirror.example.net/a"), _record("https://other.example/a")]
    )
    assert (result.loaded, result.duplicates) == (0, 2)
    assert _count(con, "articles") == 1
    assert _count(con, "duplicates") == 2


def test_changed_page_replaces_article_and_mentions(con):
    load_batch(con, run_id="r1", articles=[_record("https://example.org/a")])
    result = load_batch(con, run_id="r2", articles=[_record("https://example.org/a", body="Kirby updated the text.")])
    assert result.loaded == 1
    body, first_run = con.execute("SELECT body, first_run_id FROM articles").fetchone()
    assert body == "Kirby updated the text." and first_run == "r2"
    assert con.execute("SELECT surface FROM mentions").fetchall() == [("Kirby",)]


def test_two_versions_of_a_page_in_one_batch_keep_the_later(con):
    # Two snapshots of one page saved side by side in a folder: one article, the later text.
    result = load_batch(
        con, run_id="r1",
        articles=[_record("https://example.org/a"), _record("https://example.org/a", body="Kirby updated the text.")],
    )  # fmt: skip
    assert result.loaded == 2  # both pages reached the warehouse; the second replaced the first
    assert con.execute("SELECT body FROM articles").fetchall() == [("Kirby updated the text.",)]
    assert con.execute("SELECT surface FROM mentions").fetchall() == [("Kirby",)]
    assert _count(con, "article_signatures") == 1 and _count(con, "search_docs") == 1
    assert con.execute("SELECT mentions, articles FROM entities").fetchall() == [(1, 1)]


def test_a_failing_batch_leaves_nothing(con):
    good = _record("https://example.org/a")
    broken = ArticleRecord(uri="https://example.org/b", input_source="test", article=Article(title="t", body=None))
    with pytest.raises((TypeError, duckdb.Error)):
        load_batch(con, run_id="r1", articles=[good, broken])
    assert [_count(con, t) for t in ("articles", "mentions", "entities")] == [0, 0, 0]


def test_published_time_keeps_zone_or_marks_it_unknown(con):
    zoned = datetime(2024, 5, 2, 9, 30, tzinfo=timezone(timedelta(hours=10)))
    load_batch(
        con,
        run_id="r1",
        articles=[
            _record("https://example.org/zoned", body="Zoned.", published_at=zoned, published_tz_known=True),
            _record("https://example.org/local", body="Local.", published_at=datetime(2016, 12, 21, 18, 13)),
        ],
    )
    rows = dict(
        (url, (local, tz, utc))
        for url, local, tz, utc in con.execute(
            "SELECT url, published_at, published_tz, published_utc AT TIME ZONE 'UTC' FROM articles"
        ).fetchall()
    )
    assert rows["https://example.org/zoned"] == (datetime(2024, 5, 2, 9, 30), "+10:00", datetime(2024, 5, 1, 23, 30))
    assert rows["https://example.org/local"] == (datetime(2016, 12, 21, 18, 13), None, None)


def test_entity_ids_are_stable_across_databases(tmp_path):
    ids = []
    for name in ("one", "two"):
        con = connect(tmp_path / f"{name}.duckdb")
        load_batch(con, run_id=name, articles=[_record(f"https://example.org/{name}")])
        ids.append(con.execute("SELECT entity_id FROM entities").fetchall())
        con.close()
    assert ids[0] == ids[1]


def test_same_text_with_new_metadata_updates_in_place(con):
    load_batch(con, run_id="r1", articles=[_record("https://example.org/a")])
    fixed = _record("https://example.org/a", authors=["Jane Doe"], published_at=datetime(2024, 1, 2, 3, 4))
    result = load_batch(con, run_id="r2", articles=[fixed])
    assert (result.loaded, result.unchanged) == (1, 0)
    authors, published, first_run, last_run = con.execute(
        "SELECT authors, published_at, first_run_id, last_run_id FROM articles"
    ).fetchone()
    assert authors == ["Jane Doe"] and published == datetime(2024, 1, 2, 3, 4)
    assert (first_run, last_run) == ("r1", "r2")
    assert _count(con, "mentions") == 1  # the text did not change, so its mentions stay
    again = load_batch(con, run_id="r3", articles=[fixed])
    assert (again.loaded, again.unchanged) == (0, 1)


def test_mentions_lose_their_keys_and_keep_their_rows(con):
    """Migration 070 on a warehouse with the old keyed mentions table: same rows, no index left on them."""
    load_batch(con, run_id="r1", articles=[_record(f"https://example.org/{n}", body=f"Kirby {n} said so.")
                                           for n in range(3)])  # fmt: skip
    rows = con.execute("SELECT * FROM mentions ORDER BY ALL").fetchall()
    daily = con.execute("SELECT * FROM daily_entity_counts ORDER BY ALL").fetchall()
    con.execute("ALTER TABLE mentions RENAME TO mentions_loaded")
    con.execute("CREATE TABLE mentions AS SELECT * FROM mentions_loaded LIMIT 0")
    con.execute("ALTER TABLE mentions ADD PRIMARY KEY (article_id, start_char, end_char)")
    con.execute("INSERT INTO mentions SELECT * FROM mentions_loaded")
    con.execute("DROP TABLE mentions_loaded")
    con.execute("CREATE INDEX mentions_entity ON mentions (entity_id)")
    migration = next(m for m in available_migrations() if m.name.startswith("070"))
    con.execute(migration.sql)
    assert con.execute("SELECT * FROM mentions ORDER BY ALL").fetchall() == rows
    keys = "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'mentions' AND constraint_type = 'PRIMARY KEY'"
    assert con.execute(keys).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'mentions'").fetchone()[0] == 0
    assert con.execute("SELECT * FROM daily_entity_counts ORDER BY ALL").fetchall() == daily  # views still bind


@pytest.mark.slow  # two batches of 100 long articles into an 8 MB budget: 5 s here
def test_a_batch_over_its_duckdb_memory_budget_still_loads(tmp_path):
    con = connect(tmp_path / "news.duckdb", memory_limit_mb=8)
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "7.6 MiB"
        words = " ".join(f"Word{i} Kirby said." for i in range(3000))  # ~3,000 terms each to index
        batch = [_record(f"https://example.org/{n}", body=f"Story {n}. {words}") for n in range(100)]
        result = load_batch(con, run_id="r1", articles=batch)
        assert (result.loaded, result.over_budget) == (100, 1)  # rolled back, then loaded without the budget
        assert _count(con, "articles") == 100 and _count(con, "search_docs") == 100
        back = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert back.endswith(" MiB") and float(back.split()[0]) < 8  # the budget is back (give or take rounding)
        again = [_record(f"https://example.org/again/{n}", body=f"Another {n}. {words}") for n in range(100)]
        second = load_batch(con, run_id="r2", articles=again)
        assert (second.loaded, second.over_budget) == (100, 1)  # held to the budget again, not left without it
    finally:
        con.close()


def test_batch_memory_budget_from_the_environment(monkeypatch):
    monkeypatch.delenv("NEWSINGEST_LOAD_MEMORY_MB", raising=False)
    assert batch_memory_limit_mb() == 64
    monkeypatch.setenv("NEWSINGEST_LOAD_MEMORY_MB", "0")
    assert batch_memory_limit_mb() is None  # DuckDB's own default
    monkeypatch.setenv("NEWSINGEST_LOAD_MEMORY_MB", "lots")
    with pytest.raises(ValueError, match="NEWSINGEST_LOAD_MEMORY_MB"):
        batch_memory_limit_mb()


def test_a_run_budget_doubles_after_a_batch_that_needed_more(monkeypatch):
    monkeypatch.setenv("NEWSINGEST_LOAD_MEMORY_MB", "64")
    budget = LoadBudget.from_env()
    budget.after(BatchResult(loaded=50))
    assert budget.megabytes == 64
    budget.after(BatchResult(loaded=50, over_budget=1))
    assert budget.megabytes == 128
    unlimited = LoadBudget(None)
    unlimited.after(BatchResult(over_budget=1))
    assert unlimited.megabytes is None


def test_reject_stages_are_the_schemas_list(tmp_path):
    from warehouse.records import RejectStage

    con = connect(tmp_path / "stages.duckdb")
    try:
        stages = {row[0] for row in con.execute("SELECT stage FROM reject_stages").fetchall()}
    finally:
        con.close()
    assert stages == {stage.value for stage in RejectStage}
    assert Reject("u", "s", "parse", "empty_document").stage is RejectStage.PARSE
    with pytest.raises(ValueError):
        Reject("u", "s", "parsing", "empty_document")


def test_the_loaders_article_columns_are_the_tables(tmp_path):
    from warehouse.load import ARTICLE_COLUMNS, ARTICLE_METADATA_COLUMNS

    con = connect(tmp_path / "columns.duckdb")
    try:
        table = [row[0] for row in con.execute("DESCRIBE articles").fetchall()]
    finally:
        con.close()
    assert set(ARTICLE_COLUMNS) <= set(table) and set(ARTICLE_METADATA_COLUMNS) <= set(ARTICLE_COLUMNS)
    assert len(set(ARTICLE_COLUMNS)) == len(ARTICLE_COLUMNS)
