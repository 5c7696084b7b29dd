"""A warehouse built from seeds/ and the corpora's HTML pages, for the analytics tests.

Built once per test session with the plain stage functions (no Prefect), from a
stride of the corpus pages to keep spaCy's share small. ``python -m tests.analytics_db
PATH --stride 1`` builds the full one.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from bench.corpora import corpus_available, load_corpus
from flows.pool.stages import find_entities, parse_pages
from flows.sources.files import RawPage, discover_files, read_file
from warehouse import connect, finish_run, load_batch, start_run
from warehouse.load import BatchResult

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ("article-extraction", "publishers")
TEST_STRIDE = 3  # every third page of each corpus: about 80 pages


def corpora_available() -> bool:
    return all(corpus_available(name) for name in CORPORA)


def build(path: Path, *, stride: int = TEST_STRIDE, batch_size: int = 50) -> Path:
    pages: list[RawPage] = []
    now = datetime.now(UTC)
    files, _ = discover_files([ROOT / "seeds"])
    pages += [page for page in map(read_file, files) if isinstance(page, RawPage)]
    for corpus in CORPORA:
        for page in load_corpus(corpus)[::stride]:
            pages.append(RawPage(uri=page.url or f"{corpus}/{page.name}", content=page.html,
                                 input_source=f"corpora/{corpus}", fetched_at=now))
    # A page that cannot become an article, as every real run meets some.
    pages.append(RawPage(uri="corpora/empty.html", content=b"<html><body></body></html>", input_source="corpora",
                         fetched_at=now))
    con = connect(path)
    try:
        start_run(con, run_id="corpus-run", name="analytics-test", inputs=["seeds", "corpora"])
        total = BatchResult()
        for i in range(0, len(pages), batch_size):
            records, rejects = parse_pages(pages[i : i + batch_size])
            total += load_batch(con, run_id="corpus-run", articles=find_entities(records), rejects=rejects)
        finish_run(con, run_id="corpus-run", pages_seen=len(pages), result=total)
    finally:
        con.close()
    return path


@lru_cache(maxsize=1)
def session_db() -> Path:
    """The shared test warehouse (built on first use)."""
    folder = Path(tempfile.mkdtemp(prefix="newsingest-analytics-"))
    return build(folder / "news.duckdb")


if __name__ == "__main__":
    import argparse
    import time

    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--stride", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    build(args.path, stride=args.stride)
    print(f"built {args.path} in {time.perf_counter() - started:.1f}s")
