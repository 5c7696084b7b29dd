"""Extraction health per source and run: the ``source_health`` table and the comparison with history.

Site redesigns break extraction silently: pages still parse, but authors or dates
vanish. Each run records, per source, the share of its articles with each field;
a run is judged against the median of that source's previous runs, so every
source is compared only with itself.
"""

from __future__ import annotations

import statistics
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from parsers.article import Article

__all__ = [
    "ALL_REJECTED",
    "BODY_MIN_CHARS",
    "Baseline",
    "SHARE_DROP",
    "HealthFlag",
    "HealthTally",
    "SourceHealth",
    "baseline",
    "flag_all_rejected",
    "flag_drops",
    "measure",
    "previous_health",
    "record_health",
]

BODY_MIN_CHARS = 200  # a body shorter than this is a teaser or a failed extraction, not a story
SHARE_DROP = 0.20  # a fall of more than 20 points in a share is a flag
BODY_FACTOR = 0.5  # and so is the median body length halving
MIN_ARTICLES = 3  # fewer articles than this say too little about a source to flag it
HISTORY_RUNS = 30  # the baseline is the median over at most this many previous runs

SHARES = ("title_share", "authors_share", "published_share", "body_share")
ALL_REJECTED = "all_rejected"  # the flag of a source none of whose pages became an article


@dataclass(frozen=True)
class SourceHealth:
    source: str
    articles: int
    title_share: float
    authors_share: float
    published_share: float
    body_share: float
    median_body_chars: float


@dataclass(frozen=True)
class HealthFlag:
    source: str
    metric: str  # one of SHARES, median_body_chars or ALL_REJECTED
    current: float
    baseline: float
    runs: int  # previous runs the baseline is the median of

    def describe(self) -> str:
        if self.metric == ALL_REJECTED:
            return f"all {self.current:.0f} page(s) rejected, no article"
        if self.metric == "median_body_chars":
            return f"median body {self.current:.0f} chars, was {self.baseline:.0f}"
        name = self.metric.removesuffix("_share")
        return f"{name} {self.current:.0%}, was {self.baseline:.0%}"


@dataclass(frozen=True)
class Baseline:
    runs: int
    values: dict[str, float] = field(default_factory=dict)


@dataclass
class HealthTally:
    """One source's running counts in a run, article by article.

    A run keeps this instead of the articles, so its memory does not grow with the
    number of pages: per article only its body length stays (4 bytes), for the median.
    """

    source: str
    articles: int = 0
    rejected: int = 0  # pages of the source rejected in the run (read, fetch, parse, entities, discovery)
    skipped: int = 0  # pages left out on purpose: unchanged (HTTP 304), or outside a backfill's dates
    with_title: int = 0
    with_authors: int = 0
    with_published: int = 0
    with_body: int = 0
    body_lengths: array = field(default_factory=lambda: array("L"))

    def add(self, article: Article) -> None:
        self.articles += 1
        self.with_title += bool(article.title and article.title.strip())
        self.with_authors += bool(article.authors)
        self.with_published += article.published_at is not None
        self.with_body += len(article.body) > BODY_MIN_CHARS
        self.body_lengths.append(len(article.body))

    def health(self) -> SourceHealth | None:
        """The source's figures; None when it yielded no articles."""
        if not self.articles:
            return None
        return self.figures()

    def figures(self) -> SourceHealth:
        """The source's figures, all 0 when it yielded no articles (a row that says so)."""
        if not self.articles:
            return SourceHealth(self.source, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
        n = self.articles
        return SourceHealth(
            source=self.source,
            articles=n,
            title_share=self.with_title / n,
            authors_share=self.with_authors / n,
            published_share=self.with_published / n,
            body_share=self.with_body / n,
            median_body_chars=float(statistics.median(self.body_lengths)),
        )


def measure(source: str, articles: Iterable[Article]) -> SourceHealth | None:
    """Health figures for one source's articles; None when there are none."""
    tally = HealthTally(source)
    for article in articles:
        tally.add(article)
    return tally.health()


def previous_health(
    con: duckdb.DuckDBPyConnection, *, source: str, before_run: str, limit: int = HISTORY_RUNS
) -> list[SourceHealth]:
    """The source's figures from its most recent earlier runs (not ``before_run``)."""
    rows = con.execute(
        "SELECT source, articles, title_share, authors_share, published_share, body_share, median_body_chars"
        " FROM source_health WHERE source = ? AND run_id <> ? AND articles > 0"  # a run without articles
        " ORDER BY measured_at DESC LIMIT ?",  # says nothing about the extraction: not in the baseline
        [source, before_run, limit],
    ).fetchall()
    return [SourceHealth(*row) for row in rows]


def baseline(history: Sequence[SourceHealth]) -> Baseline:
    """The median of each figure over previous runs: one bad run does not move it."""
    if not history:
        return Baseline(runs=0)
    metrics = (*SHARES, "median_body_chars")
    return Baseline(
        runs=len(history),
        values={m: float(statistics.median(getattr(h, m) for h in history)) for m in metrics},
    )


def flag_all_rejected(tally: HealthTally, base: Baseline) -> list[HealthFlag]:
    """A source whose pages were all rejected (none unchanged or left out on purpose) is flagged, history or not."""
    if tally.articles or tally.skipped or not tally.rejected:
        return []
    return [HealthFlag(tally.source, ALL_REJECTED, float(tally.rejected), 0.0, base.runs)]


def flag_drops(current: SourceHealth, base: Baseline, *, min_articles: int = MIN_ARTICLES) -> list[HealthFlag]:
    """Figures that fell by more than ``SHARE_DROP`` points, or a median body that halved."""
    if base.runs == 0 or current.articles < min_articles:
        return []
    flags = [
        HealthFlag(current.source, metric, getattr(current, metric), base.values[metric], base.runs)
        for metric in SHARES
        if base.values[metric] - getattr(current, metric) > SHARE_DROP + 1e-9
    ]
    if current.median_body_chars < base.values["median_body_chars"] * BODY_FACTOR:
        flags.append(
            HealthFlag(
                current.source, "median_body_chars", current.median_body_chars,
                base.values["median_body_chars"], base.runs,
            )
        )
    return flags


def record_health(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    health: SourceHealth,
    flags: Sequence[HealthFlag] = (),
) -> None:
    """Store one run's figures for one source (a retried run replaces its own row)."""
    con.execute(
        "INSERT INTO source_health (run_id, source, measured_at, articles, title_share, authors_share,"
        " published_share, body_share, median_body_chars, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (run_id, source) DO UPDATE SET measured_at = excluded.measured_at,"
        " articles = excluded.articles, title_share = excluded.title_share,"
        " authors_share = excluded.authors_share, published_share = excluded.published_share,"
        " body_share = excluded.body_share, median_body_chars = excluded.median_body_chars,"
        " flags = excluded.flags",
        [
            run_id, health.source, datetime.now(UTC), health.articles, health.title_share,
            health.authors_share, health.published_share, health.body_share, health.median_body_chars,
            [flag.metric for flag in flags],
        ],
    )
