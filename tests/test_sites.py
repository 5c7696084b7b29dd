"""Site profiles: loading, validation, matching by domain, and overriding generic metadata.

No profile ships yet: each one needs a test on a saved real page of its site, and
the only real pages here are the evaluation corpora, whose sites must not get
profiles (that would tune the benchmark). These tests use profiles written to a
temporary folder.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from parsers.dom import parse_html
from parsers.html_meta import extract_metadata
from parsers.sites import SiteProfileError, load_profiles, profile_for

PROFILE = """
domain = "www.example.org"
[selectors]
title = "//div[@class='headline']"
authors = "//span[@class='writer']"
published = "//span[@class='stamp']"
section = "//nav[@class='crumbs']/a[last()]"
"""

PAGE = """<html><head><title>Example Org - Home</title></head><body>
<nav class="crumbs"><a>Home</a><a>Defence</a></nav>
<div class="headline">US to continue diplomatic ties with Russia</div>
<span class="writer">by Jane Doe and John Smith</span>
<span class="stamp">2016-12-21 18:13</span>
<p>Body text.</p></body></html>"""


@pytest.fixture
def profiles(tmp_path):
    (tmp_path / "example.toml").write_text(PROFILE, encoding="utf-8")
    return load_profiles(tmp_path.glob("*.toml"))


def test_profile_is_found_for_the_domain_and_its_subdomains(profiles):
    assert profile_for("https://example.org/a", profiles).domain == "example.org"
    assert profile_for("https://news.example.org/a", profiles) is not None
    assert profile_for("https://notexample.org/a", profiles) is None
    assert profile_for(None, profiles) is None


def test_profile_selectors_override_generic_metadata(profiles):
    meta = extract_metadata(parse_html(PAGE), url="https://www.example.org/story", profiles=profiles)
    assert meta.title == "US to continue diplomatic ties with Russia"
    assert meta.authors == ["Jane Doe", "John Smith"]
    assert meta.published_at == datetime(2016, 12, 21, 18, 13)
    assert meta.section == "Defence"


def test_without_a_profile_the_generic_extractor_answers(profiles):
    meta = extract_metadata(parse_html(PAGE), url="https://elsewhere.net/story", profiles=profiles)
    assert meta.title == "Example Org - Home"


@pytest.mark.parametrize(
    "text",
    [
        'domain = "x.org"\nextra = 1',
        '[selectors]\ntitle = "//h1"',
        'domain = "x.org"\n[selectors]\nheadline = "//h1"',
        'domain = "x.org"\n[selectors]\ntitle = "//h1[["',
        "domain = ",
    ],
)
def test_broken_profiles_are_rejected_with_the_file_name(tmp_path, text):
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SiteProfileError, match="broken.toml"):
        load_profiles([path])


def test_shipped_profiles_load():
    # Every shipped profile must at least parse and validate.
    assert isinstance(load_profiles(), tuple)
