"""How a batch's records are shared out as entities jobs among the parser workers (``flows.pool.sandbox``)."""

from __future__ import annotations

import random

from flows.pool.sandbox import _ENTITY_CHUNK, entity_jobs
from parsers import Article
from warehouse.records import ArticleRecord


def _record(n: int, chars: int, language: str | None) -> ArticleRecord:
    body = ("Word " * (chars // 5 + 1))[:chars]
    return ArticleRecord(uri=f"https://example.org/{n}", input_source="t",
                         article=Article(title=f"t{n}", body=body, url=f"https://example.org/{n}", language=language))


def _batch(seed: int, size: int = 50) -> list[ArticleRecord]:
    rng = random.Random(seed)
    languages = ["en", "en", "en", "fr", "de", "ja", None]
    return [_record(n, rng.choice([300, 2_000, 5_000, 20_000, 120_000]), rng.choice(languages)) for n in range(size)]


def _work(records: list[ArticleRecord], job: list[int]) -> int:
    return sum(len(records[i].article.body) for i in job if records[i].article.language in ("en", "fr"))


def test_every_record_is_in_exactly_one_job_of_at_most_a_chunk():
    for seed in range(20):
        records = _batch(seed, size=seed * 3)
        jobs = entity_jobs(records, workers=2)
        assert sorted(i for job in jobs for i in job) == list(range(len(records)))
        assert all(0 < len(job) <= _ENTITY_CHUNK for job in jobs)


def test_jobs_come_biggest_first_and_no_job_holds_more_than_its_share_beside_a_long_body():
    for seed in range(20):
        records = _batch(seed)
        jobs = entity_jobs(records, workers=2)
        work = [_work(records, job) for job in jobs]
        share = sum(work) / 6
        for job, amount in zip(jobs, work, strict=True):
            # Over the share only when one body alone is over it.
            assert amount <= share or max(_work(records, [i]) for i in job) > share / 2
        assert work[0] == max(work)


def test_records_without_a_model_cost_nothing_and_fill_jobs_by_count():
    records = [_record(n, 50_000, "de") for n in range(20)]
    jobs = entity_jobs(records, workers=2)
    assert [len(job) for job in jobs] == [_ENTITY_CHUNK, _ENTITY_CHUNK, 20 - 2 * _ENTITY_CHUNK]
