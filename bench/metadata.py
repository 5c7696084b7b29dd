"""Score page metadata (title, publication day, authors) against a corpus's ground truth.

    python -m bench.metadata                 # our extractor on ../shared/corpora/publishers
    python -m bench.metadata --misses        # and list every page it gets wrong

Figures:
- title: exact match after Unicode NFKC, casefold and whitespace folding;
- day: the publication date falls on the ground truth's calendar day, read in the
  zone the page states (ground truth converted to our value's zone when both are aware);
- authors: F1 of the two name sets (NFKC, casefold), averaged over pages; a page
  with no authors in either counts 1.
"""

from __future__ import annotations

import argparse
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bench.corpora import CorpusPage, load_corpus

__all__ = ["MetadataScores", "author_f1", "same_day", "score_metadata", "title_matches"]


@dataclass(frozen=True)
class MetadataScores:
    title: float
    day: float
    authors: float
    pages: int


def _fold(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "").casefold()).strip()


def title_matches(predicted: str | None, expected: str | None) -> bool:
    return _fold(predicted) == _fold(expected)


def same_day(predicted: datetime | None, expected_iso: str | None) -> bool:
    if predicted is None or not expected_iso:
        return False
    expected = datetime.fromisoformat(expected_iso)
    if predicted.tzinfo is not None and expected.tzinfo is not None:
        expected = expected.astimezone(predicted.tzinfo)
    return predicted.date() == expected.date()


def author_f1(predicted: Iterable[str], expected: Iterable[str]) -> float:
    pred = {_fold(name) for name in predicted if _fold(name)}
    gold = {_fold(name) for name in expected if _fold(name)}
    if not pred and not gold:
        return 1.0
    hits = len(pred & gold)
    if not hits:
        return 0.0
    precision, recall = hits / len(pred), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


def score_metadata(pages: Sequence[CorpusPage], results: Sequence[object]) -> MetadataScores:
    """``results`` are ``PageMetadata`` or ``Article`` objects (title, authors, published_at)."""
    titles = days = authors = 0.0
    for page, meta in zip(pages, results, strict=True):
        titles += title_matches(getattr(meta, "title", None), page.truth.get("title"))
        days += same_day(getattr(meta, "published_at", None), page.truth.get("published"))
        authors += author_f1(getattr(meta, "authors", []) or [], page.truth.get("authors") or [])
    n = len(pages) or 1
    return MetadataScores(titles / n, days / n, authors / n, len(pages))


def extract_all(pages: Sequence[CorpusPage]) -> tuple[list[object], float]:
    from parsers.charset import decode_html
    from parsers.dom import parse_html
    from parsers.html_meta import extract_metadata

    results, elapsed = [], 0.0
    for page in pages:
        tree = parse_html(decode_html(page.html))
        start = time.perf_counter()
        results.append(extract_metadata(tree, url=page.url))
        elapsed += time.perf_counter() - start
    return results, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="publishers")
    parser.add_argument("--misses", action="store_true", help="list the pages each figure misses")
    args = parser.parse_args(argv)
    pages = load_corpus(args.corpus)
    results, elapsed = extract_all(pages)
    scores = score_metadata(pages, results)
    if args.misses:
        for page, meta in zip(pages, results, strict=True):
            truth = page.truth
            if not title_matches(meta.title, truth.get("title")):
                print(f"TITLE  {page.name}\n   got {meta.title!r}\n  want {truth.get('title')!r}")
            if not same_day(meta.published_at, truth.get("published")):
                print(f"DAY    {page.name}  got {meta.published_at}  want {truth.get('published')}")
            if author_f1(meta.authors, truth.get("authors") or []) < 1:
                print(f"AUTHOR {page.name}  got {meta.authors}  want {truth.get('authors')}")
    print(
        f"{args.corpus}: {scores.pages} pages  title {scores.title:.3f}  day {scores.day:.3f}  "
        f"authors F1 {scores.authors:.3f}  metadata {1000 * elapsed / max(len(pages), 1):.1f} ms/page"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
