"""Entity coverage per language in a run: articles with entities, and articles no model could read.

An article without mentions is either one whose language has no entity model (or whose language
was not detected), or one where the model found no names. Analysts need the two apart: the first
is a gap in coverage, the second is content. ``measure`` counts both per language over the run's
articles; ``record`` keeps them in ``entity_language_health`` beside ``source_health``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from parsers.entity_models import entity_language, has_entity_model

__all__ = ["LanguageCoverage", "describe_coverage", "measure", "record"]

UNKNOWN = "unknown"


@dataclass(frozen=True)
class LanguageCoverage:
    language: str  # ISO 639-1, or "unknown"
    articles: int
    with_entities: int
    no_model: int

    @property
    def has_model(self) -> bool:
        return self.no_model < self.articles



def describe_coverage(coverage: Sequence[LanguageCoverage]) -> str:
    """One line: "entities by language: en 54/54, fr 4/4 articles; no entity model: de 49, zh 1"."""
    read = [f"{c.language} {c.with_entities}/{c.articles - c.no_model}" for c in coverage if c.no_model < c.articles]
    unread = [f"{c.language} {c.no_model}" for c in coverage if c.no_model]
    text = "entities by language: " + (", ".join(read) + " articles" if read else "none")
    return text + ("; no entity model: " + ", ".join(unread) if unread else "")


def measure(con: duckdb.DuckDBPyConnection, *, run_id: str) -> list[LanguageCoverage]:
    """Per language, the run's articles, those with mentions, and those no model read; most articles first.

    A language without a model counts all its articles as "no model"; a language with one counts those
    of its articles without mentions whose body no model may read (written in another script, as
    ``parsers.entity_models.entity_language`` judges it at parse time).
    """
    rows = con.execute(
        "SELECT a.article_id, coalesce(split_part(lower(a.language), '-', 1), ?) AS language,"
        " EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.article_id) AS found"
        " FROM articles a WHERE a.last_run_id = ?",
        [UNKNOWN, run_id],
    ).fetchall()
    articles: Counter[str] = Counter()
    with_entities: Counter[str] = Counter()
    unread: Counter[str] = Counter()
    check: list[str] = []
    for article_id, language, found in rows:
        articles[language] += 1
        with_entities[language] += found
        if not has_entity_model(language):
            unread[language] += 1
        elif not found:
            check.append(article_id)
    for language, body in _bodies(con, check):
        unread[language] += entity_language(language, body) is None
    order = sorted(articles, key=lambda language: (-articles[language], language))
    return [LanguageCoverage(lang, articles[lang], with_entities[lang], unread[lang]) for lang in order]


def _bodies(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> list[tuple[str, str]]:
    if not article_ids:
        return []
    return con.execute(
        "SELECT split_part(lower(language), '-', 1), body FROM articles WHERE list_contains(?, article_id)",
        [article_ids],
    ).fetchall()


def record(con: duckdb.DuckDBPyConnection, *, run_id: str, coverage: Sequence[LanguageCoverage]) -> None:
    if not coverage:
        return
    now = datetime.now(UTC)
    con.executemany(
        "INSERT OR REPLACE INTO entity_language_health VALUES (?, ?, ?, ?, ?, ?)",
        [(run_id, c.language, now, c.articles, c.with_entities, c.no_model) for c in coverage],
    )
