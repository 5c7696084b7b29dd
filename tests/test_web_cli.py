"""The web flags on the command line; mistakes fail fast, before Prefect or the network."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import _newsingest


def test_bad_sources_file_is_a_clear_error_naming_the_problem(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "x"\nkind = "rss"\nlocation = "https://e.example/"\n')
    result = _newsingest("run", "--sources", str(sources), "--db", str(tmp_path / "x.duckdb"), timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "sources.toml: source #1 ('x'): 'kind' must be one of" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_feed_must_be_a_url_and_url_files_must_exist(tmp_path: Path) -> None:
    bad_feed = _newsingest("run", "--feed", "news.example.com/rss", "--db", str(tmp_path / "x.duckdb"), timeout=60)
    assert bad_feed.returncode == 2 and "--feed needs an http(s) URL" in bad_feed.stderr
    missing = _newsingest("run", "--urls", str(tmp_path / "nope.txt"), timeout=60)
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr


def test_reparse_needs_a_warehouse_and_a_real_date(tmp_path: Path) -> None:
    result = _newsingest("reparse", "--db", str(tmp_path / "none.duckdb"), timeout=60)
    assert result.returncode == 2 and "no warehouse" in result.stderr
    result = _newsingest("reparse", "--since", "yesterday", timeout=60)
    assert result.returncode == 2 and "not a date" in result.stderr
