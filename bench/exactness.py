"""Exactness check for speed work: every field of every page's article, before and after.

    python -m bench.exactness dump /tmp/before.json      # on the commit before the change
    python -m bench.exactness dump /tmp/after.json       # on the change
    python -m bench.exactness diff /tmp/before.json /tmp/after.json

``dump`` runs ``parsers.extract_article`` on every page of the five corpora (836 pages) and
writes each page's ``Article.to_dict()`` (or the ``ParseError`` it raised) as JSON; ``diff``
lists the pages and fields that differ and exits 1 when any does. A rewrite for speed is
exact when the diff is empty.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bench.corpora import CORPORA_DIR, corpus_available, load_corpus

__all__ = ["differences", "dump", "main"]

CORPORA = ("article-extraction", "publishers", "l3s-gn1", "dragnet", "wcxb")


def dump(root: Path = CORPORA_DIR) -> dict[str, dict[str, Any]]:
    """``corpus/page`` -> the article's fields (``{"error": name}`` when it raised ``ParseError``)."""
    from parsers import ParseError, extract_article

    out: dict[str, dict[str, Any]] = {}
    for corpus in CORPORA:
        if not corpus_available(corpus, root):
            continue
        for page in load_corpus(corpus, root=root):
            try:
                out[f"{corpus}/{page.name}"] = extract_article(page.html, url=page.url).to_dict()
            except ParseError as exc:
                out[f"{corpus}/{page.name}"] = {"error": type(exc).__name__}
    return out


def differences(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[str]:
    """One line per page and field that differs (pages present in one dump only included)."""
    lines = []
    for page in sorted(before.keys() | after.keys()):
        old, new = before.get(page), after.get(page)
        if old is None or new is None:
            lines.append(f"{page}: only in {'after' if old is None else 'before'}")
            continue
        for field in sorted(old.keys() | new.keys()):
            if old.get(field) != new.get(field):
                lines.append(f"{page}: {field}: {old.get(field)!r:.80} -> {new.get(field)!r:.80}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dump_cmd = commands.add_parser("dump", help="write every page's article fields as JSON")
    dump_cmd.add_argument("out", type=Path)
    diff_cmd = commands.add_parser("diff", help="list the pages and fields two dumps disagree on")
    diff_cmd.add_argument("before", type=Path)
    diff_cmd.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "dump":
        pages = dump()
        args.out.write_text(json.dumps(pages, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{len(pages)} pages -> {args.out}")
        return 0
    found = differences(
        json.loads(args.before.read_text(encoding="utf-8")), json.loads(args.after.read_text(encoding="utf-8"))
    )
    print("\n".join(found) if found else "same: every field of every page")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
