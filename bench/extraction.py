"""Article extraction benchmark: ours against open extractors, same pages, one process.

    python -m bench.extraction ../shared/corpora/article-extraction
    python -m bench.extraction ../shared/corpora/publishers --peers trafilatura,readability,newspaper4k \\
        --json /tmp/publishers.json

Columns: body precision/recall/F1 by the field's 4-gram shingle scoring
(``bench.corpora.body_scores``); then, where the ground truth has them, title exact
match (NFKC, casefold, whitespace folded), publication day correct (same calendar date
as the truth's ``published`` in the zone the page states) and author-set F1 averaged
over pages; then throughput (pages per CPU second of this one process, parsing
included; extractors run interleaved page by page) and its ratio to trafilatura's.
Peers are benchmark-only dependencies (``pip install .[bench]``).

Two trafilatura rows: ``trafilatura`` is ``bare_extraction(..., with_metadata=True)``
(it fills every column, like ours); ``trafilatura.extract`` is the plain body-only call
and is the reference for the throughput ratio, the stricter of the two.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bench.corpora import CorpusPage, body_scores, load_corpus, page_counts, render_as_text

__all__ = ["Extraction", "Row", "main", "run", "score"]

REFERENCE = "trafilatura.extract"


@dataclass
class Extraction:
    body: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | datetime | None = None


@dataclass
class Row:
    extractor: str
    pages: int
    body_f1: float
    body_p: float
    body_r: float
    title_match: float | None
    day_correct: float | None
    author_f1: float | None
    pages_per_s: float
    ratio_to_trafilatura: float | None = None
    failures: int = 0
    collapses: int | None = None  # pages where this one scores < 0.2 and some peer >= 0.8 (ours only)
    page_f1: list[float] = field(default_factory=list, repr=False)


Extractor = Callable[[bytes, str | None], Extraction]


# --- extractors -----------------------------------------------------------------------


def _ours() -> Extractor:
    from parsers import ParseError, extract_article

    def run(html: bytes, url: str | None) -> Extraction:
        try:
            article = extract_article(html, url=url)
        except ParseError:
            return Extraction()
        return Extraction(article.body, article.title, list(article.authors), article.published_at)

    return run


def _trafilatura() -> Extractor:
    import trafilatura

    def run(html: bytes, url: str | None) -> Extraction:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            return Extraction()
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        return Extraction(doc.text or "", doc.title, authors, _iso_day(doc.date))

    return run


def _trafilatura_extract() -> Extractor:
    import trafilatura

    def run(html: bytes, url: str | None) -> Extraction:
        return Extraction(trafilatura.extract(html, url=url) or "")

    return run


def _readability() -> Extractor:
    from readability import Document

    from parsers._body_peers import html_paragraphs

    def run(html: bytes, url: str | None) -> Extraction:
        doc = Document(html, url=url)
        # every block of the summary, <div>s with running text included (as a reader sees it)
        body = "\n\n".join(html_paragraphs(doc.summary(html_partial=True)))
        return Extraction(body, doc.short_title() or None)

    return run


def _newspaper4k() -> Extractor:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from newspaper import Article, Config

    config = Config()
    config.fetch_images = False  # it would fetch every image to find the top one: no network here
    config.memorize_articles = False

    def run(html: bytes, url: str | None) -> Extraction:
        article = Article(url or "http://localhost/", config=config)
        article.download(input_html=html.decode("utf-8", "replace"))
        article.parse()
        return Extraction(article.text or "", article.title or None, list(article.authors), article.publish_date)

    return run


EXTRACTORS: dict[str, Callable[[], Extractor]] = {
    "ours": _ours,
    "trafilatura": _trafilatura,
    REFERENCE: _trafilatura_extract,
    "readability": _readability,
    "newspaper4k": _newspaper4k,
}


def _iso_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# --- metadata scoring -------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_NAME_NOISE = re.compile(r"[^\w\s'-]")


def _fold(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def title_matches(predicted: str | None, expected: str) -> bool:
    return predicted is not None and _fold(predicted) == _fold(expected)


def day_correct(predicted: date | datetime | None, expected_iso: str) -> bool:
    """Same calendar date as the truth, read in the zone the truth (the page) states."""
    if predicted is None:
        return False
    expected = datetime.fromisoformat(expected_iso)
    if isinstance(predicted, datetime):
        if predicted.tzinfo is not None and expected.tzinfo is not None:
            predicted = predicted.astimezone(expected.tzinfo)
        predicted = predicted.date()
    return predicted == expected.date()


def _name(text: str) -> str:
    return _SPACES.sub(" ", _NAME_NOISE.sub(" ", _fold(text))).strip()


def author_f1(predicted: list[str], expected: list[str]) -> float:
    pred, gold = {_name(a) for a in predicted} - {""}, {_name(a) for a in expected} - {""}
    if not pred and not gold:
        return 1.0
    common = len(pred & gold)
    return 0.0 if common == 0 else 2 * common / (len(pred) + len(gold))


# --- running ------------------------------------------------------------------------------

COLLAPSE_BELOW = 0.2  # ours under this ...
PEER_FINE = 0.8  # ... where some peer reaches this: a collapse


def _page_f1(predicted: str, expected: str) -> float:
    tp, fp, fn = page_counts(predicted, expected)
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def collapses(ours: list[float], peers: list[list[float]]) -> list[int]:
    """Indexes of pages where ours scores under ``COLLAPSE_BELOW`` and a peer reaches ``PEER_FINE``."""
    return [
        i for i, f1 in enumerate(ours)
        if f1 < COLLAPSE_BELOW and any(peer[i] >= PEER_FINE for peer in peers)
    ]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


# What each extractor reports besides the body; a column it never fills shows "-".
PROVIDES = {
    "ours": {"title", "published", "authors"},
    "trafilatura": {"title", "published", "authors"},
    REFERENCE: set(),
    "readability": {"title"},
    "newspaper4k": {"title", "published", "authors"},
}


def score(name: str, pages: list[CorpusPage], results: list[Extraction], seconds: float) -> Row:
    scores = body_scores((r.body, p.truth.get("body", "")) for r, p in zip(results, pages, strict=True))
    fields = PROVIDES.get(name, set())
    pairs = list(zip(results, pages, strict=True))
    titles = [title_matches(r.title, p.truth["title"]) for r, p in pairs if "title" in fields and p.truth.get("title")]
    days = [
        day_correct(r.published, p.truth["published"])
        for r, p in pairs
        if "published" in fields and p.truth.get("published")
    ]
    authors = [
        author_f1(r.authors, p.truth["authors"]) for r, p in pairs if "authors" in fields and "authors" in p.truth
    ]
    page_f1 = [_page_f1(r.body, p.truth.get("body", "")) for r, p in pairs]
    return Row(
        page_f1=page_f1,
        extractor=name,
        pages=len(pages),
        body_f1=scores.f1,
        body_p=scores.precision,
        body_r=scores.recall,
        title_match=_mean([float(t) for t in titles]),
        day_correct=_mean([float(d) for d in days]),
        author_f1=_mean(authors),
        pages_per_s=len(pages) / seconds if seconds else 0.0,
    )


def run(corpus_dir: Path, names: list[str], limit: int | None = None, *, as_text: bool = False) -> list[Row]:
    """Every extractor on every page, interleaved page by page so that load on the
    machine falls on all of them alike; time is this process's CPU time.

    ``as_text``: feed each page as its plain-text dump (``bench.corpora.render_as_text``)
    instead of its HTML (peers that only read HTML then see it too, as text)."""
    pages = load_corpus(corpus_dir.name, root=corpus_dir.parent, limit=limit)
    if as_text:
        pages = [CorpusPage(p.name, render_as_text(p.html).encode("utf-8"), p.truth) for p in pages]
    extractors = {name: EXTRACTORS[name]() for name in names}
    results: dict[str, list[Extraction]] = {name: [] for name in names}
    spent = dict.fromkeys(names, 0.0)
    failures = dict.fromkeys(names, 0)
    for page in pages:
        for name, extract in extractors.items():
            start = time.process_time()
            try:
                result = extract(page.html, page.url)
            except Exception:  # a peer crashing on a page scores that page as empty
                result = Extraction()
                failures[name] += 1
            spent[name] += time.process_time() - start
            results[name].append(result)
    rows = []
    for name in names:
        row = score(name, pages, results[name], spent[name])
        row.failures = failures[name]
        rows.append(row)
    peers = [r.page_f1 for r in rows if r.extractor != "ours"]
    if rows and rows[0].extractor == "ours" and peers:
        rows[0].collapses = len(collapses(rows[0].page_f1, peers))
        for row in rows[1:]:
            row.collapses = len(collapses(row.page_f1, [rows[0].page_f1]))
    reference = next((r.pages_per_s for r in rows if r.extractor == REFERENCE), None)
    for row in rows:
        row.ratio_to_trafilatura = row.pages_per_s / reference if reference else None
    return rows


def format_table(rows: list[Row]) -> str:
    cols = ["extractor", "body F1", "P", "R", "collapses", "title", "day", "authors F1", "pages/s",
            "x trafilatura"]
    lines = [cols]

    def pct(v: float | None) -> str:
        return "-" if v is None else f"{v:.3f}"

    for r in rows:
        lines.append([
            r.extractor + (f" ({r.failures} errors)" if r.failures else ""),
            pct(r.body_f1), pct(r.body_p), pct(r.body_r), "-" if r.collapses is None else str(r.collapses),
            pct(r.title_match), pct(r.day_correct), pct(r.author_f1),
            f"{r.pages_per_s:.1f}", "-" if r.ratio_to_trafilatura is None else f"{r.ratio_to_trafilatura:.2f}",
        ])
    widths = [max(len(line[i]) for line in lines) for i in range(len(cols))]
    def render(line: list[str]) -> str:
        cells = zip(line, widths, strict=True)
        return " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells))

    out = [render(line) for line in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", type=Path, help="a corpus folder holding ground-truth.json and pages/")
    parser.add_argument("--peers", default="trafilatura,readability,newspaper4k",
                        help="comma-separated: trafilatura, readability, newspaper4k ('' for none)")
    parser.add_argument("--json", type=Path, help="also write the table as JSON here")
    parser.add_argument("--limit", type=int, help="only the first N pages (quick runs)")
    parser.add_argument("--text", action="store_true", help="feed each page as its plain-text dump")
    parser.add_argument("--pages", type=Path, help="write per-page body F1 of every extractor here (TSV)")
    args = parser.parse_args(argv)
    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = [p for p in peers if p not in EXTRACTORS or p == "ours"]
    if unknown:
        parser.error(f"unknown peers: {', '.join(unknown)}")
    names = ["ours", *peers]
    if "trafilatura" in peers or REFERENCE not in peers:
        names.insert(names.index("trafilatura") + 1 if "trafilatura" in names else len(names), REFERENCE)
    rows = run(args.corpus_dir, list(dict.fromkeys(names)), limit=args.limit, as_text=args.text)
    print(f"{args.corpus_dir.name}: {rows[0].pages} pages")
    print(format_table(rows))
    if args.json:
        payload: dict[str, Any] = {
            "corpus": str(args.corpus_dir),
            "rows": [{k: v for k, v in asdict(r).items() if k != "page_f1"} for r in rows],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if args.pages:
        names_ = [p.name for p in load_corpus(args.corpus_dir.name, root=args.corpus_dir.parent, limit=args.limit)]
        lines = ["page\t" + "\t".join(r.extractor for r in rows)]
        lines += [name + "\t" + "\t".join(f"{r.page_f1[i]:.3f}" for r in rows) for i, name in enumerate(names_)]
        args.pages.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
