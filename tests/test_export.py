"""Parquet export: partitioned by publication date, and reading it back gives the same row counts."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from flows.cli import main
from parsers.article import Article
from parsers.entities import Mention
from tests.analytics_db import corpora_available, session_db
from warehouse import ArticleRecord, connect, load_batch
from warehouse.export import export_parquet, read_back_counts


def _record(url: str, published: datetime | None) -> ArticleRecord:
    body = f"Kirby spoke in Moscow about {url}."
    return ArticleRecord(
        uri=url, input_source="t", article=Article(title="T", body=body, url=url, published_at=published),
        mentions=[Mention("Kirby", "PERSON", 0, 5, "Kirby"), Mention("Moscow", "GPE", 15, 21, "Moscow")],
    )


def test_export_round_trips_and_partitions_by_day(tmp_path):
    db = tmp_path / "news.duckdb"
    con = connect(db)
    load_batch(con, run_id="r1", articles=[_record("a", datetime(2016, 12, 21, 18, 13)),
                                           _record("b", datetime(2016, 12, 22, 9, 0)), _record("c", None)])
    con.close()
    out = tmp_path / "export"
    for _ in range(2):  # a second export replaces the first
        assert main(["export", "--parquet", str(out), "--db", str(db)]) == 0
    days = sorted(p.name for p in (out / "articles").iterdir())
    assert days == ["published_date=2016-12-21", "published_date=2016-12-22",
                    "published_date=__HIVE_DEFAULT_PARTITION__"]
    with duckdb.connect() as reader:
        assert read_back_counts(reader, out) == {"articles": 3, "entities": 2, "mentions": 6}
        body = reader.execute(
            f"SELECT body FROM read_parquet('{out}/articles/**/*.parquet', hive_partitioning = true)"
            " WHERE published_date = DATE '2016-12-22'"
        ).fetchone()[0]
    assert body == "Kirby spoke in Moscow about b."


@pytest.mark.slow
@pytest.mark.corpora
@pytest.mark.skipif(not corpora_available(), reason="../shared/corpora is absent")
def test_corpus_warehouse_round_trips(tmp_path):
    with duckdb.connect(str(session_db()), read_only=True) as con:
        written = export_parquet(con, tmp_path)
        tables = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in written}
    with duckdb.connect() as reader:
        assert read_back_counts(reader, tmp_path) == written == tables
