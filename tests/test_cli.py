"""The command line as a user runs it: a real process, a real DuckDB file, Prefect's temporary server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED_FILE, SEEDS


def _newsingest(*args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )


@pytest.mark.slow
def test_run_prints_a_clean_summary_and_sql_reads_it(tmp_path):
    db = tmp_path / "news.duckdb"
    run = _newsingest("run", str(SEEDS), "--db", str(db))
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "Traceback" not in output and "ERROR" not in output
    assert "articles loaded: 1" in run.stdout and "top entities:" in run.stdout

    query = _newsingest("sql", "SELECT source, section FROM articles", "--db", str(db))
    assert query.returncode == 0, query.stderr
    assert "Iran Press TV" in query.stdout and "Weapons of Mass Destruction (WMD)" in query.stdout

    write = _newsingest("sql", "DELETE FROM articles", "--db", str(db))
    assert write.returncode != 0 and "read-only" in write.stderr.lower()


def test_extract_prints_one_json_object_per_page(tmp_path, seed_expected):
    html = tmp_path / "page.html"
    html.write_text("<html><body><article><h1>Hello</h1><p>" + "A sentence of news text. " * 20
                    + "</p></article></body></html>")
    result = _newsingest("extract", str(SEED_FILE), str(html), timeout=120)
    assert result.returncode == 0, result.stderr
    seed, page = (json.loads(line) for line in result.stdout.splitlines())
    assert seed["title"] == seed_expected["title"] and seed["input_format"] == "text"
    assert page["input_format"] == "html" and "A sentence of news text." in page["body"]


def test_missing_input_is_a_clear_error(tmp_path):
    result = _newsingest("run", str(tmp_path / "nope"), "--db", str(tmp_path / "x.duckdb"), timeout=60)
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr and "Traceback" not in result.stderr
