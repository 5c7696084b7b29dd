"""Extraction health in a run: measure each source, compare with its history, record, raise flags.

A flag is logged as a warning, shown in the run summary, stored in ``source_health.flags``
and emitted as a Prefect event (``newsingest.source.health.degraded``), so a Prefect
automation can notify someone when a site's redesign breaks extraction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import duckdb
from prefect.events import emit_event

from warehouse import entity_coverage
from warehouse.entity_coverage import LanguageCoverage
from warehouse.health import Baseline, HealthFlag, HealthTally, SourceHealth, baseline, flag_drops, previous_health
from warehouse.health import record_health as store_health

__all__ = ["HEALTH_EVENT", "HealthReport", "check_entity_languages", "check_health", "emit_health_events"]

HEALTH_EVENT = "newsingest.source.health.degraded"


@dataclass(frozen=True)
class HealthReport:
    health: SourceHealth
    baseline: Baseline
    flags: list[HealthFlag] = field(default_factory=list)


def check_health(
    con: duckdb.DuckDBPyConnection, *, run_id: str, tallies: Iterable[HealthTally]
) -> list[HealthReport]:
    """Compare and store every source that yielded articles in this run."""
    reports = []
    for tally in tallies:
        health = tally.health()
        if health is None:
            continue
        base = baseline(previous_health(con, source=tally.source, before_run=run_id))
        flags = flag_drops(health, base)
        store_health(con, run_id=run_id, health=health, flags=flags)
        reports.append(HealthReport(health, base, flags))
    return reports


def check_entity_languages(db_path: str, *, run_id: str) -> list[LanguageCoverage]:
    """Per language, the run's articles with entities and those no model read; stored beside source health."""
    from flows.writelock import write_window
    from warehouse import connect

    with write_window(db_path):
        con = connect(db_path)
        try:
            coverage = entity_coverage.measure(con, run_id=run_id)
            entity_coverage.record(con, run_id=run_id, coverage=coverage)
        finally:
            con.close()
    return coverage


def emit_health_events(reports: Sequence[HealthReport], *, run_id: str, db_path: str) -> int:
    """One event per flag; the source is the event's resource, the flow run a related one."""
    emitted = 0
    for report in reports:
        for flag in report.flags:
            event = emit_event(
                event=HEALTH_EVENT,
                resource={
                    "prefect.resource.id": f"newsingest.source.{flag.source}",
                    "prefect.resource.name": flag.source,
                },
                related=[{"prefect.resource.id": f"prefect.flow-run.{run_id}", "prefect.resource.role": "flow-run"}],
                payload={
                    "metric": flag.metric,
                    "current": flag.current,
                    "baseline": flag.baseline,
                    "previous_runs": flag.runs,
                    "articles": report.health.articles,
                    "summary": flag.describe(),
                    "db_path": db_path,
                },
            )
            emitted += event is not None
    return emitted
