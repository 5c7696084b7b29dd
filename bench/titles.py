"""Title misses on a corpus: the truth, our pick, and every candidate the page offered.

    python -m bench.titles                    # misses and the figure on ../shared/corpora/publishers
    python -m bench.titles --half a           # only publishers of one held-out half ("a" or "b")
    python -m bench.titles --summary          # per-half figures only

Pages are split into two halves BY PUBLISHER (a stable hash of its name), so a rule
developed on one half can be checked on publishers it never saw.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Sequence

from bench.corpora import CorpusPage, load_corpus
from bench.metadata import title_matches

__all__ = ["publisher_half"]


def publisher_half(publisher: str) -> str:
    """"a" or "b": a stable split of the publishers (not of pages) into two halves."""
    return "ab"[hashlib.sha1(publisher.encode("utf-8")).digest()[0] % 2]


def _describe(page: CorpusPage) -> tuple[bool, str]:
    from parsers._meta_page import PageSources
    from parsers._meta_title import _key as title_key
    from parsers._meta_title import _tidy, strip_site_name
    from parsers.charset import decode_html
    from parsers.dom import parse_html
    from parsers.html_meta import extract_metadata, title_candidates

    tree = parse_html(decode_html(page.html))
    got = extract_metadata(tree, url=page.url).title
    want = page.truth.get("title")
    ok = title_matches(got, want)
    candidates, sites, sections = title_candidates(PageSources.read(tree, url=page.url))
    site_keys = [k for k in (title_key(s) for s in sites) if len(k) >= 2]
    section_keys = {title_key(s) for s in sections if title_key(s)}
    lines = [f"{page.name}  [{page.truth.get('publisher')}]", f"   want {want!r}", f"    got {got!r}"]
    lines.append(f"  sites {sites}  sections {sections}")
    for cand in candidates:
        cleaned = strip_site_name(_tidy(cand.text), site_keys, section_keys)
        mark = "=" if title_matches(cleaned, want) else " "
        shown = f"{cand.text!r}" if cleaned == cand.text else f"{cand.text!r} -> {cleaned!r}"
        lines.append(f"  {mark} {cand.source:<20} {cand.weight:4.2f}  {shown}")
    return ok, "\n".join(lines)


def _score(pages: Sequence[CorpusPage], *, show: bool) -> tuple[int, int]:
    hits = 0
    for page in pages:
        ok, text = _describe(page)
        hits += ok
        if show and not ok:
            print(text, end="\n\n")
    return hits, len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="publishers")
    parser.add_argument("--half", choices=("a", "b"))
    parser.add_argument("--summary", action="store_true", help="figures only, no misses")
    args = parser.parse_args(argv)
    pages = load_corpus(args.corpus)
    halves = {h: [p for p in pages if publisher_half(str(p.truth.get("publisher", ""))) == h] for h in "ab"}
    chosen = halves[args.half] if args.half else pages
    if not args.summary:
        _score(chosen, show=True)
    for name, subset in (("half a", halves["a"]), ("half b", halves["b"]), ("all", pages)):
        hits, n = _score(subset, show=False)
        print(f"{name:<7} title {hits}/{n} = {hits / max(n, 1):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
