"""Load the evaluation corpora and score extracted bodies the way the field does.

Scoring follows ``../shared/corpora/README.md`` (the Scrapinghub/Zyte
article-extraction benchmark): tokenise with ``\\w+``, take 4-token shingles,
count true/false positives and negatives per page as multisets, normalise each
page's three counts to sum to 1, average precision and recall over pages and
take F1 as the harmonic mean of the two averages.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

__all__ = [
    "CORPORA_DIR",
    "CorpusPage",
    "Score",
    "body_scores",
    "corpus_available",
    "iter_pairs",
    "load_corpus",
    "page_counts",
    "render_as_text",
    "shingle_counts",
]



def _find_corpora() -> Path:
    """``$NEWSINGEST_CORPORA``, else the nearest ``shared/corpora`` beside the checkout or a folder above it."""
    if os.environ.get("NEWSINGEST_CORPORA"):
        return Path(os.environ["NEWSINGEST_CORPORA"])
    checkout = Path(__file__).resolve().parent.parent
    for folder in checkout.parents:
        if (folder / "shared" / "corpora").is_dir():
            return folder / "shared" / "corpora"
    return checkout.parent / "shared" / "corpora"


CORPORA_DIR = _find_corpora()

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class CorpusPage:
    name: str
    html: bytes
    truth: dict

    @property
    def url(self) -> str | None:
        return self.truth.get("url")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def corpus_available(name: str, root: Path = CORPORA_DIR) -> bool:
    return (root / name / "ground-truth.json").is_file()


def load_corpus(name: str, root: Path = CORPORA_DIR, limit: int | None = None) -> list[CorpusPage]:
    """Pages of one corpus folder (``article-extraction`` or ``publishers``), sorted by name."""
    folder = root / name if not (root / "ground-truth.json").is_file() else root
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_name in sorted(truth)[:limit]:
        path = folder / "pages" / f"{page_name}.html.gz"
        pages.append(CorpusPage(page_name, gzip.decompress(path.read_bytes()), truth[page_name]))
    return pages


def render_as_text(html: bytes | str) -> str:
    """A page as a browser's "save as text" gives it: no script/style/noscript, ``get_text("\\n")``."""
    with warnings.catch_warnings():  # pages that open with an XML declaration are still HTML here
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    return soup.get_text("\n")


def shingle_counts(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < size:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_counts(predicted: str, expected: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) for one page."""
    pred, gold = shingle_counts(predicted), shingle_counts(expected)
    tp = sum((pred & gold).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    total = tp + fp + fn
    if total == 0:
        return 1.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def body_scores(pairs: Iterable[tuple[str, str]]) -> Score:
    """Corpus-level precision/recall over (predicted, expected) body pairs."""
    precisions, recalls = [], []
    for predicted, expected in pairs:
        tp, fp, fn = page_counts(predicted, expected)
        precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 0.0)
    if not precisions:
        return Score(0.0, 0.0)
    return Score(sum(precisions) / len(precisions), sum(recalls) / len(recalls))


def iter_pairs(pages: Iterable[CorpusPage], bodies: Iterable[str]) -> Iterator[tuple[str, str]]:
    for page, body in zip(pages, bodies, strict=True):
        yield body, page.truth.get("body", "")
