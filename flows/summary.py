"""What a run did, as the console summary and the Prefect markdown artifact show it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flows.health import HealthReport
from warehouse.entity_coverage import LanguageCoverage, describe_coverage
from warehouse.load import BatchResult
from warehouse.records import Reject
from warehouse.runs import EntityCount

__all__ = ["RunSummary", "SourceStats", "render_console", "render_markdown"]


@dataclass
class SourceStats:
    """One source's counts in one run, filled in as its batches go through."""

    source: str
    discovered: int = 0
    fetched: int = 0  # pages read from disk or fetched with a body
    not_modified: int = 0  # HTTP 304: unchanged since the last fetch, not parsed again
    parsed: int = 0
    outside_window: int = 0  # parsed, but published outside a backfill's dates
    loaded: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejects: Counter[str] = field(default_factory=Counter)  # reason -> pages
    seconds: float = 0.0

    def add_rejects(self, rejects: list[Reject]) -> None:
        self.rejects.update(reject.reason for reject in rejects)

    def add_result(self, result: BatchResult) -> None:
        self.loaded += result.loaded
        self.unchanged += result.unchanged
        self.duplicates += result.duplicates


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    db_path: str
    inputs: list[str]
    pages_seen: int
    result: BatchResult
    reject_reasons: dict[str, int] = field(default_factory=dict)
    top_entities: list[EntityCount] = field(default_factory=list)
    seconds: float = 0.0
    sources: list[SourceStats] = field(default_factory=list)
    health: list[HealthReport] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    entity_languages: list[LanguageCoverage] = field(default_factory=list)

    @staticmethod
    def count_reasons(rejects: list[Reject]) -> dict[str, int]:
        return dict(Counter(reject.reason for reject in rejects).most_common())

    @property
    def flags(self) -> list[str]:
        return [f"{flag.source}: {flag.describe()}" for report in self.health for flag in report.flags]


def render_console(summary: RunSummary, *, wall_seconds: float | None = None) -> str:
    """``wall_seconds``: the command's own time, Prefect's start-up included (the run's time leaves it out)."""
    result = summary.result
    total = f" ({wall_seconds:.1f}s in all, with Prefect's start-up)" if wall_seconds is not None else ""
    lines = [
        f"newsingest: {summary.pages_seen} page(s) from {', '.join(summary.inputs)} -> {summary.db_path}"
        f" in {summary.seconds:.1f}s{total}",
        f"  articles loaded: {result.loaded}   unchanged: {result.unchanged}   "
        f"duplicates: {result.duplicates}   rejects: {result.rejects}",
    ]
    if summary.reject_reasons:
        reasons = ", ".join(f"{reason} {count}" for reason, count in summary.reject_reasons.items())
        lines.append(f"  rejected because: {reasons}")
    if summary.top_entities:
        top = ", ".join(f"{e.name} ({e.label}, {e.mentions})" for e in summary.top_entities[:8])
        lines.append(f"  top entities: {top}")
    if summary.entity_languages:
        lines.append(f"  {describe_coverage(summary.entity_languages)}")
    lines += [f"  extraction health dropped: {flag}" for flag in summary.flags]
    return "\n".join(lines)


def render_markdown(summary: RunSummary) -> str:
    result = summary.result
    rows = [
        "# Ingest run summary",
        "",
        f"Inputs: {', '.join(f'`{path}`' for path in summary.inputs)}  ",
        f"Warehouse: `{summary.db_path}`  ",
        f"Time: {summary.seconds:.1f} s",
        "",
        "| pages seen | articles loaded | unchanged | duplicates | rejects |",
        "|---:|---:|---:|---:|---:|",
        f"| {summary.pages_seen} | {result.loaded} | {result.unchanged} | {result.duplicates} | {result.rejects} |",
    ]
    if summary.flags:
        rows += ["", "## Extraction health flags", ""]
        rows += [f"- **{_md(flag)}**" for flag in summary.flags]
    if summary.sources:
        rows += [
            "", "## Per source", "",
            "| source | discovered | fetched | not modified | parsed | duplicates | rejected | loaded | unchanged"
            " | time |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        rows += [
            f"| {_md(s.source)} | {s.discovered} | {s.fetched} | {s.not_modified} | {s.parsed} | {s.duplicates}"
            f" | {sum(s.rejects.values())} | {s.loaded} | {s.unchanged} | {s.seconds:.1f} s |"
            for s in summary.sources
        ]
        outside = [s for s in summary.sources if s.outside_window]
        rows += ["", *(f"{_md(s.source)}: {s.outside_window} article(s) published outside the backfill's dates"
                       " were not loaded.  " for s in outside)] if outside else []
    rejected = [(s.source, reason, n) for s in summary.sources for reason, n in s.rejects.most_common()]
    if rejected:
        rows += ["", "## Rejects by reason", "", "| source | reason | pages |", "|---|---|---:|"]
        rows += [f"| {_md(source)} | {reason} | {n} |" for source, reason, n in rejected]
    elif summary.reject_reasons:
        rows += ["", "## Rejects by reason", "", "| reason | pages |", "|---|---:|"]
        rows += [f"| {reason} | {count} |" for reason, count in summary.reject_reasons.items()]
    if summary.health:
        rows += [
            "", "## Extraction health", "",
            "Share of this run's articles with each field; in brackets the median of the source's previous runs.",
            "",
            "| source | articles | title | authors | date | body > 200 chars | median body | previous runs |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        rows += [_health_row(report) for report in summary.health]
    if summary.entity_languages:
        rows += ["", "## Entities by language", "",
                 "| language | articles | with entities | no entity model |", "|---|---:|---:|---:|"]
        rows += [f"| {c.language} | {c.articles} | {c.with_entities} | {c.no_model} |"
                 for c in summary.entity_languages]  # fmt: skip
    if summary.top_entities:
        rows += ["", "## Top entities", "", "| entity | label | mentions | articles |", "|---|---|---:|---:|"]
        rows += [f"| {_md(e.name)} | {e.label} | {e.mentions} | {e.articles} |" for e in summary.top_entities]
    return "\n".join(rows) + "\n"


def _health_row(report: HealthReport) -> str:
    h, base = report.health, report.baseline
    flagged = {flag.metric for flag in report.flags}

    def cell(metric: str) -> str:
        value = getattr(h, metric)
        text = f"{value:.0f}" if metric == "median_body_chars" else f"{value:.0%}"
        if base.runs:
            was = base.values[metric]
            text += f" ({was:.0f})" if metric == "median_body_chars" else f" ({was:.0%})"
        return f"**{text}** ⚠" if metric in flagged else text

    metrics = ("title_share", "authors_share", "published_share", "body_share", "median_body_chars")
    return f"| {_md(h.source)} | {h.articles} | " + " | ".join(cell(m) for m in metrics) + f" | {base.runs} |"


def _md(text: str) -> str:
    """Table cells: a pipe or newline in a name must not break the table."""
    return text.replace("|", "\\|").replace("\n", " ")
