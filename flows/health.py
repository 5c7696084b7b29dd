"""Extraction health in a run: measure each source, compare with its history, record, raise flags.

Every source of the run gets a row in ``source_health``, one whose pages all failed too
(0 articles, flagged ``all_rejected``). A flag is logged as a warning, shown in the run
summary, stored in ``source_health.flags`` and emitted as a Prefect event
(``newsingest.source.health.degraded``), so a Prefect automation can notify someone when a
site's redesign breaks extraction. Every source's figures are also an event of their own
(``newsingest.source.health.measured``). Both carry the figures in their payload and as
labels of their resource (``newsingest.source.<name>``), which the Event Feed shows without
opening the raw event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
from prefect.events import emit_event

from warehouse import entity_coverage
from warehouse.entity_coverage import LanguageCoverage
from warehouse.health import (
    Baseline,
    HealthFlag,
    HealthTally,
    SourceHealth,
    baseline,
    flag_all_rejected,
    flag_drops,
    previous_health,
)
from warehouse.health import record_health as store_health

__all__ = [
    "HEALTH_EVENT",
    "MEASURED_EVENT",
    "HealthReport",
    "check_entity_languages",
    "check_health",
    "emit_health_events",
    "every_source",
]

HEALTH_EVENT = "newsingest.source.health.degraded"
MEASURED_EVENT = "newsingest.source.health.measured"


@dataclass(frozen=True)
class HealthReport:
    health: SourceHealth
    baseline: Baseline
    flags: list[HealthFlag] = field(default_factory=list)


def every_source(tallies: dict[str, HealthTally], stats: Iterable[Any]) -> list[HealthTally]:
    """A tally for every source of the run (``flows.summary.SourceStats``), with its rejected and skipped pages:
    a source whose pages all failed has no articles to tally, and must still be measured."""
    result = []
    for stat in stats:
        tally = tallies.get(stat.source) or HealthTally(stat.source)
        tally.rejected = sum(stat.rejects.values())
        tally.skipped = stat.not_modified + stat.outside_window
        result.append(tally)
    return result + [tally for source, tally in tallies.items() if source not in {t.source for t in result}]


def check_entity_languages(con: duckdb.DuckDBPyConnection, *, run_id: str) -> list[LanguageCoverage]:
    """Per language, the run's articles with entities and those no model read; stored beside source health."""
    coverage = entity_coverage.measure(con, run_id=run_id)
    entity_coverage.record(con, run_id=run_id, coverage=coverage)
    return coverage


def check_health(
    con: duckdb.DuckDBPyConnection, *, run_id: str, tallies: Iterable[HealthTally]
) -> list[HealthReport]:
    """Compare and store every source of this run (one without articles as a row of zeros)."""
    reports = []
    for tally in tallies:
        health = tally.figures()
        base = baseline(previous_health(con, source=tally.source, before_run=run_id))
        flags = flag_all_rejected(tally, base) + flag_drops(health, base)
        store_health(con, run_id=run_id, health=health, flags=flags)
        reports.append(HealthReport(health, base, flags))
    return reports


def emit_health_events(reports: Sequence[HealthReport], *, run_id: str, db_path: str) -> int:
    """Per source one ``measured`` event, and one ``degraded`` event per flag; the source is the event's
    resource (its figures as labels), the flow run a related one."""
    emitted = 0
    related = [{"prefect.resource.id": f"prefect.flow-run.{run_id}", "prefect.resource.role": "flow-run"}]
    for report in reports:
        h = report.health
        figures = {
            "articles": h.articles, "title_share": round(h.title_share, 3), "authors_share": round(h.authors_share, 3),
            "published_share": round(h.published_share, 3), "body_share": round(h.body_share, 3),
            "median_body_chars": h.median_body_chars, "baseline_runs": report.baseline.runs,
        }  # fmt: skip
        resource = {
            "prefect.resource.id": f"newsingest.source.{h.source}",
            "prefect.resource.name": h.source,
            **{f"newsingest.health.{key}": str(value) for key, value in figures.items()},
        }
        flags = [flag.describe() for flag in report.flags]
        event = emit_event(
            event=MEASURED_EVENT, resource=resource, related=related,
            payload={**figures, "flags": flags, "db_path": db_path},
        )  # fmt: skip
        emitted += event is not None
        for flag in report.flags:
            event = emit_event(
                event=HEALTH_EVENT,
                resource={**resource, "newsingest.health.metric": flag.metric},
                related=related,
                payload={
                    "metric": flag.metric,
                    "current": flag.current,
                    "baseline": flag.baseline,
                    "previous_runs": flag.runs,
                    "articles": h.articles,
                    "summary": flag.describe(),
                    "figures": figures,
                    "db_path": db_path,
                },
            )
            emitted += event is not None
    return emitted
