"""The analyst views (migrations 030-032) by name, and the queries behind ``docs/queries.sql``.

The views are SQL in the migrations; this module names them so tests, the CLI
and the README list the same set, and reads the documented queries file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ANALYST_VIEWS", "TABLE_MACROS", "DocumentedQuery", "read_queries"]

# view -> one row per
ANALYST_VIEWS: dict[str, str] = {
    "daily_volume": "publication day, site and original source: articles and distinct stories",
    "daily_entity_counts": "publication day and entity: mentions and articles",
    "entity_cooccurrence": "pair of entities named in the same article: articles, first and last seen",
    "entity_aliases": "entity and surface form as written: mentions and articles",
    "clusters": "story cluster: articles, sites, exact duplicates, first-seen source, site and time",
    "rejects_by_run": "run, stage and reason: rejected pages and one example",
}
# table macro -> what it returns
TABLE_MACROS: dict[str, str] = {
    "top_entities(since, until, n := 20)": "the n most mentioned entities in articles published in [since, until)",
    "search_articles(query, k := 1.2, b := 0.75)": "article_id, BM25 score of each article sharing a word with query",
}

_HEADER = re.compile(r"^-- name: (?P<name>[a-z0-9_]+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class DocumentedQuery:
    name: str
    question: str  # the comment lines under the name
    sql: str


def read_queries(path: str | Path) -> list[DocumentedQuery]:
    """The queries of a file where each starts with ``-- name: slug`` then ``-- question`` lines."""
    text = Path(path).read_text(encoding="utf-8")
    headers = list(_HEADER.finditer(text))
    queries = []
    for header, following in zip(headers, [*headers[1:], None], strict=True):
        chunk = text[header.end() : following.start() if following else len(text)].strip()
        comment = [line[2:].strip() for line in chunk.splitlines() if line.startswith("--")]
        sql = "\n".join(line for line in chunk.splitlines() if not line.startswith("--")).strip().rstrip(";")
        queries.append(DocumentedQuery(header.group("name"), " ".join(comment), sql))
    return queries
