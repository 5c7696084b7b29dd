"""``bench/pipeline.py``: the pages it builds are distinct articles, and a small run reports every mode."""

from __future__ import annotations

import json

import pytest

from bench.corpora import corpus_available
from bench.pipeline import build_pages, main, median_run

needs_corpora = pytest.mark.skipif(
    not (corpus_available("article-extraction") and corpus_available("publishers")),
    reason="../shared/corpora is not beside this checkout",
)


def test_median_run_is_a_whole_run():
    runs = [{"seconds": s, "peak_rss_mb": 100 + s} for s in (30.0, 10.0, 20.0)]
    assert median_run(runs) == {"seconds": 20.0, "peak_rss_mb": 120.0}
    assert median_run(runs[:2])["seconds"] == 10.0  # an even count: the lower middle run


@needs_corpora
def test_built_pages_are_distinct(tmp_path):
    pages = build_pages(300, tmp_path)  # more than the corpora hold, so pages repeat with changes
    contents = [page.read_bytes() for page in pages]
    assert len(set(contents)) == 300


@needs_corpora
@pytest.mark.slow
def test_a_small_run_reports_modes_and_ratios(tmp_path, capsys):
    modes = "pool-1,pool-2,parse-1,parse-2"
    assert main(["6", "--modes", modes, "--batch-size", "3", "--json", str(tmp_path / "b.json")]) == 0
    table = capsys.readouterr().out
    assert all(f"| {mode} |" in table for mode in modes.split(","))
    assert "parse+entities speed-up, 2 workers over 1" in table
    assert "parse stage alone (read, parse, entities; nothing loaded), 2 workers over 1" in table
    results = json.loads((tmp_path / "b.json").read_text())["results"]
    assert results["pool-2"]["loaded"] == 6 and "load" in results["pool-2"]["stages"]
    assert results["parse-2"]["loaded"] == 6 and "load" not in results["parse-2"]["stages"]  # parsed, not loaded
