from __future__ import annotations

from pathlib import Path

import pytest

from flows.http.fetch import Politeness
from flows.http.weberrors import SourcesError
from flows.sources.config import load_sources, parse_sources, sources_from_flags

REPO = Path(__file__).resolve().parent.parent


def test_default_sources_file_lists_the_seeds_folder() -> None:
    [seeds] = load_sources(REPO / "sources.toml")
    assert seeds.kind == "folder" and Path(seeds.location) == REPO / "seeds"
    [relative] = parse_sources((REPO / "sources.toml").read_text(), base_dir=".")
    assert relative.location == "seeds"  # a path relative to the working folder stays relative


def test_full_source(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "example.toml").write_text('domain = "example.com"\n[selectors]\n', encoding="utf-8")
    [feed, urls] = parse_sources(
        """
[[source]]
name = "example-news"
kind = "feed"
location = "https://news.example.com/rss.xml"
site_profile = "example"
max_pages = 50
language = "en"
politeness = { concurrency = 1, delay = 2.5 }
allow_private_addresses = true

[[source]]
name = "list"
kind = "urls"
location = "lists/today.txt"
""",
        base_dir=tmp_path,
    )
    assert feed.is_web and feed.max_pages == 50 and feed.site_profile == "example" and feed.language == "en"
    assert feed.profile is not None and feed.profile.domain == "example.com" and urls.profile is None
    assert feed.politeness(Politeness()) == Politeness(concurrency=1, delay=2.5)
    assert feed.allow_private_addresses
    assert urls.location == str(tmp_path / "lists" / "today.txt") and not urls.is_web
    assert urls.politeness(Politeness(concurrency=3, delay=0.5)) == Politeness(concurrency=3, delay=0.5)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[[source]]\nname='a'\nkind='rss'\nlocation='x'", "'kind' must be one of"),
        ("[[source]]\nname='a'\nkind='feed'\nlocation='/tmp/feed.xml'", "must be an http(s) URL"),
        ("[[source]]\nname='a'\nkind='folder'\nlocation='x'\nmax_page=3", "unknown keys ['max_page']"),
        ("[[source]]\nname='a'\nkind='folder'\nlocation='x'\nmax_pages=0", "positive integer"),
        ("[[source]]\nname='a'\nkind='folder'\nlocation='x'\npoliteness={delay=-1}", "delay"),
        ("[[source]]\nname='a'\nkind='folder'\nlocation='x'\npoliteness={speed=1}", "politeness"),
        ("[[source]]\nname='a'\nkind='folder'\nlocation=''", "location"),
        ("[[source]]\nkind='folder'\nlocation='x'", "'name'"),
        ("[[source]]\nname='a'\nkind='folder'\nlocation='x'\n[[source]]\nname='a'\nkind='folder'\nlocation='y'",
         "used twice"),
        ("[[sources]]\nname='a'", "unknown top-level keys"),
        ("[[source]\nname=", "not valid TOML"),
    ],
)  # fmt: skip
def test_errors_name_the_file_and_the_problem(toml: str, message: str) -> None:
    with pytest.raises(SourcesError, match="my.toml") as info:
        parse_sources(toml, origin="my.toml")
    assert message in str(info.value)


def test_missing_file() -> None:
    with pytest.raises(SourcesError, match="cannot read"):
        load_sources("/nonexistent/sources.toml")


def test_flags_become_sources(tmp_path: Path) -> None:
    feed, sitemap, urls = sources_from_flags(
        feeds=["https://a.example/rss"],
        sitemaps=["https://b.example/sitemap.xml"],
        url_files=[tmp_path / "l.txt"],
    )
    assert (feed.name, feed.kind) == ("a.example", "feed")
    assert (sitemap.name, sitemap.kind) == ("b.example", "sitemap")
    assert (urls.name, urls.kind, urls.location) == ("l", "urls", str(tmp_path / "l.txt"))
    with pytest.raises(SourcesError):
        sources_from_flags(feeds=["a.example/rss"])
