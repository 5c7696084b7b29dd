"""The artifacts every ingest run leaves in Prefect: what a person opens the run page to see.

- ``ingest-summary`` (markdown): totals, per-source counts and times, rejects by reason,
  extraction health against the source's history, top entities;
- ``ingest-rejects`` (table): every reject with its URL, stage and reason;
- ``ingest-top-entities`` (table): the run's most mentioned entities;
- ``ingest-entity-languages`` (table): per language, articles with entities and with no entity model;
- a progress artifact, updated after each batch while the run goes on.
"""

from __future__ import annotations

from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

from flows.summary import RunSummary, render_markdown

__all__ = ["MAX_REJECT_ROWS", "RunProgress", "publish_run_artifacts"]

MAX_REJECT_ROWS = 2000  # a table the UI can still show; the warehouse's rejects table has them all


def publish_run_artifacts(summary: RunSummary) -> None:
    create_markdown_artifact(render_markdown(summary), key="ingest-summary", description="What this run did")
    rows = [
        {"source": r.input_source, "url": r.uri, "stage": r.stage, "reason": r.reason, "detail": r.detail[:300]}
        for r in summary.rejects[:MAX_REJECT_ROWS]
    ]
    more = len(summary.rejects) - len(rows)
    create_table_artifact(
        rows,
        key="ingest-rejects",
        description=f"Pages rejected in this run ({len(summary.rejects)})"
        + (f"; the first {len(rows)} shown, all are in the rejects table" if more else ""),
    )
    if summary.entity_languages:
        create_table_artifact(
            [{"language": c.language, "articles": c.articles, "with entities": c.with_entities,
              "no entity model": c.no_model} for c in summary.entity_languages],
            key="ingest-entity-languages",
            description="Per language: this run's articles with entities, and those no entity model could read",
        )  # fmt: skip
    if summary.top_entities:
        create_table_artifact(
            [
                {"entity": e.name, "label": e.label, "mentions": e.mentions, "articles": e.articles}
                for e in summary.top_entities
            ],
            key="ingest-top-entities",
            description="Most mentioned entities in this run's articles",
        )


class RunProgress:
    """A progress artifact over the run's pages; updates are cheap and never fail the run."""

    def __init__(self, total: int, *, description: str = "Pages through the pipeline") -> None:
        self.total = max(total, 0)
        self.done = 0
        self._id = create_progress_artifact(0.0, key="ingest-progress", description=description)

    def advance(self, pages: int) -> None:
        self.done += pages
        if self._id is None or not self.total:
            return
        update_progress_artifact(self._id, min(100.0, 100.0 * self.done / self.total))

    def finish(self) -> None:
        if self._id is not None:
            update_progress_artifact(self._id, 100.0)
