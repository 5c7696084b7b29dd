"""Hostile input: every parser, on generated and mutated pages, raises only ``ParseError`` and finishes in time.

Property tests drive the pure parsers directly. Pathological pages (50 MB, one 5 MB
line, 100k levels of nesting, NUL bytes, invalid UTF-8, entity expansion, external
entities, pages that make a parser run for minutes) go through ``flows.pool.sandbox``
in a separate process that reports its time and the peak memory of itself and its
parser workers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import Article, ParseError, clean_text_dump, extract_article, extract_html, sniff_content
from parsers.charset import decode_html
from tests.conftest import ROOT, SEED_FILE
from tests.mutations import mutate
from tests.proc_helpers import synthetic_pages

# Generous per-example limit: inputs are small, so only a pathological slowdown crosses it.
PROPERTY = settings(
    max_examples=80, deadline=timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow]
)

TAGS = ["html", "head", "body", "title", "meta", "p", "div", "article", "main", "span", "a", "br", "h1", "h2",
        "script", "style", "time", "li", "ul", "table", "td", "tr", "noscript", "iframe", "svg", "math", "template",
        "!--", "![CDATA[", "?xml", "!DOCTYPE"]
ATTRS = ["class", "id", "itemprop", "property", "name", "content", "charset", "datetime", "href", "lang", "rel"]
texty = st.text(max_size=60)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def build(tag: str, attrs: list[tuple[str, str]], inner: list[str], tail: str, close: bool) -> str:
        attr_text = "".join(f' {key}="{value}"' for key, value in attrs)
        return f"<{tag}{attr_text}>" + "".join(inner) + tail + (f"</{tag}>" if close else "")

    return st.builds(build, st.sampled_from(TAGS), st.lists(st.tuples(st.sampled_from(ATTRS), texty), max_size=3),
                     st.lists(children, max_size=4), texty, st.booleans())


html_fragments = st.recursive(texty, _element, max_leaves=30)


@st.composite
def mutated_pages(draw) -> bytes:
    """A real page (the seed dump or a news page) with random cuts, copies, insertions and byte flips."""
    import tempfile
    from pathlib import Path

    base = draw(st.sampled_from(["seed", "html"]))
    if base == "seed":
        page = SEED_FILE.read_bytes()
    else:
        with tempfile.TemporaryDirectory() as folder:
            page = next(synthetic_pages(Path(folder), 1).glob("*.html")).read_bytes()
    return mutate(
        draw, page, max_run=400, max_repeat=5, max_insert=64, truncate=True,
        inserts=[b"\x00", b"\xff\xfe", b"<div>" * 50, b"]]>", b"<!--", b"&#0;", b"&lol;", b"\xc3", b"\r\r\n"],
    )  # fmt: skip


def _only_parse_errors(call) -> Article | None:
    try:
        result = call()
    except ParseError as exc:
        assert exc.reason and isinstance(exc.reason, str)
        return None
    assert isinstance(result, Article)
    return result


@PROPERTY
@given(st.binary(max_size=3000))
def test_any_bytes(content):
    _only_parse_errors(lambda: extract_article(content))
    assert sniff_content(content) in {"html", "text", "binary", "empty"}
    assert isinstance(decode_html(content), str)


@pytest.mark.slow
@settings(PROPERTY, max_examples=40)
@given(st.lists(html_fragments, max_size=5), st.sampled_from([None, "text/html; charset=utf-8",
                                                                  "text/html; charset=bogus", "text/plain"]))
def test_generated_html(fragments, content_type):
    page = "".join(fragments)
    article = _only_parse_errors(lambda: extract_article(page.encode("utf-8", "surrogatepass"),
                                                         url="https://example.org/a", content_type=content_type))
    if article is not None:
        assert article.body.strip()
    _only_parse_errors(lambda: extract_html(page, url="https://example.org/a"))


@PROPERTY
@given(mutated_pages())
def test_mutated_real_pages(page):
    _only_parse_errors(lambda: extract_article(page, url="https://example.org/story"))


@PROPERTY
@given(st.text(max_size=3000))
def test_any_text_dump(text):
    _only_parse_errors(lambda: clean_text_dump(text))
    _only_parse_errors(lambda: extract_article(text))


# ----------------------------------------------------------------------------- pathological pages

_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "' % n + (b"&lol%d;" % (n - 1) if n > 2 else b"&lol;") * 10 + b'">' for n in range(2, 10)
    )
    + b"]><html><body><article><p>Story: &lol9;</p></article></body></html>"
)
_XXE = (
    b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<html><body><article><h1>Title</h1><p>The story text &xxe; goes on.</p></article></body></html>"
)

# name -> (page as a Python expression the worker script evaluates, reasons allowed, article allowed)
PATHOLOGICAL = {
    "50 MB page": ("b'<html><body><p>' + b'news ' * 10_000_000 + b'</p></body></html>'", {"document_too_large"}),
    "one 5 MB line (text)": ("b'word ' * 1_000_000", None),
    "one 5 MB line (html)": ("b'<html><body><p>' + b'word ' * 1_000_000 + b'</p></body></html>'", None),
    "100k nested divs": ("b'<html><body>' + b'<div>' * 100_000 + b'deep text' + b'</div>' * 100_000", None),
    "100k unclosed tags": ("b'<html><body>' + b'<div><span>' * 50_000 + b'text'", None),
    "NUL bytes": ("b'<html><body><p>' + b'hello\\x00world ' * 20_000 + b'</p></body></html>'", None),
    "invalid UTF-8": ("b'<html><meta charset=utf-8><body><p>' + b'\\xff\\xfe\\xc3\\x28 news ' * 20_000", None),
    "billion laughs": (repr(_LAUGHS), None),
    "external entity": (repr(_XXE), None),
    "200k attributes": ("b'<html><body><p ' + b' '.join(b'a%d=\"x\"' % i for i in range(200_000)) + b'>t</p>'",
                        {"parse_timeout"}),
}

_SCRIPT = r"""
import json, sys, time
from datetime import UTC, datetime
from flows.sources.files import RawPage
from flows.pool.sandbox import PageWorkers, SandboxSettings, peak_rss_mb

cases = json.loads(sys.argv[1])
timeout = float(sys.argv[2])
out = {}
worker_peak = 0.0
with PageWorkers(SandboxSettings(workers=1, page_timeout=timeout, warm_entities=False)) as pool:
    pool.parse([RawPage("warm-up", b"Warm up text. " * 20, "t", datetime.now(UTC))])
    for name, expression in cases.items():
        page = RawPage(name, eval(expression), "t", datetime.now(UTC))
        started = time.monotonic()
        records, rejects = pool.parse([page])
        worker_peak = max(worker_peak, pool.peak_rss_mb())
        del page
        out[name] = {
            "seconds": time.monotonic() - started,
            "reasons": [r.reason for r in rejects],
            "body": records[0].article.body[:200_000] if records else None,
        }
print(json.dumps({"cases": out, "peak_mb": max(worker_peak, peak_rss_mb())}))
"""

PAGE_TIMEOUT = 4.0


@pytest.mark.slow
def test_pathological_pages_are_cut_off_or_handled_in_bounded_time_and_memory():
    cases = {name: expression for name, (expression, _) in PATHOLOGICAL.items()}
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps(cases), str(PAGE_TIMEOUT)],
        cwd=ROOT, capture_output=True, text=True, timeout=400, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    for name, (_, allowed) in PATHOLOGICAL.items():
        case = report["cases"][name]
        assert (case["body"] is None) == bool(case["reasons"]), name  # an article or a reject, never neither
        if allowed is not None:
            assert set(case["reasons"]) <= allowed and case["reasons"], (name, case["reasons"])
        # the cut-off holds: never much past the page's limit (slack for a loaded machine)
        assert case["seconds"] < PAGE_TIMEOUT + 10, (name, case["seconds"])
    for name in ("billion laughs", "external entity"):
        body = report["cases"][name]["body"] or ""
        assert "lollol" not in body and "root:" not in body, name  # no expansion, no file read
    assert report["peak_mb"] < 1500, report["peak_mb"]


@pytest.mark.slow
def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.html"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024)
    script = (
        "import sys\nfrom flows.sources.files import LocalFile, read_file\nfrom flows.pool.sandbox import peak_rss_mb\n"
        "from pathlib import Path\nr = read_file(LocalFile(Path(sys.argv[1]), 'x'))\n"
        "print(r.reason, int(peak_rss_mb()))"
    )
    result = subprocess.run([sys.executable, "-c", script, str(big)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"})
    reason, peak_mb = result.stdout.split()
    assert reason == "too_large" and int(peak_mb) < 200, result.stdout + result.stderr
