"""What a run did, as the console summary and the Prefect markdown artifact show it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from warehouse.load import BatchResult
from warehouse.records import Reject
from warehouse.runs import EntityCount

__all__ = ["RunSummary", "render_console", "render_markdown"]


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

    @staticmethod
    def count_reasons(rejects: list[Reject]) -> dict[str, int]:
        return dict(Counter(reject.reason for reject in rejects).most_common())


def render_console(summary: RunSummary) -> str:
    result = summary.result
    lines = [
        f"newsingest: {summary.pages_seen} page(s) from {', '.join(summary.inputs)} -> {summary.db_path}"
        f" in {summary.seconds:.1f}s",
        f"  articles loaded: {result.loaded}   unchanged: {result.unchanged}   "
        f"duplicates: {result.duplicates}   rejects: {result.rejects}",
    ]
    if summary.reject_reasons:
        reasons = ", ".join(f"{reason} {count}" for reason, count in summary.reject_reasons.items())
        lines.append(f"  rejected because: {reasons}")
    if summary.top_entities:
        top = ", ".join(f"{e.name} ({e.label}, {e.mentions})" for e in summary.top_entities[:8])
        lines.append(f"  top entities: {top}")
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
    if summary.reject_reasons:
        rows += ["", "## Rejects by reason", "", "| reason | pages |", "|---|---:|"]
        rows += [f"| {reason} | {count} |" for reason, count in summary.reject_reasons.items()]
    if summary.top_entities:
        rows += ["", "## Top entities", "", "| entity | label | mentions | articles |", "|---|---|---:|---:|"]
        rows += [f"| {e.name} | {e.label} | {e.mentions} | {e.articles} |" for e in summary.top_entities]
    return "\n".join(rows) + "\n"
