"""The DuckDB warehouse: schema and migrations, transactional idempotent loading, run records."""

from __future__ import annotations

from warehouse.connection import (
    DEFAULT_DB_PATH,
    LoadBudget,
    batch_memory_limit_mb,
    connect,
    connect_query_only,
    connect_read_only,
)
from warehouse.load import BatchResult, article_id_for, content_hash, entity_id_for, load_batch
from warehouse.locking import LockHolder, WarehouseLocked
from warehouse.records import ArticleRecord, Reject, RejectReason, RejectStage
from warehouse.runs import EntityCount, fail_dead_runs, finish_run, heartbeat, start_run, top_entities
from warehouse.schema import apply_migrations

__all__ = [
    "DEFAULT_DB_PATH",
    "ArticleRecord",
    "BatchResult",
    "EntityCount",
    "LoadBudget",
    "LockHolder",
    "Reject",
    "RejectReason",
    "RejectStage",
    "WarehouseLocked",
    "apply_migrations",
    "article_id_for",
    "batch_memory_limit_mb",
    "connect",
    "connect_query_only",
    "connect_read_only",
    "content_hash",
    "entity_id_for",
    "fail_dead_runs",
    "finish_run",
    "heartbeat",
    "load_batch",
    "start_run",
    "top_entities",
]
