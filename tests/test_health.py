"""Extraction health: figures per source, comparison with the source's history, flags and events."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

import duckdb
import pytest

from flows.health import HEALTH_EVENT, MEASURED_EVENT, check_health
from parsers.article import Article
from tests.site_pages import write_site
from warehouse import connect
from warehouse.health import Baseline, HealthTally, SourceHealth, baseline, flag_drops, measure, previous_health

LONG = "A sentence of news. " * 15  # 300 characters


def _article(*, authors=("A. Writer",), published=True, body=LONG, title="Title") -> Article:
    return Article(
        title=title, body=body, authors=list(authors),
        published_at=datetime(2026, 11, 1, 9) if published else None,
    )


def test_measure_counts_shares_and_median():
    articles = [_article(), _article(authors=()), _article(published=False, body="short"), _article(title=None)]
    h = measure("site", articles)
    assert h == SourceHealth("site", 4, 0.75, 0.75, 0.75, 0.75, 300.0)
    assert measure("site", []) is None


def _tally(source, articles) -> HealthTally:
    tally = HealthTally(source)
    for article in articles:
        tally.add(article)
    return tally


def test_a_running_tally_gives_the_same_figures_as_the_articles():
    articles = [_article(body="x" * n) for n in (50, 900, 250, 4000, 10)] + [_article(title=" ", published=False)]
    assert _tally("site", articles).health() == measure("site", articles)
    assert measure("site", articles).median_body_chars == 275.0  # the mean of 250 and 300: an even count
    assert HealthTally("site").health() is None


def test_flags_need_a_drop_over_twenty_points_or_a_halved_body():
    base = baseline([SourceHealth("s", 10, 1.0, 0.9, 1.0, 1.0, 1000.0)] * 3)
    fine = SourceHealth("s", 10, 1.0, 0.7, 1.0, 1.0, 600.0)  # exactly 20 points down, body not halved
    assert flag_drops(fine, base) == []
    broken = SourceHealth("s", 10, 1.0, 0.0, 0.5, 1.0, 400.0)
    assert {f.metric for f in flag_drops(broken, base)} == {"authors_share", "published_share", "median_body_chars"}
    assert flag_drops(broken, Baseline(runs=0)) == []  # nothing to compare with yet
    assert flag_drops(SourceHealth("s", 2, 0, 0, 0, 0, 0), base) == []  # too few articles to judge


def test_baseline_is_the_median_so_one_bad_run_does_not_move_it():
    history = [SourceHealth("s", 5, 1.0, 1.0, 1.0, 1.0, 900.0)] * 2 + [SourceHealth("s", 5, 0, 0, 0, 0, 10.0)]
    assert baseline(history).values["authors_share"] == 1.0


def test_health_is_recorded_per_run_and_compared_with_previous_runs(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    for run in ("r1", "r2"):
        (report,) = check_health(con, run_id=run, tallies=[_tally("site", [_article() for _ in range(4)])])
        assert report.flags == []
    (report,) = check_health(con, run_id="r3", tallies=[_tally("site", [_article(authors=()) for _ in range(4)])])
    assert [f.metric for f in report.flags] == ["authors_share"] and report.baseline.runs == 2
    assert len(previous_health(con, source="site", before_run="r3")) == 2
    rows = con.execute("SELECT run_id, authors_share, flags FROM source_health ORDER BY run_id").fetchall()
    assert rows == [("r1", 1.0, []), ("r2", 1.0, []), ("r3", 0.0, ["authors_share"])]
    con.close()


def test_a_source_without_articles_gets_a_row_and_all_rejected_is_flagged(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    check_health(con, run_id="r1", tallies=[_tally("dead", [_article() for _ in range(4)])])
    failed, unchanged = HealthTally("dead", rejected=5), HealthTally("quiet", skipped=3)
    reports = check_health(con, run_id="r2", tallies=[failed, unchanged, _tally("ok", [_article()])])
    assert [(r.health.source, r.health.articles, [f.metric for f in r.flags]) for r in reports] == [
        ("dead", 0, ["all_rejected"]), ("quiet", 0, []), ("ok", 1, []),
    ]
    assert reports[0].flags[0].describe() == "all 5 page(s) rejected, no article"
    rows = con.execute("SELECT run_id, source, articles, flags FROM source_health ORDER BY run_id, source").fetchall()
    assert rows == [("r1", "dead", 4, []), ("r2", "dead", 0, ["all_rejected"]), ("r2", "ok", 1, []),
                    ("r2", "quiet", 0, [])]  # fmt: skip
    # A run without articles says nothing about extraction: it is not part of the next run's baseline.
    assert [h.articles for h in previous_health(con, source="dead", before_run="r3")] == [4]
    con.close()


@pytest.mark.slow
def test_every_source_of_a_run_is_measured_and_its_events_carry_the_figures(tmp_path, prefect_server):
    from flows.ingest import ingest
    from tests.proc_helpers import synthetic_pages

    good = synthetic_pages(tmp_path / "good", 3)
    broken = tmp_path / "broken"
    broken.mkdir()
    for n in range(2):
        (broken / f"blank-{n}.html").write_text("<html><body></body></html>")
    summary = ingest(paths=[str(good), str(broken)], db_path=str(tmp_path / "news.duckdb"), workers=1)
    by_source = {report.health.source: report for report in summary.health}
    assert set(by_source) == {str(good), str(broken)}
    assert by_source[str(good)].health.articles == 3 and by_source[str(good)].flags == []
    assert [f.metric for f in by_source[str(broken)].flags] == ["all_rejected"]
    assert any("all 2 page(s) rejected" in flag for flag in summary.flags)

    measured = _events_for(summary.run_id, expected=2, name=MEASURED_EVENT)
    assert sorted((e.resource.name, e.payload["articles"]) for e in measured) == [(str(broken), 0), (str(good), 3)]
    for event in measured:
        assert event.resource.id == f"newsingest.source.{event.resource.name}"
        assert event.resource["newsingest.health.articles"] == str(event.payload["articles"])
        assert {"title_share", "authors_share", "published_share", "body_share", "median_body_chars"} <= set(
            event.payload
        )
    [degraded] = _events_for(summary.run_id, expected=1)
    assert degraded.payload["metric"] == "all_rejected" and degraded.payload["current"] == 2
    assert degraded.resource.name == str(broken)


# --- through the flow: a site is redesigned between runs ------------------------------------------------


@pytest.fixture(scope="module")
def redesigned(tmp_path_factory, prefect_server):
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("health")
    site = write_site(root / "townnews", layout="old")
    db = str(root / "news.duckdb")
    first = ingest(paths=[str(site)], db_path=db)
    again = ingest(paths=[str(site)], db_path=db)  # same pages: parse results come from the cache
    write_site(site, layout="new")
    after = ingest(paths=[str(site)], db_path=db)
    return db, first, again, after


@pytest.mark.slow
def test_redesign_is_flagged_recorded_and_emitted(redesigned):
    db, first, again, after = redesigned
    assert first.flags == [] and again.flags == []
    (report,) = after.health
    assert {f.metric for f in report.flags} == {"authors_share", "published_share"}
    assert any("authors 0%, was 100%" in flag for flag in after.flags)
    with duckdb.connect(db, read_only=True) as con:
        rows = con.execute("SELECT authors_share, published_share, flags FROM source_health"
                           " ORDER BY measured_at").fetchall()
    assert rows[:2] == [(1.0, 1.0, []), (1.0, 1.0, [])]
    assert rows[2][:2] == (0.0, 0.0) and sorted(rows[2][2]) == ["authors_share", "published_share"]
    events = _events_for(after.run_id, expected=2)
    assert {e.payload["metric"] for e in events} == {"authors_share", "published_share"}
    assert all(e.resource.id == "newsingest.source." + report.health.source for e in events)


@pytest.mark.slow
def test_repeated_run_takes_parse_results_from_the_cache(redesigned):
    _, first, again, _ = redesigned
    states = _task_states(again.run_id)
    assert states["parse"] == {"Cached"} and states["entities"] == {"Cached"}
    assert _task_states(first.run_id)["parse"] == {"Completed"}
    assert again.result.unchanged == 5 and again.result.loaded == 0


def _task_states(flow_run_id: str) -> dict[str, set[str]]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def read():
        async with get_client() as client:
            return await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))

    states: dict[str, set[str]] = {}
    for run in asyncio.run(read()):
        states.setdefault(run.name.split("-")[0], set()).add(run.state.name)
    return states


def _events_for(flow_run_id: str, *, expected: int, wait: float = 90.0, name: str = HEALTH_EVENT):
    """Health events of one flow run, as the server stored them (events are written asynchronously)."""
    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventRelatedFilter
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all()

    async def read():
        wanted = EventFilter(  # built per query: its time window ends at "now"
            event=EventNameFilter(name=[name]),
            related=EventRelatedFilter(id=[f"prefect.flow-run.{flow_run_id}"]),
        )
        async with get_client() as client:
            return (await client.read_events(filter=wanted, limit=50)).events  # the server allows 50 at most

    deadline = time.monotonic() + wait
    while True:
        events = asyncio.run(read())
        # Events arrive one by one: wait for all of them, not just the first (a loaded machine is slow).
        if len(events) >= expected or time.monotonic() > deadline:
            return events
        time.sleep(0.5)
